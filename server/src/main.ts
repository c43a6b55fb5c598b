import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from './app.ts';
import { closeDueBallots } from './ballots/service.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase, type OpenDatabase } from './db/open.ts';
import type { Role } from '@draftroom/shared';
import { seedDemoDefinition } from './demo/definition.ts';
import { formatDemoAccounts, seedDemo, shouldSeedDemo } from './demo/seed.ts';

function fail(message: string): never {
  process.stderr.write(`draftroom: ${message}\n`);
  process.exit(1);
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) fail(`bad configuration: ${error.message}`);
  throw error;
}

let database: OpenDatabase;
try {
  database = await openDatabase(config, (line) => process.stdout.write(`${line}\n`));
} catch (error) {
  fail(`could not open the database: ${error instanceof Error ? error.message : String(error)}`);
}

if (!config.ballotSecret) {
  if (database.kind === 'embedded') {
    // Kept beside the embedded cluster (mode 600), never in the database.
    const file = path.join(config.dataDir, 'ballot-secret');
    if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
    config = { ...config, ballotSecret: readFileSync(file, 'utf8').trim() };
  } else {
    process.stderr.write('draftroom: BALLOT_SECRET is not set; secret-ballot votes cannot be changed after a restart\n');
  }
}

const app = await buildApp(config, { db: database.db, databaseKind: database.kind });
// A promise rejected where nobody waits for it is a bug to fix, not a reason to stop serving every
// working group (and the embedded PostgreSQL with them): it is logged with its stack instead.
process.on('unhandledRejection', (reason) => app.log.error({ err: reason }, 'unhandled promise rejection'));
const baseUrl = config.publicOrigin ?? `http://localhost:${config.port}`;

if (shouldSeedDemo(config.seedDemo, database.kind)) {
  const accounts = await seedDemo(database.db, app.passwords);
  if (accounts) {
    const people = Object.fromEntries(accounts.map((a) => [a.role, a.userId])) as Record<Role, string>;
    await seedDemoDefinition(database.db, app.registry, people, app.config.ballotSecret!);
    process.stdout.write(formatDemoAccounts(accounts, baseUrl));
  }
}

// Ballots close at their closing time even when nobody looks at them (reads close them too).
const ballotSweeper = setInterval(() => {
  closeDueBallots({ db: database.db, secret: app.config.ballotSecret! }).catch((error) => app.log.warn({ err: error }, 'could not close due ballots'));
}, 15_000);
ballotSweeper.unref();

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, 'shutting down');
  clearInterval(ballotSweeper);
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  try {
    await app.close();
  } finally {
    await database.close();
  }
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal));

try {
  await app.listen({ port: config.port, host: config.host });
  process.stdout.write(`Draftroom is running at ${baseUrl}\n`);
} catch (error) {
  await database.close();
  fail(`could not listen on ${config.host}:${config.port}: ${error instanceof Error ? error.message : String(error)}`);
}

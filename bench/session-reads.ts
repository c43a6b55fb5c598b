/**
 * bench/session-reads: how much does the full Draftroom stack (helmet, rate limiting, cookie parsing,
 * session validation, schema-driven serialization, logging) cost over the least a server could do
 * for the same request?
 *
 * Peer: a bare Fastify route that reads the cookie by hand, runs the same session+user query with a
 * raw `pg` pool, checks the hash and answers. Ours: GET /api/me through buildApp(). Both run in this
 * process, against the same embedded PostgreSQL, driven by autocannon one after the other with the same
 * connections and duration. Prints both and the ratio ours/peer (higher is better; target ≥ 0.5).
 *
 *   npm run bench -- session-reads [--duration 10] [--connections 20]
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import pg from 'pg';
import { buildApp } from '../server/src/app.ts';
import { register } from '../server/src/auth/service.ts';
import { SESSION_COOKIE } from '../server/src/auth/plugin.ts';
import { PasswordHasher } from '../server/src/auth/passwords.ts';
import { loadConfig } from '../server/src/config.ts';
import { createDb } from '../server/src/db/database.ts';
import { EmbeddedDatabase } from '../server/src/db/embedded.ts';
import { migrateToLatest } from '../server/src/db/migrator.ts';
import { ensureDatabase } from '../server/src/db/open.ts';
import { freePort } from '../server/test/support/net.ts';
import { option } from './support/process.ts';

async function load(url: string, cookie: string, duration: number, connections: number) {
  const headers = { cookie };
  await autocannon({ url, connections, duration: 2, headers }); // warm-up: JIT, pools, caches
  const result = await autocannon({ url, connections, duration, headers });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

export async function run(): Promise<void> {
  const duration = option('duration', 10);
  const connections = option('connections', 20);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'draftroom-bench-'));
  const embedded = new EmbeddedDatabase({ dataDir, port: await freePort() });
  try {
    const url = await ensureDatabase((await embedded.start()).url, 'bench');
    const db = createDb(url, { max: 10 });
    await migrateToLatest(db);
    const config = loadConfig({ LOG_LEVEL: 'warn', CLIENT_DIR: '', RATE_LIMIT_API_PER_MINUTE: '1000000' });
    const { token } = await register(db, new PasswordHasher(config.argon2), {
      email: 'bench@example.org',
      displayName: 'Bench',
      password: 'benchmark password',
    });
    const cookie = `${SESSION_COOKIE}=${token}`;

    const ours = await buildApp(config, { db, databaseKind: 'embedded' });
    const oursUrl = await ours.listen({ port: 0, host: '127.0.0.1' });

    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const peer = Fastify();
    peer.get('/me', async (request, reply) => {
      const token = /draftroom_session=([^;]+)/.exec(request.headers.cookie ?? '')?.[1] ?? '';
      const [id, secret] = token.split('.');
      const { rows } = await pool.query(
        'select s.secret_hash, u.id, u.email, u.display_name, u.created_at from sessions s join users u on u.id = s.user_id where s.id = $1',
        [id],
      );
      const row = rows[0];
      const hash = createHash('sha256')
        .update(secret ?? '')
        .digest();
      if (!row || !timingSafeEqual(hash, row.secret_hash)) return reply.code(401).send({ error: 'unauthenticated' });
      return { user: { id: row.id, email: row.email, displayName: row.display_name, createdAt: row.created_at } };
    });
    const peerUrl = await peer.listen({ port: 0, host: '127.0.0.1' });

    console.log(`session-reads: ${connections} connections, ${duration} s each`);
    const peerResult = await load(`${peerUrl}/me`, cookie, duration, connections);
    const oursResult = await load(`${oursUrl}/api/me`, cookie, duration, connections);
    const fmt = (r: typeof peerResult) => `${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50} ms   p99 ${r.p99} ms`;
    console.log(`  peer (bare Fastify + pg)   ${fmt(peerResult)}`);
    console.log(`  draftroom GET /api/me      ${fmt(oursResult)}`);
    console.log(`  ratio ours/peer (throughput): ${(oursResult.rps / peerResult.rps).toFixed(2)}  (target >= 0.50)`);

    await ours.close();
    await peer.close();
    await pool.end();
    await db.destroy();
  } finally {
    await embedded.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

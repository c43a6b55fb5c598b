import path from 'node:path';
import pg from 'pg';
import type { Config } from '../config.ts';
import { createDb, type Db } from './database.ts';
import { EmbeddedDatabase } from './embedded.ts';
import { migrateToLatest } from './migrator.ts';

export const EMBEDDED_DATABASE_NAME = 'draftroom';

export interface OpenDatabase {
  db: Db;
  kind: 'embedded' | 'external';
  appliedMigrations: string[];
  close(): Promise<void>;
}

/** Creates a database on the server at `serverUrl` unless it exists. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`create database "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * The one way the app gets its database: the server named by DATABASE_URL, or an embedded PostgreSQL
 * in DATA_DIR. Either way migrations run before anything else touches it.
 */
export async function openDatabase(config: Config, log: (line: string) => void): Promise<OpenDatabase> {
  let embedded: EmbeddedDatabase | null = null;
  let url: string;
  if (config.databaseUrl) {
    url = config.databaseUrl;
  } else {
    embedded = new EmbeddedDatabase({ dataDir: config.dataDir, port: config.embeddedPgPort, supervise: true, onEvent: log });
    const started = await embedded.start();
    for (const notice of started.notices) log(notice);
    const elsewhere = path.relative(config.dataDir, started.clusterDir).startsWith('..')
      ? ` for ${config.dataDir} (kept where the postgres user it runs as can reach it; remembered in ${path.join(config.dataDir, 'pg-cluster.json')})`
      : '';
    log(`${started.created ? 'created' : 'started'} embedded PostgreSQL in ${started.clusterDir} on port ${started.port}${elsewhere}`);
    try {
      url = await ensureDatabase(started.url, EMBEDDED_DATABASE_NAME);
    } catch (error) {
      await embedded.stop();
      throw error;
    }
  }
  const db = createDb(url);
  const close = async () => {
    await db.destroy();
    await embedded?.stop();
  };
  try {
    const appliedMigrations = await migrateToLatest(db);
    return { db, kind: embedded ? 'embedded' : 'external', appliedMigrations, close };
  } catch (error) {
    await close();
    throw error;
  }
}

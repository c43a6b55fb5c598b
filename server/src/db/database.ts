import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Repositories accept either the database or an open transaction. */
export type Executor = Db | Tx;

// int8 (bigserial, count(*)) arrives as a string by default; our counts and sequence numbers fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

const pools = new WeakMap<Db, pg.Pool>();

export function createDb(connectionString: string, options: { max?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, idleTimeoutMillis: 10_000 });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
}

/** The pool behind a database made by createDb, for the few places that talk to pg directly (see statements.ts). */
export function poolOf(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('poolOf: this database was not made by createDb');
  return pool;
}

/** Whether the database answers a trivial query now (the health check's question). */
export function isReachable(db: Db): Promise<boolean> {
  return sql`select 1`.execute(db).then(
    () => true,
    () => false,
  );
}

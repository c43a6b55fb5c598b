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
  // A database that does not answer makes requests fail (503) within seconds instead of hanging.
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, idleTimeoutMillis: 10_000, connectionTimeoutMillis: 10_000 });
  // A client losing its connection (server restart, network cut) must not crash the process: idle ones
  // report to the pool, and checked-out ones — which pg-pool leaves without a listener, so the 'error'
  // event would be uncaught — get one of their own. The query in flight fails on its own and is answered.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
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

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * The database cannot be reached or is shutting down: a connection refused or cut, a pool that could
 * not connect in time, SQLSTATE class 08 (connection exception) or 57P01-57P03 (shutting down, in
 * recovery). Not the request's fault, and not a bug: the client is told to come back.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_ERRORS.has(code) || /^08[0-9A-Z]{3}$/.test(code) || /^57P0[123]$/.test(code))) return true;
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string' && /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/.test(message))
    return true;
  const errors = (error as { errors?: unknown }).errors; // AggregateError from a dual-stack connect
  return Array.isArray(errors) && errors.some(isDatabaseUnavailable);
}

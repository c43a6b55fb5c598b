import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { EventsTable } from '../db/schema.ts';
import type { Insertable } from 'kysely';

export async function lockChain(tx: Executor, chain: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${chain}, 0))`.execute(tx);
}

export function findChainHead(db: Executor, chain: string) {
  return db
    .selectFrom('events')
    .select(['seq', 'hash'])
    .where('chain', '=', chain)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertEvents(db: Executor, rows: Insertable<EventsTable>[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('events').values(rows).execute();
}

export function listChainPage(db: Executor, chain: string, before: number | null, limit: number) {
  let query = db
    .selectFrom('events')
    .leftJoin('users', 'users.id', 'events.actor_id')
    .select([
      'events.seq',
      'events.type',
      'events.actor_id',
      'users.display_name as actor_name',
      'events.payload',
      'events.occurred_at',
      'events.hash',
      'events.prev_hash',
    ])
    .where('events.chain', '=', chain)
    .orderBy('events.seq', 'desc')
    .limit(limit);
  if (before !== null) query = query.where('events.seq', '<', before);
  return query.execute();
}

export function listChainBatch(db: Executor, chain: string, afterSeq: number, limit: number) {
  return db
    .selectFrom('events')
    .selectAll()
    .where('chain', '=', chain)
    .where('seq', '>', afterSeq)
    .orderBy('seq', 'asc')
    .limit(limit)
    .execute();
}

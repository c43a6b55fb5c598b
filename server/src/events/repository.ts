import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { literal, PreparedStatement } from '../db/statements.ts';
import type { EventsTable } from '../db/schema.ts';
import type { Insertable } from 'kysely';

/**
 * Locks a chain for appending (until the transaction ends) and returns its head: an upsert on the
 * chain's head row, which waits for a concurrent appender to finish and then returns the head it left.
 */
export function lockChainHead(tx: Executor, chain: string, genesisHash: string) {
  return tx
    .insertInto('chain_heads')
    .values({ chain, seq: 0, hash: genesisHash })
    .onConflict((oc) => oc.column('chain').doUpdateSet({ chain: (eb) => eb.ref('excluded.chain') }))
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow();
}

/** Inserts events (in chain order) and moves the chain's head to the last of them, in one statement. */
export async function appendEvents(tx: Executor, chain: string, rows: Insertable<EventsTable>[], head: { seq: number; hash: string }): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .with('appended', (db) => db.insertInto('events').values(rows))
    .updateTable('chain_heads')
    .set({ seq: head.seq, hash: head.hash })
    .where('chain', '=', chain)
    .execute();
}

/** Locks several chains' heads in the order given (sorted, by convention) and returns them. Arguments: chains, the genesis hash. */
export const lockChainHeads = new PreparedStatement(
  'draftroom_chain_lock',
  ['text[]', 'text'],
  `insert into chain_heads (chain, seq, hash)
    select chain, 0, $2 from unnest($1) with ordinality as c(chain, ord) order by ord
    on conflict (chain) do update set chain = excluded.chain
    returning chain, seq, hash`,
  (chains: string[], genesisHash: string) => [literal.array(chains, literal.text, 'text'), literal.text(genesisHash)],
);

/** Inserts events (in chain order) and moves each chain's head, as appendEvents does. */
export const appendEventsPrepared = new PreparedStatement(
  'draftroom_chain_append',
  ['text[]', 'bigint[]', 'uuid[]', 'uuid[]', 'text[]', 'jsonb[]', 'timestamptz[]', 'text[]', 'text[]', 'text[]', 'bigint[]', 'text[]'],
  `with appended as (
      insert into events (chain, seq, group_id, actor_id, type, payload, occurred_at, prev_hash, hash)
      select * from unnest($1, $2, $3, $4, $5, $6, $7, $8, $9)
    )
    update chain_heads set seq = moved.seq, hash = moved.hash
    from unnest($10, $11, $12) as moved(chain, seq, hash)
    where chain_heads.chain = moved.chain`,
  (rows: Insertable<EventsTable>[], heads: { chain: string; seq: number; hash: string }[]) => [
    literal.array(rows, (r) => literal.text(r.chain), 'text'),
    literal.array(rows, (r) => literal.int(r.seq), 'bigint'),
    literal.array(rows, (r) => literal.uuid(r.group_id ?? null), 'uuid'),
    literal.array(rows, (r) => literal.uuid(r.actor_id ?? null), 'uuid'),
    literal.array(rows, (r) => literal.text(r.type), 'text'),
    literal.array(rows, (r) => `${literal.text(r.payload)}::jsonb`, 'jsonb'),
    literal.array(rows, (r) => literal.timestamptz(r.occurred_at), 'timestamptz'),
    literal.array(rows, (r) => literal.text(r.prev_hash), 'text'),
    literal.array(rows, (r) => literal.text(r.hash), 'text'),
    literal.array(heads, (h) => literal.text(h.chain), 'text'),
    literal.array(heads, (h) => literal.int(h.seq), 'bigint'),
    literal.array(heads, (h) => literal.text(h.hash), 'text'),
  ],
);

export function findChainHead(db: Executor, chain: string) {
  return db.selectFrom('chain_heads').select(['seq', 'hash']).where('chain', '=', chain).executeTakeFirst();
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

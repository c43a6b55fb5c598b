import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { literal } from '../db/statements.ts';
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

/** Statement (for runStatements): locks several chains' heads, in the order given, and returns them. */
export function lockChainHeadsStatement(chains: string[], genesisHash: string): string {
  const rows = chains.map((chain) => `(${literal.text(chain)}, 0, ${literal.text(genesisHash)})`);
  return `insert into chain_heads (chain, seq, hash) values ${rows.join(', ')}
    on conflict (chain) do update set chain = excluded.chain
    returning chain, seq, hash`;
}

/** Statement (for runStatements): inserts events and moves each chain's head, as appendEvents does. */
export function appendEventsStatement(rows: Insertable<EventsTable>[], heads: { chain: string; seq: number; hash: string }[]): string {
  const values = rows.map((row) =>
    [
      literal.text(row.chain),
      literal.int(row.seq),
      literal.uuid(row.group_id ?? null),
      literal.uuid(row.actor_id ?? null),
      literal.text(row.type),
      `${literal.text(row.payload)}::jsonb`,
      literal.timestamptz(row.occurred_at),
      literal.text(row.prev_hash),
      literal.text(row.hash),
    ].join(', '),
  );
  const moved = heads.map((head) => `(${literal.text(head.chain)}, ${literal.int(head.seq)}, ${literal.text(head.hash)})`);
  return `with appended as (
      insert into events (chain, seq, group_id, actor_id, type, payload, occurred_at, prev_hash, hash) values (${values.join('), (')})
    )
    update chain_heads set seq = moved.seq, hash = moved.hash
    from (values ${moved.join(', ')}) as moved(chain, seq, hash)
    where chain_heads.chain = moved.chain`;
}

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

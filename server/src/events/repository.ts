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

/**
 * Locks chains' heads (in chain order, as lockChainHeads does) and raises DR001 (draftroom_require)
 * unless each is where the caller last left it: a writer that remembers the heads it wrote hashes its
 * next events before it could read them, and this tells it whether those hashes still follow on.
 * Only for chains that have a head row. Arguments: the expected heads. Heads are found by key (an
 * array), not by a join on the argument's rows: see checkVotes.
 */
export const lockChainHeadsAt = new PreparedStatement(
  'draftroom_chain_lock_at',
  ['jsonb'],
  `with expected as (
      select * from jsonb_to_recordset($1) as e(chain text, seq bigint, hash text)
    ),
    locked as (
      select h.chain, h.seq, h.hash from chain_heads h
      where h.chain = any(array(select chain from expected))
      order by h.chain
      for update
    )
    select draftroom_require(
      (select count(*) from locked join expected on expected.chain = locked.chain and expected.seq = locked.seq and expected.hash = locked.hash)
        = (select count(*) from expected),
      'an audit chain moved on')`,
  (heads: { chain: string; seq: number; hash: string }[]) => [literal.jsonb(heads)],
);

/**
 * Inserts events (in chain order) and moves each chain's head, as appendEvents does. Arguments: the
 * rows, the new heads (found by key, as in lockChainHeadsAt).
 */
export const appendEventsPrepared = new PreparedStatement(
  'draftroom_chain_append',
  ['jsonb', 'jsonb'],
  `with appended as (
      insert into events (chain, seq, group_id, actor_id, type, payload, occurred_at, prev_hash, hash)
      select chain, seq, group_id, actor_id, type, payload::jsonb, occurred_at, prev_hash, hash
      from jsonb_to_recordset($1) as e(ord int, chain text, seq bigint, group_id uuid, actor_id uuid, type text, payload text, occurred_at timestamptz, prev_hash text, hash text)
      order by ord
    ),
    moved as (
      select * from jsonb_to_recordset($2) as m(chain text, seq bigint, hash text)
    )
    update chain_heads set seq = moved.seq, hash = moved.hash
    from moved
    where chain_heads.chain = moved.chain and chain_heads.chain = any(array(select chain from moved))`,
  (rows: Insertable<EventsTable>[], heads: { chain: string; seq: number; hash: string }[]) => [
    literal.jsonb(
      rows.map((r, ord) => ({
        ord,
        chain: r.chain,
        seq: r.seq,
        group_id: r.group_id ?? null,
        actor_id: r.actor_id ?? null,
        type: r.type,
        payload: r.payload,
        occurred_at: r.occurred_at, // a Date: JSON gives its ISO time, with milliseconds
        prev_hash: r.prev_hash,
        hash: r.hash,
      })),
    ),
    literal.jsonb(heads),
  ],
);

export function findChainHead(db: Executor, chain: string) {
  return db.selectFrom('chain_heads').select(['seq', 'hash']).where('chain', '=', chain).executeTakeFirst();
}

/** The hash a chain's event at `seq` has now, if the chain has that event. */
export function findChainEvent(db: Executor, chain: string, seq: number) {
  return db.selectFrom('events').select(['seq', 'hash']).where('chain', '=', chain).where('seq', '=', seq).executeTakeFirst();
}

/** The newest event of a chain, read from the events themselves. */
export function findLastEvent(db: Executor, chain: string) {
  return db.selectFrom('events').select(['seq', 'hash']).where('chain', '=', chain).orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

export function listChainPage(
  db: Executor,
  chain: string,
  before: number | null,
  limit: number,
  filter: { typePrefixes?: readonly string[]; actorId?: string } = {},
) {
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
  const prefixes = filter.typePrefixes;
  // A prefix ends in a dot ("ballot.") or is a whole type ("clause.restored").
  if (prefixes)
    query = query.where((eb) =>
      eb.or(prefixes.map((p) => (p.endsWith('.') ? eb('events.type', 'like', `${p.replace(/[%_\\]/g, '\\$&')}%`) : eb('events.type', '=', p)))),
    );
  if (filter.actorId) query = query.where('events.actor_id', '=', filter.actorId);
  return query.execute();
}

export function listChainBatch(db: Executor, chain: string, afterSeq: number, limit: number) {
  return db.selectFrom('events').selectAll().where('chain', '=', chain).where('seq', '>', afterSeq).orderBy('seq', 'asc').limit(limit).execute();
}

/** Titles of the definitions and ballots a page of events names, within the group only. */
export async function findEventSubjects(db: Executor, groupId: string, definitionIds: string[], ballotIds: string[]) {
  const [definitions, ballots] = await Promise.all([
    definitionIds.length === 0
      ? []
      : db.selectFrom('definitions').select(['id', 'title']).where('group_id', '=', groupId).where('id', 'in', definitionIds).execute(),
    ballotIds.length === 0
      ? []
      : db
          .selectFrom('ballots')
          .innerJoin('definitions', 'definitions.id', 'ballots.definition_id')
          .select(['ballots.id', 'ballots.title', 'ballots.definition_id'])
          .where('definitions.group_id', '=', groupId)
          .where('ballots.id', 'in', ballotIds)
          .execute(),
  ]);
  return { definitions, ballots };
}

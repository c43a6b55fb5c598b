import { type ExpressionBuilder, type OnConflictDatabase, type OnConflictTables, sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { MirrorChanges } from '../text/mirror.ts';

export function loadStoredState(db: Executor, definitionId: string) {
  return db.selectFrom('doc_states').select(['state']).where('definition_id', '=', definitionId).executeTakeFirst();
}

export function loadUpdates(db: Executor, definitionId: string) {
  return db.selectFrom('doc_updates').select(['id', 'update']).where('definition_id', '=', definitionId).orderBy('id').execute();
}

export function loadClientOwners(db: Executor, definitionId: string) {
  return db.selectFrom('doc_client_ids').select(['client_id', 'user_id']).where('definition_id', '=', definitionId).execute();
}

/** Appends rows to the update log; returns their ids in order. */
export async function appendUpdates(db: Executor, rows: { definitionId: string; update: Uint8Array; userId: string | null; at: Date }[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const inserted = await db
    .insertInto('doc_updates')
    .values(rows.map((r) => ({ definition_id: r.definitionId, update: Buffer.from(r.update), user_id: r.userId, created_at: r.at })))
    .returning('id')
    .execute();
  return inserted.map((row) => row.id).sort((a, b) => a - b);
}

/**
 * Every committed update of a document after `afterId`, in commit order, wherever it is now (a
 * compaction moves rows to the archive with their ids, so a reader that lags behind finds them there).
 */
export function loadUpdatesAfter(db: Executor, definitionId: string, afterId: number) {
  return db
    .selectFrom('doc_updates')
    .select(['id', 'update', 'user_id'])
    .where('definition_id', '=', definitionId)
    .where('id', '>', afterId)
    .unionAll((eb) =>
      eb.selectFrom('doc_update_archive').select(['id', 'update', 'user_id']).where('definition_id', '=', definitionId).where('id', '>', afterId),
    )
    .orderBy('id')
    .execute();
}

/** The id of the last update a stored state or log row of the document holds (0: none). */
export async function latestUpdateId(db: Executor, definitionId: string): Promise<number> {
  const row = await sql<{ latest: number | null }>`
    select greatest(
      (select max(id) from doc_updates where definition_id = ${definitionId}),
      (select max(id) from doc_update_archive where definition_id = ${definitionId})) as latest`.execute(db);
  return Number(row.rows[0]?.latest ?? 0);
}

/** Records first use of client ids; returns the ids whose recorded owner is someone else (a lost race). */
export async function claimClientIds(db: Executor, definitionId: string, claims: { clientId: number; userId: string }[]): Promise<number[]> {
  if (claims.length === 0) return [];
  await db
    .insertInto('doc_client_ids')
    .values(claims.map((c) => ({ definition_id: definitionId, client_id: c.clientId, user_id: c.userId })))
    .onConflict((oc) => oc.columns(['definition_id', 'client_id']).doNothing())
    .execute();
  const owners = await db
    .selectFrom('doc_client_ids')
    .select(['client_id', 'user_id'])
    .where('definition_id', '=', definitionId)
    .where(
      'client_id',
      'in',
      claims.map((c) => c.clientId),
    )
    .execute();
  const wanted = new Map(claims.map((c) => [c.clientId, c.userId]));
  return owners.filter((o) => wanted.get(Number(o.client_id)) !== o.user_id).map((o) => Number(o.client_id));
}

/** Serialises compactions of one document across processes; held until the transaction ends. */
export async function lockDocument(db: Executor, definitionId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`doc:${definitionId}`}, 0))`.execute(db);
}

/**
 * Serialises the writers of one document's update log across processes, until the transaction ends.
 * Under it, a document's update ids grow in commit order (nobody else can take one meanwhile), and a
 * statement run after it sees every earlier commit: that is what lets each instance render the clause
 * texts of a commit from the whole committed document, and what makes "every update after id N" a
 * complete answer. Compaction takes a different lock: it moves rows, it never adds any.
 */
export async function lockDocumentWrites(db: Executor, definitionId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`doc-writes:${definitionId}`}, 0))`.execute(db);
}

export async function saveState(db: Executor, definitionId: string, state: Uint8Array): Promise<void> {
  await db
    .insertInto('doc_states')
    .values({ definition_id: definitionId, state: Buffer.from(state), updated_at: new Date() })
    .onConflict((oc) => oc.column('definition_id').doUpdateSet({ state: Buffer.from(state), updated_at: new Date() }))
    .execute();
}

/**
 * Moves exactly the merged rows from the log to the archive — never "id <= max", which would take
 * rows committed meanwhile that the state does not contain.
 */
export async function archiveUpdates(db: Executor, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000);
    await db
      .insertInto('doc_update_archive')
      .columns(['id', 'definition_id', 'update', 'user_id', 'created_at'])
      .expression((eb) => eb.selectFrom('doc_updates').select(['id', 'definition_id', 'update', 'user_id', 'created_at']).where('id', 'in', chunk))
      .execute();
    await db.deleteFrom('doc_updates').where('id', 'in', chunk).execute();
  }
}

const clauseRows = (definitionId: string, changes: MirrorChanges) => {
  const now = new Date();
  return changes.clauses.map((c) => ({
    definition_id: definitionId,
    clause_id: c.clauseId,
    position: c.position,
    kind: c.kind,
    text: c.text,
    markdown: c.markdown,
    updated_at: now,
  }));
};

const mirrorUpdate = (eb: ExpressionBuilder<OnConflictDatabase<Database, 'clauses'>, OnConflictTables<'clauses'>>) => ({
  position: eb.ref('excluded.position'),
  kind: eb.ref('excluded.kind'),
  text: eb.ref('excluded.text'),
  markdown: eb.ref('excluded.markdown'),
  updated_at: eb.ref('excluded.updated_at'),
});

async function upsertClauseTexts(db: Executor, definitionId: string, changes: MirrorChanges): Promise<void> {
  if (changes.clauses.length === 0) return;
  await db
    .insertInto('clauses')
    .values(clauseRows(definitionId, changes))
    .onConflict((oc) => oc.columns(['definition_id', 'clause_id']).doUpdateSet(mirrorUpdate))
    .execute();
}

/**
 * Applies the changes of a commit to the clause mirror, in the committing transaction: touched clauses
 * are upserted; when the order changed, every position is set and clauses no longer in it are removed.
 */
export async function writeClauseMirror(db: Executor, definitionId: string, changes: MirrorChanges): Promise<void> {
  await upsertClauseTexts(db, definitionId, changes);
  await writeClauseOrder(db, definitionId, changes);
}

async function writeClauseOrder(db: Executor, definitionId: string, changes: MirrorChanges): Promise<void> {
  if (changes.order === null) return;
  const ids = changes.order;
  let stale = db.deleteFrom('clauses').where('definition_id', '=', definitionId);
  if (ids.length > 0) stale = stale.where('clause_id', 'not in', ids);
  await stale.execute();
  if (ids.length === 0) return;
  await sql`
    update clauses set position = wanted.ord - 1
      from unnest(${ids}::uuid[]) with ordinality as wanted(clause_id, ord)
     where clauses.definition_id = ${definitionId} and clauses.clause_id = wanted.clause_id and clauses.position <> wanted.ord - 1`.execute(db);
}

export type CommitOutcome = { kind: 'done'; ids: number[] } | { kind: 'behind'; rows: { id: number; update: Uint8Array; user_id: string | null }[] };

/** Raised by draftroom_commit_updates when a claimed client id already belongs to someone else. */
const FOREIGN_CLAIM = 'DR001';

/**
 * A live-edit commit in one round trip (draftroom_commit_updates, migration 20261129T1000): under the
 * document's write lock, when nothing was committed after `after`, the updates, their claims and the
 * clause texts; otherwise nothing, and the rows the caller lacks. Throws `lostClaims` when a claimed
 * client id belongs to someone else.
 */
export async function commitUpdates(
  db: Executor,
  input: {
    definitionId: string;
    after: number;
    rows: { update: Uint8Array; userId: string | null }[];
    at: Date;
    claims: { clientId: number; userId: string }[];
    mirror: MirrorChanges | null;
  },
): Promise<CommitOutcome> {
  const clauses = input.mirror?.clauses ?? [];
  let result: { rows: { out_kind: string; out_id: number; out_update: Buffer | null; out_user: string | null }[] };
  try {
    result = await sql<{ out_kind: string; out_id: number; out_update: Buffer | null; out_user: string | null }>`
      select * from draftroom_commit_updates(
        ${input.definitionId}::uuid, ${input.after}::bigint,
        ${input.rows.map((row) => Buffer.from(row.update.buffer, row.update.byteOffset, row.update.byteLength))}::bytea[],
        ${input.rows.map((row) => row.userId)}::uuid[], ${input.at}::timestamptz,
        ${input.claims.map((claim) => claim.clientId)}::bigint[], ${input.claims.map((claim) => claim.userId)}::uuid[],
        ${clauses.map((c) => c.clauseId)}::uuid[], ${clauses.map((c) => c.position)}::integer[], ${clauses.map((c) => c.kind)}::text[],
        ${clauses.map((c) => c.text)}::text[], ${clauses.map((c) => c.markdown)}::text[],
        ${input.mirror?.order ?? null}::uuid[])`.execute(db);
  } catch (error) {
    if ((error as { code?: string }).code === FOREIGN_CLAIM) {
      const detail = String((error as { detail?: string }).detail ?? '');
      throw new LostClaims(detail.split(',').filter(Boolean).map(Number));
    }
    throw error;
  }
  if (result.rows[0]?.out_kind === 'behind') {
    return { kind: 'behind', rows: result.rows.map((row) => ({ id: Number(row.out_id), update: row.out_update!, user_id: row.out_user })) };
  }
  return { kind: 'done', ids: result.rows.map((row) => Number(row.out_id)) };
}

/** Client ids a commit claimed that someone else owns (the commit wrote nothing). */
export class LostClaims extends Error {
  override name = 'LostClaims';
  constructor(readonly clientIds: number[]) {
    super(`client ids ${clientIds.join(', ')} were claimed by someone else`);
  }
}

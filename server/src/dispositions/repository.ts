import { sql } from 'kysely';
import type { DispositionKind, DispositionSource } from '@draftroom/shared';
import type { Executor } from '../db/database.ts';

export interface ItemToInsert {
  definitionId: string;
  source: DispositionSource;
  clauseId: string | null;
  threadId?: string;
  commentId?: string;
  ballotId?: string;
  authorId: string;
  body: string;
  public: boolean;
}

/**
 * Inserts items numbered after the definition's last one. The numbers are handed out under a lock held
 * to the end of the transaction, so two comments raised at once never share one; an item already in the
 * register (its thread, or its ballot and objector) is left as it is.
 */
export async function insertItems(tx: Executor, items: ItemToInsert[]): Promise<{ id: string; number: number }[]> {
  if (items.length === 0) return [];
  const definitionId = items[0]!.definitionId;
  await sql`select pg_advisory_xact_lock(hashtextextended(${`dispositions:${definitionId}`}, 0))`.execute(tx);
  const last = await tx
    .selectFrom('dispositions')
    .select((eb) => eb.fn.max('number').as('last'))
    .where('definition_id', '=', definitionId)
    .executeTakeFirst();
  const first = Number(last?.last ?? 0) + 1;
  return tx
    .insertInto('dispositions')
    .values(
      items.map((item, i) => ({
        definition_id: item.definitionId,
        number: first + i,
        source: item.source,
        clause_id: item.clauseId,
        thread_id: item.threadId ?? null,
        comment_id: item.commentId ?? null,
        ballot_id: item.ballotId ?? null,
        author_id: item.authorId,
        body: item.body,
        public: item.public,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'number'])
    .execute();
}

const itemColumns = [
  'dispositions.id',
  'dispositions.definition_id',
  'dispositions.number',
  'dispositions.source',
  'dispositions.clause_id',
  'dispositions.thread_id',
  'dispositions.comment_id',
  'dispositions.ballot_id',
  'dispositions.author_id',
  'dispositions.body',
  'dispositions.public',
  'dispositions.raised_at',
  'dispositions.disposition',
  'dispositions.reason',
  'dispositions.amendment_id',
  'dispositions.version_label',
  'dispositions.decided_by',
  'dispositions.decided_at',
  'dispositions.satisfied',
  'dispositions.response_note',
  'dispositions.responded_at',
] as const;

function items(db: Executor) {
  return db
    .selectFrom('dispositions')
    .innerJoin('users as author', 'author.id', 'dispositions.author_id')
    .leftJoin('users as decider', 'decider.id', 'dispositions.decided_by')
    .leftJoin('ballots', 'ballots.id', 'dispositions.ballot_id')
    .leftJoin('comments', 'comments.id', 'dispositions.comment_id')
    .select([
      ...itemColumns,
      'author.display_name as author_name',
      'decider.display_name as decider_name',
      'ballots.title as ballot_title',
      'comments.deleted_at as comment_deleted_at',
      'comments.hidden_at as comment_hidden_at',
    ]);
}

export type ItemRow = Awaited<ReturnType<typeof findItem>> & {};

/** Every item of a definition's register in number order (`publicOnly`: the public comments' items only). */
export function listItems(db: Executor, definitionId: string, filter: { publicOnly: boolean }) {
  let query = items(db).where('dispositions.definition_id', '=', definitionId);
  if (filter.publicOnly) query = query.where('dispositions.public', '=', true);
  return query.orderBy('dispositions.number').execute();
}

export function findItem(db: Executor, id: string) {
  return items(db).where('dispositions.id', '=', id).executeTakeFirst();
}

export function lockItem(tx: Executor, id: string) {
  return tx
    .selectFrom('dispositions')
    .select(['id', 'definition_id', 'disposition', 'author_id', 'public'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function decide(
  tx: Executor,
  id: string,
  decision: { disposition: DispositionKind; reason: string | null; amendmentId: string | null; versionLabel: string | null; decidedBy: string },
): Promise<void> {
  await tx
    .updateTable('dispositions')
    .set({
      disposition: decision.disposition,
      reason: decision.reason,
      amendment_id: decision.amendmentId,
      version_label: decision.versionLabel,
      decided_by: decision.decidedBy,
      decided_at: new Date(),
      // An answer was to the earlier disposition; the commenter answers the new one afresh.
      satisfied: null,
      response_note: null,
      responded_at: null,
    })
    .where('id', '=', id)
    .execute();
}

export async function respond(tx: Executor, id: string, response: { satisfied: boolean; note: string | null }): Promise<void> {
  await tx
    .updateTable('dispositions')
    .set({ satisfied: response.satisfied, response_note: response.note, responded_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** The opening comment of a public thread was edited before anyone disposed of it: the item says what it says now. */
export async function followCommentEdit(tx: Executor, commentId: string, body: string): Promise<void> {
  await tx.updateTable('dispositions').set({ body }).where('comment_id', '=', commentId).where('disposition', 'is', null).execute();
}

export function undisposed(db: Executor, definitionId: string) {
  return db
    .selectFrom('dispositions')
    .select(['id', 'number', 'source', 'clause_id'])
    .where('definition_id', '=', definitionId)
    .where('disposition', 'is', null)
    .orderBy('number')
    .execute();
}

/** An accepted amendment of this definition, for "accepted with the change". */
export function findAmendment(db: Executor, definitionId: string, id: string) {
  return db.selectFrom('amendments').select(['id', 'status', 'clause_id']).where('id', '=', id).where('definition_id', '=', definitionId).executeTakeFirst();
}

export function versionExists(db: Executor, definitionId: string, label: string) {
  return db.selectFrom('versions').select('id').where('definition_id', '=', definitionId).where('label', '=', label).executeTakeFirst();
}

/** Group chairs: they hear when a commenter says a disposition does not satisfy them. */
export function chairsOf(db: Executor, groupId: string) {
  return db.selectFrom('memberships').select('user_id').where('group_id', '=', groupId).where('role', '=', 'chair').execute();
}

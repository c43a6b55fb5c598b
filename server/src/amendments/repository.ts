import type { Executor } from '../db/database.ts';
import type { AmendmentStatus } from '../db/schema.ts';

const columns = [
  'amendments.id',
  'amendments.definition_id',
  'amendments.clause_id',
  'amendments.author_id',
  'author.display_name as author_name',
  'amendments.base_text',
  'amendments.proposed_text',
  'amendments.proposed_markdown',
  'amendments.proposed_content',
  'amendments.rationale',
  'amendments.status',
  'amendments.decided_by',
  'decider.display_name as decider_name',
  'amendments.decided_at',
  'amendments.decision_reason',
  'amendments.created_at',
  'clauses.text as current_text',
] as const;

function base(db: Executor) {
  return db
    .selectFrom('amendments')
    .innerJoin('users as author', 'author.id', 'amendments.author_id')
    .leftJoin('users as decider', 'decider.id', 'amendments.decided_by')
    .leftJoin('clauses', (join) => join.onRef('clauses.definition_id', '=', 'amendments.definition_id').onRef('clauses.clause_id', '=', 'amendments.clause_id'))
    .select(columns);
}

export type AmendmentRow = Awaited<ReturnType<typeof findAmendment>> & object;

export function findAmendment(db: Executor, id: string) {
  return base(db).where('amendments.id', '=', id).executeTakeFirst();
}

export function listAmendments(db: Executor, definitionId: string, filter: { status?: AmendmentStatus; clause?: string; ids?: string[] }) {
  let query = base(db).where('amendments.definition_id', '=', definitionId).orderBy('amendments.created_at', 'desc').limit(500);
  if (filter.status) query = query.where('amendments.status', '=', filter.status);
  if (filter.clause) query = query.where('amendments.clause_id', '=', filter.clause);
  if (filter.ids) query = query.where('amendments.id', 'in', filter.ids);
  return query.execute();
}

/** Accepted amendments with their author's and decider's names, in the order they were accepted. */
export function listAccepted(db: Executor, definitionId: string) {
  return db
    .selectFrom('amendments')
    .innerJoin('users as author', 'author.id', 'amendments.author_id')
    .leftJoin('users as decider', 'decider.id', 'amendments.decided_by')
    .select([
      'amendments.id',
      'amendments.clause_id',
      'author.display_name as author',
      'decider.display_name as decider',
      'amendments.decided_at',
      'amendments.base_text',
      'amendments.proposed_text',
      'amendments.rationale',
    ])
    .where('amendments.definition_id', '=', definitionId)
    .where('amendments.status', '=', 'accepted')
    .orderBy('amendments.decided_at')
    .execute();
}

export function insertAmendment(
  db: Executor,
  amendment: {
    definitionId: string;
    clauseId: string;
    authorId: string;
    baseText: string;
    proposedText: string;
    proposedMarkdown: string;
    proposedContent: unknown;
    rationale: string;
  },
) {
  return db
    .insertInto('amendments')
    .values({
      definition_id: amendment.definitionId,
      clause_id: amendment.clauseId,
      author_id: amendment.authorId,
      base_text: amendment.baseText,
      proposed_text: amendment.proposedText,
      proposed_markdown: amendment.proposedMarkdown,
      proposed_content: JSON.stringify(amendment.proposedContent),
      rationale: amendment.rationale,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Locks several amendments of one definition for a decision, in a stable order (no deadlock between two batches). */
export function lockAmendments(db: Executor, definitionId: string, ids: string[]) {
  return db
    .selectFrom('amendments')
    .select(['id', 'status', 'author_id', 'clause_id', 'proposed_content', 'base_text'])
    .where('definition_id', '=', definitionId)
    .where('id', 'in', ids)
    .orderBy('id')
    .forNoKeyUpdate()
    .execute();
}

/** Locks the amendment row for a state change; returns its status and definition. */
export function lockAmendment(db: Executor, id: string) {
  return db
    .selectFrom('amendments')
    .select(['id', 'status', 'author_id', 'definition_id', 'clause_id', 'proposed_content'])
    .where('id', '=', id)
    .forNoKeyUpdate()
    .executeTakeFirst();
}

export async function decide(db: Executor, id: string, decision: { status: AmendmentStatus; by: string; reason: string | null }): Promise<void> {
  await db
    .updateTable('amendments')
    .set({ status: decision.status, decided_by: decision.by, decided_at: new Date(), decision_reason: decision.reason })
    .where('id', '=', id)
    .execute();
}

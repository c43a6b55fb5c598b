import type { Executor } from '../db/database.ts';

/** Every published version of the definition, oldest first, with this clause's text in it (null: not in it). */
export function versionsWithClause(db: Executor, definitionId: string, clauseId: string) {
  return db
    .selectFrom('versions')
    .leftJoin('version_clauses', (join) => join.onRef('version_clauses.version_id', '=', 'versions.id').on('version_clauses.clause_id', '=', clauseId))
    .select(['versions.label', 'versions.published_at', 'version_clauses.text'])
    .where('versions.definition_id', '=', definitionId)
    .orderBy('versions.published_at')
    .execute();
}

/** The threads on one clause with their people and how many comments each has, oldest first. */
export function threadsOnClause(db: Executor, definitionId: string, clauseId: string) {
  return db
    .selectFrom('threads')
    .innerJoin('users as author', 'author.id', 'threads.author_id')
    .leftJoin('users as resolver', 'resolver.id', 'threads.resolved_by')
    .select((eb) => [
      'threads.id',
      'threads.audience',
      'threads.status',
      'threads.quote',
      'threads.author_id',
      'author.display_name as author_name',
      'threads.created_at',
      'threads.resolved_by',
      'resolver.display_name as resolver_name',
      'threads.resolved_at',
      eb
        .selectFrom('comments')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('comments.thread_id', '=', 'threads.id')
        .where('comments.deleted_at', 'is', null)
        .as('comment_count'),
    ])
    .where('threads.definition_id', '=', definitionId)
    .where('threads.clause_id', '=', clauseId)
    .orderBy('threads.created_at')
    .execute();
}

import type { Executor } from '../db/database.ts';

export function listThreadRows(
  db: Executor,
  definitionId: string,
  filter: { status?: 'open' | 'resolved'; clause?: string; amendment?: string; authorId?: string; threadId?: string; audience?: 'internal' | 'public' },
) {
  let query = db
    .selectFrom('threads')
    .innerJoin('users as author', 'author.id', 'threads.author_id')
    .leftJoin('users as resolver', 'resolver.id', 'threads.resolved_by')
    .select([
      'threads.id',
      'threads.definition_id',
      'threads.clause_id',
      'threads.amendment_id',
      'threads.anchor_start',
      'threads.anchor_end',
      'threads.quote',
      'threads.author_id',
      'author.display_name as author_name',
      'threads.audience',
      'threads.status',
      'threads.resolved_by',
      'resolver.display_name as resolver_name',
      'threads.resolved_at',
      'threads.created_at',
    ])
    .where('threads.definition_id', '=', definitionId)
    .orderBy('threads.created_at')
    .limit(1000);
  if (filter.status) query = query.where('threads.status', '=', filter.status);
  if (filter.clause) query = query.where('threads.clause_id', '=', filter.clause);
  if (filter.amendment) query = query.where('threads.amendment_id', '=', filter.amendment);
  if (filter.threadId) query = query.where('threads.id', '=', filter.threadId);
  if (filter.audience) query = query.where('threads.audience', '=', filter.audience);
  if (filter.authorId) {
    const authorId = filter.authorId;
    // "Mine": threads I started or took part in.
    query = query.where((eb) =>
      eb.or([
        eb('threads.author_id', '=', authorId),
        eb.exists(eb.selectFrom('comments').select('comments.id').whereRef('comments.thread_id', '=', 'threads.id').where('comments.author_id', '=', authorId)),
      ]),
    );
  }
  return query.execute();
}

export type ThreadRow = Awaited<ReturnType<typeof listThreadRows>>[number];

/** Every thread of a definition with its author's and resolver's names, oldest first (no limit: the export's record). */
export function listAllThreads(db: Executor, definitionId: string) {
  return db
    .selectFrom('threads')
    .innerJoin('users as author', 'author.id', 'threads.author_id')
    .leftJoin('users as resolver', 'resolver.id', 'threads.resolved_by')
    .select(['threads.id', 'threads.clause_id', 'threads.status', 'threads.quote', 'author.display_name as author', 'resolver.display_name as resolver'])
    .where('threads.definition_id', '=', definitionId)
    .orderBy('threads.created_at')
    .execute();
}

/** Every comment of a definition's threads, oldest first, with what says whether its body may be shown. */
export function listAllComments(db: Executor, definitionId: string) {
  return db
    .selectFrom('comments')
    .innerJoin('threads', 'threads.id', 'comments.thread_id')
    .select(['comments.thread_id', 'comments.body', 'comments.deleted_at', 'comments.hidden_at', 'comments.created_at'])
    .where('threads.definition_id', '=', definitionId)
    .orderBy('comments.created_at')
    .execute();
}

export function findThread(db: Executor, threadId: string) {
  return db.selectFrom('threads').select(['id', 'definition_id', 'clause_id', 'author_id', 'status', 'audience']).where('id', '=', threadId).executeTakeFirst();
}

/** Locks a thread's row (until the transaction ends) so that two status or audience changes take turns. */
export function lockThread(db: Executor, threadId: string) {
  return db.selectFrom('threads').select(['status', 'audience']).where('id', '=', threadId).forNoKeyUpdate().executeTakeFirstOrThrow();
}

/** Makes a thread public (a chair's decision); the audit event is the caller's. */
export async function publishThread(db: Executor, threadId: string): Promise<void> {
  await db.updateTable('threads').set({ audience: 'public' }).where('id', '=', threadId).execute();
}

export function findComment(db: Executor, commentId: string) {
  return db.selectFrom('comments').select(['author_id', 'thread_id']).where('id', '=', commentId).executeTakeFirst();
}

export function listComments(db: Executor, threadIds: string[]) {
  if (threadIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('comments')
    .innerJoin('users as author', 'author.id', 'comments.author_id')
    .select([
      'comments.id',
      'comments.thread_id',
      'comments.author_id',
      'author.display_name as author_name',
      'comments.reply_to',
      'comments.body',
      'comments.body_html',
      'comments.created_at',
      'comments.edited_at',
      'comments.deleted_at',
      'comments.hidden_at',
      'comments.hidden_reason',
    ])
    .where('comments.thread_id', 'in', threadIds)
    .orderBy('comments.created_at')
    .execute();
}

export function listRevisions(db: Executor, commentIds: string[]) {
  if (commentIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('comment_revisions').select(['comment_id', 'body', 'written_at']).where('comment_id', 'in', commentIds).orderBy('id').execute();
}

export function listReactions(db: Executor, commentIds: string[]) {
  if (commentIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('comment_reactions').select(['comment_id', 'user_id', 'emoji']).where('comment_id', 'in', commentIds).orderBy('created_at').execute();
}

export function insertThread(
  db: Executor,
  thread: {
    definitionId: string;
    clauseId: string;
    amendmentId: string | null;
    anchorStart: string | null;
    anchorEnd: string | null;
    quote: string | null;
    authorId: string;
    audience: 'internal' | 'public';
  },
) {
  return db
    .insertInto('threads')
    .values({
      definition_id: thread.definitionId,
      clause_id: thread.clauseId,
      amendment_id: thread.amendmentId,
      anchor_start: thread.anchorStart,
      anchor_end: thread.anchorEnd,
      quote: thread.quote,
      author_id: thread.authorId,
      audience: thread.audience,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export function insertComment(db: Executor, comment: { threadId: string; authorId: string; replyTo: string | null; body: string; bodyHtml: string }) {
  return db
    .insertInto('comments')
    .values({ thread_id: comment.threadId, author_id: comment.authorId, reply_to: comment.replyTo, body: comment.body, body_html: comment.bodyHtml })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export function lockComment(db: Executor, commentId: string) {
  return db
    .selectFrom('comments')
    .innerJoin('threads', 'threads.id', 'comments.thread_id')
    .select([
      'comments.id',
      'comments.thread_id',
      'comments.author_id',
      'comments.body',
      'comments.body_html',
      'comments.created_at',
      'comments.edited_at',
      'comments.deleted_at',
      'comments.hidden_at',
      'threads.definition_id',
      'threads.audience',
    ])
    .where('comments.id', '=', commentId)
    .forUpdate(['comments'])
    .executeTakeFirst();
}

export async function setThreadStatus(db: Executor, threadId: string, status: 'open' | 'resolved', by: string | null): Promise<void> {
  await db
    .updateTable('threads')
    .set(status === 'resolved' ? { status, resolved_by: by, resolved_at: new Date() } : { status, resolved_by: null, resolved_at: null })
    .where('id', '=', threadId)
    .execute();
}

export async function reviseComment(
  db: Executor,
  comment: { id: string; oldBody: string; oldHtml: string; writtenAt: Date; body: string; bodyHtml: string },
): Promise<void> {
  await db
    .insertInto('comment_revisions')
    .values({ comment_id: comment.id, body: comment.oldBody, body_html: comment.oldHtml, written_at: comment.writtenAt })
    .execute();
  await db.updateTable('comments').set({ body: comment.body, body_html: comment.bodyHtml, edited_at: new Date() }).where('id', '=', comment.id).execute();
}

export async function markDeleted(db: Executor, commentId: string, by: string): Promise<void> {
  await db.updateTable('comments').set({ deleted_at: new Date(), deleted_by: by }).where('id', '=', commentId).execute();
}

export async function setHidden(db: Executor, commentId: string, hidden: { by: string; reason: string } | null): Promise<void> {
  await db
    .updateTable('comments')
    .set(hidden ? { hidden_at: new Date(), hidden_by: hidden.by, hidden_reason: hidden.reason } : { hidden_at: null, hidden_by: null, hidden_reason: null })
    .where('id', '=', commentId)
    .execute();
}

export async function insertModeration(
  db: Executor,
  entry: { definitionId: string; commentId: string; moderatorId: string; action: 'hide' | 'unhide'; reason: string },
) {
  await db
    .insertInto('moderation_actions')
    .values({ definition_id: entry.definitionId, comment_id: entry.commentId, moderator_id: entry.moderatorId, action: entry.action, reason: entry.reason })
    .execute();
}

export function listModeration(db: Executor, definitionId: string) {
  return db
    .selectFrom('moderation_actions')
    .innerJoin('users', 'users.id', 'moderation_actions.moderator_id')
    .innerJoin('comments', 'comments.id', 'moderation_actions.comment_id')
    .select([
      'moderation_actions.comment_id',
      'comments.thread_id',
      'moderation_actions.action',
      'moderation_actions.reason',
      'moderation_actions.moderator_id',
      'users.display_name',
      'moderation_actions.created_at',
    ])
    .where('moderation_actions.definition_id', '=', definitionId)
    .orderBy('moderation_actions.id', 'desc')
    .execute();
}

/** Whether the reaction is new (adding it again changes nothing). */
export async function addReaction(db: Executor, commentId: string, userId: string, emoji: string): Promise<boolean> {
  const result = await db
    .insertInto('comment_reactions')
    .values({ comment_id: commentId, user_id: userId, emoji })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Whether there was such a reaction to remove. */
export async function removeReaction(db: Executor, commentId: string, userId: string, emoji: string): Promise<boolean> {
  const result = await db
    .deleteFrom('comment_reactions')
    .where('comment_id', '=', commentId)
    .where('user_id', '=', userId)
    .where('emoji', '=', emoji)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export function groupMemberIds(db: Executor, groupId: string, userIds: string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('memberships').select('user_id').where('group_id', '=', groupId).where('user_id', 'in', userIds).execute();
}

export function findAmendmentClause(db: Executor, definitionId: string, amendmentId: string) {
  return db.selectFrom('amendments').select(['clause_id']).where('id', '=', amendmentId).where('definition_id', '=', definitionId).executeTakeFirst();
}

export async function clauseInSomeVersion(db: Executor, definitionId: string, clauseId: string): Promise<boolean> {
  const row = await db
    .selectFrom('version_clauses')
    .innerJoin('versions', 'versions.id', 'version_clauses.version_id')
    .select('version_clauses.clause_id')
    .where('versions.definition_id', '=', definitionId)
    .where('version_clauses.clause_id', '=', clauseId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The users who own these Yjs client ids in a definition's document. */
export function clientOwners(db: Executor, definitionId: string, clientIds: number[]) {
  return db.selectFrom('doc_client_ids').select('user_id').distinct().where('definition_id', '=', definitionId).where('client_id', 'in', clientIds).execute();
}

/** How many public comments each clause has (in public threads, neither deleted nor hidden): never the group's internal discussion. */
export function countPublicCommentsByClause(db: Executor, definitionId: string) {
  return db
    .selectFrom('comments')
    .innerJoin('threads', 'threads.id', 'comments.thread_id')
    .select(['threads.clause_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('threads.definition_id', '=', definitionId)
    .where('threads.audience', '=', 'public')
    .where('comments.deleted_at', 'is', null)
    .where('comments.hidden_at', 'is', null)
    .groupBy('threads.clause_id')
    .execute();
}

/** Who has written in the public discussion of a definition (public threads only; never the internal one). */
export async function publicCommenters(db: Executor, definitionId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('comments')
    .innerJoin('threads', 'threads.id', 'comments.thread_id')
    .select('comments.author_id')
    .distinct()
    .where('threads.definition_id', '=', definitionId)
    .where('threads.audience', '=', 'public')
    .where('comments.deleted_at', 'is', null)
    .execute();
  return rows.map((r) => r.author_id);
}

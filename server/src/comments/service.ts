import type { Comment, CommentAction, CreateThreadBody, ModerationLog, ReplyBody, Thread, ThreadAction, ThreadList } from '@draftroom/shared';
import type { DocumentRegistry } from '../collab/registry.ts';
import type { Db, Tx } from '../db/database.ts';
import { loadDefinition, type DefinitionRecord } from '../definitions/service.ts';
import { AppError, conflict, invalidInput, notFound, unauthenticated } from '../errors.ts';
import * as dispositions from '../dispositions/service.ts';
import { recordEvent } from '../events/service.ts';
import { notifyThread } from '../notifications/notify.ts';
import type { Actor } from '../policies/actor.ts';
import { authorizeOnDefinition } from '../policies/definitions.ts';
import { readText } from '../text/edit.ts';
import { InvalidAnchor } from '../text/view.ts';
import { renderMarkdown } from './markdown.ts';
import * as policy from './policy.ts';
import * as repo from './repository.ts';

type Context = policy.CommentContext;
type Audience = policy.Audience;

const contextOf = (definition: DefinitionRecord): Context => ({
  visibility: definition.visibility,
  role: definition.role,
  definitionStatus: definition.status,
  commentDeadline: definition.comment_deadline,
});

/** Loads the definition of a discussion, which the caller then authorizes; a definition you may not see does not exist. */
async function loadForThreads(db: Db, actor: Actor, definitionId: string): Promise<{ definition: DefinitionRecord; context: Context }> {
  const definition = await loadDefinition(db, actor, definitionId);
  return { definition, context: contextOf(definition) };
}

/** User ids of everyone whose text is in the clause now (from server-recorded client-id ownership). */
async function clauseAuthors(db: Db, clients: number[], definition: DefinitionRecord): Promise<string[]> {
  if (clients.length === 0) return [];
  return (await repo.clientOwners(db, definition.id, clients)).map((o) => o.user_id);
}

/** The reason an anchor is refused, or null when it points into the clause. */
function anchorProblem(validate: () => void): string | null {
  try {
    validate();
    return null;
  } catch (error) {
    if (error instanceof InvalidAnchor) return error.message;
    throw error;
  }
}

/**
 * Notifies the targets of something in a thread (notifications/notify.ts): only those who may read the
 * thread — members for the internal discussion; anyone else among the targets (someone who has left
 * the group since) is skipped.
 */
async function notify(
  tx: Tx,
  definition: DefinitionRecord,
  actorId: string,
  thread: { id: string; audience: Audience; clause_id: string },
  commentId: string | null,
  targets: { userIds: string[]; kind: 'mention' | 'reply' | 'new_thread' | 'resolved' }[],
): Promise<void> {
  await notifyThread(
    tx,
    {
      groupId: definition.group_id,
      visibility: definition.visibility,
      definitionId: definition.id,
      threadId: thread.id,
      audience: thread.audience,
      clauseId: thread.clause_id,
    },
    commentId,
    actorId,
    targets,
  );
}

/**
 * Only members of the group can be mentioned, and only in its internal discussion: in a public
 * thread mentions notify nobody (the public gets no say in whom the group's members hear from, nor
 * a way to test who is in the group). Anything else in the list is ignored.
 */
async function mentionable(tx: Tx, definition: DefinitionRecord, audience: Audience, ids: string[] | undefined): Promise<string[]> {
  if (audience !== 'internal') return [];
  return (await repo.groupMemberIds(tx, definition.group_id, ids ?? [])).map((m) => m.user_id);
}

export async function createThread(db: Db, registry: DocumentRegistry, actor: Actor, definitionId: string, input: CreateThreadBody): Promise<Thread> {
  const { definition, context } = await loadForThreads(db, actor, definitionId);
  const audience = input.audience ?? policy.defaultAudience(context);
  policy.authorizeStartThread(actor, context, audience);
  if (input.anchor) policy.authorizeAnchor(actor, context);
  if (input.amendmentId) {
    const amendment = await repo.findAmendmentClause(db, definitionId, input.amendmentId);
    if (!amendment) throw notFound('amendment');
    if (amendment.clause_id !== input.clauseId)
      throw invalidInput('The amendment belongs to another clause', [{ path: '/clauseId', message: 'does not match the amendment' }]);
  }
  const checked = await readText({ registry }, definition, (text) => {
    const anchorError = input.anchor ? anchorProblem(() => text.validateAnchor(input.clauseId, input.anchor!)) : null;
    return { inText: text.has(input.clauseId), anchorError, clients: text.authorClients(input.clauseId) };
  });
  // A clause removed from the draft can still be discussed where a published version has it.
  if (!checked.inText && !(await repo.clauseInSomeVersion(db, definitionId, input.clauseId))) throw notFound('clause');
  if (input.anchor) {
    if (!checked.inText) throw notFound('clause');
    if (checked.anchorError) throw invalidInput(`The anchor is not valid: ${checked.anchorError}`, [{ path: '/anchor', message: checked.anchorError }]);
  }
  const authors = await clauseAuthors(db, checked.clients, definition);
  const threadId = await db.transaction().execute(async (tx) => {
    const thread = await repo.insertThread(tx, {
      definitionId,
      clauseId: input.clauseId,
      amendmentId: input.amendmentId ?? null,
      anchorStart: input.anchor?.start ?? null,
      anchorEnd: input.anchor?.end ?? null,
      quote: input.anchor?.quote ?? null,
      authorId: actor.userId,
      audience,
    });
    const comment = await repo.insertComment(tx, {
      threadId: thread.id,
      authorId: actor.userId,
      replyTo: null,
      body: input.body,
      bodyHtml: renderMarkdown(input.body),
    });
    await notify(tx, definition, actor.userId, { id: thread.id, audience, clause_id: input.clauseId }, comment.id, [
      { userIds: await mentionable(tx, definition, audience, input.mentions), kind: 'mention' },
      { userIds: authors, kind: 'new_thread' },
    ]);
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: 'thread.created',
      payload: { definitionId, threadId: thread.id, clauseId: input.clauseId, anchored: input.anchor !== undefined, audience },
    });
    // A public comment enters the disposition register with it: answered, one way or another, before the
    // text is final. A chair's own public post is the group speaking (the chair disposes; they do not answer themselves).
    if (audience === 'public' && definition.role !== 'chair') {
      await dispositions.raisePublicComment(tx, {
        definitionId,
        groupId: definition.group_id,
        threadId: thread.id,
        commentId: comment.id,
        clauseId: input.clauseId,
        authorId: actor.userId,
        body: input.body,
      });
    }
    return thread.id;
  });
  return oneThread(db, registry, actor, definitionId, threadId);
}

/** A thread and its definition; a thread the actor may not read (the internal discussion, to outsiders) does not exist. */
async function loadThread(db: Db, actor: Actor, threadId: string) {
  const thread = await repo.findThread(db, threadId);
  if (!thread) throw notFound('thread');
  let loaded: { definition: DefinitionRecord; context: Context };
  try {
    loaded = await loadForThreads(db, actor, thread.definition_id);
  } catch (error) {
    if (error instanceof AppError && error.statusCode === 404) throw notFound('thread');
    throw error;
  }
  if (!policy.canReadThread(actor, loaded.context, thread.audience)) throw notFound('thread');
  return { thread, ...loaded };
}

export async function reply(db: Db, registry: DocumentRegistry, actor: Actor, threadId: string, input: ReplyBody): Promise<Thread> {
  const { thread, definition, context } = await loadThread(db, actor, threadId);
  // A reply is written where its thread is read: it inherits the thread's audience.
  policy.authorizeComment(actor, context, thread.audience);
  await db.transaction().execute(async (tx) => {
    let repliedAuthor: string | null = null;
    if (input.replyTo) {
      const target = await repo.findComment(tx, input.replyTo);
      if (!target || target.thread_id !== threadId)
        throw invalidInput('You can only reply to a comment of this thread', [{ path: '/replyTo', message: 'is not in this thread' }]);
      repliedAuthor = target.author_id;
    }
    const comment = await repo.insertComment(tx, {
      threadId,
      authorId: actor.userId,
      replyTo: input.replyTo ?? null,
      body: input.body,
      bodyHtml: renderMarkdown(input.body),
    });
    await notify(tx, definition, actor.userId, thread, comment.id, [
      { userIds: await mentionable(tx, definition, thread.audience, input.mentions), kind: 'mention' },
      { userIds: [repliedAuthor ?? thread.author_id], kind: 'reply' },
    ]);
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: 'comment.added',
      payload: { definitionId: definition.id, threadId, commentId: comment.id },
    });
  });
  return oneThread(db, registry, actor, definition.id, threadId);
}

export async function setThreadStatus(db: Db, registry: DocumentRegistry, actor: Actor, threadId: string, status: 'open' | 'resolved'): Promise<Thread> {
  const { thread, definition, context } = await loadThread(db, actor, threadId);
  policy.authorizeResolve(actor, context, thread.author_id);
  await db.transaction().execute(async (tx) => {
    const locked = await repo.lockThread(tx, threadId);
    if (locked.status === status) throw conflict(`The thread is already ${status}`);
    await repo.setThreadStatus(tx, threadId, status, actor.userId);
    if (status === 'resolved') await notify(tx, definition, actor.userId, thread, null, [{ userIds: [thread.author_id], kind: 'resolved' }]);
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: status === 'resolved' ? 'thread.resolved' : 'thread.reopened',
      payload: { definitionId: definition.id, threadId },
    });
  });
  return oneThread(db, registry, actor, definition.id, threadId);
}

/**
 * A chair publishes a thread of the internal discussion — a disposition, say — so that the public
 * reads it, with every comment in it, from then on (and replies in it are public too). There is no
 * way back: what the public has read stays in the record.
 */
export async function publishThread(db: Db, registry: DocumentRegistry, actor: Actor, threadId: string): Promise<Thread> {
  const { thread, definition, context } = await loadThread(db, actor, threadId);
  policy.authorizePublish(actor, context, thread.audience);
  await db.transaction().execute(async (tx) => {
    const locked = await repo.lockThread(tx, threadId);
    policy.authorizePublish(actor, context, locked.audience);
    await repo.publishThread(tx, threadId);
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: 'thread.published',
      payload: { definitionId: definition.id, threadId },
    });
  });
  return oneThread(db, registry, actor, definition.id, threadId);
}

/** A comment and its definition; a comment in a thread the actor may not read does not exist. */
async function loadComment(db: Db, actor: Actor, commentId: string) {
  const row = await repo.lockComment(db, commentId);
  if (!row) throw notFound('comment');
  let loaded: { definition: DefinitionRecord; context: Context };
  try {
    loaded = await loadForThreads(db, actor, row.definition_id);
  } catch (error) {
    if (error instanceof AppError && error.statusCode === 404) throw notFound('comment');
    throw error;
  }
  if (!policy.canReadThread(actor, loaded.context, row.audience)) throw notFound('comment');
  return { row, ...loaded };
}

export async function editComment(db: Db, registry: DocumentRegistry, actor: Actor, commentId: string, body: string): Promise<Thread> {
  const { row, definition, context } = await loadComment(db, actor, commentId);
  policy.authorizeEditComment(actor, context, row.author_id);
  await db.transaction().execute(async (tx) => {
    const locked = await repo.lockComment(tx, commentId);
    if (!locked || locked.deleted_at || locked.hidden_at) throw conflict('A deleted or hidden comment cannot be edited');
    if (locked.body === body) return;
    await repo.reviseComment(tx, {
      id: commentId,
      oldBody: locked.body,
      oldHtml: locked.body_html,
      writtenAt: locked.edited_at ?? locked.created_at,
      body,
      bodyHtml: renderMarkdown(body),
    });
    await dispositions.followCommentEdit(tx, commentId, body);
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: 'comment.edited',
      payload: { definitionId: definition.id, threadId: row.thread_id, commentId },
    });
  });
  return oneThread(db, registry, actor, definition.id, row.thread_id);
}

export async function deleteComment(db: Db, actor: Actor, commentId: string): Promise<void> {
  const { row, definition, context } = await loadComment(db, actor, commentId);
  policy.authorizeDeleteComment(actor, context, row.author_id);
  await db.transaction().execute(async (tx) => {
    const locked = await repo.lockComment(tx, commentId);
    if (!locked || locked.deleted_at) throw conflict('The comment is already deleted');
    await repo.markDeleted(tx, commentId, actor.userId);
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: 'comment.deleted',
      payload: { definitionId: definition.id, threadId: row.thread_id, commentId },
    });
  });
}

export async function moderate(db: Db, registry: DocumentRegistry, actor: Actor, commentId: string, hide: { reason: string } | null): Promise<Thread> {
  const { row, definition, context } = await loadComment(db, actor, commentId);
  policy.authorizeModerate(actor, context);
  await db.transaction().execute(async (tx) => {
    const locked = await repo.lockComment(tx, commentId);
    if (!locked) throw notFound('comment');
    if (hide && locked.hidden_at) throw conflict('The comment is already hidden');
    if (!hide && !locked.hidden_at) throw conflict('The comment is not hidden');
    const reason = hide?.reason.trim() ?? 'shown again';
    await repo.setHidden(tx, commentId, hide ? { by: actor.userId, reason } : null);
    await repo.insertModeration(tx, { definitionId: definition.id, commentId, moderatorId: actor.userId, action: hide ? 'hide' : 'unhide', reason });
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: hide ? 'comment.hidden' : 'comment.unhidden',
      payload: { definitionId: definition.id, threadId: row.thread_id, commentId, reason },
    });
  });
  return oneThread(db, registry, actor, definition.id, row.thread_id);
}

export async function react(db: Db, actor: Actor, commentId: string, emoji: string, on: boolean): Promise<void> {
  const { row, definition, context } = await loadComment(db, actor, commentId);
  policy.authorizeComment(actor, context, row.audience);
  if (row.deleted_at || row.hidden_at) throw conflict('You cannot react to a deleted or hidden comment');
  await db.transaction().execute(async (tx) => {
    const changed = on ? await repo.addReaction(tx, commentId, actor.userId, emoji) : await repo.removeReaction(tx, commentId, actor.userId, emoji);
    // Asking again for what is already so changes nothing, and records nothing.
    if (!changed) return;
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: on ? 'comment.reacted' : 'comment.unreacted',
      payload: { definitionId: definition.id, threadId: row.thread_id, commentId, emoji },
    });
  });
}

export async function moderationLog(db: Db, actor: Actor, definitionId: string): Promise<ModerationLog> {
  const definition = await loadDefinition(db, actor, definitionId);
  authorizeOnDefinition(actor, 'draft.read', definition);
  const rows = await repo.listModeration(db, definitionId);
  return {
    actions: rows.map((r) => ({
      commentId: r.comment_id,
      threadId: r.thread_id,
      action: r.action,
      reason: r.reason,
      moderator: { id: r.moderator_id, displayName: r.display_name },
      at: r.created_at.toISOString(),
    })),
  };
}

type ThreadFilter = { status?: 'open' | 'resolved'; clause?: string; amendment?: string; mine?: boolean; threadId?: string; audience?: Audience };

/**
 * A definition's threads as this reader may see them, and where the reader may start one now.
 * Members read the whole discussion, each thread labelled with its audience; everyone else reads
 * the public threads only — the internal ones are neither listed nor counted nor hinted at.
 */
export async function listThreads(db: Db, registry: DocumentRegistry, actor: Actor, definitionId: string, filter: ThreadFilter): Promise<ThreadList> {
  const { definition, context } = await loadForThreads(db, actor, definitionId);
  policy.authorizeReadThreads(actor, context);
  return { threads: await presentThreads(db, registry, actor, definition, context, filter), audiences: policy.startAudiences(actor, context) };
}

async function oneThread(db: Db, registry: DocumentRegistry, actor: Actor, definitionId: string, threadId: string): Promise<Thread> {
  return (await listThreads(db, registry, actor, definitionId, { threadId })).threads[0]!;
}

async function presentThreads(
  db: Db,
  registry: DocumentRegistry,
  actor: Actor,
  definition: DefinitionRecord,
  context: Context,
  filter: ThreadFilter,
): Promise<Thread[]> {
  const definitionId = definition.id;
  const member = policy.isMember(actor, context);
  // Outside the group, the public threads are all there is.
  if (!member && filter.audience === 'internal') return [];
  const audience: Audience | undefined = member ? filter.audience : 'public';
  // "Mine" needs to know who asks; reading the discussion may not.
  let authorId: string | undefined;
  if (filter.mine) {
    if (actor === null) throw unauthenticated();
    authorId = actor.userId;
  }
  const threads = await repo.listThreadRows(db, definitionId, { ...filter, audience, authorId });
  const comments = await repo.listComments(
    db,
    threads.map((t) => t.id),
  );
  const commentIds = comments.map((c) => c.id);
  const [revisions, reactions] = await Promise.all([repo.listRevisions(db, commentIds), repo.listReactions(db, commentIds)]);
  const audienceOf = new Map(threads.map((t) => [t.id, t.audience]));

  // Anchors point into the live draft, which only members read: outside the group they are left out.
  const anchored = member ? threads.filter((t) => t.anchor_start && t.anchor_end) : [];
  const anchorStates = new Map<string, 'ok' | 'removed'>();
  if (anchored.length > 0) {
    await readText({ registry }, definition, (text) => {
      for (const thread of anchored) {
        anchorStates.set(thread.id, text.anchorState(thread.clause_id, { start: thread.anchor_start!, end: thread.anchor_end! }, thread.quote ?? ''));
      }
    });
  }

  const moderator = policy.canModerate(actor, context);
  const presentComment = (c: (typeof comments)[number]): Comment => {
    const state: Comment['state'] = c.deleted_at ? 'deleted' : c.hidden_at ? 'hidden' : 'visible';
    // Deleted bodies are never shown; hidden ones only to chairs (the body is kept for review).
    const showBody = state === 'visible' || (state === 'hidden' && moderator);
    const actions: CommentAction[] = [];
    if (state === 'visible' && policy.canEditComment(actor, c.author_id)) actions.push('edit');
    if (state !== 'deleted' && policy.canDeleteComment(actor, context, c.author_id)) actions.push('delete');
    if (state === 'visible' && moderator) actions.push('hide');
    if (state === 'hidden' && moderator) actions.push('unhide');
    if (state === 'visible' && policy.canComment(actor, context, audienceOf.get(c.thread_id)!)) actions.push('react');
    const counts = new Map<string, { count: number; mine: boolean }>();
    for (const r of reactions.filter((r) => r.comment_id === c.id)) {
      const entry = counts.get(r.emoji) ?? { count: 0, mine: false };
      entry.count += 1;
      entry.mine ||= r.user_id === actor?.userId;
      counts.set(r.emoji, entry);
    }
    return {
      id: c.id,
      threadId: c.thread_id,
      author: { id: c.author_id, displayName: c.author_name },
      replyTo: c.reply_to,
      body: showBody ? c.body : null,
      bodyHtml: showBody ? c.body_html : null,
      state,
      hiddenReason: state === 'hidden' ? c.hidden_reason : null,
      createdAt: c.created_at.toISOString(),
      editedAt: c.edited_at?.toISOString() ?? null,
      revisions: showBody ? revisions.filter((r) => r.comment_id === c.id).map((r) => ({ body: r.body, writtenAt: r.written_at.toISOString() })) : [],
      reactions: state === 'visible' ? [...counts].map(([emoji, v]) => ({ emoji, ...v })) : [],
      allowedActions: actions,
    };
  };

  return threads.map((t) => {
    const actions: ThreadAction[] = [];
    if (policy.canComment(actor, context, t.audience)) actions.push('reply');
    if (policy.canResolve(actor, context, t.author_id)) actions.push(t.status === 'open' ? 'resolve' : 'reopen');
    if (policy.canPublish(actor, context, t.audience)) actions.push('publish');
    return {
      id: t.id,
      definitionId: t.definition_id,
      clauseId: t.clause_id,
      amendmentId: member ? t.amendment_id : null,
      anchor: member && t.anchor_start && t.anchor_end ? { start: t.anchor_start, end: t.anchor_end, quote: t.quote ?? '' } : null,
      anchorState: anchorStates.get(t.id) ?? 'none',
      author: { id: t.author_id, displayName: t.author_name },
      audience: t.audience,
      status: t.status as Thread['status'],
      resolvedBy: t.resolved_by ? { id: t.resolved_by, displayName: t.resolver_name ?? '(unknown)' } : null,
      resolvedAt: t.resolved_at?.toISOString() ?? null,
      createdAt: t.created_at.toISOString(),
      comments: comments.filter((c) => c.thread_id === t.id).map(presentComment),
      allowedActions: actions,
    };
  });
}

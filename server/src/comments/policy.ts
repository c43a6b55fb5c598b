import type { Role, Visibility } from '@draftroom/shared';
import { conflict, forbidden, unauthenticated } from '../errors.ts';
import type { Actor, SignedIn } from '../policies/actor.ts';

export interface CommentContext {
  visibility: Visibility;
  role: Role | null;
  definitionStatus: 'drafting' | 'public-comment' | 'final';
  commentDeadline: Date | null;
}

export type Audience = 'internal' | 'public';

/** What reading the discussion depends on: the group's visibility and the reader's role (the live channel asks with only these; the rest is not read). */
export type ReadContext = Pick<CommentContext, 'visibility' | 'role'> & Partial<CommentContext>;

/** During a public comment period of a public group, people outside it take part too. */
export function publicPeriod(context: CommentContext, now = new Date()): boolean {
  const open = context.commentDeadline === null || now < context.commentDeadline;
  return context.visibility === 'public' && context.definitionStatus === 'public-comment' && open;
}

/** Members of the group: they read its internal discussion (and nobody else does, ever). */
export function isMember(actor: Actor, context: ReadContext): boolean {
  return actor !== null && context.role !== null;
}

/**
 * Reading the discussion: members read all of it; anyone who reads a public group's published
 * versions reads its public threads — and only those, whatever the definition's status. Public
 * comments stay readable by the public once the deadline has passed: they are part of the record.
 */
export function canReadThreads(actor: Actor, context: ReadContext): boolean {
  return isMember(actor, context) || context.visibility === 'public';
}

/** Whether this reader may see a thread of this audience at all (one they may not is "not found"). */
export function canReadThread(actor: Actor, context: ReadContext, audience: Audience): boolean {
  return isMember(actor, context) || (audience === 'public' && context.visibility === 'public');
}

/** Where the actor may start a thread now, the default first: members in their group, anyone signed in where the public reads during a public comment period. */
export function startAudiences(actor: Actor, context: CommentContext): Audience[] {
  if (actor === null) return [];
  if (context.role !== null) return publicPeriod(context) ? ['internal', 'public'] : ['internal'];
  return publicPeriod(context) ? ['public'] : [];
}

/** What a new thread is when its author does not say: the group's own for members, public for everyone else. */
export function defaultAudience(context: CommentContext): Audience {
  return context.role !== null ? 'internal' : 'public';
}

/** Replying (and reacting) in a thread: members in any thread; others in public threads while the period is open. */
export function canComment(actor: Actor, context: CommentContext, audience: Audience): boolean {
  if (actor === null) return false;
  return context.role !== null || (audience === 'public' && publicPeriod(context));
}

/** Anchoring to a passage needs the live text, which only members read. */
export function canAnchor(actor: Actor, context: CommentContext): boolean {
  return isMember(actor, context);
}

/** A chair publishes an internal thread (a disposition, say) to a public group's record. */
export function canPublish(actor: Actor, context: CommentContext, audience: Audience): boolean {
  return actor !== null && context.role === 'chair' && audience === 'internal' && context.visibility === 'public';
}

export function canResolve(actor: Actor, context: CommentContext, threadAuthorId: string): boolean {
  if (actor === null) return false;
  return threadAuthorId === actor.userId || context.role === 'chair' || context.role === 'editor';
}

export function canModerate(actor: Actor, context: CommentContext): boolean {
  return actor !== null && context.role === 'chair';
}

export function canEditComment(actor: Actor, authorId: string): boolean {
  return actor !== null && actor.userId === authorId;
}

export function canDeleteComment(actor: Actor, context: CommentContext, authorId: string): boolean {
  return actor !== null && (actor.userId === authorId || context.role === 'chair');
}

// The asserting forms: each throws what its route answers today, and the ones that need a member
// leave `actor` narrowed to the signed-in user. Reading the discussion comes first for all of them,
// so someone who may not read it is told that, not why they may not write in it. A thread of an
// audience the actor may not read (canReadThread) is "not found" before any of them is asked.

export function authorizeReadThreads(actor: Actor, context: CommentContext): void {
  if (canReadThreads(actor, context)) return;
  if (actor === null) throw unauthenticated();
  throw forbidden('Only members read the discussion of a private group');
}

export function authorizeStartThread(actor: Actor, context: CommentContext, audience: Audience): asserts actor is SignedIn {
  authorizeReadThreads(actor, context);
  if (actor === null) throw unauthenticated('Sign in to comment');
  const allowed = startAudiences(actor, context);
  if (allowed.includes(audience)) return;
  if (allowed.length === 0) throw forbidden('Only members comment outside a public comment period');
  if (audience === 'internal') throw forbidden('Only members of the group start threads in its internal discussion');
  throw forbidden('Threads the public reads are started only during a public comment period of a public group');
}

/** Replying or reacting in a thread the actor reads (the caller has checked that). */
export function authorizeComment(actor: Actor, context: CommentContext, audience: Audience): asserts actor is SignedIn {
  authorizeReadThreads(actor, context);
  if (canComment(actor, context, audience)) return;
  if (actor === null) throw unauthenticated('Sign in to comment');
  throw forbidden('Only members comment outside a public comment period');
}

export function authorizeAnchor(actor: Actor, context: CommentContext): asserts actor is SignedIn {
  if (!canAnchor(actor, context)) throw forbidden('Only members anchor comments to passages of the draft; comment on the clause instead');
}

/** Chairs only; then what the thread and the group must be (409: nothing the caller can fix by asking differently). */
export function authorizePublish(actor: Actor, context: CommentContext, audience: Audience): asserts actor is SignedIn {
  authorizeReadThreads(actor, context);
  if (actor === null) throw unauthenticated();
  if (context.role !== 'chair') throw forbidden('Only a chair publishes a thread of the internal discussion');
  if (audience === 'public') throw conflict('The thread is already public');
  if (context.visibility !== 'public') throw conflict('This group is private: nobody outside it reads its threads, so there is nothing to publish them to');
}

export function authorizeResolve(actor: Actor, context: CommentContext, threadAuthorId: string): asserts actor is SignedIn {
  authorizeReadThreads(actor, context);
  if (canResolve(actor, context, threadAuthorId)) return;
  if (actor === null) throw unauthenticated();
  throw forbidden('Only the thread’s author, chairs and editors resolve or reopen it');
}

// Editing, deleting and moderating refuse anonymous readers of a public comment period as they
// refuse everyone else who is not the author or a chair: with 403, not with a request to sign in.

export function authorizeEditComment(actor: Actor, context: CommentContext, authorId: string): asserts actor is SignedIn {
  authorizeReadThreads(actor, context);
  if (!canEditComment(actor, authorId)) throw forbidden('Only the author edits a comment');
}

export function authorizeDeleteComment(actor: Actor, context: CommentContext, authorId: string): asserts actor is SignedIn {
  authorizeReadThreads(actor, context);
  if (!canDeleteComment(actor, context, authorId)) throw forbidden('Only the author or a chair deletes a comment');
}

export function authorizeModerate(actor: Actor, context: CommentContext): asserts actor is SignedIn {
  authorizeReadThreads(actor, context);
  if (!canModerate(actor, context)) throw forbidden('Only a chair moderates comments');
}

import type { Role, Visibility } from '@draftroom/shared';
import { forbidden, unauthenticated } from '../errors.ts';
import type { Actor, SignedIn } from '../policies/actor.ts';

export interface CommentContext {
  visibility: Visibility;
  role: Role | null;
  definitionStatus: 'drafting' | 'public-comment' | 'final';
  commentDeadline: Date | null;
}

/** During a public comment period of a public group, people outside it take part too. */
function publicPeriod(context: CommentContext, now = new Date()): boolean {
  const open = context.commentDeadline === null || now < context.commentDeadline;
  return context.visibility === 'public' && context.definitionStatus === 'public-comment' && open;
}

/** Public comments stay readable by the public once the deadline has passed: they are part of the record. */
export function canReadThreads(actor: Actor, context: CommentContext): boolean {
  return (actor !== null && context.role !== null) || (context.visibility === 'public' && context.definitionStatus === 'public-comment');
}

export function canComment(actor: Actor, context: CommentContext): boolean {
  return actor !== null && (context.role !== null || publicPeriod(context));
}

/** Anchoring to a passage needs the live text, which only members read. */
export function canAnchor(actor: Actor, context: CommentContext): boolean {
  return actor !== null && context.role !== null;
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
// so someone who may not read it is told that, not why they may not write in it.

export function authorizeReadThreads(actor: Actor, context: CommentContext): void {
  if (canReadThreads(actor, context)) return;
  if (actor === null) throw unauthenticated();
  throw forbidden('Only members read the discussion outside a public comment period');
}

export function authorizeComment(actor: Actor, context: CommentContext): asserts actor is SignedIn {
  authorizeReadThreads(actor, context);
  if (canComment(actor, context)) return;
  if (actor === null) throw unauthenticated('Sign in to comment');
  throw forbidden('Only members comment outside a public comment period');
}

export function authorizeAnchor(actor: Actor, context: CommentContext): asserts actor is SignedIn {
  authorizeComment(actor, context);
  if (!canAnchor(actor, context)) throw forbidden('Only members anchor comments to passages of the draft; comment on the clause instead');
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

import type { Role, Visibility } from '@draftroom/shared';
import type { Actor } from '../policies/actor.ts';

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

import type { Role, Visibility } from '@draftroom/shared';
import { forbidden, notFound, unauthenticated } from '../errors.ts';
import type { Actor, SignedIn } from './actor.ts';

/**
 * Who may do what with conformance reviews. Systems, checklists and reviews belong to a group:
 * members read them (the public register of closed reviews is the public face, see `register.read`);
 * chairs and editors keep the register of systems; chairs make checklists, open, resolve and close
 * reviews; only a review's assigned reviewers mark it; the system's developer account (usually an
 * outsider) reads and comments on the reviews of its system until the response period ends.
 */
export type ConformanceAction =
  | 'register.read'
  | 'system.read'
  | 'system.manage'
  | 'checklist.read'
  | 'checklist.create'
  | 'review.read'
  | 'review.open'
  | 'review.mark'
  | 'review.comment'
  | 'review.resolve'
  | 'review.close'
  | 'endorsement.verify';

export interface ConformanceContext {
  visibility: Visibility;
  role: Role | null;
  /** Reviews only: the actor is one of its reviewers. */
  reviewer?: boolean;
  /** Reviews only: the actor speaks for the reviewed system's developer. */
  developer?: boolean;
  /** Reviews only: the developer's response period is still open. */
  responseOpen?: boolean;
}

const MEMBERS: readonly Role[] = ['chair', 'editor', 'member', 'observer'];
const PARTICIPANTS: readonly Role[] = ['chair', 'editor', 'member'];
const WRITERS: readonly Role[] = ['chair', 'editor'];
const CHAIR: readonly Role[] = ['chair'];

const ROLES: Record<Exclude<ConformanceAction, 'register.read' | 'review.mark'>, readonly Role[]> = {
  'system.read': MEMBERS,
  'system.manage': WRITERS,
  'checklist.read': MEMBERS,
  'checklist.create': CHAIR,
  'review.read': MEMBERS,
  'review.open': CHAIR,
  'review.comment': PARTICIPANTS,
  'review.resolve': CHAIR,
  'review.close': CHAIR,
  // A chair vouches for an organisation's endorsement (a call, a letter) when no mail confirms it.
  'endorsement.verify': CHAIR,
};

/** Pure rule shared by every route. */
export function canOnConformance(actor: Actor, action: ConformanceAction, context: ConformanceContext): boolean {
  if (action === 'register.read') return context.visibility === 'public' || (actor !== null && context.role !== null);
  if (actor === null) return false;
  if (action === 'review.mark') return context.reviewer === true && context.role !== null && PARTICIPANTS.includes(context.role);
  if (context.developer) {
    if (action === 'review.read') return true;
    if (action === 'review.comment' && context.responseOpen) return true;
  }
  return context.role !== null && ROLES[action].includes(context.role);
}

/**
 * Throws what an HTTP caller should see when the rule says no: what the caller may not read does not
 * exist for them (404); anonymous callers are asked to sign in; others are told why not.
 */
export function authorizeConformance(
  actor: Actor,
  action: Exclude<ConformanceAction, 'register.read'>,
  context: ConformanceContext,
  what: string,
): asserts actor is SignedIn;
export function authorizeConformance(actor: Actor, action: ConformanceAction, context: ConformanceContext, what: string): void;
export function authorizeConformance(actor: Actor, action: ConformanceAction, context: ConformanceContext, what: string): void {
  if (canOnConformance(actor, action, context)) return;
  const readAction = action.startsWith('review.') ? 'review.read' : action.startsWith('checklist.') ? 'checklist.read' : 'system.read';
  const mayRead = canOnConformance(actor, readAction, context);
  // A public group's work is no secret, but its in-progress reviews are for members: outsiders are told so.
  if (!mayRead && context.visibility !== 'public') throw notFound(what);
  if (actor === null) throw unauthenticated();
  throw forbidden(denial(action));
}

function denial(action: ConformanceAction): string {
  switch (action) {
    case 'system.manage':
      return 'Only chairs and editors keep the register of systems';
    case 'checklist.create':
      return 'Only a chair can make a checklist';
    case 'review.open':
    case 'review.resolve':
    case 'review.close':
      return 'Only a chair can open, resolve or close a review';
    case 'review.mark':
      return 'Only the reviewers assigned to this review can mark it';
    case 'endorsement.verify':
      return 'Only a chair can verify an endorsement';
    case 'review.comment':
      return 'Only members, and the developer during the response period, can comment on a review';
    default:
      return 'Only members of this group can see this';
  }
}

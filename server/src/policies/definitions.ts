import type { DefinitionAction, Role, Visibility } from '@draftroom/shared';
import { forbidden, notFound, unauthenticated } from '../errors.ts';
import type { Actor, SignedIn } from './actor.ts';
import { canInGroup } from './groups.ts';

export type DefinitionPolicyAction = DefinitionAction | 'definition.list' | 'definition.create' | 'version.read' | 'ballot.manage';
/** What a public group shows to anyone, signed in or not: allowing it says nothing about who asks. */
export type PublicDefinitionAction = 'definition.list' | 'version.read';
/** Everything else needs a role in the group, so whoever is allowed is signed in. */
export type MemberDefinitionAction = Exclude<DefinitionPolicyAction, PublicDefinitionAction>;

export interface DefinitionContext {
  visibility: Visibility;
  role: Role | null;
}

const MEMBERS: readonly Role[] = ['chair', 'editor', 'member', 'observer'];
const WRITERS: readonly Role[] = ['chair', 'editor'];

const ROLES_ALLOWED: Record<MemberDefinitionAction, readonly Role[]> = {
  // Drafts are for members; outsiders of public groups will read published versions only.
  'draft.read': MEMBERS,
  'definition.create': WRITERS,
  'definition.rename': WRITERS,
  'definition.setStatus': ['chair'],
  // Live editing of the text, over the socket and through the REST clause API alike.
  'text.edit': WRITERS,
  'version.publish': ['chair'],
  // Resetting every clause to a version undoes everyone's work since: a chair's decision.
  'definition.reset': ['chair'],
  // Members who may not edit propose wordings instead; chairs and editors take them in.
  'amendment.propose': ['chair', 'editor', 'member'],
  'amendment.decide': WRITERS,
  // Opening, closing and cancelling decisions is the chair's job (who votes is each ballot's rule).
  'ballot.manage': ['chair'],
};

/** Whether the definition exists for this actor at all: one in a group they may not read is "not found", never "forbidden". */
export function canSeeDefinition(actor: Actor, context: DefinitionContext): boolean {
  return canInGroup(actor, 'group.read', context);
}

/** Pure rule shared by the REST routes and the live-editing socket. */
export function canOnDefinition(actor: Actor, action: DefinitionPolicyAction, context: DefinitionContext): boolean {
  // Published versions of a public group's definitions are public; drafts never are.
  if (action === 'definition.list' || action === 'version.read') return canSeeDefinition(actor, context);
  if (actor === null || context.role === null) return false;
  return ROLES_ALLOWED[action].includes(context.role);
}

export const ADVERTISED_DEFINITION_ACTIONS: DefinitionAction[] = [
  'draft.read',
  'definition.rename',
  'definition.setStatus',
  'text.edit',
  'version.publish',
  'definition.reset',
  'amendment.propose',
  'amendment.decide',
  'ballot.manage',
];

export function allowedDefinitionActions(actor: Actor, context: DefinitionContext): DefinitionAction[] {
  return ADVERTISED_DEFINITION_ACTIONS.filter((action) => canOnDefinition(actor, action, context));
}

/**
 * Throws unless the rule allows the action; after it, an action that needs a member has narrowed
 * `actor` to the signed-in user (public actions leave it as it was: anyone may pass them).
 */
export function authorizeOnDefinition(actor: Actor, action: MemberDefinitionAction, context: DefinitionContext): asserts actor is SignedIn;
export function authorizeOnDefinition(actor: Actor, action: DefinitionPolicyAction, context: DefinitionContext): void;
export function authorizeOnDefinition(actor: Actor, action: DefinitionPolicyAction, context: DefinitionContext): void {
  if (!canOnDefinition(actor, action, context)) refuseOnDefinition(actor, context, DENIALS[action] ?? 'You are not allowed to do this');
}

/**
 * The error a refused caller sees: a definition they may not even see is "not found" (its existence
 * is not revealed), anonymous callers are asked to sign in, everyone else is told `denial`. Feature
 * policies (ballots, amendments) refuse in their own words through it.
 */
export function refuseOnDefinition(actor: Actor, context: DefinitionContext, denial: string): never {
  if (!canSeeDefinition(actor, context)) throw notFound('definition');
  if (actor === null) throw unauthenticated();
  throw forbidden(denial);
}

const DENIALS: Partial<Record<DefinitionPolicyAction, string>> = {
  'draft.read': 'Only members of the group read drafts',
  'definition.create': 'Only chairs and editors create definitions',
  'definition.rename': 'Only chairs and editors rename definitions',
  'definition.setStatus': 'Only a chair changes a definition’s status',
  'text.edit': 'Only chairs and editors edit the text; members propose amendments',
  'version.publish': 'Only a chair publishes versions',
  'definition.reset': 'Only a chair resets a definition to a version',
  'amendment.propose': 'Observers cannot propose amendments',
  'amendment.decide': 'Only chairs and editors accept or reject amendments',
  'ballot.manage': 'Only a chair manages ballots',
};

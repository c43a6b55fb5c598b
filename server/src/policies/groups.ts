import type { GroupAction as AdvertisedGroupAction, Role, Visibility } from '@draftroom/shared';
import { forbidden, notFound, unauthenticated } from '../errors.ts';
import type { Actor, SignedIn } from './actor.ts';
import { canOnDefinition } from './definitions.ts';

export type GroupAction = 'group.read' | MemberGroupAction;
/** Every group action but reading needs a role in the group, so whoever is allowed is signed in. */
export type MemberGroupAction = Exclude<AdvertisedGroupAction, 'definition.create'>;

/** What the policy needs to know about a group and the actor's place in it. */
export interface GroupContext {
  visibility: Visibility;
  /** The actor's role in the group; null for outsiders and anonymous users. */
  role: Role | null;
}

const ANY_MEMBER: readonly Role[] = ['chair', 'editor', 'member', 'observer'];
const CHAIR_ONLY: readonly Role[] = ['chair'];

const ROLES_ALLOWED: Record<MemberGroupAction, readonly Role[]> = {
  'group.update': CHAIR_ONLY,
  'members.read': ANY_MEMBER,
  'members.manage': CHAIR_ONLY,
  'events.read': ANY_MEMBER,
  'group.leave': ANY_MEMBER,
};

/** Pure rule: may this actor do this in this group? Shared by every route and (later) the socket. */
export function canInGroup(actor: Actor, action: GroupAction, group: GroupContext): boolean {
  if (action === 'group.read') return group.visibility === 'public' || (actor !== null && group.role !== null);
  if (actor === null || group.role === null) return false;
  return ROLES_ALLOWED[action].includes(group.role);
}

export function canCreateGroup(actor: Actor): boolean {
  return actor !== null;
}

const GROUP_ACTIONS = Object.keys(ROLES_ALLOWED) as MemberGroupAction[];

/** What a group response tells the caller they may do there (the definitions policy decides creation). */
export function allowedGroupActions(actor: Actor, group: GroupContext): AdvertisedGroupAction[] {
  const actions: AdvertisedGroupAction[] = GROUP_ACTIONS.filter((action) => canInGroup(actor, action, group));
  if (canOnDefinition(actor, 'definition.create', group)) actions.push('definition.create');
  return actions;
}

/**
 * Throws the error an HTTP caller should see when the rule says no: a group the actor may not even
 * read is "not found" (its existence is not revealed), anonymous callers are asked to sign in. After
 * it, any action but reading has narrowed `actor` to the signed-in user.
 */
export function authorizeInGroup(actor: Actor, action: MemberGroupAction, group: GroupContext): asserts actor is SignedIn;
export function authorizeInGroup(actor: Actor, action: GroupAction, group: GroupContext): void;
export function authorizeInGroup(actor: Actor, action: GroupAction, group: GroupContext): void {
  if (canInGroup(actor, action, group)) return;
  if (!canInGroup(actor, 'group.read', group)) throw notFound('group');
  if (actor === null) throw unauthenticated();
  throw forbidden(denialMessage(action));
}

function denialMessage(action: GroupAction): string {
  switch (action) {
    case 'group.update':
      return 'Only a chair can change the group';
    case 'members.manage':
      return 'Only a chair can manage members';
    default:
      return 'Only members of this group can do this';
  }
}

export function authorizeCreateGroup(actor: Actor): asserts actor is SignedIn {
  if (!canCreateGroup(actor)) throw unauthenticated('Sign in to create a working group');
}

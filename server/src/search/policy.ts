import { ROLES, VISIBILITIES, type Role, type SearchKind, type Visibility } from '@draftroom/shared';
import { canReadAmendments } from '../amendments/policy.ts';
import { canReadBallots } from '../ballots/policy.ts';
import { type Audience, canReadThread } from '../comments/policy.ts';
import type { Actor } from '../policies/actor.ts';
import { canOnDefinition, type DefinitionContext } from '../policies/definitions.ts';

const AUDIENCES: readonly Audience[] = ['internal', 'public'];

/**
 * Whether the actor may read an item of this kind in a group of this visibility where they hold this
 * role — each kind asks the policy of the feature it belongs to, the one its HTTP reads ask.
 */
export function canFind(actor: Actor, kind: SearchKind, context: DefinitionContext, audience: Audience | null): boolean {
  switch (kind) {
    case 'clause':
      return canOnDefinition(actor, 'draft.read', context);
    case 'version':
      return canOnDefinition(actor, 'version.read', context);
    case 'amendment':
      return canReadAmendments(actor, context);
    case 'ballot':
      return canReadBallots(actor, context);
    case 'comment':
      // Reading a thread depends on who reads and on its audience, never on the comment period
      // (public comments stay part of the record after it): status and deadline do not matter here.
      return audience !== null && canReadThread(actor, { ...context, definitionStatus: 'drafting', commentDeadline: null }, audience);
  }
}

/** `visibility:role` (role empty for none), or `visibility:role:audience` for comments, as the SQL compares them. */
export function accessKey(visibility: Visibility, role: Role | null, audience: Audience | null = null): string {
  return audience === null ? `${visibility}:${role ?? ''}` : `${visibility}:${role ?? ''}:${audience}`;
}

/**
 * Every (visibility, role[, audience]) the actor may read items of each kind in, worked out from the
 * policy functions above: search filters in SQL (it cannot ask JS row by row over 100k comments),
 * and this list is how the policy reaches the SQL without being written twice. An anonymous actor
 * has no role anywhere, so only "no role" is asked for them.
 */
export function searchAccess(actor: Actor): Record<SearchKind, string[]> {
  const roles: (Role | null)[] = actor === null ? [null] : [...ROLES, null];
  const allowed = (kind: SearchKind) =>
    VISIBILITIES.flatMap((visibility) =>
      roles.flatMap((role) => {
        const context = { visibility, role };
        if (kind !== 'comment') return canFind(actor, kind, context, null) ? [accessKey(visibility, role)] : [];
        return AUDIENCES.filter((audience) => canFind(actor, kind, context, audience)).map((audience) => accessKey(visibility, role, audience));
      }),
    );
  return { clause: allowed('clause'), version: allowed('version'), comment: allowed('comment'), amendment: allowed('amendment'), ballot: allowed('ballot') };
}

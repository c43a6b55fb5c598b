import type { NotificationKind, Role, Visibility } from '@draftroom/shared';
import { canReadBallots } from '../ballots/policy.ts';
import { canReadThread, type Audience } from '../comments/policy.ts';
import { canOnConformance } from '../policies/conformance.ts';
import { canOnDefinition } from '../policies/definitions.ts';
import { canInGroup } from '../policies/groups.ts';

/**
 * What a notification is about decides who may have it — the same rule as the HTTP read of that thing:
 * - `thread`: the thread (members; anyone who reads a public group, for its public threads),
 * - `draft`: ballots and amendments, part of the draft (members),
 * - `record`: published versions and comment periods (whoever sees the definition: anyone, for a public group),
 * - `group`: the group itself (my role in it),
 * - `review`: a conformance review (members — the service picks its reviewers and chair — and the
 *   reviewed system's developer account, who may read its review though not the group).
 */
export type NotificationSubject = 'thread' | 'draft' | 'record' | 'group' | 'review';

export const SUBJECT_OF_KIND: Record<NotificationKind, NotificationSubject> = {
  mention: 'thread',
  reply: 'thread',
  new_thread: 'thread',
  resolved: 'thread',
  ballot_opened: 'draft',
  ballot_closing: 'draft',
  ballot_closed: 'draft',
  amendment_accepted: 'draft',
  amendment_rejected: 'draft',
  version_published: 'record',
  comment_period_opened: 'record',
  comment_period_closing: 'record',
  role_changed: 'group',
  endorsement_renewal: 'record',
  review_assigned: 'review',
  review_response_invited: 'review',
  review_revealed: 'review',
  review_developer_responded: 'review',
  review_closed: 'review',
  // An item of the disposition register is read like its thread: a public comment's by whoever reads the
  // group's public threads, an objection's by members (notify.ts passes the item's audience).
  disposition_made: 'thread',
  disposition_response: 'thread',
};

export function kindsAbout(subject: NotificationSubject): NotificationKind[] {
  return (Object.keys(SUBJECT_OF_KIND) as NotificationKind[]).filter((kind) => SUBJECT_OF_KIND[kind] === subject);
}

/** The recipient's standing where the notification points: the group's visibility and their role in it (null: not a member). */
export interface RecipientContext {
  visibility: Visibility;
  role: Role | null;
  /** For thread kinds: the thread's audience. */
  audience?: Audience;
  /** For review kinds: the recipient is the reviewed system's developer account. */
  developer?: boolean;
}

/**
 * Whether someone may be told of (and later read a notification about) this kind of thing: the pure
 * rule the feature's own HTTP read asks, for that person. A notification never tells anyone of what
 * they could not open.
 */
export function maySee(userId: string, kind: NotificationKind, context: RecipientContext): boolean {
  const actor = { userId };
  switch (SUBJECT_OF_KIND[kind]) {
    case 'thread':
      return (
        context.audience !== undefined &&
        canReadThread(actor, { visibility: context.visibility, role: context.role, definitionStatus: 'drafting', commentDeadline: null }, context.audience)
      );
    case 'draft':
      // Ballots and amendments are read with the draft (ballots/policy.ts, amendments' routes).
      return canReadBallots(actor, context);
    case 'record':
      return canOnDefinition(actor, 'version.read', context);
    case 'group':
      return canInGroup(actor, 'group.read', context);
    case 'review':
      return canOnConformance(actor, 'review.read', context);
  }
}

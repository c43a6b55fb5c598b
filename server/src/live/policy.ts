import type { LiveEvent, LiveTopic } from '@draftroom/shared';
import { canReadAmendments } from '../amendments/policy.ts';
import { canReadBallots } from '../ballots/policy.ts';
import { canReadThread, type Audience as ThreadAudience } from '../comments/policy.ts';
import type { Actor } from '../policies/actor.ts';
import { canOnConformance } from '../policies/conformance.ts';
import { canOnDefinition, canSeeDefinition, type DefinitionPolicyAction } from '../policies/definitions.ts';
import { canInGroup, type GroupAction, type GroupContext } from '../policies/groups.ts';
import type { EventNotice, LiveNotice } from './notice.ts';

/**
 * Who hears of what on the live channel: pure functions over what the hub gathered, using the same
 * policy functions as the HTTP reads, so a socket can never be told of something its reader could not
 * read over HTTP. Events are hints (kind and ids); the page reads the content over HTTP.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type Topic = { kind: 'me' } | { kind: 'public' } | { kind: 'group'; groupId: string } | { kind: 'definition'; definitionId: string };

/** A topic's parts, or null when its id is not a uuid (the protocol's pattern admits any 36 hex digits and dashes). */
export function parseTopic(topic: string): Topic | null {
  if (topic === 'me') return { kind: 'me' };
  if (topic === 'public') return { kind: 'public' };
  const colon = topic.indexOf(':');
  const kind = topic.slice(0, colon);
  const id = topic.slice(colon + 1);
  if (colon < 0 || !UUID.test(id)) return null;
  if (kind === 'group') return { kind: 'group', groupId: id };
  if (kind === 'definition') return { kind: 'definition', definitionId: id };
  return null;
}

/** Whether a reader may follow a topic: as the matching HTTP read decides, "not found" covering what they may not see. */
export function mayFollow(topic: Topic, actor: Actor, context: GroupContext | null): 'ok' | 'not_found' | 'unauthenticated' {
  switch (topic.kind) {
    case 'me':
      return actor === null ? 'unauthenticated' : 'ok';
    case 'public':
      return 'ok';
    case 'group':
      return context !== null && canInGroup(actor, 'group.read', context) ? 'ok' : 'not_found';
    case 'definition':
      return context !== null && canSeeDefinition(actor, context) ? 'ok' : 'not_found';
  }
}

/** Who may hear of a delivery, in terms of the policy that guards the HTTP read of what it names. */
export type Audience =
  /** One person (their `me` topic). */
  | { kind: 'user'; userId: string }
  /** Anyone, signed in or not (the front door's `public` topic; such hints name nothing). */
  | { kind: 'everyone' }
  /** Whoever may do this in the group (read it, read its members, manage them). */
  | { kind: 'group'; action: GroupAction }
  /** Readers of a public group who are not in it (they see its member count, not its members). */
  | { kind: 'group-outsiders' }
  /** Whoever may do this on the group's definitions (list them, read published versions, read the draft). */
  | { kind: 'definition'; action: DefinitionPolicyAction }
  | { kind: 'amendments' }
  | { kind: 'ballots' }
  /** Whoever reads the group's conformance work in progress (systems, checklists, reviews): members. */
  | { kind: 'conformance' }
  /** Readers of a thread of this audience: the internal discussion is for members only. */
  | { kind: 'thread'; audience: ThreadAudience };

export interface Delivery {
  topic: LiveTopic;
  event: LiveEvent;
  audience: Audience;
}

/** Whether one reader (with their place in the topic's group; null for `me`) may receive a delivery. */
export function mayReceive(audience: Audience, actor: Actor, context: GroupContext | null): boolean {
  if (audience.kind === 'user') return actor !== null && actor.userId === audience.userId;
  if (audience.kind === 'everyone') return true;
  if (context === null) return false;
  switch (audience.kind) {
    case 'group':
      return canInGroup(actor, audience.action, context);
    case 'group-outsiders':
      return canInGroup(actor, 'group.read', context) && !(actor !== null && context.role !== null);
    case 'definition':
      return canOnDefinition(actor, audience.action, context);
    case 'amendments':
      return canReadAmendments(actor, context);
    case 'ballots':
      return canReadBallots(actor, context);
    case 'conformance':
      return canOnConformance(actor, 'review.read', context);
    case 'thread':
      return canReadThread(actor, context, audience.audience);
  }
}

export interface ThreadFact {
  definitionId: string;
  clauseId: string;
  audience: ThreadAudience;
}

export interface BallotFact {
  definitionId: string;
  groupId: string;
  /** How many people have voted: all a secret ballot's hints ever say about its votes. */
  turnout: number;
}

export interface ReviewFact {
  definitionId: string;
  /** The reviewed system's developer account: they follow their review on their own topic. */
  developerId: string | null;
}

/** What the hub reads from the database before mapping a batch of notices (see factsNeeded). */
export interface Facts {
  reviews: ReadonlyMap<string, ReviewFact>;
  threads: ReadonlyMap<string, ThreadFact>;
  /** Comment id → its thread's id, for events that name only the comment. */
  commentThreads: ReadonlyMap<string, string>;
  ballots: ReadonlyMap<string, BallotFact>;
  /** Unread notification counts by user. */
  unread: ReadonlyMap<string, number>;
  /** Of the groups named by front-door events, the public ones. */
  publicGroups: ReadonlySet<string>;
}

export interface FactsNeeded {
  reviewIds: Set<string>;
  threadIds: Set<string>;
  commentIds: Set<string>;
  ballotIds: Set<string>;
  unreadOf: Set<string>;
  /** Groups whose visibility decides whether the front door hears of an event. */
  groupIds: Set<string>;
}

/** What changes the front door: public groups, their definitions' titles, statuses and deadlines, their versions. */
export const FRONT_DOOR_EVENTS = new Set([
  'group.created',
  'group.updated',
  'definition.created',
  'definition.status_changed',
  'definition.renamed',
  'definition.deadline_changed',
  'version.published',
]);

const threadEvent = (type: string) => type.startsWith('thread.') || type.startsWith('comment.');

export function factsNeeded(notices: readonly LiveNotice[]): FactsNeeded {
  const needed: FactsNeeded = {
    reviewIds: new Set(),
    threadIds: new Set(),
    commentIds: new Set(),
    ballotIds: new Set(),
    unreadOf: new Set(),
    groupIds: new Set(),
  };
  for (const notice of notices) {
    if (notice.source === 'inbox') needed.unreadOf.add(notice.userId);
    else if (notice.source === 'vote') needed.ballotIds.add(notice.ballotId);
    else if (notice.source === 'event') {
      if (threadEvent(notice.type) || notice.type.startsWith('disposition.')) {
        if (notice.ids.threadId) needed.threadIds.add(notice.ids.threadId);
        else if (notice.ids.commentId) needed.commentIds.add(notice.ids.commentId);
      }
      if (notice.type.startsWith('ballot.') && notice.ids.ballotId) needed.ballotIds.add(notice.ids.ballotId);
      if (notice.type.startsWith('review.') && notice.ids.reviewId) needed.reviewIds.add(notice.ids.reviewId);
      if (notice.groupId && FRONT_DOOR_EVENTS.has(notice.type)) needed.groupIds.add(notice.groupId);
    }
  }
  return needed;
}

/** A change to who may read what: the hub re-reads readers' places before it delivers anything after it. */
export type AccessChange = { kind: 'membership'; groupId: string; userId: string } | { kind: 'group'; groupId: string } | { kind: 'sessions'; userId: string };

const MEMBERSHIP_EVENTS = new Set(['member.added', 'member.role_changed', 'member.removed', 'member.left']);
const SESSION_EVENTS = new Set(['account.signed_out', 'account.password_changed']);

export function accessChangeOf(notice: LiveNotice): AccessChange | null {
  if (notice.source !== 'event') return null;
  if (notice.groupId && notice.ids.userId && MEMBERSHIP_EVENTS.has(notice.type))
    return { kind: 'membership', groupId: notice.groupId, userId: notice.ids.userId };
  if (notice.groupId && notice.type === 'group.updated') return { kind: 'group', groupId: notice.groupId };
  if (notice.groupId === null && notice.ids.userId && SESSION_EVENTS.has(notice.type)) return { kind: 'sessions', userId: notice.ids.userId };
  return null;
}

const definitionTopic = (definitionId: string): LiveTopic => `definition:${definitionId}`;
const groupTopic = (groupId: string): LiveTopic => `group:${groupId}`;

/** What a notice tells whom. Facts must hold what factsNeeded asked for; a thing no longer found is told to nobody. */
export function deliveriesFor(notice: LiveNotice, facts: Facts): Delivery[] {
  switch (notice.source) {
    case 'inbox': {
      const unread = facts.unread.get(notice.userId);
      return [{ topic: 'me', event: { kind: 'inbox.changed', ...(unread !== undefined && { unread }) }, audience: { kind: 'user', userId: notice.userId } }];
    }
    case 'invitations':
      return [{ topic: 'me', event: { kind: 'invitations.changed' }, audience: { kind: 'user', userId: notice.userId } }];
    case 'vote':
      return ballotDeliveries(notice.ballotId, facts);
    case 'text':
      // Whoever reads the draft (ballots flag a changed text; amendments say whether they still apply).
      return [
        {
          topic: definitionTopic(notice.definitionId),
          event: { kind: 'text.changed', definitionId: notice.definitionId },
          audience: { kind: 'definition', action: 'draft.read' },
        },
      ];
    case 'event':
      return [...eventDeliveries(notice, facts), ...frontDoorDeliveries(notice, facts)];
  }
}

/**
 * The front door hears of changes in public groups — and of any group's settings changing, since a
 * group just made private must leave it (the hint names nothing, so it tells nobody which group).
 */
function frontDoorDeliveries(notice: EventNotice, facts: Facts): Delivery[] {
  if (notice.groupId === null || !FRONT_DOOR_EVENTS.has(notice.type)) return [];
  if (notice.type !== 'group.updated' && !facts.publicGroups.has(notice.groupId)) return [];
  return [{ topic: 'public', event: { kind: 'public.changed' }, audience: { kind: 'everyone' } }];
}

function ballotDeliveries(ballotId: string, facts: Facts): Delivery[] {
  const ballot = facts.ballots.get(ballotId);
  if (!ballot) return [];
  // The same hint for every ballot, secret or not: which ballot and how many voted — never who, how or in which order.
  return [
    {
      topic: definitionTopic(ballot.definitionId),
      event: { kind: 'ballot.changed', groupId: ballot.groupId, definitionId: ballot.definitionId, ballotId, turnout: ballot.turnout },
      audience: { kind: 'ballots' },
    },
  ];
}

function eventDeliveries(notice: EventNotice, facts: Facts): Delivery[] {
  const { type, ids } = notice;
  const groupId = notice.groupId;
  if (groupId === null) return [];
  const definitionId = ids.definitionId;
  const base = { groupId, ...(definitionId && { definitionId }) };

  if (threadEvent(type)) {
    const threadId = ids.threadId ?? (ids.commentId ? facts.commentThreads.get(ids.commentId) : undefined);
    const thread = threadId ? facts.threads.get(threadId) : undefined;
    if (!threadId || !thread) return [];
    return [
      {
        topic: definitionTopic(thread.definitionId),
        event: { kind: 'thread.changed', groupId, definitionId: thread.definitionId, threadId, clauseId: thread.clauseId },
        // Read now, after the commit: a thread just published reaches the public with this very hint.
        audience: { kind: 'thread', audience: thread.audience },
      },
    ];
  }
  if (type.startsWith('disposition.')) {
    // A public comment's item names its public thread and is read like it; every other item is the members'.
    if (!definitionId) return [];
    const thread = ids.threadId ? facts.threads.get(ids.threadId) : undefined;
    if (ids.threadId && !thread) return [];
    return [
      {
        topic: definitionTopic(definitionId),
        event: { kind: 'dispositions.changed', ...base },
        audience: thread ? { kind: 'thread', audience: thread.audience } : { kind: 'definition', action: 'draft.read' },
      },
    ];
  }
  if (type.startsWith('amendment.')) {
    if (!definitionId || !ids.amendmentId) return [];
    return [
      {
        topic: definitionTopic(definitionId),
        event: { kind: 'amendment.changed', ...base, amendmentId: ids.amendmentId, ...(ids.clauseId && { clauseId: ids.clauseId }) },
        audience: { kind: 'amendments' },
      },
    ];
  }
  if (type.startsWith('ballot.')) return ids.ballotId ? ballotDeliveries(ids.ballotId, facts) : [];
  if (type.startsWith('review.')) return ids.reviewId ? reviewDeliveries(type, groupId, ids.reviewId, facts) : [];

  const conformance: Audience = { kind: 'conformance' };
  switch (type) {
    case 'version.published':
      if (!definitionId || !ids.versionId) return [];
      return [
        {
          topic: definitionTopic(definitionId),
          event: { kind: 'version.published', ...base, versionId: ids.versionId },
          audience: { kind: 'definition', action: 'version.read' },
        },
      ];
    case 'definition.status_changed':
    case 'definition.renamed':
    case 'definition.deadline_changed':
      // Title, status and deadline show wherever the definition is listed (the public page too).
      if (!definitionId) return [];
      return [
        { topic: definitionTopic(definitionId), event: { kind: 'definition.changed', ...base }, audience: { kind: 'definition', action: 'definition.list' } },
        { topic: groupTopic(groupId), event: { kind: 'group.changed', ...base }, audience: { kind: 'definition', action: 'definition.list' } },
      ];
    case 'language.checks_changed':
    case 'glossary.term_added':
    case 'glossary.term_removed':
    case 'definition.restored':
    case 'definition.imported':
    case 'clause.restored':
      // The draft changed as a whole (or a clause came back): only its readers hear of it.
      if (!definitionId) return [];
      return [
        {
          topic: definitionTopic(definitionId),
          event: { kind: 'definition.changed', ...base, ...(ids.clauseId && { clauseId: ids.clauseId }) },
          audience: { kind: 'definition', action: 'draft.read' },
        },
      ];
    case 'definition.created':
      if (!definitionId) return [];
      return [{ topic: groupTopic(groupId), event: { kind: 'group.changed', ...base }, audience: { kind: 'definition', action: 'definition.list' } }];
    case 'group.updated':
      return [{ topic: groupTopic(groupId), event: { kind: 'group.changed', groupId }, audience: { kind: 'group', action: 'group.read' } }];
    case 'group.created':
      // The creator is its first chair: their memberships changed.
      return notice.actorId
        ? [{ topic: 'me', event: { kind: 'membership.changed', groupId, userId: notice.actorId }, audience: { kind: 'user', userId: notice.actorId } }]
        : [];
    case 'member.added':
    case 'member.role_changed':
    case 'member.removed':
    case 'member.left': {
      const userId = ids.userId;
      if (!userId) return [];
      const deliveries: Delivery[] = [
        { topic: groupTopic(groupId), event: { kind: 'membership.changed', groupId, userId }, audience: { kind: 'group', action: 'members.read' } },
        // Outside the group one sees how many are in it, not who: a hint without the person.
        { topic: groupTopic(groupId), event: { kind: 'group.changed', groupId }, audience: { kind: 'group-outsiders' } },
        { topic: 'me', event: { kind: 'membership.changed', groupId, userId }, audience: { kind: 'user', userId } },
      ];
      if (ids.invitationId) deliveries.push(invitationsDelivery(groupId));
      return deliveries;
    }
    case 'member.invited':
    case 'invitation.revoked':
    case 'invitation.declined':
      return [invitationsDelivery(groupId)];
    case 'system.created':
    case 'system.updated':
    case 'system.deleted':
      // The group's register of systems: members read it.
      return [{ topic: groupTopic(groupId), event: { kind: 'conformance.changed', groupId }, audience: conformance }];
    case 'checklist.created':
      if (!definitionId) return [];
      return [{ topic: definitionTopic(definitionId), event: { kind: 'conformance.changed', ...base }, audience: conformance }];
    case 'endorsement.created':
    case 'endorsement.verified':
    case 'endorsement.withdrawn':
      // Endorsements are listed on the version's register: whoever reads published versions.
      if (!definitionId) return [];
      return [{ topic: definitionTopic(definitionId), event: { kind: 'register.changed', ...base }, audience: { kind: 'definition', action: 'version.read' } }];
    default:
      return [];
  }
}

/**
 * A review changed: its group's members hear which one (never what: a submission while marking is
 * blind says only that the review changed, which its page shows anyway — who has submitted); the
 * developer hears of their review on their own topic; a review closed or imported changes the public
 * register, whose readers hear of that alone (reviews in progress are the members').
 */
function reviewDeliveries(type: string, groupId: string, reviewId: string, facts: Facts): Delivery[] {
  const review = facts.reviews.get(reviewId);
  if (!review) return [];
  const { definitionId, developerId } = review;
  const deliveries: Delivery[] = [
    { topic: definitionTopic(definitionId), event: { kind: 'conformance.changed', groupId, definitionId, reviewId }, audience: { kind: 'conformance' } },
  ];
  if (developerId) deliveries.push({ topic: 'me', event: { kind: 'conformance.changed', reviewId }, audience: { kind: 'user', userId: developerId } });
  if (type === 'review.closed' || type === 'review.imported')
    deliveries.push({
      topic: definitionTopic(definitionId),
      event: { kind: 'register.changed', groupId, definitionId },
      audience: { kind: 'definition', action: 'version.read' },
    });
  return deliveries;
}

/** A group's pending invitations are the chairs' to read (the invitee hears through their own `me`). */
function invitationsDelivery(groupId: string): Delivery {
  return { topic: groupTopic(groupId), event: { kind: 'invitations.changed', groupId }, audience: { kind: 'group', action: 'members.manage' } };
}

/** The group a delivery's topic belongs to, given where definitions live; null for `me`. */
export function groupOfTopic(topic: Topic, definitionGroup: (definitionId: string) => string | undefined): string | null | undefined {
  if (topic.kind === 'me' || topic.kind === 'public') return null;
  if (topic.kind === 'group') return topic.groupId;
  return definitionGroup(topic.definitionId);
}

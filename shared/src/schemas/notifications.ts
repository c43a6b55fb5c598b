import { Type, type Static } from 'typebox';
import { ROLE_LABELS, type Role } from '../roles.ts';
import { RoleSchema, Timestamp, Uuid } from './common.ts';

const Person = Type.Object({ id: Uuid, displayName: Type.String() });

/** Every kind of notification, in the order the settings page lists them. */
export const NOTIFICATION_KINDS = [
  'mention',
  'reply',
  'new_thread',
  'resolved',
  'ballot_opened',
  'ballot_closing',
  'ballot_closed',
  'amendment_accepted',
  'amendment_rejected',
  'version_published',
  'comment_period_opened',
  'comment_period_closing',
  'role_changed',
  'endorsement_renewal',
  'review_assigned',
  'review_response_invited',
  'review_revealed',
  'review_developer_responded',
  'review_closed',
  'disposition_made',
  'disposition_response',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const NotificationKindSchema = Type.Union([
  Type.Literal('mention'),
  Type.Literal('reply'),
  Type.Literal('new_thread'),
  Type.Literal('resolved'),
  Type.Literal('ballot_opened'),
  Type.Literal('ballot_closing'),
  Type.Literal('ballot_closed'),
  Type.Literal('amendment_accepted'),
  Type.Literal('amendment_rejected'),
  Type.Literal('version_published'),
  Type.Literal('comment_period_opened'),
  Type.Literal('comment_period_closing'),
  Type.Literal('role_changed'),
  Type.Literal('endorsement_renewal'),
  Type.Literal('review_assigned'),
  Type.Literal('review_response_invited'),
  Type.Literal('review_revealed'),
  Type.Literal('review_developer_responded'),
  Type.Literal('review_closed'),
  Type.Literal('disposition_made'),
  Type.Literal('disposition_response'),
]);

/** What each kind is, as the settings page and the mails name it. */
export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, string> = {
  mention: 'Someone mentions me',
  reply: 'Someone replies to my comment or thread',
  new_thread: 'A thread starts on a clause I wrote',
  resolved: 'My thread is resolved',
  ballot_opened: 'A ballot opens where I may vote',
  ballot_closing: 'A ballot closes within 24 hours and I have not voted',
  ballot_closed: 'A ballot I could vote in closes (with its result) or is cancelled',
  amendment_accepted: 'My amendment is accepted',
  amendment_rejected: 'My amendment is rejected',
  version_published: 'A version is published',
  comment_period_opened: 'A public comment period opens',
  comment_period_closing: 'A public comment period closes within 24 hours',
  role_changed: 'My role in a group changes',
  endorsement_renewal: 'A new version follows one I endorsed (endorsements do not carry over)',
  review_assigned: 'I am asked to review a system’s conformance',
  review_response_invited: 'A system I develop is reviewed: I may respond',
  review_revealed: 'Every reviewer of a review I take part in has submitted',
  review_developer_responded: 'The developer responds in a review I take part in',
  review_closed: 'A review I take part in, or of a system I develop, closes',
  disposition_made: 'My comment or objection is disposed of (accepted, rejected…)',
  disposition_response: 'Someone answers whether a disposition satisfies them',
};

/** By e-mail: never, one mail per notification, or gathered into one mail a day. */
export const EMAIL_DELIVERIES = ['off', 'immediate', 'digest'] as const;
export type EmailDelivery = (typeof EMAIL_DELIVERIES)[number];
export const EmailDeliverySchema = Type.Union([Type.Literal('off'), Type.Literal('immediate'), Type.Literal('digest')]);

export const NotificationKindSetting = Type.Object(
  {
    /** Off: no notification of this kind at all, in the app or by e-mail. */
    enabled: Type.Boolean(),
    email: EmailDeliverySchema,
  },
  { additionalProperties: false },
);
export type NotificationKindSetting = Static<typeof NotificationKindSetting>;

/**
 * What someone gets until they choose otherwise: everything in the app; by e-mail at once what asks
 * for an action soon (a mention, a vote, a decision on my amendment, my role), the rest in the digest.
 */
export const DEFAULT_NOTIFICATION_SETTINGS: Record<NotificationKind, NotificationKindSetting> = {
  mention: { enabled: true, email: 'immediate' },
  reply: { enabled: true, email: 'digest' },
  new_thread: { enabled: true, email: 'digest' },
  resolved: { enabled: true, email: 'digest' },
  ballot_opened: { enabled: true, email: 'immediate' },
  ballot_closing: { enabled: true, email: 'immediate' },
  ballot_closed: { enabled: true, email: 'digest' },
  amendment_accepted: { enabled: true, email: 'immediate' },
  amendment_rejected: { enabled: true, email: 'immediate' },
  version_published: { enabled: true, email: 'digest' },
  comment_period_opened: { enabled: true, email: 'digest' },
  comment_period_closing: { enabled: true, email: 'digest' },
  role_changed: { enabled: true, email: 'immediate' },
  endorsement_renewal: { enabled: true, email: 'immediate' },
  review_assigned: { enabled: true, email: 'immediate' },
  review_response_invited: { enabled: true, email: 'immediate' },
  review_revealed: { enabled: true, email: 'immediate' },
  review_developer_responded: { enabled: true, email: 'digest' },
  review_closed: { enabled: true, email: 'immediate' },
  disposition_made: { enabled: true, email: 'immediate' },
  disposition_response: { enabled: true, email: 'digest' },
};

// Built in a function called /* @__PURE__ */: the client's bundle, which never uses it, drops it whole
// (a spread or a .map() at module level would keep it, and TypeBox with it).
const kindSettings = /* @__PURE__ */ settingsPerKind();
function settingsPerKind() {
  return Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, NotificationKindSetting])) as Record<NotificationKind, typeof NotificationKindSetting>;
}

export const NotificationSettings = Type.Object({
  kinds: Type.Object(kindSettings),
  /** Whether this server sends mail at all (SMTP_URL); without it e-mail choices are kept but nothing is sent. */
  emailAvailable: Type.Boolean(),
  /** The hour (UTC) the daily digest goes out. */
  digestHourUtc: Type.Integer({ minimum: 0, maximum: 23 }),
});
export type NotificationSettings = Static<typeof NotificationSettings>;

/** Any subset of the kinds; the others stay as they are. */
export const UpdateNotificationSettingsBody = Type.Object(
  { kinds: Type.Partial(Type.Object(kindSettings, { additionalProperties: false }), { additionalProperties: false, minProperties: 1 }) },
  { additionalProperties: false },
);
export type UpdateNotificationSettingsBody = Static<typeof UpdateNotificationSettingsBody>;

/** The clause a notification is about, named as the editor names it ("Clause 3"); null label: no longer in the text. */
export const NotificationClause = Type.Object({ id: Uuid, label: Type.Union([Type.String(), Type.Null()]) });

/** Kind-specific facts, never anything about how anyone voted. */
export const NotificationDetails = Type.Object({
  /** ballot_*: its title. */
  ballotTitle: Type.Optional(Type.String()),
  /** ballot_opened, ballot_closing: when voting ends. */
  closesAt: Type.Optional(Timestamp),
  /** ballot_closed: passed, failed, no_quorum, decided — or cancelled (by a chair, with `reason`). */
  outcome: Type.Optional(Type.String()),
  /** ballot_closed with outcome cancelled: the reason the chair gave. */
  reason: Type.Optional(Type.String()),
  /** version_published, endorsement_renewal: its label. */
  versionLabel: Type.Optional(Type.String()),
  /** endorsement_renewal: the version the recipient endorsed. */
  endorsedLabel: Type.Optional(Type.String()),
  /** review_*: the reviewed system, "name version". */
  systemName: Type.Optional(Type.String()),
  /** review_response_invited: until when the developer may respond (null: until the review closes). */
  responseUntil: Type.Optional(Type.Union([Timestamp, Type.Null()])),
  /** review_revealed: how many cells the reviewers marked differently. */
  disagreements: Type.Optional(Type.Integer()),
  /** disposition_*: the item's number in the register (D-n). */
  dispositionNumber: Type.Optional(Type.Integer()),
  /** disposition_made: how it was disposed of. */
  disposition: Type.Optional(Type.String()),
  /** disposition_response: whether the commenter is satisfied. */
  satisfied: Type.Optional(Type.Boolean()),
  /** comment_period_*: the deadline, if any. */
  deadline: Type.Optional(Type.Union([Timestamp, Type.Null()])),
  /** role_changed. */
  role: Type.Optional(RoleSchema),
  previousRole: Type.Optional(RoleSchema),
});
export type NotificationDetails = Static<typeof NotificationDetails>;

export const Notification = Type.Object({
  id: Type.Integer(),
  kind: NotificationKindSchema,
  group: Type.Object({ slug: Type.String(), name: Type.String() }),
  definition: Type.Union([Type.Object({ id: Uuid, title: Type.String() }), Type.Null()]),
  /** Kept for older clients: the definition's id (null for group-level kinds such as role_changed). */
  definitionId: Type.Union([Uuid, Type.Null()]),
  clause: Type.Union([NotificationClause, Type.Null()]),
  threadId: Type.Union([Uuid, Type.Null()]),
  commentId: Type.Union([Uuid, Type.Null()]),
  ballotId: Type.Union([Uuid, Type.Null()]),
  amendmentId: Type.Union([Uuid, Type.Null()]),
  /** A short plain-text quote of the comment, passage, proposal or notes (never HTML); null when there is none to show. */
  excerpt: Type.Union([Type.String(), Type.Null()]),
  details: NotificationDetails,
  /** Where it opens: an address inside the web client (path and query), straight to the thread, ballot, amendment or version. */
  link: Type.String(),
  actor: Type.Union([Person, Type.Null()]),
  createdAt: Timestamp,
  read: Type.Boolean(),
});
export type Notification = Static<typeof Notification>;

export const NotificationQuery = Type.Object(
  {
    unread: Type.Optional(Type.Boolean()),
    before: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export const NotificationPage = Type.Object({
  notifications: Type.Array(Notification),
  unread: Type.Integer(),
  nextBefore: Type.Union([Type.Integer(), Type.Null()]),
});
export type NotificationPage = Static<typeof NotificationPage>;

export const MarkReadBody = Type.Object(
  { ids: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 500 })), all: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);
export type MarkReadBody = Static<typeof MarkReadBody>;

const REVIEW_OUTCOME_WORDS: Record<string, string> = {
  conformant: 'conformant',
  conditional: 'conformant if its conditions are met',
  not_conformant: 'not conformant',
};
const DISPOSITION_WORDS: Record<string, string> = {
  accepted: 'accepted',
  partly_accepted: 'partly accepted',
  rejected: 'rejected',
  out_of_scope: 'out of scope',
  deferred: 'deferred',
};
const OUTCOME_WORDS: Record<string, string> = { passed: 'passed', failed: 'did not pass', no_quorum: 'did not reach quorum', decided: 'was decided' };

/** "Clause 3 of “Title”", "“Title”", or nothing: where a notification points, in words. */
function place(notification: Pick<Notification, 'definition' | 'clause'>): string {
  if (!notification.definition) return '';
  const title = `“${notification.definition.title}”`;
  if (!notification.clause) return title;
  return `${notification.clause.label ?? 'a clause no longer in the text'} of ${title}`;
}

/**
 * One sentence saying what happened and where, the same in the inbox and in mail: "Ana mentioned you
 * in Clause 3 of “Open Source AI Definition”". Names people chose are quoted, never interpreted.
 */
export function describeNotification(notification: Pick<Notification, 'kind' | 'actor' | 'definition' | 'clause' | 'details' | 'group'>): string {
  const who = notification.actor?.displayName ?? 'Someone';
  const where = place(notification);
  const d = notification.details;
  const ballot = d.ballotTitle ? `“${d.ballotTitle}”` : 'a ballot';
  const system = d.systemName ? `“${d.systemName}”` : 'a system';
  switch (notification.kind) {
    case 'mention':
      return `${who} mentioned you in ${where}`;
    case 'reply':
      return `${who} replied to you on ${where}`;
    case 'new_thread':
      return `${who} started a thread on ${where}, which you wrote`;
    case 'resolved':
      return `${who} resolved your thread on ${where}`;
    case 'ballot_opened':
      return `Ballot ${ballot} opened on ${where}: you may vote`;
    case 'ballot_closing':
      return `Ballot ${ballot} on ${where} closes within 24 hours and you have not voted`;
    case 'ballot_closed':
      if (d.outcome === 'cancelled') return `${who} cancelled ballot ${ballot} on ${where}${d.reason ? `: “${d.reason}”` : ''}`;
      return `Ballot ${ballot} on ${where} closed: it ${OUTCOME_WORDS[d.outcome ?? ''] ?? 'closed'}`;
    case 'amendment_accepted':
      return `${who} accepted your amendment to ${where}`;
    case 'amendment_rejected':
      return `${who} rejected your amendment to ${where}`;
    case 'version_published':
      return `${who} published version ${d.versionLabel ?? ''} of ${where}`;
    case 'comment_period_opened':
      return `The public comment period on ${where} opened`;
    case 'comment_period_closing':
      return `The public comment period on ${where} closes within 24 hours`;
    case 'endorsement_renewal':
      return `${who} published version ${d.versionLabel ?? ''} of ${where}. You endorsed version ${d.endorsedLabel ?? 'an earlier version'}; your endorsement does not carry over — endorse ${d.versionLabel ?? 'the new version'} if you still do`;
    case 'review_assigned':
      return `${who} asked you to review ${system} against version ${d.versionLabel ?? ''} of ${where}: your marks stay hidden from everyone until every reviewer has submitted`;
    case 'review_response_invited':
      return `${who} opened a review of ${system}, which you develop, against version ${d.versionLabel ?? ''} of ${where}: you may respond${d.responseUntil ? ` until ${d.responseUntil.slice(0, 10)}` : ' while it is open'}`;
    case 'review_revealed':
      return `Every reviewer of ${system} against ${where} has submitted: the marks are shown${d.disagreements ? `, ${d.disagreements} ${d.disagreements === 1 ? 'cell differs' : 'cells differ'}` : ', and they agree'}`;
    case 'review_developer_responded':
      return `${who} responded for the developer in the review of ${system} against ${where}`;
    case 'review_closed':
      return `${who} closed the review of ${system} against version ${d.versionLabel ?? ''} of ${where}: ${REVIEW_OUTCOME_WORDS[d.outcome ?? ''] ?? 'closed'}`;
    case 'disposition_made':
      return `${who} disposed of your ${d.dispositionNumber ? `item D-${d.dispositionNumber}` : 'comment'} on ${where}: ${DISPOSITION_WORDS[d.disposition ?? ''] ?? 'decided'}`;
    case 'disposition_response':
      return `${who} ${d.satisfied ? 'is satisfied' : 'is not satisfied'} with the disposition of ${d.dispositionNumber ? `D-${d.dispositionNumber}` : 'an item'} on ${where}`;
    case 'role_changed': {
      const role = (r: Role | undefined) => (r ? ROLE_LABELS[r] : 'a new role');
      return `${who} made you ${role(d.role)} (was ${role(d.previousRole)}) in “${notification.group.name}”`;
    }
  }
}

/** An unsubscribe link's token: 256 random bits, base64url. */
export const UnsubscribeParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', maxLength: 43 }) }, { additionalProperties: false });
export type UnsubscribeParams = Static<typeof UnsubscribeParams>;

export const UnsubscribeResult = Type.Object({
  /** The kinds no longer sent by e-mail (they still show in the inbox). */
  kinds: Type.Array(NotificationKindSchema),
});
export type UnsubscribeResult = Static<typeof UnsubscribeResult>;

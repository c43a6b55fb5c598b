import { Type, type Static } from 'typebox';

/**
 * The live channel (`GET /api/live`, a WebSocket of JSON text frames): one socket per open browser tab
 * tells it what changed, so pages refetch (or patch) what they show instead of polling.
 *
 * Events are *hints*: they name what changed (kind and ids), never its content. The page reads the
 * content over HTTP, where the usual policies apply, so the channel cannot leak what the reader may
 * not see — and the server also sends a hint only to sockets whose user may see the thing it names
 * (an internal thread's hints never reach the public; a secret ballot's hints carry the turnout and
 * nothing about who voted or in which order).
 *
 * Topics a page subscribes to:
 * - `me`                     my inbox count, my memberships and roles, my invitations (signed in only)
 * - `public`                 the front door (anyone): a public group appeared or changed, a comment
 *                            period opened or moved, a version was published in a public group
 * - `group:<groupId>`        the group page: members, roles, definitions list, group settings
 * - `definition:<id>`        everything under one definition: status and deadlines, threads and
 *                            comments, amendments, ballots, versions
 * Subscribing is checked like the matching HTTP read; a topic the user may not read is refused, and
 * one they lose access to later (removed from the group, signed out) is revoked at once.
 */
export const LIVE_PATH = '/api/live';

export const LiveTopic = Type.String({
  maxLength: 60,
  pattern: '^(me|public|group:[0-9a-f-]{36}|definition:[0-9a-f-]{36})$',
});
export type LiveTopic = Static<typeof LiveTopic>;

export const LiveClientMessage = Type.Union([
  Type.Object({ type: Type.Literal('subscribe'), topics: Type.Array(LiveTopic, { maxItems: 50 }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('unsubscribe'), topics: Type.Array(LiveTopic, { maxItems: 50 }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('ping') }, { additionalProperties: false }),
]);
export type LiveClientMessage = Static<typeof LiveClientMessage>;

/** What changed. Pages map each kind to the queries it makes stale. */
export const LiveEventKind = Type.Union([
  /** A thread started, edited, resolved/reopened, published, moderated; or a comment/reply/reaction in it. */
  Type.Literal('thread.changed'),
  /** An amendment proposed, edited, withdrawn, accepted or rejected. */
  Type.Literal('amendment.changed'),
  /** A ballot created, edited, opened, voted in (turnout only), closed or cancelled. */
  Type.Literal('ballot.changed'),
  /** The draft's text changed (live edits, throttled to about one hint a second per definition): ballots flag a changed text, amendments whether they still apply. */
  Type.Literal('text.changed'),
  /** A version published. */
  Type.Literal('version.published'),
  /** Title, status, deadlines, comment period, restore: the definition's own record. */
  Type.Literal('definition.changed'),
  /** A definition created or removed in the group, or the group's settings changed. */
  Type.Literal('group.changed'),
  /** Someone joined, left, was removed, or had their role changed. */
  Type.Literal('membership.changed'),
  /** On `public`: what the front door lists changed (no ids: anyone may follow it). */
  Type.Literal('public.changed'),
  /** My notifications changed (new, read): refetch the inbox and its count. */
  Type.Literal('inbox.changed'),
  /** On `me`: my invitations changed. On `group:<id>` (chairs only): the group's pending invitations changed. */
  Type.Literal('invitations.changed'),
  /**
   * Conformance work changed (members; the reviewed system's developer on `me` for their review): on
   * `group:<id>` the register of systems, on `definition:<id>` its checklists and reviews.
   */
  Type.Literal('conformance.changed'),
  /** On `definition:<id>`: a version's public register changed (a review closed or imported, an endorsement given, verified or withdrawn). */
  Type.Literal('register.changed'),
  /** On `definition:<id>`: the disposition register changed (an item raised, disposed of or answered); public comments' items reach their readers too. */
  Type.Literal('dispositions.changed'),
]);
export type LiveEventKind = Static<typeof LiveEventKind>;

export const LiveEvent = Type.Object({
  kind: LiveEventKind,
  groupId: Type.Optional(Type.String()),
  definitionId: Type.Optional(Type.String()),
  threadId: Type.Optional(Type.String()),
  amendmentId: Type.Optional(Type.String()),
  ballotId: Type.Optional(Type.String()),
  versionId: Type.Optional(Type.String()),
  clauseId: Type.Optional(Type.String()),
  /** For conformance.changed: the review that changed, if one did. */
  reviewId: Type.Optional(Type.String()),
  /** For membership.changed: whose membership. */
  userId: Type.Optional(Type.String()),
  /** For ballot.changed on a secret ballot: how many have voted, nothing more. */
  turnout: Type.Optional(Type.Integer({ minimum: 0 })),
  /** For inbox.changed: my unread count after the change. */
  unread: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type LiveEvent = Static<typeof LiveEvent>;

export const LiveServerMessage = Type.Union([
  Type.Object({ type: Type.Literal('hello'), userId: Type.Union([Type.String(), Type.Null()]) }),
  Type.Object({ type: Type.Literal('subscribed'), topic: LiveTopic }),
  Type.Object({
    type: Type.Literal('refused'),
    topic: Type.String(),
    /** not_found also covers "exists but you may not see it", as the HTTP reads answer. */
    code: Type.Union([Type.Literal('not_found'), Type.Literal('unauthenticated'), Type.Literal('invalid')]),
  }),
  /** Access to the topic ended (removed from the group, group made private…): no more events for it. */
  Type.Object({ type: Type.Literal('revoked'), topic: LiveTopic }),
  Type.Object({ type: Type.Literal('event'), topic: LiveTopic, event: LiveEvent }),
  Type.Object({ type: Type.Literal('pong') }),
  /**
   * The server may have missed changes (it lost its database connection for a while): events of every
   * topic may be missing, so read everything shown again. Subscriptions stay as they were.
   */
  Type.Object({ type: Type.Literal('resync') }),
]);
export type LiveServerMessage = Static<typeof LiveServerMessage>;

/** Close codes of the live socket (the document socket's 44xx meanings where they overlap). */
export const LIVE_CLOSE_CODES = {
  /** A frame that is not a valid LiveClientMessage, or too large. */
  invalidMessage: 1007,
  /** The session ended (signed out, password changed): reconnect to continue anonymously or sign in. */
  sessionEnded: 4401,
  /** A browser page of another origin opened the socket (the same check as the document socket's). */
  forbidden: 4403,
  /** Too many messages or subscriptions. */
  tooMany: 4429,
  /** The reader fell too far behind (events piling up unread), or the server could not re-check access (database outage): reconnect, then read everything again. */
  tryAgainLater: 1013,
} as const;

/** Most topics one socket follows at once; one more closes it with tooMany. */
export const LIVE_MAX_TOPICS = 100;
/** Most messages a socket may send within LIVE_RATE_WINDOW_MS; one more closes it with tooMany. */
export const LIVE_MAX_MESSAGES = 60;
export const LIVE_RATE_WINDOW_MS = 10_000;
/** Largest client frame, in bytes; a larger one closes the socket with invalidMessage. */
export const LIVE_MAX_FRAME_BYTES = 8 * 1024;

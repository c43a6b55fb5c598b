import { Type, type Static } from 'typebox';
import { Timestamp, Uuid } from './common.ts';

const Person = Type.Object({ id: Uuid, displayName: Type.String() });

/** A passage inside a clause: two Yjs relative positions (base64) and the words they enclosed. */
export const Anchor = Type.Object(
  {
    start: Type.String({ maxLength: 512 }),
    end: Type.String({ maxLength: 512 }),
    quote: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
export type Anchor = Static<typeof Anchor>;

export const REACTIONS = ['👍', '👎', '❤️', '🎉', '😕', '👀'] as const;
// Built in a function called /* @__PURE__ */: the client's bundle, which never uses it, drops it whole
// (a spread or a .map() at module level would keep it, and TypeBox with it).
export const ReactionParam = /* @__PURE__ */ reactionParam();
function reactionParam() {
  return Type.Union(REACTIONS.map((r) => Type.Literal(r)));
}

export const CommentAction = Type.Union([Type.Literal('edit'), Type.Literal('delete'), Type.Literal('hide'), Type.Literal('unhide'), Type.Literal('react')]);
export type CommentAction = Static<typeof CommentAction>;

export const Comment = Type.Object({
  id: Uuid,
  threadId: Uuid,
  author: Person,
  replyTo: Type.Union([Uuid, Type.Null()]),
  /** Markdown source; null when deleted or hidden (to those who may not see it). */
  body: Type.Union([Type.String(), Type.Null()]),
  /** Sanitized HTML rendered on the server from the Markdown. */
  bodyHtml: Type.Union([Type.String(), Type.Null()]),
  state: Type.Union([Type.Literal('visible'), Type.Literal('deleted'), Type.Literal('hidden')]),
  hiddenReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  editedAt: Type.Union([Timestamp, Type.Null()]),
  /** Earlier bodies, oldest first (edit history is visible to everyone who sees the comment). */
  revisions: Type.Array(Type.Object({ body: Type.String(), writtenAt: Timestamp })),
  reactions: Type.Array(Type.Object({ emoji: Type.String(), count: Type.Integer(), mine: Type.Boolean() })),
  allowedActions: Type.Array(CommentAction),
});
export type Comment = Static<typeof Comment>;

/**
 * Who reads a thread: `internal` — the group's own discussion, read by its members only, ever;
 * `public` — written where the public reads (during a public comment period, or published by a
 * chair), read by anyone who reads the group's published versions, also after the deadline.
 */
export const Audience = Type.Union([Type.Literal('internal'), Type.Literal('public')]);
export type Audience = Static<typeof Audience>;

export const ThreadAction = Type.Union([Type.Literal('reply'), Type.Literal('resolve'), Type.Literal('reopen'), Type.Literal('publish')]);
export type ThreadAction = Static<typeof ThreadAction>;

export const Thread = Type.Object({
  id: Uuid,
  definitionId: Uuid,
  clauseId: Uuid,
  /** Null to readers outside the group (amendments are the group's own). */
  amendmentId: Type.Union([Uuid, Type.Null()]),
  /** Null to readers outside the group: the quote is from the live draft, which only members read. */
  anchor: Type.Union([Anchor, Type.Null()]),
  /** 'removed' when the anchored words were deleted: the thread stays, with its quote. */
  anchorState: Type.Union([Type.Literal('none'), Type.Literal('ok'), Type.Literal('removed')]),
  author: Person,
  /** Replies inherit it. */
  audience: Audience,
  status: Type.Union([Type.Literal('open'), Type.Literal('resolved')]),
  resolvedBy: Type.Union([Person, Type.Null()]),
  resolvedAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
  comments: Type.Array(Comment),
  allowedActions: Type.Array(ThreadAction),
});
export type Thread = Static<typeof Thread>;

export const ThreadList = Type.Object({
  /** Readers outside the group get the public threads only. */
  threads: Type.Array(Thread),
  /** Where the reader may start a thread now (empty: nowhere); the first is the default. */
  audiences: Type.Array(Audience),
});
export type ThreadList = Static<typeof ThreadList>;

const Body = Type.String({ minLength: 1, maxLength: 20_000, pattern: '\\S' });
const Mentions = Type.Array(Uuid, { maxItems: 50, uniqueItems: true });

export const CreateThreadBody = Type.Object(
  {
    clauseId: Uuid,
    amendmentId: Type.Optional(Uuid),
    anchor: Type.Optional(Anchor),
    body: Body,
    /** Mentions notify members in internal threads only; in public threads they are ignored. */
    mentions: Type.Optional(Mentions),
    /**
     * Default: internal for members, public for everyone else (who may start nothing else).
     * Members choose public only during a public comment period of a public group.
     */
    audience: Type.Optional(Audience),
  },
  { additionalProperties: false },
);
export type CreateThreadBody = Static<typeof CreateThreadBody>;

export const ReplyBody = Type.Object({ body: Body, replyTo: Type.Optional(Uuid), mentions: Type.Optional(Mentions) }, { additionalProperties: false });
export type ReplyBody = Static<typeof ReplyBody>;

export const EditCommentBody = Type.Object({ body: Body }, { additionalProperties: false });
export const HideCommentBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S' }) }, { additionalProperties: false });

export const ThreadQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved')])),
    clause: Type.Optional(Uuid),
    amendment: Type.Optional(Uuid),
    mine: Type.Optional(Type.Boolean()),
    audience: Type.Optional(Audience),
  },
  { additionalProperties: false },
);

export const ThreadParams = Type.Object({ id: Uuid });
export const CommentParams = Type.Object({ id: Uuid });
export const ReactionParams = Type.Object({ id: Uuid, emoji: ReactionParam });

export const ModerationEntry = Type.Object({
  commentId: Uuid,
  threadId: Uuid,
  action: Type.Union([Type.Literal('hide'), Type.Literal('unhide')]),
  reason: Type.String(),
  moderator: Person,
  at: Timestamp,
});
export const ModerationLog = Type.Object({ actions: Type.Array(ModerationEntry) });
export type ModerationLog = Static<typeof ModerationLog>;

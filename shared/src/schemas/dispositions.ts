import { Type, type Static } from 'typebox';
import { Timestamp, Uuid } from './common.ts';

const Person = Type.Object({ id: Uuid, displayName: Type.String() });

/**
 * Where an item of the disposition register comes from: a public comment (a thread the public reads,
 * started during a comment period), an Object position of a closed public ballot (with its reason), or
 * a formal objection a member raised.
 */
export const DispositionSource = Type.Union([Type.Literal('public_comment'), Type.Literal('ballot_objection'), Type.Literal('formal_objection')]);
export type DispositionSource = Static<typeof DispositionSource>;

export const DISPOSITIONS = ['accepted', 'partly_accepted', 'rejected', 'out_of_scope', 'deferred'] as const;
export const DispositionKind = Type.Union([
  Type.Literal('accepted'),
  Type.Literal('partly_accepted'),
  Type.Literal('rejected'),
  Type.Literal('out_of_scope'),
  Type.Literal('deferred'),
]);
export type DispositionKind = Static<typeof DispositionKind>;

export const DISPOSITION_LABELS: Record<DispositionKind, string> = {
  accepted: 'Accepted',
  partly_accepted: 'Partly accepted',
  rejected: 'Rejected',
  out_of_scope: 'Out of scope',
  deferred: 'Deferred',
};

export const DISPOSITION_SOURCE_LABELS: Record<DispositionSource, string> = {
  public_comment: 'Public comment',
  ballot_objection: 'Objection in a ballot',
  formal_objection: 'Formal objection',
};

export const DispositionAction = Type.Union([Type.Literal('decide'), Type.Literal('respond')]);
export type DispositionAction = Static<typeof DispositionAction>;

/** One item of the register: what was said, by whom, and how the group disposed of it. */
export const Disposition = Type.Object({
  id: Uuid,
  /** D-1, D-2 … per definition, in the order the items were raised; never reused. */
  number: Type.Integer({ minimum: 1 }),
  definitionId: Uuid,
  source: DispositionSource,
  /** The clause it is about (null: the definition as a whole), with its label in the draft (null: no longer in it). */
  clause: Type.Union([Type.Object({ id: Uuid, label: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
  threadId: Type.Union([Uuid, Type.Null()]),
  ballot: Type.Union([Type.Object({ id: Uuid, title: Type.String() }), Type.Null()]),
  author: Person,
  /**
   * What was said, as it stood when raised (edits before a disposition update it; after, it stays as it
   * was answered). Null when the comment was hidden by a moderator or deleted, to readers who may not see it.
   */
  body: Type.Union([Type.String(), Type.Null()]),
  /** Whether the public reads this item (public comments only). */
  public: Type.Boolean(),
  raisedAt: Timestamp,
  /** Null while undisposed. */
  disposition: Type.Union([DispositionKind, Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  /** The change that addressed it: an accepted amendment and/or the version that carries the change. */
  amendmentId: Type.Union([Uuid, Type.Null()]),
  versionLabel: Type.Union([Type.String(), Type.Null()]),
  decidedBy: Type.Union([Person, Type.Null()]),
  decidedAt: Type.Union([Timestamp, Type.Null()]),
  /** The commenter's answer to the disposition: satisfied or not, with a note; reset when the disposition changes. */
  response: Type.Union([Type.Object({ satisfied: Type.Boolean(), note: Type.Union([Type.String(), Type.Null()]), at: Timestamp }), Type.Null()]),
  allowedActions: Type.Array(DispositionAction),
});
export type Disposition = Static<typeof Disposition>;

export const DispositionRegister = Type.Object({
  items: Type.Array(Disposition),
  counts: Type.Object({
    total: Type.Integer(),
    undisposed: Type.Integer(),
    /** Disposed items whose commenter said they are not satisfied. */
    notSatisfied: Type.Integer(),
  }),
  /** Whether the reader may raise a formal objection here (members who may propose). */
  mayObject: Type.Boolean(),
});
export type DispositionRegister = Static<typeof DispositionRegister>;

export const DispositionQuery = Type.Object(
  {
    state: Type.Optional(Type.Union([Type.Literal('undisposed'), Type.Literal('disposed')])),
    source: Type.Optional(DispositionSource),
    clause: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type DispositionQuery = Static<typeof DispositionQuery>;

// Its calls are marked /* @__PURE__ */: the client's bundle, which uses only the labels above, then drops the
// bodies below (and TypeBox with them); the bundler takes only `Type.*` calls as free of side effects by itself.
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });

export const DecideDispositionBody = Type.Object(
  {
    disposition: DispositionKind,
    /** Required unless accepted with the change named (amendmentId or versionLabel). */
    reason: Type.Optional(/* @__PURE__ */ Text(10_000)),
    amendmentId: Type.Optional(Uuid),
    versionLabel: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type DecideDispositionBody = Static<typeof DecideDispositionBody>;

export const RespondDispositionBody = Type.Object(
  { satisfied: Type.Boolean(), note: Type.Optional(/* @__PURE__ */ Text(5_000)) },
  { additionalProperties: false },
);
export type RespondDispositionBody = Static<typeof RespondDispositionBody>;

export const RaiseObjectionBody = Type.Object(
  {
    /** Omitted: an objection to the definition as a whole. */
    clauseId: Type.Optional(Uuid),
    body: /* @__PURE__ */ Text(20_000),
  },
  { additionalProperties: false },
);
export type RaiseObjectionBody = Static<typeof RaiseObjectionBody>;

export const DispositionParams = Type.Object({ id: Uuid });

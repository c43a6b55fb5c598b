import { Type, type Static } from 'typebox';
import { RoleSchema, Timestamp, Uuid } from './common.ts';

export const STANDARD_POSITIONS = ['yes', 'no_objection', 'object', 'abstain', 'recuse'] as const;
export type StandardPosition = (typeof STANDARD_POSITIONS)[number];

export const BallotKind = Type.Union([Type.Literal('advisory'), Type.Literal('binding'), Type.Literal('consensus')]);
export type BallotKind = Static<typeof BallotKind>;

/** The rules of a ballot, fixed when it opens. */
export const BallotRules = Type.Object(
  {
    kind: BallotKind,
    eligibleRoles: Type.Array(RoleSchema, { minItems: 1, uniqueItems: true }),
    /** Share of eligible voters who must take part (recusals do not count), 0–1. */
    quorum: Type.Number({ minimum: 0, maximum: 1 }),
    /** Share of Yes among Yes + Object needed to pass, 0–1 (e.g. 0.6667). */
    threshold: Type.Number({ minimum: 0, maximum: 1 }),
    /** Any Object (a blocking objection) fails the ballot, whatever the count. */
    blockingObjectionFails: Type.Boolean(),
    secret: Type.Boolean(),
    resultsVisibility: Type.Union([Type.Literal('live'), Type.Literal('after_close')]),
    closesAt: Timestamp,
  },
  { additionalProperties: false },
);
export type BallotRules = Static<typeof BallotRules>;

export const Turnout = Type.Object({
  eligible: Type.Integer(),
  voted: Type.Integer(),
  abstained: Type.Integer(),
  recused: Type.Integer(),
});
export type Turnout = Static<typeof Turnout>;

export const BallotOutcome = Type.Union([Type.Literal('passed'), Type.Literal('failed'), Type.Literal('no_quorum')]);
export type BallotOutcome = Static<typeof BallotOutcome>;

export const BallotResult = Type.Object({
  turnout: Turnout,
  counts: Type.Record(Type.String(), Type.Integer()),
  outcome: BallotOutcome,
  /** The rule that decided it, in words. */
  decidedBy: Type.String(),
});
export type BallotResult = Static<typeof BallotResult>;

export const Person = Type.Object({ id: Uuid, displayName: Type.String() });

export const BallotSubject = Type.Union([
  Type.Object({ kind: Type.Literal('clause'), clauseId: Uuid }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('version'), label: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
]);
export type BallotSubject = Static<typeof BallotSubject>;

export const PositionSchema = Type.Union([
  Type.Literal('yes'),
  Type.Literal('no_objection'),
  Type.Literal('object'),
  Type.Literal('abstain'),
  Type.Literal('recuse'),
]);

export const BallotStatus = Type.Union([Type.Literal('draft'), Type.Literal('open'), Type.Literal('closed'), Type.Literal('cancelled')]);
export type BallotStatus = Static<typeof BallotStatus>;

export const BallotAction = Type.Union([Type.Literal('edit'), Type.Literal('open'), Type.Literal('close'), Type.Literal('cancel'), Type.Literal('vote')]);
export type BallotAction = Static<typeof BallotAction>;

export const VoteRecord = Type.Object({
  position: PositionSchema,
  rationale: Type.String(),
  castAt: Timestamp,
  /** The subject text when this vote was cast (clause ballots). */
  textSeen: Type.Union([Type.String(), Type.Null()]),
  /** Cast on an older text than the one the ballot closed on. */
  outdated: Type.Boolean(),
});
export type VoteRecord = Static<typeof VoteRecord>;

export const Ballot = Type.Object({
  id: Uuid,
  definitionId: Uuid,
  title: Type.String(),
  subject: BallotSubject,
  rules: BallotRules,
  status: BallotStatus,
  subjectText: Type.Union([Type.String(), Type.Null()]),
  finalText: Type.Union([Type.String(), Type.Null()]),
  /** The clause text changed while the ballot was open. */
  textChanged: Type.Boolean(),
  eligibleCount: Type.Union([Type.Integer(), Type.Null()]),
  votedCount: Type.Integer(),
  createdBy: Person,
  createdAt: Timestamp,
  openedAt: Type.Union([Timestamp, Type.Null()]),
  closedAt: Type.Union([Timestamp, Type.Null()]),
  /** Null when it closed by time. */
  closedBy: Type.Union([Person, Type.Null()]),
  cancelledReason: Type.Union([Type.String(), Type.Null()]),
  /** Present once closed, or while open when results are shown live. */
  result: Type.Union([BallotResult, Type.Null()]),
  myVote: Type.Union([Type.Intersect([VoteRecord, Type.Object({ history: Type.Array(VoteRecord) })]), Type.Null()]),
  /** Public ballots (when results are visible): everyone's current vote with its history. */
  votes: Type.Array(Type.Intersect([VoteRecord, Type.Object({ voter: Person, history: Type.Array(VoteRecord) })])),
  /** Who took part (always visible, secret ballots included). */
  voters: Type.Array(Type.Object({ voter: Person, votedAt: Timestamp })),
  allowedActions: Type.Array(BallotAction),
});
export type Ballot = Static<typeof Ballot>;

export const BallotList = Type.Object({ ballots: Type.Array(Ballot) });
export type BallotList = Static<typeof BallotList>;

export const CreateBallotBody = Type.Object(
  { title: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }), subject: BallotSubject, rules: BallotRules },
  { additionalProperties: false },
);
export type CreateBallotBody = Static<typeof CreateBallotBody>;

export const UpdateBallotBody = Type.Object(
  { title: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })), rules: Type.Optional(BallotRules) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateBallotBody = Static<typeof UpdateBallotBody>;

export const VoteBody = Type.Object(
  { position: PositionSchema, rationale: Type.Optional(Type.String({ maxLength: 10_000 })) },
  { additionalProperties: false },
);
export type VoteBody = Static<typeof VoteBody>;

export const CancelBallotBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 5000, pattern: '\\S' }) }, { additionalProperties: false });
export const BallotParams = Type.Object({ id: Uuid });

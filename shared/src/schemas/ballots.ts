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

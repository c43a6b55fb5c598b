import { Type, type Static } from 'typebox';
import { RoleSchema, Timestamp, Uuid } from './common.ts';

export const STANDARD_POSITIONS = ['yes', 'no_objection', 'object', 'abstain', 'recuse'] as const;
export type StandardPosition = (typeof STANDARD_POSITIONS)[number];

/** Positions every ballot offers besides its own options: taking part without choosing, or stepping aside. */
export const NEUTRAL_POSITIONS = ['abstain', 'recuse'] as const;

/** The option id of "keep the clause as it is" in a choice between a clause and its amendments. */
export const CURRENT_TEXT_OPTION = 'current';

/** The position of a component-matrix vote that marks the grid (as opposed to abstaining or recusing). */
export const MATRIX_POSITION = 'marks';

export const MATRIX_MARKS = ['required', 'not_required', 'unsure'] as const;
export const MatrixMark = Type.Union([Type.Literal('required'), Type.Literal('not_required'), Type.Literal('unsure')]);
export type MatrixMark = Static<typeof MatrixMark>;

// Plain numbers in the schemas below: a property read at module level would keep the (unused) schemas
// in the client's bundle, which drops TypeBox's builders only when their arguments are side-effect free.
const MATRIX_ROWS = 24;
const MATRIX_COLUMNS = 8;
export const MATRIX_LIMITS = { rows: MATRIX_ROWS, columns: MATRIX_COLUMNS } as const;
const MatrixLabel = Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' });

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
    /**
     * Custom options instead of Yes / No objection / Object (clause and version ballots): the option
     * with the most votes wins if it reaches `threshold` of all option votes. Abstain and Recuse stay.
     */
    options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }), { minItems: 2, maxItems: 10, uniqueItems: true })),
    /** Component matrix: whether Unsure marks count in a cell's denominator (default true). */
    countUnsure: Type.Optional(Type.Boolean()),
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

/** `decided`: a component matrix reached quorum and every cell has a verdict (see `cells`). */
export const BallotOutcome = Type.Union([Type.Literal('passed'), Type.Literal('failed'), Type.Literal('no_quorum'), Type.Literal('decided')]);
export type BallotOutcome = Static<typeof BallotOutcome>;

export const CellVerdict = Type.Union([Type.Literal('required'), Type.Literal('not_required'), Type.Literal('undecided'), Type.Literal('no_quorum')]);
export type CellVerdict = Static<typeof CellVerdict>;

export const MatrixCellResult = Type.Object({
  counts: Type.Object({ required: Type.Integer(), not_required: Type.Integer(), unsure: Type.Integer() }),
  /** Voters who marked this cell, and the eligible voters (recusals excluded) it could have had. */
  turnout: Type.Object({ marked: Type.Integer(), electorate: Type.Integer() }),
  /** The larger of Required / Not required as a share of the cell's counted marks (0 with none). */
  share: Type.Number(),
  verdict: CellVerdict,
});
export type MatrixCellResult = Static<typeof MatrixCellResult>;

export const BallotResult = Type.Object({
  turnout: Turnout,
  /** Votes per position or option id (matrix ballots: `marks`, `abstain`, `recuse`). */
  counts: Type.Record(Type.String(), Type.Integer()),
  outcome: BallotOutcome,
  /** The rule that decided it, in words. */
  decidedBy: Type.String(),
  /** Choice ballots: the winning option id, or null (tie, below threshold, no quorum). */
  winner: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  /** Component matrix: one result per cell, rows × columns. */
  cells: Type.Optional(Type.Array(Type.Array(MatrixCellResult))),
});
export type BallotResult = Static<typeof BallotResult>;

export const Person = Type.Object({ id: Uuid, displayName: Type.String() });

export const BallotSubject = Type.Union([
  Type.Object({ kind: Type.Literal('clause'), clauseId: Uuid }, { additionalProperties: false }),
  /** A choice between a clause's current text and one or more of its proposed amendments. */
  Type.Object(
    { kind: Type.Literal('amendments'), clauseId: Uuid, amendmentIds: Type.Array(Uuid, { minItems: 1, maxItems: 8, uniqueItems: true }) },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('version'), label: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
  /** The component matrix: rows (components) × columns (freedoms), each cell marked by every voter. */
  Type.Object(
    {
      kind: Type.Literal('matrix'),
      rows: Type.Array(MatrixLabel, { minItems: 1, maxItems: MATRIX_ROWS, uniqueItems: true }),
      columns: Type.Array(MatrixLabel, { minItems: 1, maxItems: MATRIX_COLUMNS, uniqueItems: true }),
    },
    { additionalProperties: false },
  ),
]);
export type BallotSubject = Static<typeof BallotSubject>;

/** A standard position, an option id (custom options, amendment choices) or `marks` (matrix). */
export const PositionSchema = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9_-]+$' });

/** How a ballot is answered: Yes/No objection/Object, one of several options, or a marked grid. */
export const BallotFormat = Type.Union([Type.Literal('positions'), Type.Literal('choice'), Type.Literal('matrix')]);
export type BallotFormat = Static<typeof BallotFormat>;

export const BallotOption = Type.Object({
  id: Type.String(),
  label: Type.String(),
  /** The wording this option stands for (amendment choices: the proposed or the current text). */
  text: Type.Optional(Type.String()),
  /** Amendment choices: the amendment's status now (proposed, accepted, rejected, withdrawn). */
  amendmentStatus: Type.Optional(Type.String()),
});
export type BallotOption = Static<typeof BallotOption>;

export const MatrixMarks = Type.Array(Type.Array(MatrixMark, { minItems: 1, maxItems: MATRIX_COLUMNS }), { minItems: 1, maxItems: MATRIX_ROWS });

export const BallotStatus = Type.Union([Type.Literal('draft'), Type.Literal('open'), Type.Literal('closed'), Type.Literal('cancelled')]);
export type BallotStatus = Static<typeof BallotStatus>;

export const BallotAction = Type.Union([Type.Literal('edit'), Type.Literal('open'), Type.Literal('close'), Type.Literal('cancel'), Type.Literal('vote')]);
export type BallotAction = Static<typeof BallotAction>;

export const VoteRecord = Type.Object({
  position: PositionSchema,
  rationale: Type.String(),
  /** When a public vote was cast; null on secret ballots, which store no time a vote could be matched by. */
  castAt: Type.Union([Timestamp, Type.Null()]),
  /** Component matrix: this vote's marks, rows × columns (null for other positions and ballots). */
  marks: Type.Union([MatrixMarks, Type.Null()]),
  /** The subject text when this vote was cast (clause and amendment-choice ballots). */
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
  format: BallotFormat,
  /** Every position a vote may take, in order, with labels (matrix: `marks`, then abstain and recuse). */
  options: Type.Array(BallotOption),
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
  /** Who took part (always visible; on secret ballots by name, without times). */
  voters: Type.Array(Type.Object({ voter: Person, votedAt: Type.Union([Timestamp, Type.Null()]) })),
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
  // No NUL: PostgreSQL text cannot hold it (refused here, before the vote joins a batch).
  { position: PositionSchema, rationale: Type.Optional(Type.String({ maxLength: 10_000, pattern: '^[^\\u0000]*$' })), marks: Type.Optional(MatrixMarks) },
  { additionalProperties: false },
);
export type VoteBody = Static<typeof VoteBody>;

export const CancelBallotBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 5000, pattern: '\\S' }) }, { additionalProperties: false });
export const BallotParams = Type.Object({ id: Uuid });

/**
 * The answer to a vote: the vote as recorded and the turnout so far. Fetch the ballot for the vote
 * history and (when visible) the results; votes are written in group commits, so this stays cheap.
 */
export const VoteReceipt = Type.Object({
  ballotId: Uuid,
  myVote: VoteRecord,
  votedCount: Type.Integer(),
  eligibleCount: Type.Integer(),
});
export type VoteReceipt = Static<typeof VoteReceipt>;

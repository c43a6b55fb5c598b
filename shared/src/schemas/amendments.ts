import { Type, type Static } from 'typebox';
import { Timestamp, Uuid } from './common.ts';
import { WordChange } from './versions.ts';

export const AmendmentStatus = Type.Union([Type.Literal('proposed'), Type.Literal('accepted'), Type.Literal('rejected'), Type.Literal('withdrawn')]);
export type AmendmentStatus = Static<typeof AmendmentStatus>;

const Person = Type.Object({ id: Uuid, displayName: Type.String() });

export const AmendmentAction = Type.Union([Type.Literal('accept'), Type.Literal('reject'), Type.Literal('withdraw')]);
export type AmendmentAction = Static<typeof AmendmentAction>;

export const Amendment = Type.Object({
  id: Uuid,
  definitionId: Uuid,
  clauseId: Uuid,
  author: Person,
  rationale: Type.String(),
  status: AmendmentStatus,
  /** The clause text the proposal was written against. */
  baseText: Type.String(),
  proposedText: Type.String(),
  proposedMarkdown: Type.String(),
  /** The proposal as ProseMirror JSON of the clause schema (a `doc`), formatting included. */
  proposedContent: Type.Record(Type.String(), Type.Unknown()),
  /** The clause as it reads now (null when the clause was deleted). */
  currentText: Type.Union([Type.String(), Type.Null()]),
  /** True when the clause changed since the proposal was written. */
  stale: Type.Boolean(),
  /** Word-level changes from the current text to the proposal. */
  changes: Type.Array(WordChange),
  decidedBy: Type.Union([Person, Type.Null()]),
  decidedAt: Type.Union([Timestamp, Type.Null()]),
  decisionReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  allowedActions: Type.Array(AmendmentAction),
});
export type Amendment = Static<typeof Amendment>;

export const AmendmentList = Type.Object({ amendments: Type.Array(Amendment) });
export type AmendmentList = Static<typeof AmendmentList>;

export const AmendmentParams = Type.Object({ id: Uuid });

export const AmendmentQuery = Type.Object({ status: Type.Optional(AmendmentStatus), clause: Type.Optional(Uuid) }, { additionalProperties: false });

export const ProposeAmendmentBody = Type.Object(
  {
    clauseId: Uuid,
    text: Type.Optional(Type.String({ maxLength: 100_000 })),
    content: Type.Optional(Type.Object({}, { additionalProperties: true })),
    /**
     * The clause as it read when the suggestion was started (ProseMirror JSON of the clause schema).
     * When the clause has changed since, the amendment is recorded against this text — and so shown as
     * written for an older text, never as a change of the words someone added meanwhile.
     */
    baseContent: Type.Optional(Type.Object({}, { additionalProperties: true })),
    rationale: Type.String({ maxLength: 20_000 }),
  },
  { additionalProperties: false },
);
export type ProposeAmendmentBody = Static<typeof ProposeAmendmentBody>;

/** Several suggestions decided at once, all or nothing ("Accept all", "Reject all"). */
export const DecideAmendmentsBody = Type.Object(
  {
    action: Type.Union([Type.Literal('accept'), Type.Literal('reject')]),
    ids: Type.Array(Uuid, { minItems: 1, maxItems: 100, uniqueItems: true }),
    /** Required to reject (the same reason for each). */
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 20_000, pattern: '\\S' })),
  },
  { additionalProperties: false },
);
export type DecideAmendmentsBody = Static<typeof DecideAmendmentsBody>;

export const RejectAmendmentBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 20_000, pattern: '\\S' }) }, { additionalProperties: false });
export type RejectAmendmentBody = Static<typeof RejectAmendmentBody>;

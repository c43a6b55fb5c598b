import { Type, type Static } from 'typebox';
import { Person } from './ballots.ts';
import { Timestamp, Uuid } from './common.ts';

/*
 * Why a clause (or a stretch of it) says what it says, on one page: who wrote each part, the
 * amendments proposed on it and what became of them, the ballots that decided it (rules, turnout,
 * result, dissent), the threads raised on it and how they ended, and the published versions in which
 * it changed. Everything is read from the record; nothing is summarised away.
 */

export const ProvenanceParams = Type.Object({ id: Uuid, clauseId: Uuid });
export const ProvenanceQuery = Type.Object(
  {
    /** A stretch of the clause's plain text (character offsets, `from` < `to`); the whole clause when absent. */
    from: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    to: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    /** A published version's label: the clause as that version has it, and the record up to its publication. */
    version: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type ProvenanceQuery = Static<typeof ProvenanceQuery>;

export const Provenance = Type.Object({
  clauseId: Uuid,
  /** As the editor names it ("Clause 4"), in the text asked about. */
  label: Type.String(),
  /** The published version asked about; null: the current draft. */
  version: Type.Union([Type.Object({ label: Type.String(), publishedAt: Timestamp }), Type.Null()]),
  text: Type.String(),
  range: Type.Union([Type.Object({ from: Type.Integer(), to: Type.Integer(), text: Type.String() }), Type.Null()]),
  /** Who wrote each part of the text (or of the range), in reading order, from the server-recorded edits. */
  authors: Type.Array(Type.Object({ text: Type.String(), author: Type.Union([Person, Type.Null()]), at: Type.Union([Timestamp, Type.Null()]) })),
  /** Everyone who wrote part of it, with how many characters. */
  contributors: Type.Array(Type.Object({ person: Type.Union([Person, Type.Null()]), characters: Type.Integer() })),
  amendments: Type.Array(
    Type.Object({
      id: Uuid,
      status: Type.String(),
      author: Person,
      proposedText: Type.String(),
      rationale: Type.String(),
      createdAt: Timestamp,
      decidedBy: Type.Union([Person, Type.Null()]),
      decidedAt: Type.Union([Timestamp, Type.Null()]),
      reason: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  ballots: Type.Array(
    Type.Object({
      id: Uuid,
      title: Type.String(),
      status: Type.String(),
      /** binding, advisory or consensus, with the numbers frozen when it opened. */
      rules: Type.Object({ kind: Type.String(), quorum: Type.Number(), threshold: Type.Number(), secret: Type.Boolean() }),
      openedAt: Type.Union([Timestamp, Type.Null()]),
      closedAt: Type.Union([Timestamp, Type.Null()]),
      /** The result once closed (null before, or for a cancelled ballot). */
      outcome: Type.Union([Type.String(), Type.Null()]),
      decidedBy: Type.Union([Type.String(), Type.Null()]),
      turnout: Type.Union([Type.Object({ eligible: Type.Integer(), voted: Type.Integer(), abstained: Type.Integer(), recused: Type.Integer() }), Type.Null()]),
      /** Objections: how many, and (public ballots, once closed) who objected and why. */
      dissent: Type.Object({
        objections: Type.Integer(),
        reasons: Type.Array(Type.Object({ voter: Type.String(), rationale: Type.String() })),
      }),
    }),
  ),
  threads: Type.Array(
    Type.Object({
      id: Uuid,
      audience: Type.String(),
      status: Type.String(),
      quote: Type.Union([Type.String(), Type.Null()]),
      author: Person,
      createdAt: Timestamp,
      resolvedBy: Type.Union([Person, Type.Null()]),
      resolvedAt: Type.Union([Timestamp, Type.Null()]),
      comments: Type.Integer(),
      /** With a range: whether the thread's quoted words lie in it (null: the thread quotes nothing). */
      inRange: Type.Union([Type.Boolean(), Type.Null()]),
    }),
  ),
  /** Every published version, oldest first: what happened to this clause in it. */
  versions: Type.Array(
    Type.Object({
      label: Type.String(),
      publishedAt: Timestamp,
      change: Type.Union([Type.Literal('added'), Type.Literal('changed'), Type.Literal('unchanged'), Type.Literal('removed'), Type.Literal('absent')]),
      text: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});
export type Provenance = Static<typeof Provenance>;

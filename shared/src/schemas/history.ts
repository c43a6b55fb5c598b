import { Type, type Static } from 'typebox';
import { Timestamp, Uuid } from './common.ts';
import { WordChange } from './versions.ts';

const Author = Type.Union([Type.Object({ id: Uuid, displayName: Type.String() }), Type.Null()]);

export const RestoreBody = Type.Object(
  { version: Type.String({ minLength: 1, maxLength: 64, description: 'label of the version to restore from' }) },
  { additionalProperties: false },
);
export type RestoreBody = Static<typeof RestoreBody>;

export const BlameRun = Type.Object({
  text: Type.String(),
  /** Null for separators between paragraphs, which nobody typed. */
  author: Author,
  /** When the newest character of the run was written. */
  at: Type.Union([Timestamp, Type.Null()]),
});
export type BlameRun = Static<typeof BlameRun>;

export const Blame = Type.Object({
  clauseId: Uuid,
  text: Type.String(),
  runs: Type.Array(BlameRun),
});
export type Blame = Static<typeof Blame>;

export const BlameQuery = Type.Object({ clause: Uuid }, { additionalProperties: false });

export const HistoryClauseChange = Type.Object({
  clauseId: Uuid,
  /** What happened to the clause as a whole in this entry. */
  change: Type.Union([Type.Literal('created'), Type.Literal('deleted'), Type.Literal('edited'), Type.Literal('formatted'), Type.Literal('moved')]),
  changes: Type.Array(WordChange, { description: 'word-level insertions and deletions, with context' }),
  formatting: Type.Optional(
    Type.Array(Type.String(), { description: 'formatting this entry changed, in words: "made bold: “free software”", "became a list item"' }),
  ),
});
export type HistoryClauseChange = Static<typeof HistoryClauseChange>;

export const HistoryEntry = Type.Union([
  Type.Object({
    type: Type.Literal('edit'),
    author: Author,
    from: Timestamp,
    to: Timestamp,
    updates: Type.Integer({ description: 'how many stored updates this burst of editing spans' }),
    clauses: Type.Array(HistoryClauseChange),
  }),
  Type.Object({
    type: Type.Literal('version'),
    label: Type.String(),
    at: Timestamp,
    author: Author,
  }),
]);
export type HistoryEntry = Static<typeof HistoryEntry>;

export const HistoryQuery = Type.Object(
  {
    clause: Type.Optional(Uuid),
    /** Entries are numbered newest first; pass the previous page's nextCursor. */
    cursor: Type.Optional(Type.Integer({ minimum: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);

export const HistoryPage = Type.Object({
  entries: Type.Array(HistoryEntry),
  nextCursor: Type.Union([Type.Integer(), Type.Null()]),
});
export type HistoryPage = Static<typeof HistoryPage>;

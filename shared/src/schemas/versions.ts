import { Type, type Static } from 'typebox';
import { Timestamp, Uuid } from './common.ts';
import { Clause, ClauseKind } from './definitions.ts';

/** "0.0.9", "1.0-RC1", "2024-10-draft": letters, digits, dots, hyphens, plus and underscores. */
export const VERSION_LABEL_PATTERN = '^[0-9A-Za-z](?:[0-9A-Za-z._+-]{0,38}[0-9A-Za-z])?$';

export const Version = Type.Object({
  id: Uuid,
  definitionId: Uuid,
  label: Type.String(),
  notes: Type.String(),
  publishedAt: Timestamp,
  publishedBy: Type.Object({ id: Uuid, displayName: Type.String() }),
  clauseCount: Type.Integer(),
});
export type Version = Static<typeof Version>;

export const VersionDetail = Type.Intersect([Version, Type.Object({ clauses: Type.Array(Clause) })]);
export type VersionDetail = Static<typeof VersionDetail>;

export const VersionList = Type.Object({ versions: Type.Array(Version) });
export type VersionList = Static<typeof VersionList>;

export const PublishVersionBody = Type.Object(
  {
    label: Type.String({ pattern: VERSION_LABEL_PATTERN, minLength: 1, maxLength: 40 }),
    notes: Type.String({ maxLength: 20_000 }),
  },
  { additionalProperties: false },
);
export type PublishVersionBody = Static<typeof PublishVersionBody>;

export const VersionParams = Type.Object({ id: Uuid, label: Type.String({ maxLength: 64 }) });
export const VersionQuery = Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('md')])) }, { additionalProperties: false });

export const DiffQuery = Type.Object(
  {
    from: Type.String({ minLength: 1, maxLength: 64, description: 'a version label' }),
    to: Type.String({ minLength: 1, maxLength: 64, description: 'a version label, or "current" for the live draft' }),
  },
  { additionalProperties: false },
);

export const WordChange = Type.Object({
  kind: Type.Union([Type.Literal('equal'), Type.Literal('insert'), Type.Literal('delete')]),
  text: Type.String(),
});
export type WordChange = Static<typeof WordChange>;

export const ClauseDiffStatus = Type.Union([
  Type.Literal('added'),
  Type.Literal('removed'),
  Type.Literal('moved'),
  Type.Literal('modified'),
  Type.Literal('unchanged'),
]);
export type ClauseDiffStatus = Static<typeof ClauseDiffStatus>;

export const ClauseDiff = Type.Object({
  clauseId: Uuid,
  status: ClauseDiffStatus,
  /** True when the text changed, including for moved clauses. */
  textChanged: Type.Boolean(),
  kind: ClauseKind,
  fromPosition: Type.Union([Type.Integer(), Type.Null()]),
  toPosition: Type.Union([Type.Integer(), Type.Null()]),
  fromText: Type.Union([Type.String(), Type.Null()]),
  toText: Type.Union([Type.String(), Type.Null()]),
  /** Word-level changes from the old to the new text (modified, or moved with changes). */
  changes: Type.Array(WordChange),
  /** Formatting that changed, in words ("made bold: “free software”", "became a list item"). */
  formatting: Type.Optional(Type.Array(Type.String())),
});
export type ClauseDiff = Static<typeof ClauseDiff>;

export const DefinitionDiff = Type.Object({
  from: Type.String(),
  to: Type.String(),
  summary: Type.Object({
    added: Type.Integer(),
    removed: Type.Integer(),
    moved: Type.Integer(),
    modified: Type.Integer(),
    unchanged: Type.Integer(),
  }),
  /** In the order of the newer text, with removed clauses where they used to be. */
  clauses: Type.Array(ClauseDiff),
});
export type DefinitionDiff = Static<typeof DefinitionDiff>;

import { Type, type Static } from 'typebox';
import { PRINTABLE_LINE } from './auth.ts';
import { RoleSchema, Timestamp, Uuid } from './common.ts';
import { SLUG_PATTERN } from './groups.ts';

export const DEFINITION_STATUSES = ['drafting', 'public-comment', 'final'] as const;
export const DefinitionStatus = Type.Union([Type.Literal('drafting'), Type.Literal('public-comment'), Type.Literal('final')]);
export type DefinitionStatus = Static<typeof DefinitionStatus>;

export const ClauseKind = Type.Union([Type.Literal('heading'), Type.Literal('clause')]);
export type ClauseKind = Static<typeof ClauseKind>;

export const DefinitionAction = Type.Union([
  Type.Literal('draft.read'),
  Type.Literal('definition.rename'),
  Type.Literal('definition.setStatus'),
  Type.Literal('text.edit'),
  Type.Literal('version.publish'),
  Type.Literal('definition.reset'),
  Type.Literal('amendment.propose'),
  Type.Literal('amendment.decide'),
  Type.Literal('ballot.manage'),
]);
export type DefinitionAction = Static<typeof DefinitionAction>;

const Title = Type.String({ minLength: 1, maxLength: 200, pattern: PRINTABLE_LINE });

export const Definition = Type.Object({
  id: Uuid,
  groupSlug: Type.String(),
  slug: Type.String(),
  title: Type.String(),
  status: DefinitionStatus,
  /** End of the public comment period, UTC (null: open while the status is public-comment). */
  commentDeadline: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  myRole: Type.Union([RoleSchema, Type.Null()]),
  allowedActions: Type.Array(DefinitionAction),
});
export type Definition = Static<typeof Definition>;

export const Clause = Type.Object({
  id: Uuid,
  kind: ClauseKind,
  position: Type.Integer({ description: '0-based reading order' }),
  text: Type.String({ description: 'Plain text' }),
  markdown: Type.String(),
});
export type Clause = Static<typeof Clause>;

/** A clause of the draft as last committed, with the HTML the page shows until the live editor has loaded. */
// Built in a function called /* @__PURE__ */: the client's bundle, which never uses it, drops it whole
// (a spread or a .map() at module level would keep it, and TypeBox with it).
export const DraftClause = /* @__PURE__ */ draftClause();
function draftClause() {
  return Type.Object({
    ...Clause.properties,
    html: Type.String({ description: 'The clause as sanitized HTML (headings: empty, shown as their text)' }),
  });
}
export type DraftClause = Static<typeof DraftClause>;

export const DefinitionDetail = Type.Intersect([Definition, Type.Object({ clauses: Type.Array(DraftClause) })]);
export type DefinitionDetail = Static<typeof DefinitionDetail>;

export const DefinitionList = Type.Object({ definitions: Type.Array(Definition) });
export type DefinitionList = Static<typeof DefinitionList>;

export const DefinitionParams = Type.Object({ id: Uuid });

export const CreateDefinitionBody = Type.Object(
  { slug: Type.String({ pattern: SLUG_PATTERN, minLength: 3, maxLength: 40 }), title: Title },
  { additionalProperties: false },
);
export type CreateDefinitionBody = Static<typeof CreateDefinitionBody>;

export const UpdateDefinitionBody = Type.Object(
  {
    title: Type.Optional(Title),
    status: Type.Optional(DefinitionStatus),
    commentDeadline: Type.Optional(Type.Union([Timestamp, Type.Null()])),
    /**
     * Setting the status to final while items of the disposition register are undisposed is refused
     * (409, listing them) unless the chair sends this to say they have seen them.
     */
    acknowledgeUndisposed: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateDefinitionBody = Static<typeof UpdateDefinitionBody>;

/** A clause body as ProseMirror JSON (the shared clause schema) — or plain text, paragraphs split by blank lines. */
const ClauseContent = Type.Object({}, { additionalProperties: true, description: 'ProseMirror JSON of a `doc` node in the clause schema' });

export const InsertClauseBody = Type.Object(
  {
    kind: Type.Optional(ClauseKind),
    position: Type.Optional(Type.Integer({ minimum: 0, description: '0-based index; the end when omitted' })),
    text: Type.Optional(Type.String({ maxLength: 100_000 })),
    content: Type.Optional(ClauseContent),
  },
  { additionalProperties: false },
);
export type InsertClauseBody = Static<typeof InsertClauseBody>;

export const ReplaceClauseBody = Type.Object(
  { text: Type.Optional(Type.String({ maxLength: 100_000 })), content: Type.Optional(ClauseContent) },
  { additionalProperties: false, minProperties: 1, maxProperties: 1 },
);
export type ReplaceClauseBody = Static<typeof ReplaceClauseBody>;

export const ClauseParams = Type.Object({ id: Uuid, clauseId: Uuid });

/** What the public sees of a definition in public comment: its latest published version. */
export const PublicDefinition = Type.Object({
  id: Uuid,
  title: Type.String(),
  status: DefinitionStatus,
  commentDeadline: Type.Union([Timestamp, Type.Null()]),
  commentsOpen: Type.Boolean(),
  version: Type.Object({
    label: Type.String(),
    publishedAt: Timestamp,
    latest: Type.Boolean({ description: 'whether this is the latest published version (comments are taken on the latest only)' }),
  }),
  /** Every published version, newest first: each readable here with `?version=LABEL`. */
  versions: Type.Array(Type.Object({ label: Type.String(), publishedAt: Timestamp })),
  clauses: Type.Array(
    Type.Intersect([
      Clause,
      Type.Object({
        comments: Type.Integer({
          description: 'public comments on this clause (neither deleted nor hidden); the group’s internal discussion is never counted',
        }),
        html: Type.String({ description: 'a clause’s Markdown as HTML that is safe to insert (raw HTML escaped, safe links only); empty for headings' }),
      }),
    ]),
  ),
});
export type PublicDefinition = Static<typeof PublicDefinition>;

export const PublicDefinitionQuery = Type.Object(
  { version: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'a version label; the latest when omitted' })) },
  { additionalProperties: false },
);
export type PublicDefinitionQuery = Static<typeof PublicDefinitionQuery>;

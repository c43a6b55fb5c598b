import { Type, type Static } from 'typebox';
import { PRINTABLE_LINE } from './auth.ts';
import { Timestamp, Uuid } from './common.ts';

/** What search finds: live clause text, published clause text, comments, amendments, ballots. */
export const SEARCH_KINDS = ['clause', 'version', 'comment', 'amendment', 'ballot'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];
export const SearchKindSchema = Type.Union([
  Type.Literal('clause'),
  Type.Literal('version'),
  Type.Literal('comment'),
  Type.Literal('amendment'),
  Type.Literal('ballot'),
]);

export const SEARCH_QUERY_MAX = 200;
export const SEARCH_PAGE_SIZE = 20;
export const SEARCH_MAX_PAGE = 25;

export const SearchQuery = Type.Object(
  {
    q: Type.String({
      minLength: 1,
      maxLength: SEARCH_QUERY_MAX,
      pattern: PRINTABLE_LINE,
      description: 'words, "a phrase", or -word to leave out, OR between alternatives (PostgreSQL websearch_to_tsquery)',
    }),
    group: Type.Optional(Type.String({ maxLength: 64, description: 'only this group (its slug)' })),
    definition: Type.Optional(Uuid),
    kind: Type.Optional(SearchKindSchema),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: SEARCH_MAX_PAGE, default: 1 })),
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;

/** A piece of a snippet: the words that matched are `mark`ed; the text is plain text, never HTML. */
export const SnippetPart = Type.Object({ text: Type.String(), mark: Type.Boolean() });
export type SnippetPart = Static<typeof SnippetPart>;

export const SearchHit = Type.Object({
  kind: SearchKindSchema,
  /** The item: a clause, comment, amendment or ballot id; for a version's clause, the clause id. */
  id: Uuid,
  groupSlug: Type.String(),
  groupName: Type.String(),
  definitionId: Uuid,
  definitionTitle: Type.String(),
  /** Whether the searcher is a member of the group (members open the draft; others its public pages). */
  member: Type.Boolean(),
  clauseId: Type.Union([Uuid, Type.Null()]),
  /** "Clause 3", "Heading 1" where the clause is (in the version for a version's clause); null when it is gone. */
  clauseLabel: Type.Union([Type.String(), Type.Null()]),
  versionLabel: Type.Union([Type.String(), Type.Null()]),
  threadId: Type.Union([Uuid, Type.Null()]),
  audience: Type.Union([Type.Literal('internal'), Type.Literal('public'), Type.Null()]),
  /** A ballot's title; null for other kinds. */
  title: Type.Union([Type.String(), Type.Null()]),
  snippet: Type.Array(SnippetPart),
  rank: Type.Number(),
  at: Timestamp,
});
export type SearchHit = Static<typeof SearchHit>;

export const SearchResults = Type.Object({
  results: Type.Array(SearchHit),
  page: Type.Integer(),
  hasMore: Type.Boolean(),
});
export type SearchResults = Static<typeof SearchResults>;

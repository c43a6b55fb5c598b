import { Type, type Static } from 'typebox';
import { PRINTABLE_LINE } from './auth.ts';
import { ClauseKind } from './definitions.ts';
import { SLUG_PATTERN } from './groups.ts';
import { DefinitionDiff } from './versions.ts';

/** The formats a definition's text is imported from: Markdown, HTML, or plain text (blank lines separate paragraphs). */
export const IMPORT_FORMATS = ['markdown', 'html', 'text'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const ImportFormatSchema = Type.Union([Type.Literal('markdown'), Type.Literal('html'), Type.Literal('text')]);

/** Largest source, in UTF-8 bytes (a larger one is refused with 413). */
export const MAX_IMPORT_BYTES = 1024 * 1024;
/** Most clauses one import makes. */
export const MAX_IMPORT_CLAUSES = 2000;

/** The JSON body may be larger than the source it carries (escaping); the source's own limit is checked on its bytes. */
const Source = Type.String({ minLength: 1, description: `The file's text; at most ${MAX_IMPORT_BYTES} bytes of UTF-8` });

export const ImportDefinitionBody = Type.Object(
  {
    format: ImportFormatSchema,
    source: Source,
    /** Default: the source's leading level-1 heading (or an HTML document's <title>). */
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: PRINTABLE_LINE })),
    /** Default: made from the title. */
    slug: Type.Optional(Type.String({ pattern: SLUG_PATTERN, minLength: 3, maxLength: 40 })),
    /** True: answer what would be created, and write nothing. */
    preview: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ImportDefinitionBody = Static<typeof ImportDefinitionBody>;

/** A hash of the draft's clauses (ids, kinds, Markdown in reading order): what a preview was made against. */
export const DraftHead = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 (hex) of the draft text a preview compared against' });

export const ImportIntoDraftBody = Type.Object(
  {
    format: ImportFormatSchema,
    source: Source,
    preview: Type.Optional(Type.Boolean()),
    /** The `head` of the preview being applied: refused with 409 if the draft changed since. */
    expectedHead: Type.Optional(DraftHead),
  },
  { additionalProperties: false },
);
export type ImportIntoDraftBody = Static<typeof ImportIntoDraftBody>;

/** Something of the source that the clause schema cannot hold, and what became of it. */
export const ImportWarning = Type.Object({
  message: Type.String(),
  /** 1-based line of the source where it is. */
  line: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type ImportWarning = Static<typeof ImportWarning>;

export const ImportedClause = Type.Object({
  kind: ClauseKind,
  text: Type.String({ description: 'Plain text' }),
  markdown: Type.String(),
  html: Type.String({ description: 'The clause as sanitized HTML, as a draft clause is shown (headings: empty, shown as their text)' }),
});
export type ImportedClause = Static<typeof ImportedClause>;

/** What an import of a new definition would create. */
export const DefinitionImportPreview = Type.Object({
  /** The title it would get (null: the source has none; then one must be given). */
  title: Type.Union([Type.String(), Type.Null()]),
  clauses: Type.Array(ImportedClause),
  warnings: Type.Array(ImportWarning),
  /** What was recognised as not being clause text and left out (a title, a Draftroom export's labels and record). */
  stripped: Type.Array(Type.String()),
});
export type DefinitionImportPreview = Static<typeof DefinitionImportPreview>;

/** An import into an existing draft: before applying, the changes it would make; after, the ones it made. */
export const DraftImport = Type.Object({
  applied: Type.Boolean(),
  /** From the current draft ("current") to the imported text ("imported"), clause by clause, as versions are compared. */
  diff: DefinitionDiff,
  /** Before applying: the head of the draft compared against (send it back as expectedHead); after: the new draft's head. */
  head: Type.String(),
  warnings: Type.Array(ImportWarning),
  stripped: Type.Array(Type.String()),
});
export type DraftImport = Static<typeof DraftImport>;

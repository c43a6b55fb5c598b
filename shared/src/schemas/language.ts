import { Type, type Static } from 'typebox';
import { Uuid } from './common.ts';

/** The requirement-language report of a definition's draft (language/checks.ts): never blocking, only marks. */
export const LanguageReportSchema = Type.Object({
  /** Terms the text defines (a quoted phrase followed by "means", "is defined as", "refers to" or "is"), each with its defining clause. */
  terms: Type.Array(
    Type.Object({
      term: Type.String(),
      clauseId: Uuid,
      label: Type.String(),
      /** Found in the text as a quoted definition, or kept in the definition's glossary (then with the entry's id, to remove it). */
      source: Type.Union([Type.Literal('definition'), Type.Literal('glossary')]),
      glossaryId: Type.Union([Uuid, Type.Null()]),
    }),
  ),
  /** Whether the group turned the checks on for this definition: the editor shows the marks only then. */
  enabled: Type.Boolean(),
  /** What the reader may change: `configure` (turn the checks on or off, keep the glossary) for chairs and editors. */
  allowedActions: Type.Array(Type.Literal('configure')),
  /** Whether the text uses RFC 2119 keywords in capitals (the keyword checks apply only then). */
  usesKeywords: Type.Boolean(),
  warnings: Type.Array(
    Type.Object({
      kind: Type.Union([
        Type.Literal('used_before_definition'),
        Type.Literal('different_form'),
        Type.Literal('lowercase_keyword'),
        Type.Literal('mixed_keywords'),
        Type.Literal('not_a_keyword'),
      ]),
      clauseId: Uuid,
      label: Type.String(),
      /** Where in the clause's plain text. */
      from: Type.Integer(),
      to: Type.Integer(),
      found: Type.String(),
      message: Type.String(),
    }),
  ),
});

export const LanguageSettingsBody = Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false });
export type LanguageSettingsBody = Static<typeof LanguageSettingsBody>;

export const AddGlossaryTermBody = Type.Object(
  {
    term: Type.String({ minLength: 2, maxLength: 80, pattern: '\\S' }),
    /** The clause of the draft that defines it. */
    clauseId: Uuid,
  },
  { additionalProperties: false },
);
export type AddGlossaryTermBody = Static<typeof AddGlossaryTermBody>;

export const GlossaryTermParams = Type.Object({ id: Uuid, termId: Uuid });

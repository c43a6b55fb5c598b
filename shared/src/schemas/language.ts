import { Type } from 'typebox';
import { Uuid } from './common.ts';

/** The requirement-language report of a definition's draft (language/checks.ts): never blocking, only marks. */
export const LanguageReportSchema = Type.Object({
  /** Terms the text defines (a quoted phrase followed by "means", "is defined as", "refers to" or "is"), each with its defining clause. */
  terms: Type.Array(Type.Object({ term: Type.String(), clauseId: Uuid, label: Type.String() })),
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

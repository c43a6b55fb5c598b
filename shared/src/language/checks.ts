/*
 * Requirement language, checked gently: the terms a definition defines (and where), terms used before
 * their definition or in another form, and RFC 2119 keywords used inconsistently. Pure functions over
 * the clauses' plain text in reading order; nothing here blocks an edit — it only marks.
 */

export interface LanguageClause {
  id: string;
  label: string;
  text: string;
}

export interface DefinedTerm {
  term: string;
  clauseId: string;
  label: string;
  /** `definition`: found in the text ("“X” means …"); `glossary`: kept in the definition's glossary (with its entry's id). */
  source: 'definition' | 'glossary';
  glossaryId: string | null;
}

/** A glossary entry: the term and the clause that defines it (kept by the group, for terms the text does not define in quotes). */
export interface GlossaryEntry {
  id: string;
  term: string;
  clauseId: string;
}

/** How a term is compared: case, and runs of spaces or hyphens, do not count. */
export const termKey = (term: string) =>
  term
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, ' ');

export type LanguageWarningKind = 'used_before_definition' | 'different_form' | 'lowercase_keyword' | 'mixed_keywords' | 'not_a_keyword';

export interface LanguageWarning {
  kind: LanguageWarningKind;
  clauseId: string;
  label: string;
  /** Where in the clause's plain text, and the words found there. */
  from: number;
  to: number;
  found: string;
  message: string;
}

export interface LanguageReport {
  terms: DefinedTerm[];
  /** Whether the text uses RFC 2119 keywords (in capitals) at all: the keyword checks apply only then. */
  usesKeywords: boolean;
  warnings: LanguageWarning[];
}

const QUOTED_DEFINITION = /[“"]([^“”"\n]{2,80})[”"]\s+(?:means|is defined as|refers to|is)\b/g;
const KEYWORDS = /\b(MUST NOT|SHALL NOT|SHOULD NOT|MUST|SHALL|SHOULD|REQUIRED|RECOMMENDED|MAY|OPTIONAL)\b/g;
const LOWERCASE_KEYWORDS = /\b(must not|shall not|should not|must|shall|should)\b/g;
const MAY_NOT = /\bMAY NOT\b/g;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The term with any run of spaces or hyphens between its words, in any case: the forms it may be written in. */
function formsOf(term: string): RegExp {
  const words = term
    .trim()
    .split(/[\s-]+/)
    .map(escapeRegExp);
  return new RegExp(`(?<![\\p{L}\\p{N}])${words.join('[\\s\\-]+')}(?![\\p{L}\\p{N}])`, 'giu');
}

/** Terms defined by a quoted phrase followed by "means", "is defined as", "refers to" or "is": the first definition of each counts. */
export function definedTerms(clauses: readonly LanguageClause[]): DefinedTerm[] {
  const terms = new Map<string, DefinedTerm>();
  for (const clause of clauses) {
    for (const match of clause.text.matchAll(QUOTED_DEFINITION)) {
      const term = match[1]!.trim();
      const key = termKey(term);
      if (!terms.has(key)) terms.set(key, { term, clauseId: clause.id, label: clause.label, source: 'definition', glossaryId: null });
    }
  }
  return [...terms.values()];
}

/**
 * Every check over the clauses, in reading order; at most `limit` warnings (the report says what it found
 * first). Glossary entries come first and win over a definition found in the text for the same term (the
 * group said where it is defined); an entry whose clause is no longer in the text is listed, not checked.
 */
export function checkLanguage(clauses: readonly LanguageClause[], limit = 500, glossary: readonly GlossaryEntry[] = []): LanguageReport {
  const labelOf = new Map(clauses.map((clause) => [clause.id, clause.label]));
  const kept = new Map<string, DefinedTerm>();
  for (const entry of glossary) {
    const key = termKey(entry.term);
    if (!kept.has(key))
      kept.set(key, {
        term: entry.term.trim(),
        clauseId: entry.clauseId,
        label: labelOf.get(entry.clauseId) ?? 'a removed clause',
        source: 'glossary',
        glossaryId: entry.id,
      });
  }
  const terms = [...kept.values(), ...definedTerms(clauses).filter((term) => !kept.has(termKey(term.term)))];
  const warnings: LanguageWarning[] = [];
  const warn = (warning: LanguageWarning) => {
    if (warnings.length < limit) warnings.push(warning);
  };
  const order = new Map(clauses.map((clause, index) => [clause.id, index]));

  for (const term of terms) {
    const defining = order.get(term.clauseId);
    // A term of no letters or digits ("--") would match every gap between words: it marks nothing.
    if (defining === undefined || !/[\p{L}\p{N}]/u.test(term.term)) continue;
    const forms = formsOf(term.term);
    for (const [index, clause] of clauses.entries()) {
      for (const match of clause.text.matchAll(forms)) {
        const found = match[0];
        const from = match.index;
        // The definition itself, in its quotes.
        if (index === defining && /[“"]$/.test(clause.text.slice(0, from)) && /^[”"]/.test(clause.text.slice(from + found.length))) continue;
        if (index < defining)
          warn({
            kind: 'used_before_definition',
            clauseId: clause.id,
            label: clause.label,
            from,
            to: from + found.length,
            found,
            message: `“${found}” is used before ${term.label} defines it`,
          });
        else if (found !== term.term)
          warn({
            kind: 'different_form',
            clauseId: clause.id,
            label: clause.label,
            from,
            to: from + found.length,
            found,
            message: `“${found}” is written differently from the defined term “${term.term}” (${term.label})`,
          });
      }
    }
  }

  const keywords = clauses.flatMap((clause) => [...clause.text.matchAll(KEYWORDS)].map((match) => ({ clause, match })));
  const usesKeywords = keywords.length > 0;
  if (usesKeywords) {
    const shall = keywords.find(({ match }) => match[1]!.startsWith('SHALL'));
    const must = keywords.find(({ match }) => match[1]!.startsWith('MUST'));
    if (shall && must)
      warn({
        kind: 'mixed_keywords',
        clauseId: shall.clause.id,
        label: shall.clause.label,
        from: shall.match.index,
        to: shall.match.index + shall.match[0].length,
        found: shall.match[0],
        message: `Both SHALL (${shall.clause.label}) and MUST (${must.clause.label}) are used: RFC 2119 makes them equal — pick one`,
      });
    for (const clause of clauses) {
      for (const match of clause.text.matchAll(LOWERCASE_KEYWORDS))
        warn({
          kind: 'lowercase_keyword',
          clauseId: clause.id,
          label: clause.label,
          from: match.index,
          to: match.index + match[0].length,
          found: match[0],
          message: `“${match[0]}” in lower case: if it is a requirement, write ${match[0].toUpperCase()}; if not, consider other words`,
        });
    }
  }
  for (const clause of clauses) {
    for (const match of clause.text.matchAll(MAY_NOT))
      warn({
        kind: 'not_a_keyword',
        clauseId: clause.id,
        label: clause.label,
        from: match.index,
        to: match.index + match[0].length,
        found: match[0],
        message: 'MAY NOT is not an RFC 2119 keyword and reads two ways: write MUST NOT, or NEED NOT',
      });
  }
  warnings.sort((a, b) => order.get(a.clauseId)! - order.get(b.clauseId)! || a.from - b.from);
  return { terms, usesKeywords, warnings };
}

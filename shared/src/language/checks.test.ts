import { describe, expect, it } from 'vitest';
import { checkLanguage, definedTerms, type LanguageClause } from './checks.ts';

const clauses = (...texts: string[]): LanguageClause[] => texts.map((text, i) => ({ id: `c${i + 1}`, label: `Clause ${i + 1}`, text }));

describe('requirement language', () => {
  it('finds the terms a definition defines, and where (the first definition counts)', () => {
    const text = clauses(
      'Preamble.',
      '“AI system” means a machine-based system that infers from input how to generate outputs.',
      '"Open Source AI" is an AI system made available under terms that grant the freedoms.',
      '“AI system” means something else here.',
    );
    expect(definedTerms(text)).toEqual([
      { term: 'AI system', clauseId: 'c2', label: 'Clause 2', source: 'definition', glossaryId: null },
      { term: 'Open Source AI', clauseId: 'c3', label: 'Clause 3', source: 'definition', glossaryId: null },
    ]);
  });

  it('checks glossary terms like defined ones; an entry wins over a quoted definition of the same term; a removed clause is listed, not checked', () => {
    const text = clauses(
      'Every AI system publishes its weights. Data information is required.',
      'Data information: sufficiently detailed information about the training data.',
      '“AI system” means a machine-based system. An AI-System infers.',
      'Model parameters are published; data-information is kept.',
    );
    const report = checkLanguage(text, 500, [
      { id: 'g1', term: 'Data information', clauseId: 'c2' },
      { id: 'g2', term: 'ai system', clauseId: 'c3' },
      { id: 'g3', term: 'Model parameters', clauseId: 'gone' },
      // A second entry for a term already kept: the first counts.
      { id: 'g4', term: 'DATA  information', clauseId: 'c4' },
      // No letters: listed, never matched (it would match every space).
      { id: 'g5', term: '--', clauseId: 'c1' },
    ]);
    expect(report.terms).toEqual([
      { term: 'Data information', clauseId: 'c2', label: 'Clause 2', source: 'glossary', glossaryId: 'g1' },
      { term: 'ai system', clauseId: 'c3', label: 'Clause 3', source: 'glossary', glossaryId: 'g2' },
      { term: 'Model parameters', clauseId: 'gone', label: 'a removed clause', source: 'glossary', glossaryId: 'g3' },
      { term: '--', clauseId: 'c1', label: 'Clause 1', source: 'glossary', glossaryId: 'g5' },
    ]);
    expect(report.warnings.map((w) => [w.kind, w.label, w.found])).toEqual([
      ['used_before_definition', 'Clause 1', 'AI system'],
      ['used_before_definition', 'Clause 1', 'Data information'],
      // The glossary spells it in lower case: the text's capitals differ from it (the quoted definition itself is left alone).
      ['different_form', 'Clause 3', 'AI-System'],
      ['different_form', 'Clause 4', 'data-information'],
    ]);
  });

  it('marks a term used before its definition, or in another form — not the definition itself', () => {
    const report = checkLanguage(
      clauses(
        'An Open Source AI grants four freedoms.',
        '“Open Source AI” means an AI system made available under OSI-approved terms.',
        'Every open-source AI lists its data. Open Source AI includes its weights. Open SourceAI is not a form.',
      ),
    );
    expect(report.warnings.map((w) => [w.kind, w.label, w.found, w.from])).toEqual([
      ['used_before_definition', 'Clause 1', 'Open Source AI', 3],
      ['different_form', 'Clause 3', 'open-source AI', 6],
    ]);
    expect(report.warnings[0]!.message).toBe('“Open Source AI” is used before Clause 2 defines it');
  });

  it('checks RFC 2119 keywords only when the text uses them: lower case, SHALL with MUST, MAY NOT', () => {
    // No keyword in capitals: ordinary words are left alone.
    expect(checkLanguage(clauses('Users must read this.', 'It should be clear.')).warnings).toEqual([]);
    const report = checkLanguage(
      clauses('The system MUST publish its code.', 'Its data SHALL be described; users must be told.', 'Weights MAY NOT be withheld.'),
    );
    expect(report.usesKeywords).toBe(true);
    expect(report.warnings.map((w) => [w.kind, w.label, w.found])).toEqual([
      ['mixed_keywords', 'Clause 2', 'SHALL'],
      ['lowercase_keyword', 'Clause 2', 'must'],
      ['not_a_keyword', 'Clause 3', 'MAY NOT'],
    ]);
    // MAY NOT is ambiguous whatever else the text does.
    expect(checkLanguage(clauses('You MAY NOT do that.')).warnings.map((w) => w.kind)).toEqual(['not_a_keyword']);
  });

  it('stays linear on text built to be slow, and caps its warnings', () => {
    const long = `“${'a '.repeat(30).trim()}” means x. ${'a '.repeat(50_000)}`;
    const started = performance.now();
    const report = checkLanguage(clauses(long, `${'must '.repeat(2000)} MUST`), 100);
    expect(report.warnings).toHaveLength(100);
    // Generous: a backtracking pattern would take seconds to minutes here.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

import { describe, expect, it } from 'vitest';
import { draftHead, matchClauses } from './match.ts';

const draft = (...clauses: [string, 'heading' | 'clause', string][]) => clauses.map(([id, kind, markdown]) => ({ id, kind, markdown }));
const incoming = (...clauses: ['heading' | 'clause', string][]) => clauses.map(([kind, markdown]) => ({ kind, markdown }));

describe('matching imported clauses to the draft’s', () => {
  it('keeps identical clauses, pairs reworded ones by position within their kind, and adds or removes the rest', () => {
    const current = draft(
      ['h1', 'heading', 'Preamble'],
      ['c1', 'clause', 'Old wording.'],
      ['c2', 'clause', 'Kept.'],
      ['c3', 'clause', 'Dropped.'],
      ['h2', 'heading', 'End'],
    );
    const next = incoming(['heading', 'Preamble'], ['clause', 'New wording.'], ['clause', 'Kept.'], ['heading', 'End'], ['clause', 'Added at the end.']);
    // c3 sits between "Kept." and "End" with nothing imported there: removed. The last clause has no counterpart: new.
    expect(matchClauses(current, next)).toEqual(['h1', 'c1', 'c2', 'h2', null]);
  });

  it('finds a moved clause by its text, wherever it went', () => {
    const current = draft(['a', 'clause', 'First.'], ['b', 'clause', 'Second.'], ['c', 'clause', 'Third.']);
    expect(matchClauses(current, incoming(['clause', 'Third.'], ['clause', 'First.'], ['clause', 'Second.']))).toEqual(['c', 'a', 'b']);
  });

  it('never matches a heading with a clause, nor one draft clause twice', () => {
    const current = draft(['h', 'heading', 'Title'], ['c', 'clause', 'Body.']);
    expect(matchClauses(current, incoming(['clause', 'Title'], ['heading', 'Body.']))).toEqual(['c', 'h']);
    expect(matchClauses(current, incoming(['clause', 'Body.'], ['clause', 'Body.'], ['clause', 'Other.']))).toEqual(['c', null, null]);
    expect(matchClauses(current, incoming(['clause', 'One.'], ['clause', 'Two.']))).toEqual(['c', null]);
  });

  it('pairs within each gap between identical clauses, not across them', () => {
    const current = draft(['x', 'clause', 'X old.'], ['k', 'clause', 'Anchor.'], ['y', 'clause', 'Y old.']);
    // "Y new" comes after the anchor: it continues y, not x (x has nothing after it before the anchor).
    expect(matchClauses(current, incoming(['clause', 'Anchor.'], ['clause', 'Y new.']))).toEqual(['k', 'y']);
  });

  it('hashes the draft by ids, kinds and Markdown in order', () => {
    const current = draft(['a', 'clause', 'One.'], ['b', 'clause', 'Two.']);
    expect(draftHead(current)).toMatch(/^[0-9a-f]{64}$/);
    expect(draftHead(current)).toBe(draftHead(draft(['a', 'clause', 'One.'], ['b', 'clause', 'Two.'])));
    expect(draftHead(current)).not.toBe(draftHead(draft(['b', 'clause', 'Two.'], ['a', 'clause', 'One.'])));
    expect(draftHead(current)).not.toBe(draftHead(draft(['a', 'clause', '*One.*'], ['b', 'clause', 'Two.'])));
    expect(draftHead(current)).not.toBe(draftHead(draft(['a', 'heading', 'One.'], ['b', 'clause', 'Two.'])));
  });
});

import { describe, expect, it } from 'vitest';
import { clauseLabelMap, clauseLabels } from '../index.ts';

describe('clause numbering', () => {
  it('numbers headings and clauses separately, in reading order', () => {
    expect(clauseLabels(['heading', 'clause', 'clause', 'heading', 'clause'])).toEqual(['Heading 1', 'Clause 1', 'Clause 2', 'Heading 2', 'Clause 3']);
  });

  it('does not count headings as clauses: the fourth clause after three headings is Clause 4', () => {
    const kinds = ['heading', 'clause', 'heading', 'clause', 'clause', 'heading', 'clause'] as const;
    expect(clauseLabels(kinds)).toEqual(['Heading 1', 'Clause 1', 'Heading 2', 'Clause 2', 'Clause 3', 'Heading 3', 'Clause 4']);
  });

  it('numbers a text of clauses only, or of headings only, from 1', () => {
    expect(clauseLabels(['clause', 'clause'])).toEqual(['Clause 1', 'Clause 2']);
    expect(clauseLabels(['heading', 'heading'])).toEqual(['Heading 1', 'Heading 2']);
  });

  it('has nothing to number in an empty text', () => {
    expect(clauseLabels([])).toEqual([]);
    expect(clauseLabelMap([]).size).toBe(0);
  });

  it('maps clause ids to the same labels', () => {
    const labels = clauseLabelMap([
      { id: 'scope', kind: 'heading' },
      { id: 'a', kind: 'clause' },
      { id: 'b', kind: 'clause' },
      { id: 'freedoms', kind: 'heading' },
      { id: 'c', kind: 'clause' },
    ]);
    expect([...labels]).toEqual([
      ['scope', 'Heading 1'],
      ['a', 'Clause 1'],
      ['b', 'Clause 2'],
      ['freedoms', 'Heading 2'],
      ['c', 'Clause 3'],
    ]);
    expect(labels.get('removed')).toBeUndefined();
  });
});

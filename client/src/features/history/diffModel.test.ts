import type { ClauseDiff, DefinitionDiff } from '@draftroom/shared';
import { describe, expect, it } from 'vitest';
import { blocksOf, labelsOf, movedText, sideLabels, summaryText } from './diffModel.ts';

const clause = (
  clauseId: string,
  status: ClauseDiff['status'],
  fromPosition: number | null,
  toPosition: number | null,
  kind: ClauseDiff['kind'] = 'clause',
): ClauseDiff => ({
  clauseId,
  status,
  textChanged: status === 'modified',
  kind,
  fromPosition,
  toPosition,
  fromText: fromPosition === null ? null : clauseId,
  toText: toPosition === null ? null : clauseId,
  changes: [],
});

const diffOf = (clauses: ClauseDiff[]): DefinitionDiff => ({
  from: '0.1',
  to: 'current',
  summary: { added: 0, removed: 0, moved: 0, modified: 0, unchanged: 0 },
  clauses,
});

describe('the comparison model', () => {
  it('names clauses as the newer text numbers them, and removed ones as the older text did', () => {
    const names = labelsOf(
      diffOf([clause('h', 'unchanged', 0, 0, 'heading'), clause('gone', 'removed', 1, null), clause('a', 'added', null, 1), clause('b', 'moved', 2, 2)]),
    );
    expect([...names]).toEqual([
      ['h', 'Heading 1'],
      ['gone', 'Clause 1 (removed)'],
      ['a', 'Clause 1'],
      ['b', 'Clause 2'],
    ]);
  });

  it('says where a moved clause went by its labels, not by positions that count headings', () => {
    // Before: Heading 1, Clause 1 (a), Clause 2 (b). After: Clause 1 (b), Heading 1, Clause 2 (a).
    const diff = diffOf([clause('b', 'moved', 2, 0), clause('h', 'unchanged', 0, 1, 'heading'), clause('a', 'unchanged', 1, 2)]);
    const { before, after } = sideLabels(diff);
    expect(movedText(before.get('b')!, after.get('b')!)).toBe('Moved from clause 2 to clause 1.');
    expect(movedText(before.get('a')!, after.get('a')!)).toBe('Moved from clause 1 to clause 2.');
    expect(movedText('Clause 1', 'Clause 1')).toBe('Moved; still clause 1.');
  });

  it('folds each run of unchanged clauses into one block, keeping the changes in order', () => {
    const blocks = blocksOf([clause('1', 'unchanged', 0, 0), clause('2', 'unchanged', 1, 1), clause('3', 'modified', 2, 2), clause('4', 'unchanged', 3, 3)]);
    expect(blocks.map((block) => (block.type === 'clause' ? block.clause.clauseId : block.clauses.map((c) => c.clauseId).join('+')))).toEqual([
      '1+2',
      '3',
      '4',
    ]);
  });

  it('counts every status in the summary', () => {
    expect(summaryText({ added: 1, removed: 2, moved: 0, modified: 3, unchanged: 4 })).toBe('3 modified, 1 added, 2 removed, 0 moved, 4 unchanged');
  });
});

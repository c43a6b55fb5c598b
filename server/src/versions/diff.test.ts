import { describe, expect, it } from 'vitest';
import { diffDefinitions, wordChanges, type ClauseSnapshot } from './diff.ts';

const c = (id: string, text: string, kind: 'heading' | 'clause' = 'clause'): ClauseSnapshot => ({ id, kind, text });

describe('definition diff', () => {
  it('reports added, removed, modified and unchanged clauses in the newer order', () => {
    const from = [c('a', 'Preamble', 'heading'), c('b', 'Training data is required.'), c('c', 'Code must be available.')];
    const to = [c('a', 'Preamble', 'heading'), c('b', 'Training data is not required.'), c('d', 'Parameters must be shared.')];
    const diff = diffDefinitions('0.0.8', '0.0.9', from, to);
    expect(diff.summary).toEqual({ added: 1, removed: 1, moved: 0, modified: 1, unchanged: 1 });
    expect(diff.clauses.map((x) => [x.clauseId, x.status])).toEqual([
      ['a', 'unchanged'],
      ['b', 'modified'],
      ['c', 'removed'],
      ['d', 'added'],
    ]);
    const modified = diff.clauses[1]!;
    expect(modified.changes.filter((w) => w.kind !== 'equal')).toEqual([{ kind: 'insert', text: 'not ' }]);
    expect(diff.clauses[3]).toMatchObject({ fromPosition: null, toPosition: 2, fromText: null, toText: 'Parameters must be shared.' });
    expect(diff.clauses[2]).toMatchObject({ fromPosition: 2, toPosition: null, toText: null });
  });

  it('calls a clause moved only when it left the common order, and says whether its text changed', () => {
    const from = [c('a', 'one'), c('b', 'two'), c('c', 'three'), c('d', 'four')];
    const to = [c('a', 'one'), c('c', 'three'), c('d', 'four'), c('b', 'two, revised')];
    const diff = diffDefinitions('1', '2', from, to);
    expect(diff.clauses.map((x) => [x.clauseId, x.status, x.textChanged])).toEqual([
      ['a', 'unchanged', false],
      ['c', 'unchanged', false],
      ['d', 'unchanged', false],
      ['b', 'moved', true],
    ]);
    expect(diff.clauses[3]!.changes.some((w) => w.kind === 'insert' && w.text.includes('revised'))).toBe(true);
  });

  it('keeps removed clauses where they used to be, including at the start', () => {
    const diff = diffDefinitions('1', '2', [c('x', 'gone first'), c('a', 'kept'), c('y', 'gone after a')], [c('a', 'kept')]);
    expect(diff.clauses.map((x) => [x.clauseId, x.status])).toEqual([
      ['x', 'removed'],
      ['a', 'unchanged'],
      ['y', 'removed'],
    ]);
  });

  it('diffs by word, keeping whitespace and punctuation', () => {
    expect(wordChanges('use, study and share', 'use, study, modify and share')).toEqual([
      { kind: 'equal', text: 'use, study' },
      { kind: 'insert', text: ', modify ' },
      { kind: 'equal', text: 'and share' },
    ]);
  });

  it('treats a formatting-only change as modified and shows it on the Markdown', () => {
    const before = { id: 'a', kind: 'clause' as const, text: 'Use it freely.', markdown: 'Use it freely.' };
    const after = { id: 'a', kind: 'clause' as const, text: 'Use it freely.', markdown: 'Use it **freely**.' };
    const diff = diffDefinitions('1', '2', [before], [after]);
    expect(diff.clauses[0]).toMatchObject({ status: 'modified', textChanged: true });
    const changes = diff.clauses[0]!.changes;
    expect(changes.filter((w) => w.kind !== 'equal').map((w) => `${w.kind}:${w.text}`)).toEqual(['insert:**', 'insert:**']);
    expect(
      changes
        .filter((w) => w.kind !== 'delete')
        .map((w) => w.text)
        .join(''),
    ).toBe('Use it **freely**.');
  });

  it('handles identical and empty texts', () => {
    expect(diffDefinitions('a', 'b', [], []).clauses).toEqual([]);
    const same = diffDefinitions('a', 'b', [c('a', 'x')], [c('a', 'x')]);
    expect(same.summary.unchanged).toBe(1);
    expect(same.clauses[0]!.changes).toEqual([]);
  });
});

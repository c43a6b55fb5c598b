import type { ChecklistRow, SheetRow, Verdict } from '@draftroom/shared';
import { describe, expect, it } from 'vitest';
import { disagreeingCells, finalCells, outcomeOf, requiredCells, UnresolvedCells, unmarkedCells } from './rules.ts';

// Two components: weights required for all four freedoms, training code only for Study and Modify.
const rows: ChecklistRow[] = [
  { id: 'r1', component: 'Model parameters', category: 'Model', required: [true, true, true, true], criteria: [] },
  { id: 'r2', component: 'Training code', category: 'Code', required: [false, true, true, false], criteria: [] },
];
const sheet = (r1: (Verdict | null)[], r2: (Verdict | null)[]): SheetRow[] => [
  { rowId: 'r1', evidence: [], verdicts: r1, note: '' },
  { rowId: 'r2', evidence: [], verdicts: r2, note: '' },
];
const allow4: Verdict[] = ['allows', 'allows', 'allows', 'allows'];

describe('conformance rules', () => {
  it('asks only about the cells the checklist requires', () => {
    expect(requiredCells(rows).map((c) => `${c.rowId}/${c.freedom}`)).toEqual(['r1/0', 'r1/1', 'r1/2', 'r1/3', 'r2/1', 'r2/2']);
    expect(unmarkedCells(rows, sheet(allow4, [null, 'allows', null, null]))).toEqual([{ rowId: 'r2', freedom: 2 }]);
    // A verdict on a cell the checklist does not require is not needed.
    expect(unmarkedCells(rows, sheet(allow4, [null, 'allows', 'allows', null]))).toEqual([]);
  });

  it('lists the cells the reviewers marked differently, and only those', () => {
    const a = sheet(allow4, [null, 'allows', 'allows', null]);
    const b = sheet(['allows', 'allows', 'restricts', 'allows'], [null, 'allows', 'not_available', null]);
    expect(disagreeingCells(rows, [a, b])).toEqual([
      { rowId: 'r1', freedom: 2 },
      { rowId: 'r2', freedom: 2 },
    ]);
    expect(disagreeingCells(rows, [a, a])).toEqual([]);
  });

  it('settles cells by agreement or by the chair, and refuses while a disagreement is open', () => {
    const a = sheet(allow4, [null, 'allows', 'allows', null]);
    const b = sheet(['allows', 'allows', 'restricts', 'allows'], [null, 'allows', 'allows', null]);
    expect(() => finalCells(rows, [a, b], [])).toThrow(UnresolvedCells);
    const cells = finalCells(rows, [a, b], [{ rowId: 'r1', freedom: 2, verdict: 'restricts', condition: 'relicense the weights' }]);
    expect(cells.find((c) => c.rowId === 'r1' && c.freedom === 2)).toEqual({
      rowId: 'r1',
      freedom: 2,
      verdict: 'restricts',
      settledBy: 'chair',
      condition: 'relicense the weights',
    });
    expect(cells.find((c) => c.rowId === 'r2' && c.freedom === 1)).toEqual({
      rowId: 'r2',
      freedom: 1,
      verdict: 'allows',
      settledBy: 'agreement',
      condition: null,
    });
    // A condition on an Allows cell means nothing and is dropped.
    const allowed = finalCells(rows, [a, a], [{ rowId: 'r1', freedom: 0, verdict: 'allows', condition: 'stray' }]);
    expect(allowed[0]!.condition).toBeNull();
  });

  it('gives Conformant, Conformant if… (with every condition once) or Not conformant under the frozen rule', () => {
    const a = sheet(allow4, [null, 'allows', 'allows', null]);
    const cells = finalCells(rows, [a, a], []);
    expect(outcomeOf({ curable: ['restricts'] }, cells)).toEqual({ outcome: 'conformant', conditions: [], uncured: [] });

    const restricted = finalCells(
      rows,
      [a, a],
      [
        { rowId: 'r1', freedom: 0, verdict: 'restricts', condition: 'weights under an OSI-approved licence' },
        { rowId: 'r1', freedom: 3, verdict: 'restricts', condition: 'weights under an OSI-approved licence' },
        { rowId: 'r2', freedom: 2, verdict: 'restricts', condition: 'training code under Apache-2.0' },
      ],
    );
    expect(outcomeOf({ curable: ['restricts'] }, restricted)).toEqual({
      outcome: 'conditional',
      conditions: ['weights under an OSI-approved licence', 'training code under Apache-2.0'],
      uncured: [],
    });
    // The same cells under a rule that cures nothing.
    expect(outcomeOf({ curable: [] }, restricted).outcome).toBe('not_conformant');

    // Not available is not curable under the default rule, whatever the conditions say.
    const missing = finalCells(rows, [a, a], [{ rowId: 'r2', freedom: 1, verdict: 'not_available', condition: 'publish it' }]);
    expect(outcomeOf({ curable: ['restricts'] }, missing).outcome).toBe('not_conformant');
    expect(outcomeOf({ curable: ['restricts', 'not_available'] }, missing).outcome).toBe('conditional');
  });

  it('names curable cells that lack a condition (the chair must say what would cure them)', () => {
    const a = sheet(['allows', 'allows', 'allows', 'restricts'], [null, 'allows', 'allows', null]);
    const cells = finalCells(rows, [a, a], []);
    expect(outcomeOf({ curable: ['restricts'] }, cells)).toEqual({
      outcome: 'conditional',
      conditions: [],
      uncured: [{ rowId: 'r1', freedom: 3, verdict: 'restricts', settledBy: 'agreement', condition: null }],
    });
  });
});

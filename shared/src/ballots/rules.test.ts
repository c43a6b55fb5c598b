import { describe, expect, it } from 'vitest';
import type { StandardPosition } from '../schemas/ballots.ts';
import { computeChoiceResult, computeMatrixResult, computeResult, type MatrixVote } from './rules.ts';

const votes = (spec: Partial<Record<StandardPosition, number>>): StandardPosition[] =>
  Object.entries(spec).flatMap(([position, n]) => Array<StandardPosition>(n!).fill(position as StandardPosition));

const binding = { kind: 'binding' as const, quorum: 0.5, threshold: 2 / 3, blockingObjectionFails: false };

describe('ballot results', () => {
  it.each([
    // [label, rules, eligible, votes, outcome, decidedBy prefix]
    ['two thirds exactly passes', binding, 9, votes({ yes: 4, object: 2 }), 'passed', 'threshold'],
    ['just under two thirds fails', binding, 9, votes({ yes: 3, object: 2 }), 'failed', 'threshold'],
    ['abstentions count for quorum but not the threshold', binding, 10, votes({ yes: 2, object: 1, abstain: 2 }), 'passed', 'threshold'],
    ['below quorum', binding, 10, votes({ yes: 4 }), 'no_quorum', 'quorum'],
    ['quorum met exactly', binding, 10, votes({ yes: 5 }), 'passed', 'threshold'],
    ['recusals leave the electorate', binding, 10, votes({ yes: 4, recuse: 2 }), 'passed', 'threshold'],
    ['no-objection is neutral for the threshold', binding, 4, votes({ no_objection: 3 }), 'failed', 'threshold'],
    [
      'blocking objection fails a binding vote when the rule says so',
      { ...binding, blockingObjectionFails: true },
      5,
      votes({ yes: 4, object: 1 }),
      'failed',
      'blocking',
    ],
    ['the same votes pass without that rule', binding, 5, votes({ yes: 4, object: 1 }), 'passed', 'threshold'],
    ['consensus passes with no objection', { ...binding, kind: 'consensus' as const }, 4, votes({ no_objection: 3, yes: 1 }), 'passed', 'consensus'],
    ['consensus fails on one objection', { ...binding, kind: 'consensus' as const }, 4, votes({ yes: 3, object: 1 }), 'failed', 'blocking'],
    ['advisory polls follow the same arithmetic', { ...binding, kind: 'advisory' as const, quorum: 0 }, 50, votes({ yes: 1 }), 'passed', 'threshold'],
    ['zero quorum with nobody voting fails on the threshold', { ...binding, quorum: 0 }, 5, [], 'failed', 'threshold'],
    ['everyone recused is no quorum', binding, 2, votes({ recuse: 2 }), 'no_quorum', 'quorum'],
    ['simple majority threshold', { ...binding, threshold: 0.5 }, 4, votes({ yes: 2, object: 2 }), 'passed', 'threshold'],
    ['unanimity threshold', { ...binding, threshold: 1 }, 4, votes({ yes: 3, object: 1 }), 'failed', 'threshold'],
  ] as const)('%s', (_label, rules, eligible, positions, outcome, decidedBy) => {
    const result = computeResult(rules, eligible, [...positions]);
    expect(result.outcome).toBe(outcome);
    expect(result.decidedBy.startsWith(decidedBy)).toBe(true);
  });

  it('reports turnout and every count', () => {
    const result = computeResult(binding, 12, votes({ yes: 5, no_objection: 1, object: 2, abstain: 1, recuse: 1 }));
    expect(result.turnout).toEqual({ eligible: 12, voted: 9, abstained: 1, recused: 1 });
    expect(result.counts).toEqual({ yes: 5, no_objection: 1, object: 2, abstain: 1, recuse: 1 });
    expect(result.decidedBy).toBe('threshold: 5 Yes of 7 Yes + Object = 71.43%, at least 66.67%');
  });
});

describe('choice results (plurality)', () => {
  const options = [
    { id: 'current', label: 'Keep the current text' },
    { id: 'a1', label: 'Amendment 1' },
    { id: 'a2', label: 'Amendment 2' },
  ];
  const choose = (spec: Record<string, number>) => Object.entries(spec).flatMap(([id, n]) => Array<string>(n).fill(id));
  const plurality = { quorum: 0.5, threshold: 0 };

  it.each([
    ['the most votes wins under plain plurality', plurality, 10, choose({ current: 2, a1: 3, a2: 1 }), 'passed', 'a1', 'plurality'],
    [
      'a tie at the top has no winner',
      plurality,
      10,
      choose({ current: 3, a1: 3 }),
      'failed',
      null,
      'plurality: tie between “Keep the current text” and “Amendment 1”',
    ],
    [
      'a threshold on the winner’s share',
      { quorum: 0.5, threshold: 0.5 },
      10,
      choose({ current: 2, a1: 3, a2: 2 }),
      'failed',
      null,
      'plurality: “Amendment 1” has 3 of 7',
    ],
    ['a majority winner meets a 50% threshold', { quorum: 0.5, threshold: 0.5 }, 10, choose({ current: 1, a2: 4 }), 'passed', 'a2', 'plurality'],
    ['abstentions count for quorum only', plurality, 6, choose({ a2: 1, abstain: 2 }), 'passed', 'a2', 'plurality'],
    ['below quorum', plurality, 10, choose({ a1: 4 }), 'no_quorum', null, 'quorum'],
    ['recusals leave the electorate', plurality, 6, choose({ a1: 2, recuse: 2 }), 'passed', 'a1', 'plurality'],
    ['only abstentions', { quorum: 0, threshold: 0 }, 3, choose({ abstain: 3 }), 'failed', null, 'plurality: nobody chose an option'],
    ['positions that are not options are ignored', plurality, 2, choose({ a1: 1, yes: 1 }), 'passed', 'a1', 'plurality'],
  ] as const)('%s', (_label, rules, eligible, positions, outcome, winner, decidedBy) => {
    const result = computeChoiceResult(rules, eligible, options, [...positions]);
    expect(result.outcome).toBe(outcome);
    expect(result.winner).toBe(winner);
    expect(result.decidedBy.startsWith(decidedBy)).toBe(true);
  });

  it('counts every option, even those nobody chose', () => {
    const result = computeChoiceResult(plurality, 4, options, ['a1', 'a1', 'abstain', 'recuse']);
    expect(result.counts).toEqual({ current: 0, a1: 2, a2: 0, abstain: 1, recuse: 1 });
    expect(result.turnout).toEqual({ eligible: 4, voted: 3, abstained: 1, recused: 1 });
  });
});

describe('component matrix results', () => {
  const R = 'required' as const;
  const N = 'not_required' as const;
  const U = 'unsure' as const;
  const grid = (...marks: (typeof R | typeof N | typeof U)[][]): MatrixVote => ({ position: 'marks', marks });
  const twoThirds = { quorum: 0.5, threshold: 2 / 3 };

  it('gives each cell its verdict, counts and turnout', () => {
    const votes: MatrixVote[] = [grid([R, N]), grid([R, N]), grid([R, U]), { position: 'abstain' }];
    const result = computeMatrixResult(twoThirds, 5, { rows: 1, columns: 2 }, votes);
    expect(result.outcome).toBe('decided');
    expect(result.counts).toEqual({ marks: 3, abstain: 1, recuse: 0 });
    expect(result.cells![0]![0]).toEqual({
      counts: { required: 3, not_required: 0, unsure: 0 },
      turnout: { marked: 3, electorate: 5 },
      share: 1,
      verdict: 'required',
    });
    // 2 of 3 marks with Unsure counted: exactly two thirds decides it.
    expect(result.cells![0]![1]).toMatchObject({ counts: { required: 0, not_required: 2, unsure: 1 }, verdict: 'not_required' });
  });

  it.each([
    ['Unsure counted keeps a cell undecided', { ...twoThirds, countUnsure: true }, [grid([R]), grid([U]), grid([U])], 'undecided'],
    ['Unsure not counted lets the sure marks decide', { ...twoThirds, countUnsure: false }, [grid([R]), grid([U]), grid([U])], 'required'],
    ['an even split is undecided whatever the threshold', { quorum: 0, threshold: 0 }, [grid([R]), grid([N])], 'undecided'],
    ['two of three decide under a two-thirds rule', twoThirds, [grid([R]), grid([R]), grid([N])], 'required'],
    ['just below two thirds', { quorum: 0, threshold: 0.7 }, [grid([R]), grid([R]), grid([N])], 'undecided'],
    ['no marks at all', { quorum: 0, threshold: 0.5 }, [{ position: 'abstain' as const }], 'undecided'],
  ] as const)('%s', (_label, rules, votes, verdict) => {
    const result = computeMatrixResult(rules, 3, { rows: 1, columns: 1 }, [...votes] as MatrixVote[]);
    expect(result.cells![0]![0]!.verdict).toBe(verdict);
  });

  it('without quorum every cell reads no_quorum but keeps its counts', () => {
    const result = computeMatrixResult(twoThirds, 10, { rows: 2, columns: 1 }, [grid([R], [N]), { position: 'recuse' }]);
    expect(result.outcome).toBe('no_quorum');
    expect(result.decidedBy).toBe('quorum: 1 of 9 took part, 5 needed (50%)');
    expect(result.cells!.flat().map((c) => c.verdict)).toEqual(['no_quorum', 'no_quorum']);
    expect(result.cells![1]![0]!.counts.not_required).toBe(1);
  });
});

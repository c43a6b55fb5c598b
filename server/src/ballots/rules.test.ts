import { describe, expect, it } from 'vitest';
import type { StandardPosition } from '@draftroom/shared';
import { computeResult } from './rules.ts';

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
    ['blocking objection fails a binding vote when the rule says so', { ...binding, blockingObjectionFails: true }, 5, votes({ yes: 4, object: 1 }), 'failed', 'blocking'],
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

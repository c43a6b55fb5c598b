import type { BallotResult, BallotRules, StandardPosition } from '@draftroom/shared';

const percent = (share: number) => `${Math.round(share * 10000) / 100}%`;

/**
 * The result of a standard-positions ballot, from its frozen rules, the number of eligible voters at
 * opening and each voter's current position. Pure: the same inputs always give the same result.
 *
 * - Quorum: voters who took part (any position but Recuse) must reach `quorum` × eligible.
 * - Consensus calls and `blockingObjectionFails`: one Object fails it.
 * - Otherwise Yes / (Yes + Object) must reach `threshold`; with neither Yes nor Object it fails.
 */
export function computeResult(rules: Pick<BallotRules, 'kind' | 'quorum' | 'threshold' | 'blockingObjectionFails'>, eligible: number, positions: StandardPosition[]): BallotResult {
  const counts: Record<StandardPosition, number> = { yes: 0, no_objection: 0, object: 0, abstain: 0, recuse: 0 };
  for (const position of positions) counts[position] += 1;
  const recused = counts.recuse;
  const voted = positions.length - recused;
  const turnout = { eligible, voted, abstained: counts.abstain, recused };
  // Recusals leave the electorate: they neither help nor hurt the quorum.
  const electorate = Math.max(0, eligible - recused);
  const needed = Math.ceil(rules.quorum * electorate - 1e-9);
  if (voted < needed || (electorate === 0 && rules.quorum > 0)) {
    return { turnout, counts, outcome: 'no_quorum', decidedBy: `quorum: ${voted} of ${electorate} took part, ${needed} needed (${percent(rules.quorum)})` };
  }
  if ((rules.kind === 'consensus' || rules.blockingObjectionFails) && counts.object > 0) {
    return { turnout, counts, outcome: 'failed', decidedBy: `blocking objection: ${counts.object} Object` };
  }
  if (rules.kind === 'consensus') {
    return { turnout, counts, outcome: 'passed', decidedBy: 'consensus: no objection' };
  }
  const decisive = counts.yes + counts.object;
  if (decisive === 0) {
    return { turnout, counts, outcome: 'failed', decidedBy: 'threshold: nobody voted Yes or Object' };
  }
  const share = counts.yes / decisive;
  const passed = share >= rules.threshold - 1e-9;
  return {
    turnout,
    counts,
    outcome: passed ? 'passed' : 'failed',
    decidedBy: `threshold: ${counts.yes} Yes of ${decisive} Yes + Object = ${percent(share)}, ${passed ? 'at least' : 'below'} ${percent(rules.threshold)}`,
  };
}

import type { BallotOption, BallotResult, BallotRules, CellVerdict, MatrixCellResult, MatrixMark, StandardPosition } from '../schemas/ballots.ts';

const percent = (share: number) => `${Math.round(share * 10000) / 100}%`;

/**
 * The result of a standard-positions ballot, from its frozen rules, the number of eligible voters at
 * opening and each voter's current position. Pure: the same inputs always give the same result.
 *
 * - Quorum: voters who took part (any position but Recuse) must reach `quorum` × eligible.
 * - Consensus calls and `blockingObjectionFails`: one Object fails it.
 * - Otherwise Yes / (Yes + Object) must reach `threshold`; with neither Yes nor Object it fails.
 */
export function computeResult(
  rules: Pick<BallotRules, 'kind' | 'quorum' | 'threshold' | 'blockingObjectionFails'>,
  eligible: number,
  positions: StandardPosition[],
): BallotResult {
  const counts: Record<StandardPosition, number> = { yes: 0, no_objection: 0, object: 0, abstain: 0, recuse: 0 };
  for (const position of positions) counts[position] += 1;
  const recused = counts.recuse;
  const voted = positions.length - recused;
  const turnout = { eligible, voted, abstained: counts.abstain, recused };
  // Recusals leave the electorate: they neither help nor hurt the quorum.
  const quorum = quorumCheck(rules.quorum, eligible, voted, recused);
  if (!quorum.met) return { turnout, counts, outcome: 'no_quorum', decidedBy: quorum.words };
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

function quorumCheck(quorum: number, eligible: number, voted: number, recused: number) {
  const electorate = Math.max(0, eligible - recused);
  const needed = Math.ceil(quorum * electorate - 1e-9);
  const met = !(voted < needed || (electorate === 0 && quorum > 0));
  return { electorate, needed, met, words: `quorum: ${voted} of ${electorate} took part, ${needed} needed (${percent(quorum)})` };
}

/**
 * The result of a choice between options (custom options, or a clause's current text against its
 * amendments). Plurality: the option with the most votes wins if it is alone at the top and holds at
 * least `threshold` of all option votes (0 = plain plurality). Abstain and Recuse work as in
 * `computeResult`. Pure.
 */
export function computeChoiceResult(
  rules: Pick<BallotRules, 'quorum' | 'threshold'>,
  eligible: number,
  options: BallotOption[],
  positions: string[],
): BallotResult {
  const counts: Record<string, number> = Object.fromEntries([...options.map((o) => [o.id, 0] as const), ['abstain', 0], ['recuse', 0]]);
  for (const position of positions) if (position in counts) counts[position]! += 1;
  const recused = counts.recuse!;
  const voted = positions.length - recused;
  const turnout = { eligible, voted, abstained: counts.abstain!, recused };
  const quorum = quorumCheck(rules.quorum, eligible, voted, recused);
  if (!quorum.met) return { turnout, counts, outcome: 'no_quorum', decidedBy: quorum.words, winner: null };
  const optionVotes = options.reduce((sum, o) => sum + counts[o.id]!, 0);
  if (optionVotes === 0) return { turnout, counts, outcome: 'failed', decidedBy: 'plurality: nobody chose an option', winner: null };
  const top = Math.max(...options.map((o) => counts[o.id]!));
  const leaders = options.filter((o) => counts[o.id] === top);
  if (leaders.length > 1) {
    return {
      turnout,
      counts,
      outcome: 'failed',
      decidedBy: `plurality: tie between ${leaders.map((o) => `“${o.label}”`).join(' and ')} with ${top} each`,
      winner: null,
    };
  }
  const leader = leaders[0]!;
  const share = top / optionVotes;
  const passed = share >= rules.threshold - 1e-9;
  return {
    turnout,
    counts,
    outcome: passed ? 'passed' : 'failed',
    decidedBy: `plurality: “${leader.label}” has ${top} of ${optionVotes} option votes = ${percent(share)}, ${passed ? 'at least' : 'below'} ${percent(rules.threshold)}`,
    winner: passed ? leader.id : null,
  };
}

export type MatrixVote = { position: 'marks'; marks: MatrixMark[][] } | { position: 'abstain' | 'recuse' };

/**
 * The component matrix: per cell, Required (or Not required) wins when it is ahead of the other and
 * holds at least `threshold` of the cell's counted marks (Unsure counts in the denominator unless
 * `countUnsure` is false); otherwise the cell is undecided. The quorum applies to the whole ballot
 * (voters who marked the grid or abstained); without it every cell reads `no_quorum`. Pure.
 */
export function computeMatrixResult(
  rules: Pick<BallotRules, 'quorum' | 'threshold' | 'countUnsure'>,
  eligible: number,
  shape: { rows: number; columns: number },
  votes: MatrixVote[],
): BallotResult {
  const counts = { marks: 0, abstain: 0, recuse: 0 };
  for (const vote of votes) counts[vote.position] += 1;
  const voted = counts.marks + counts.abstain;
  const turnout = { eligible, voted, abstained: counts.abstain, recused: counts.recuse };
  const quorum = quorumCheck(rules.quorum, eligible, voted, counts.recuse);
  const countUnsure = rules.countUnsure ?? true;
  const cells: MatrixCellResult[][] = [];
  for (let r = 0; r < shape.rows; r++) {
    const row: MatrixCellResult[] = [];
    for (let c = 0; c < shape.columns; c++) {
      const cell = { required: 0, not_required: 0, unsure: 0 };
      for (const vote of votes) {
        const mark = vote.position === 'marks' ? vote.marks[r]?.[c] : undefined;
        if (mark) cell[mark] += 1;
      }
      const marked = cell.required + cell.not_required + cell.unsure;
      const counted = countUnsure ? marked : cell.required + cell.not_required;
      const share = counted === 0 ? 0 : Math.max(cell.required, cell.not_required) / counted;
      let verdict: CellVerdict = 'undecided';
      if (!quorum.met) verdict = 'no_quorum';
      else if (counted > 0 && share >= rules.threshold - 1e-9 && cell.required !== cell.not_required)
        verdict = cell.required > cell.not_required ? 'required' : 'not_required';
      row.push({ counts: cell, turnout: { marked, electorate: quorum.electorate }, share, verdict });
    }
    cells.push(row);
  }
  const decidedBy = quorum.met
    ? `cells: Required or Not required decides a cell when ahead and at least ${percent(rules.threshold)} of its marks (${countUnsure ? 'Unsure counted' : 'Unsure not counted'})`
    : quorum.words;
  return { turnout, counts, outcome: quorum.met ? 'decided' : 'no_quorum', decidedBy, cells };
}

import { describe, expect, it } from 'vitest';
import { auditClaimOf, compareAuditHead, type RecountableBallot, MalformedExport, recountBallot, recountExport } from './recount.ts';
import { computeChoiceResult, computeMatrixResult, computeResult } from './rules.ts';

const RULES = { kind: 'binding' as const, quorum: 0.5, threshold: 0.5, blockingObjectionFails: false, countUnsure: true, secret: false };

/** A closed public positions ballot whose stated result is the honest one. */
function positionsBallot(positions: string[], overrides: Partial<RecountableBallot> = {}): RecountableBallot {
  return {
    id: 'b1',
    title: 'Is training data required?',
    status: 'closed',
    format: 'positions',
    rules: RULES,
    options: [],
    eligible: 6,
    votes: positions.map((position, i) => ({ voter: `Voter ${i + 1}`, position, marks: null })),
    result: computeResult(RULES, 6, positions as never),
    ...overrides,
  };
}

describe('recounting an export', () => {
  it('agrees with an honest public ballot, recounted from every vote', () => {
    expect(recountBallot(positionsBallot(['yes', 'yes', 'object', 'abstain']))).toEqual({
      ballotId: 'b1',
      title: 'Is training data required?',
      verdict: 'agrees',
      from: 'votes',
      difference: null,
      note: null,
    });
  });

  it('names the first difference when a vote or the stated result was changed', () => {
    const honest = positionsBallot(['yes', 'yes', 'object', 'abstain']);
    // One vote changed after the fact: the counts no longer match what was stated.
    const votes = honest.votes!.map((vote, i) => (i === 0 ? { ...vote, position: 'object' } : vote));
    expect(recountBallot({ ...honest, votes }).difference).toEqual({ path: 'counts.yes', stated: 2, recounted: 1 });
    // The outcome edited: the counts agree, the outcome does not.
    const claimed = recountBallot({ ...honest, result: { ...honest.result!, outcome: 'failed' } });
    expect(claimed).toMatchObject({ verdict: 'differs', difference: { path: 'outcome', stated: 'failed', recounted: 'passed' } });
    // The electorate shrunk to meet the quorum.
    const quorum = positionsBallot(['yes', 'yes'], { eligible: 10 });
    expect(recountBallot({ ...quorum, result: computeResult(RULES, 4, ['yes', 'yes']) }).difference).toMatchObject({ path: 'turnout.eligible' });
    // A voter listed twice, or the votes left out.
    expect(recountBallot({ ...honest, votes: [...honest.votes!, honest.votes![0]!] }).verdict).toBe('differs');
    expect(recountBallot({ ...honest, votes: null }).difference).toEqual({ path: 'votes', stated: null, recounted: 'every final vote' });
  });

  it('recounts a secret ballot from its published counts and says what that cannot check', () => {
    const rules = { ...RULES, secret: true };
    const result = computeResult(rules, 5, ['yes', 'object', 'object', 'recuse'] as never);
    const secret = recountBallot({ ...positionsBallot([]), rules, votes: null, eligible: 5, result });
    expect(secret).toMatchObject({ verdict: 'agrees', from: 'counts' });
    expect(secret.note).toMatch(/cannot be checked/);
    expect(recountBallot({ ...positionsBallot([]), rules, votes: null, eligible: 5, result: { ...result, outcome: 'passed' } }).verdict).toBe('differs');
  });

  it('recounts choices and the component matrix, public or secret', () => {
    const options = [
      { id: 'option-1', label: 'Required' },
      { id: 'option-2', label: 'Optional' },
    ];
    const choices = ['option-1', 'option-2', 'option-1', 'abstain'];
    const choice: RecountableBallot = {
      ...positionsBallot([]),
      format: 'choice',
      options: [...options, { id: 'abstain', label: 'Abstain' }] as never,
      votes: choices.map((position, i) => ({ voter: `V${i}`, position, marks: null })),
      result: computeChoiceResult(RULES, 6, options as never, choices),
    };
    expect(recountBallot(choice).verdict).toBe('agrees');
    expect(recountBallot({ ...choice, result: { ...choice.result!, winner: 'option-2' } }).difference).toEqual({
      path: 'winner',
      stated: 'option-2',
      recounted: 'option-1',
    });

    const marks = [
      [
        ['required', 'required'],
        ['not_required', 'unsure'],
      ],
      [
        ['required', 'not_required'],
        ['not_required', 'not_required'],
      ],
      [
        ['required', 'required'],
        ['required', 'not_required'],
      ],
    ] as const;
    const votes = [...marks.map((grid) => ({ position: 'marks' as const, marks: grid.map((row) => [...row]) })), { position: 'abstain' as const }];
    const result = computeMatrixResult(RULES, 5, { rows: 2, columns: 2 }, votes);
    const matrix: RecountableBallot = {
      ...positionsBallot([]),
      format: 'matrix',
      eligible: 5,
      votes: votes.map((vote, i) => ({ voter: `V${i}`, position: vote.position, marks: 'marks' in vote ? vote.marks : null })),
      result,
    };
    expect(recountBallot(matrix).verdict).toBe('agrees');
    const flipped = structuredClone(result);
    flipped.cells![1]![0]!.verdict = 'required';
    expect(recountBallot({ ...matrix, result: flipped }).difference).toEqual({ path: 'cells[1][0].verdict', stated: 'required', recounted: 'not_required' });
    // Secret: the per-cell counts are all there is, and they are enough to recount every cell.
    expect(recountBallot({ ...matrix, rules: { ...RULES, secret: true }, votes: null })).toMatchObject({ verdict: 'agrees', from: 'counts' });
  });

  it('leaves ballots without a final result unchecked, and refuses what is not an export', () => {
    expect(recountBallot(positionsBallot(['yes'], { status: 'cancelled', result: null }))).toMatchObject({
      verdict: 'unchecked',
      note: expect.stringMatching(/cancelled/),
    });
    const honest = positionsBallot(['yes', 'yes', 'object']);
    const tampered = { ...honest, id: 'b2', result: { ...honest.result!, outcome: 'failed' } };
    const report = recountExport({ decisions: { ballots: [honest, tampered] } });
    expect(report).toMatchObject({ ok: false, firstDifference: { ballotId: 'b2' } });
    expect(recountExport({ decisions: { ballots: [honest] } }).ok).toBe(true);
    for (const bad of [
      null,
      [],
      'x',
      {},
      { decisions: {} },
      { decisions: { ballots: [{ id: 'x' }] } },
      { decisions: { ballots: [{ ...honest, format: 'dice' }] } },
    ])
      expect(() => recountExport(bad), JSON.stringify(bad)).toThrow(MalformedExport);
  });

  it('reads the audit head an export names, and compares it with what the log answers', () => {
    const data = { definition: { id: 'd1', title: 'OSAID' }, audit: { seq: 7, hash: 'ab', server: 'https://draftroom.example.org' } };
    const claim = auditClaimOf(data);
    expect(claim).toEqual({ definitionId: 'd1', seq: 7, hash: 'ab', server: 'https://draftroom.example.org' });
    for (const bad of [null, {}, { ...data, audit: { seq: '7', hash: 'ab' } }, { audit: data.audit }]) expect(auditClaimOf(bad)).toHaveProperty('unchecked');
    expect(compareAuditHead({ seq: 7, hash: 'ab' }, { hash: 'ab', head: { seq: 9 } })).toEqual({ status: 'agrees', seq: 7, headSeq: 9 });
    expect(compareAuditHead({ seq: 7, hash: 'ab' }, { hash: null, head: { seq: 5 } })).toEqual({ status: 'differs', seq: 7, stated: 'ab', found: null });
  });
});

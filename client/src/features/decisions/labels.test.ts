import { describe, expect, it } from 'vitest';
import type { Ballot, BallotRules, VoteReceipt } from '@draftroom/shared';
import { withReceipt } from '../../api/ballots.ts';
import { ballotsBesideClause } from './ClauseBallots.tsx';
import { fromLocalInput, outcomeBadge, outcomeText, percent, positionLabel, rolesInWords, rulesInWords, subjectInWords, toLocalInput } from './labels.ts';

const rules: BallotRules = {
  kind: 'binding',
  eligibleRoles: ['chair', 'editor', 'member'],
  quorum: 0.5,
  threshold: 0.6667,
  blockingObjectionFails: true,
  secret: false,
  resultsVisibility: 'after_close',
  closesAt: '2030-01-01T10:00:00.000Z',
};

function ballot(over: Partial<Ballot> = {}): Ballot {
  return {
    id: 'b1',
    definitionId: 'd1',
    title: 'Adopt clause 1',
    subject: { kind: 'clause', clauseId: 'c1' },
    rules,
    format: 'positions',
    options: [],
    status: 'open',
    subjectText: 'Text',
    finalText: null,
    textChanged: false,
    eligibleCount: 3,
    votedCount: 0,
    createdBy: { id: 'u1', displayName: 'Chair' },
    createdAt: '2029-12-01T10:00:00.000Z',
    openedAt: '2029-12-01T10:00:00.000Z',
    closedAt: null,
    closedBy: null,
    cancelledReason: null,
    result: null,
    myVote: null,
    votes: [],
    voters: [],
    allowedActions: ['vote'],
    ...over,
  };
}

describe('ballot labels', () => {
  it('words the rules a voter reads before voting', () => {
    expect(percent(0.6667)).toBe('66.67%');
    expect(rolesInWords(['chair', 'editor', 'member'])).toBe('chairs, editors and members');
    expect(rulesInWords(rules, 'positions')).toEqual([
      'Binding vote: decides the question by the threshold below.',
      'Who may vote: chairs, editors and members.',
      'Quorum: 50% of the eligible voters must take part (recusals do not count).',
      'Passes with at least 66.67% Yes among Yes and Object votes.',
      'A single Object is a blocking objection: it fails the ballot.',
      'Object needs a written reason.',
      'Public ballot: everyone’s vote is shown with the results.',
      'Results are shown once it closes.',
    ]);
    expect(rulesInWords({ ...rules, countUnsure: false, secret: true }, 'matrix')).toContain('Unsure marks do not count in a cell’s total.');
    expect(rulesInWords({ ...rules, secret: true }, 'choice')).toContain('Secret ballot: who voted is shown, never how.');
  });

  it('labels positions with the server’s options', () => {
    const served = ballot({
      options: [
        { id: 'yes', label: 'Yes' },
        { id: 'object', label: 'Object (blocking)' },
      ],
    });
    expect(positionLabel(served, 'object')).toBe('Object (blocking)');
  });

  it('names the subject', () => {
    const labelOf = (id: string) => (id === 'c1' ? 'Clause 1' : null);
    expect(subjectInWords({ kind: 'clause', clauseId: 'c1' }, labelOf)).toBe('Clause 1');
    expect(subjectInWords({ kind: 'amendments', clauseId: 'c1', amendmentIds: ['a', 'b'] }, labelOf)).toBe(
      'A choice between clause 1 as it reads and 2 proposed wordings',
    );
    expect(subjectInWords({ kind: 'clause', clauseId: 'gone' }, labelOf)).toBe('A deleted clause');
    expect(subjectInWords({ kind: 'matrix', rows: ['a', 'b'], columns: ['c'] }, labelOf)).toBe('Component matrix, 2 × 1');
  });

  it('turns a datetime-local value into a moment and back, in the viewer’s time zone', () => {
    const at = fromLocalInput('2030-03-14T10:05')!;
    expect(toLocalInput(at)).toBe('2030-03-14T10:05');
    expect(fromLocalInput('2030-03-14')).toBeNull();
  });
});

describe('ballots beside a clause', () => {
  it('shows open ballots, drafts the viewer can open and results of the past week', () => {
    const now = Date.parse('2030-01-10T00:00:00.000Z');
    const list = [
      ballot({ id: 'open' }),
      ballot({ id: 'other-clause', subject: { kind: 'clause', clauseId: 'c2' } }),
      ballot({ id: 'choice', subject: { kind: 'amendments', clauseId: 'c1', amendmentIds: ['a'] } }),
      ballot({ id: 'my-draft', status: 'draft', allowedActions: ['edit', 'open', 'cancel'] }),
      ballot({ id: 'their-draft', status: 'draft', allowedActions: [] }),
      ballot({ id: 'recent', status: 'closed', closedAt: '2030-01-08T00:00:00.000Z' }),
      ballot({ id: 'old', status: 'closed', closedAt: '2029-12-01T00:00:00.000Z' }),
      ballot({ id: 'cancelled', status: 'cancelled' }),
    ];
    expect(ballotsBesideClause(list, 'c1', now).map((b) => b.id)).toEqual(['open', 'choice', 'my-draft', 'recent']);
  });
});

describe('withReceipt', () => {
  it('makes the receipt my vote and the previous one my history', () => {
    const first = { position: 'yes', rationale: '', castAt: '2030-01-01T00:00:00.000Z', marks: null, textSeen: 'Text', outdated: false };
    const before = ballot({ myVote: { ...first, history: [] }, votedCount: 1, voters: [{ voter: { id: 'me', displayName: 'Me' }, votedAt: first.castAt }] });
    const receipt: VoteReceipt = {
      ballotId: 'b1',
      myVote: { ...first, position: 'object', rationale: 'No.', castAt: '2030-01-02T00:00:00.000Z' },
      votedCount: 1,
      eligibleCount: 3,
    };
    const after = withReceipt(before, receipt, { id: 'me', displayName: 'Me' });
    expect(after.myVote?.position).toBe('object');
    expect(after.myVote?.history).toEqual([first]);
    expect(after.voters).toHaveLength(1);
  });
});

describe('outcomeText', () => {
  const subject = { kind: 'matrix' as const, rows: ['Training data', 'Code'], columns: ['Use', 'Study'] };
  const cell = (verdict: 'required' | 'not_required' | 'undecided' | 'no_quorum') => ({
    verdict,
    counts: { required: 0, not_required: 0, unsure: 0 },
    turnout: { marked: 0, electorate: 0 },
    share: 0,
  });
  it('names the undecided cells and never says plain "Decided" when some are', () => {
    const cells = [
      [cell('required'), cell('undecided')],
      [cell('not_required'), cell('no_quorum')],
    ];
    expect(outcomeText({ subject }, { outcome: 'decided', cells })).toBe('Decided 2 of 4 cells; undecided: Training data × Study, Code × Study');
    // A long list names the first five and counts the rest.
    const wide = { ...subject, columns: ['Use', 'Study', 'Modify', 'Share'], rows: ['A', 'B', 'C'] };
    const allUndecided = wide.rows.map(() => wide.columns.map(() => cell('undecided')));
    expect(outcomeText({ subject: wide }, { outcome: 'decided', cells: allUndecided })).toBe(
      'Decided 0 of 12 cells; undecided: A × Use, A × Study, A × Modify, A × Share, B × Use and 7 more (marked in the grid)',
    );
    expect(outcomeBadge({ subject: wide }, { outcome: 'decided', cells: allUndecided })).toBe('Partly decided');
    expect(outcomeBadge({ subject }, { outcome: 'decided', cells })).toBe('Partly decided');
    const all = [
      [cell('required'), cell('required')],
      [cell('not_required'), cell('required')],
    ];
    expect(outcomeText({ subject }, { outcome: 'decided', cells: all })).toBe('Decided: all 4 cells');
    expect(outcomeBadge({ subject }, { outcome: 'decided', cells: all })).toBe('Decided');
    expect(outcomeText({ subject: { kind: 'clause', clauseId: 'c' } }, { outcome: 'passed' })).toBe('Passed');
  });
});

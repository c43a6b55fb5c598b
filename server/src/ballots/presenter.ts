import type { Ballot, BallotAction, BallotOption, BallotResult, VoteRecord } from '@draftroom/shared';
import type * as repo from './repository.ts';
import { aboutClauseText, ballotFormat } from './subject.ts';

type VoteRow = Awaited<ReturnType<typeof repo.allVotes>>[number];

/** Everything a reader may see of a ballot, gathered (and filtered for secrecy) by the service. */
export interface BallotView {
  row: repo.BallotRow;
  options: BallotOption[];
  /** The clause's committed text now, for clause and amendment-choice ballots. */
  currentText: string | null;
  result: BallotResult | null;
  /** Everyone's vote rows, only when they may be shown (public ballots with visible results). */
  votes: VoteRow[];
  /** The reader's own vote rows in their own order (by seq), the current one last. */
  mine: VoteRow[];
  participants: { userId: string; displayName: string; votedAt: string | null }[];
  canManage: boolean;
  canVote: boolean;
}

/**
 * A ballot as the API shows it. Votes are flagged outdated when they were cast on another text than
 * the one the ballot is about now (or, once closed, than its final text).
 */
export function presentBallotView(view: BallotView): Ballot {
  const { row } = view;
  const { rules, subject } = row;
  const referenceText = row.status === 'closed' ? row.final_text : view.currentText;
  const record = (v: VoteRow): VoteRecord => ({
    position: v.position,
    rationale: v.rationale,
    castAt: v.cast_at?.toISOString() ?? null, // none on secret ballots: nothing may time a secret vote
    marks: v.marks,
    textSeen: v.text_seen,
    outdated: aboutClauseText(subject) && v.text_seen !== referenceText,
  });
  const byIdentity = new Map<string, VoteRow[]>();
  for (const v of view.votes) byIdentity.set(v.voter_id ?? v.voter_token!, [...(byIdentity.get(v.voter_id ?? v.voter_token!) ?? []), v]);

  const actions: BallotAction[] = [];
  if (view.canManage && row.status === 'draft') actions.push('edit', 'open');
  if (view.canManage && row.status === 'open') actions.push('close');
  if (view.canManage && (row.status === 'draft' || row.status === 'open')) actions.push('cancel');
  if (row.status === 'open' && view.canVote) actions.push('vote');

  const mine = view.mine.length > 0 ? view.mine : null;
  return {
    id: row.id,
    definitionId: row.definition_id,
    title: row.title,
    subject,
    rules,
    format: ballotFormat(subject, rules),
    options: view.options,
    status: row.status as Ballot['status'],
    subjectText: row.subject_text,
    finalText: row.final_text,
    textChanged: aboutClauseText(subject) && row.subject_text !== null && referenceText !== row.subject_text,
    eligibleCount: row.eligible_count,
    votedCount: view.participants.length,
    createdBy: { id: row.created_by, displayName: row.creator_name },
    createdAt: row.created_at.toISOString(),
    openedAt: row.opened_at?.toISOString() ?? null,
    closedAt: row.closed_at?.toISOString() ?? null,
    closedBy: row.closed_by ? { id: row.closed_by, displayName: row.closer_name ?? '(unknown)' } : null,
    cancelledReason: row.cancelled_reason,
    result: view.result,
    myVote: mine ? { ...record(mine.at(-1)!), history: mine.slice(0, -1).map(record) } : null,
    votes: [...byIdentity.values()].map((list) => ({
      ...record(list.at(-1)!),
      voter: { id: list[0]!.voter_id!, displayName: list[0]!.display_name ?? '(unknown)' },
      history: list.slice(0, -1).map(record),
    })),
    voters: view.participants.map((p) => ({ voter: { id: p.userId, displayName: p.displayName }, votedAt: p.votedAt })),
    allowedActions: actions,
  };
}

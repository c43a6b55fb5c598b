import type { Ballot, BallotList, CreateBallotBody, UpdateBallotBody, VoteBody, VoteReceipt, VoteRecord } from '@draftroom/shared';
import { request } from './client.ts';

const definitionPath = (id: string) => `/api/definitions/${encodeURIComponent(id)}`;
const ballotPath = (id: string) => `/api/ballots/${encodeURIComponent(id)}`;

/** Every ballot of a definition (drafts, open, closed, cancelled), newest first. */
export async function listBallots(definitionId: string, signal?: AbortSignal): Promise<Ballot[]> {
  return (await request<BallotList>('GET', `${definitionPath(definitionId)}/ballots`, { signal })).ballots;
}

/** Drafts a ballot (chairs); it takes no votes until it is opened. */
export function createBallot(definitionId: string, body: CreateBallotBody): Promise<Ballot> {
  return request<Ballot>('POST', `${definitionPath(definitionId)}/ballots`, { body });
}

export function getBallot(id: string, signal?: AbortSignal): Promise<Ballot> {
  return request<Ballot>('GET', ballotPath(id), { signal });
}

/** Changes a draft's title or rules; the server refuses once it is opened. */
export function updateBallot(id: string, body: UpdateBallotBody): Promise<Ballot> {
  return request<Ballot>('PATCH', ballotPath(id), { body });
}

/** Opens for voting: the rules and the list of eligible voters are fixed from now on. */
export function openBallot(id: string): Promise<Ballot> {
  return request<Ballot>('POST', `${ballotPath(id)}/open`);
}

/** Closes now; the server computes the result once. */
export function closeBallot(id: string): Promise<Ballot> {
  return request<Ballot>('POST', `${ballotPath(id)}/close`);
}

export function cancelBallot(id: string, reason: string): Promise<Ballot> {
  return request<Ballot>('POST', `${ballotPath(id)}/cancel`, { body: { reason } });
}

/** Casts or replaces the caller's vote; the answer is the vote as recorded, not the whole ballot. */
export function castVote(id: string, body: VoteBody): Promise<VoteReceipt> {
  return request<VoteReceipt>('PUT', `${ballotPath(id)}/vote`, { body });
}

/**
 * The ballot as it stands after a vote, from what the vote's receipt says, for when loading it again
 * fails: the new vote is mine, the previous one goes to my history.
 */
export function withReceipt(ballot: Ballot, receipt: VoteReceipt, me: { id: string; displayName: string }): Ballot {
  const previous = ballot.myVote;
  let history: VoteRecord[] = [];
  if (previous) {
    const { history: earlier, ...record } = previous;
    history = [...earlier, record];
  }
  const voted = ballot.voters.some((entry) => entry.voter.id === me.id);
  return {
    ...ballot,
    myVote: { ...receipt.myVote, history },
    votedCount: receipt.votedCount,
    eligibleCount: receipt.eligibleCount,
    voters: voted ? ballot.voters : [...ballot.voters, { voter: me, votedAt: receipt.myVote.castAt }],
  };
}

export type ExportFormat = 'md' | 'html' | 'json';

/** Where the browser downloads the text with its decision record (the server sends an attachment). */
export function exportUrl(definitionId: string, format: ExportFormat, version?: string): string {
  const query = new URLSearchParams({ format });
  if (version) query.set('version', version);
  return `${definitionPath(definitionId)}/export?${query.toString()}`;
}

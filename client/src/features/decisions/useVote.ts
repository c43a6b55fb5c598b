import { useMutation, useMutationState, useQueryClient } from '@tanstack/react-query';
import type { Ballot, VoteBody, VoteRecord } from '@draftroom/shared';
import { castVote, getBallot, withReceipt } from '../../api/ballots.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { storeBallot } from './ballotCache.ts';

// Voting is optimistic: the ballot shows my vote (and the turnout with it) as soon as I cast it,
// marked as sending. The shown ballot is drawn from the pending mutation, not written into the cache,
// so a pushed refresh meanwhile (someone else voted) cannot lose it, and a refusal (the ballot closed
// meanwhile, a reason missing) takes it away again — the rollback — while the panel says why.

const voteKey = (ballotId: string) => ['vote', ballotId] as const;

export function useVote(ballot: Ballot) {
  const client = useQueryClient();
  const { user } = useSession();
  return useMutation({
    mutationKey: voteKey(ballot.id),
    mutationFn: async (body: VoteBody) => {
      const receipt = await castVote(ballot.id, body);
      // The receipt has the vote; the ballot itself has the history and, when shown, the results.
      return getBallot(ballot.id).catch(() => withReceipt(ballot, receipt, user ?? { id: '', displayName: 'You' }));
    },
    onSuccess: async (updated) => {
      await client.cancelQueries({ queryKey: queryKeys.ballots(updated.definitionId) });
      storeBallot(client, updated);
    },
    // Refused: the ballot as it is now (closed, say) is read again.
    onError: () => void client.invalidateQueries({ queryKey: queryKeys.ballots(ballot.definitionId) }),
  });
}

/** The vote on this ballot that is on its way to the server, if any. */
export function usePendingVote(ballotId: string): VoteBody | undefined {
  const pending = useMutationState({
    filters: { mutationKey: voteKey(ballotId), status: 'pending' },
    select: (mutation) => mutation.state.variables as VoteBody,
  });
  return pending.at(-1);
}

/** The ballot as it will be once my vote is counted: my vote (the previous one to my history), the turnout, me among the voters. */
export function withPendingVote(ballot: Ballot, vote: VoteBody, me: { id: string; displayName: string }): Ballot {
  const previous = ballot.myVote;
  let history: VoteRecord[] = [];
  if (previous) {
    const { history: earlier, ...record } = previous;
    history = [...earlier, record];
  }
  const voted = previous !== null || ballot.voters.some((entry) => entry.voter.id === me.id);
  return {
    ...ballot,
    myVote: {
      position: vote.position,
      rationale: vote.rationale ?? '',
      castAt: null,
      marks: vote.marks ?? null,
      textSeen: null,
      outdated: false,
      history,
    },
    votedCount: voted ? ballot.votedCount : ballot.votedCount + 1,
    voters: ballot.voters.some((entry) => entry.voter.id === me.id) ? ballot.voters : [...ballot.voters, { voter: me, votedAt: null }],
  };
}

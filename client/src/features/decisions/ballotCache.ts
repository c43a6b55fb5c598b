import type { QueryClient } from '@tanstack/react-query';
import type { Ballot } from '@draftroom/shared';
import { queryKeys } from '../../api/queryKeys.ts';

/**
 * Puts a ballot as a mutation answered it into the definition's cached ballot list (a new one first),
 * so every panel showing it (beside its clause, on the Decisions tab) follows at once.
 */
export function storeBallot(client: QueryClient, updated: Ballot): void {
  const key = queryKeys.ballots(updated.definitionId);
  if (client.getQueryData<Ballot[]>(key) === undefined) {
    void client.invalidateQueries({ queryKey: key });
    return;
  }
  client.setQueryData<Ballot[]>(key, (list = []) =>
    list.some((ballot) => ballot.id === updated.id) ? list.map((ballot) => (ballot.id === updated.id ? updated : ballot)) : [updated, ...list],
  );
}

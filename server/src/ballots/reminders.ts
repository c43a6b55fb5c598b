import type { Db } from '../db/database.ts';
import { notifyBallotClosing } from '../notifications/notify.ts';
import * as repo from './repository.ts';
import { ballotFacts, participantIds, type BallotDeps } from './service.ts';

const DAY = 24 * 60 * 60 * 1000;

/**
 * Reminds eligible voters who have not voted that a ballot closes within 24 hours. Run periodically;
 * idempotent (one reminder per person and ballot, kept by a unique key), so running it again, or on
 * several instances at once, changes nothing. On a secret ballot, who has voted is worked out with the
 * server's key, as the ballot page does; the reminder says nothing about anyone else.
 */
export async function remindClosingBallots(deps: BallotDeps & { db: Db }, now: Date): Promise<number> {
  const ballots = await repo.closingBetween(deps.db, now, new Date(now.getTime() + DAY));
  let reminded = 0;
  for (const ballot of ballots) {
    const [eligible, voted] = await Promise.all([repo.eligibleVoters(deps.db, ballot.id), participantIds(deps, ballot.id, ballot.rules.secret)]);
    const notVoted = eligible.map((e) => e.user_id).filter((id) => !voted.has(id));
    if (notVoted.length === 0) continue;
    await deps.db.transaction().execute((tx) => notifyBallotClosing(tx, ballotFacts(ballot, ballot.group_id), notVoted));
    reminded++;
  }
  return reminded;
}

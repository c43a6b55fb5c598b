import type { BallotRules, BallotSubject, Role, Visibility, VoteReceipt } from '@draftroom/shared';
import type { Db } from '../db/database.ts';
import { AppError, conflict, notFound } from '../errors.ts';
import { recordEvents } from '../events/service.ts';
import { authorizeOnDefinition } from '../policies/definitions.ts';
import * as repo from './repository.ts';
import { aboutClauseText } from './subject.ts';

/** A vote that passed every check that does not depend on the ballot's status (see `vote` in service.ts). */
export interface QueuedVote {
  ballotId: string;
  actorId: string;
  /** Exactly one of these: the person on public ballots, the HMAC token on secret ones. */
  voterId: string | null;
  voterToken: string | null;
  position: string;
  rationale: string;
  marks: unknown[][] | null;
}

/** What cannot change about a ballot while it is open: read once, then served from memory. */
export interface FrozenBallot {
  id: string;
  rules: BallotRules;
  subject: BallotSubject;
  eligible: ReadonlySet<string>;
}

const FROZEN_CACHE_SIZE = 1000;

interface Pending {
  vote: QueuedVote;
  resolve(receipt: VoteReceipt): void;
  reject(error: unknown): void;
}

/**
 * Group commit for votes. Requests queue their vote and wait; a few transactions at a time each take
 * every vote queued so far: it share-locks the ballots (a close waits for it, and votes arriving after a close are
 * refused), re-checks that each ballot is open, then inserts the votes, the participation rows and
 * one audit event per vote in a handful of statements. A request is answered only after that commit.
 * Under load the batches grow, so the audit chain's lock and the commit are paid once per batch
 * rather than once per vote; alone, a vote is written at once (no timer).
 */
export class VoteBatcher {
  private queue: Pending[] = [];
  private writers = 0;
  private running = new Set<Promise<void>>();
  private frozen = new Map<string, Promise<FrozenBallot | null>>();

  constructor(
    private readonly db: Db,
    /** Transactions writing at once: while some wait on the commit, others fill the next batch. */
    private readonly maxWriters = 3,
    private readonly maxBatch = 500,
  ) {}

  /**
   * The frozen parts of an open ballot (null if it is not open). Cached: rules, subject and the
   * eligible voters are fixed at opening, so a stale entry can only describe a ballot that has since
   * closed — and the write refuses votes on those.
   */
  async frozenBallot(id: string): Promise<FrozenBallot | null> {
    let entry = this.frozen.get(id);
    if (!entry) {
      entry = repo.frozenBallot(this.db, id).then((row) => row && { id: row.id, rules: row.rules as BallotRules, subject: row.subject as BallotSubject, eligible: new Set(row.eligible) });
      this.frozen.set(id, entry);
      if (this.frozen.size > FROZEN_CACHE_SIZE) this.frozen.delete(this.frozen.keys().next().value!);
    }
    const ballot = await entry.catch(() => null);
    if (!ballot) this.frozen.delete(id); // not open yet (or failed to load): ask again next time
    return ballot;
  }

  submit(vote: QueuedVote): Promise<VoteReceipt> {
    return new Promise((resolve, reject) => {
      this.queue.push({ vote, resolve, reject });
      if (this.writers < this.maxWriters) {
        this.writers++;
        const writer = this.drain().finally(() => {
          this.writers--;
          this.running.delete(writer);
        });
        this.running.add(writer);
      }
    });
  }

  /** Resolves once every vote submitted so far is written (or refused). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const outcomes = await this.write(batch.map((p) => p.vote));
        batch.forEach((pending, i) => {
          const outcome = outcomes[i]!;
          if (outcome instanceof Error) pending.reject(outcome);
          else pending.resolve(outcome);
        });
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
  }

  private write(votes: QueuedVote[]): Promise<(VoteReceipt | Error)[]> {
    return this.db.transaction().execute(async (tx) => {
      const ballotIds = [...new Set(votes.map((v) => v.ballotId))].sort();
      const ballots = new Map((await repo.lockBallotsForVoting(tx, ballotIds, [...new Set(votes.map((v) => v.actorId))])).map((b) => [b.id, b]));
      const now = Date.now();
      const texts = new Map<string, string | null>();
      const outcomes: (VoteReceipt | Error | null)[] = votes.map((vote) => {
        const ballot = ballots.get(vote.ballotId);
        if (!ballot) return notFound('ballot');
        // Eligibility was frozen at opening, but a voter must still belong to the group to vote.
        const denied = accessError(vote.actorId, { visibility: ballot.visibility as Visibility, role: (ballot.member_roles?.[vote.actorId] as Role | undefined) ?? null });
        if (denied) return denied;
        if (ballot.status !== 'open') return conflict(`Voting is not possible: the ballot is ${ballot.status}`);
        if (new Date((ballot.rules as BallotRules).closesAt).getTime() <= now) return conflict('Voting is not possible: the ballot has closed');
        return null;
      });
      const accepted = votes.filter((_, i) => outcomes[i] === null);
      if (accepted.length === 0) return outcomes as Error[];

      for (const id of new Set(accepted.map((v) => v.ballotId))) texts.set(id, aboutClauseText(ballots.get(id)!.subject as BallotSubject) ? ballots.get(id)!.clause_text : null);
      // Ids follow the VALUES order; sorting makes the pairing with `accepted` explicit.
      const rows = (await repo.insertVotes(
        tx,
        accepted.map((v) => ({ ballotId: v.ballotId, voterId: v.voterId, voterToken: v.voterToken, position: v.position, rationale: v.rationale, textSeen: texts.get(v.ballotId)!, marks: v.marks })),
      )).sort((a, b) => Number(a.id) - Number(b.id));
      // Row locks in one order across concurrent batches (and the chain lock last): no deadlocks.
      // Public ballots record who took part; secret ones keep nothing per person beside the token rows,
      // so not even the order or time of a participation row can point at a vote.
      const publicVotes = accepted.filter((v) => v.voterToken === null);
      const participants = new Map(publicVotes.map((v) => [`${v.ballotId}:${v.actorId}`, { ballotId: v.ballotId, userId: v.actorId }]));
      await repo.upsertVoters(tx, [...participants.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, p]) => p));
      const isSecret = (id: string) => (ballots.get(id)!.rules as BallotRules).secret;
      const counts = await repo.votedCounts(tx, [...texts.keys()].filter((id) => !isSecret(id)), [...texts.keys()].filter(isSecret));
      // The audit chain's lock last: it is held until the commit.
      // Public votes are audited one by one. A secret vote's event would put the voter's name and time
      // beside the token row written with it; who took part is recorded when the ballot closes instead.
      await recordEvents(
        tx,
        publicVotes.map((v) => ({ groupId: ballots.get(v.ballotId)!.group_id, actorId: v.actorId, type: 'ballot.voted', payload: { ballotId: v.ballotId, position: v.position } })),
      );

      let next = 0;
      return votes.map((vote, i): VoteReceipt | Error => {
        if (outcomes[i] !== null) return outcomes[i]!;
        const row = rows[next++]!;
        return {
          ballotId: vote.ballotId,
          myVote: { position: vote.position, rationale: vote.rationale, castAt: row.cast_at.toISOString(), marks: (vote.marks as VoteReceipt['myVote']['marks']) ?? null, textSeen: texts.get(vote.ballotId)!, outdated: false },
          votedCount: counts.get(vote.ballotId) ?? 0,
          eligibleCount: ballots.get(vote.ballotId)!.eligible_count ?? 0,
        };
      });
    });
  }
}

/** The error a voter who may no longer read the ballot gets (a private group's ballot is "not found"). */
function accessError(userId: string, context: { visibility: Visibility; role: Role | null }): AppError | null {
  try {
    authorizeOnDefinition({ userId }, 'draft.read', context);
    return null;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return error.statusCode === 404 ? notFound('ballot') : error;
  }
}

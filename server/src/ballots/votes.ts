import type { BallotRules, BallotSubject, Role, Visibility, VoteReceipt } from '@draftroom/shared';
import type { Db } from '../db/database.ts';
import { AppError, conflict, notFound } from '../errors.ts';
import type pg from 'pg';
import { poolOf } from '../db/database.ts';
import { runStatements } from '../db/statements.ts';
import { GENESIS_HASH } from '../events/chain.ts';
import { appendEventsPrepared, lockChainHeads } from '../events/repository.ts';
import { chainEvents, groupChain } from '../events/service.ts';
import { authorizeOnDefinition } from '../policies/definitions.ts';
import * as repo from './repository.ts';
import { aboutClauseText } from './subject.ts';

/** A vote that passed every check that does not depend on the ballot's status (see `vote` in service.ts). */
export interface QueuedVote {
  ballotId: string;
  /** The ballot's group: its audit chain gets the event of a public vote. */
  groupId: string;
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
  groupId: string;
  rules: BallotRules;
  subject: BallotSubject;
  eligible: ReadonlySet<string>;
}

const FROZEN_CACHE_SIZE = 1000;
const PREPARED = [repo.lockBallotsForVoting, lockChainHeads, repo.insertVotes, appendEventsPrepared];

interface Pending {
  vote: QueuedVote;
  resolve(receipt: VoteReceipt): void;
  reject(error: unknown): void;
}

/**
 * Group commit for votes. Requests queue their vote and wait; a writer takes every vote queued so
 * far and writes them in one transaction of two round trips (see write): it share-locks the ballots
 * (a close waits for it, and votes arriving after a close are refused), re-checks that each ballot is
 * open and each voter still a member, then inserts the votes, the participation rows and one audit
 * event per public vote. A request is answered only after that commit. While a batch is written the
 * next one gathers, so under load batches grow and the round trips, the chain lock and the commit
 * are paid once per batch rather than once per vote; alone, a vote is written at once (no timer).
 */
export class VoteBatcher {
  private queue: Pending[] = [];
  private writers = 0;
  private running = new Set<Promise<void>>();
  private frozen = new Map<string, Promise<FrozenBallot | null>>();
  /** Connections kept between batches, so a batch's first statements leave at once (see drain). */
  private held: pg.PoolClient[] = [];

  constructor(
    private readonly db: Db,
    /**
     * Transactions writing at once. One is best measured (bench/vote-throughput): a second writer
     * halves the batches and waits on the first one's chain lock anyway.
     */
    private readonly maxWriters = 1,
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
      entry = repo.frozenBallot(this.db, id).then((row) => row && { id: row.id, groupId: row.group_id, rules: row.rules as BallotRules, subject: row.subject as BallotSubject, eligible: new Set(row.eligible) });
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

  /** Writes what is queued, then gives the connections back (before the database closes). */
  async close(): Promise<void> {
    await this.idle();
    // Their prepared statements and settings must not follow them into the shared pool.
    for (const client of this.held.splice(0)) client.release(true);
  }

  /** A new connection for the writer, with the batch statements prepared on it. */
  private async openConnection(): Promise<pg.PoolClient> {
    const client = await poolOf(this.db).connect();
    try {
      // Planned once per connection: a batch's round trips carry no planning work.
      await runStatements(client, ['set plan_cache_mode = force_generic_plan', ...PREPARED.map((statement) => statement.definition)]);
    } catch (error) {
      client.release(true);
      throw error;
    }
    // A kept connection that fails between batches is dropped (a checked-out client's error must be handled).
    client.on('error', (error) => {
      const at = this.held.indexOf(client);
      if (at >= 0) {
        this.held.splice(at, 1);
        client.release(error);
      }
    });
    return client;
  }

  /**
   * Writes batches until the queue is empty. A batch's first statements go out before the previous
   * batch's requests are answered (settling only queues their continuations), so the database works
   * on the next batch while this process writes the responses.
   */
  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        settle(batch, await this.write(batch.map((p) => p.vote)));
      } catch (error) {
        if (batch.length === 1) {
          batch[0]!.reject(error);
          continue;
        }
        // One vote the database refuses must not sink the others: write them one by one.
        for (const pending of batch) {
          try {
            settle([pending], await this.write([pending.vote]));
          } catch (alone) {
            pending.reject(alone);
          }
        }
      }
    }
  }

  /**
   * One batch in one transaction and two round trips (round trips, not rows, are what a vote costs
   * here): first the ballots' share locks and the audit chains' heads, then — after the checks and
   * the event hashes — votes, participation, turnout counts, events and the commit. Lock order, the
   * same in every batch: ballots (by id), chain heads (by name), participation rows (by ballot, user).
   */
  private async write(votes: QueuedVote[]): Promise<(VoteReceipt | Error)[]> {
    // No await before the first statement when a connection is kept (see drain).
    const client = this.held.pop() ?? (await this.openConnection());
    let broken: Error | undefined;
    try {
      // Public votes are audited one by one. A secret vote's event would put the voter's name and time
      // beside the token row written with it; who took part is recorded when the ballot closes instead.
      const chains = [...new Set(votes.filter((v) => v.voterToken === null).map((v) => groupChain(v.groupId)))].sort();
      const [, locked, heads] = await runStatements(client, [
        'begin',
        repo.lockBallotsForVoting.execute([...new Set(votes.map((v) => v.ballotId))].sort(), [...new Set(votes.map((v) => v.actorId))]),
        lockChainHeads.execute(chains, GENESIS_HASH),
      ]);
      const ballots = new Map((locked as repo.LockedBallot[]).map((b) => [b.id, b]));
      const now = Date.now();
      const outcomes: (VoteReceipt | Error | null)[] = votes.map((vote) => {
        const ballot = ballots.get(vote.ballotId);
        if (!ballot || ballot.group_id !== vote.groupId) return notFound('ballot');
        // Eligibility was frozen at opening, but a voter must still belong to the group to vote.
        const denied = accessError(vote.actorId, { visibility: ballot.visibility as Visibility, role: (ballot.member_roles?.[vote.actorId] as Role | undefined) ?? null });
        if (denied) return denied;
        if (ballot.status !== 'open') return conflict(`Voting is not possible: the ballot is ${ballot.status}`);
        if (new Date((ballot.rules as BallotRules).closesAt).getTime() <= now) return conflict('Voting is not possible: the ballot has closed');
        return null;
      });
      const accepted = votes.filter((_, i) => outcomes[i] === null);
      if (accepted.length === 0) {
        await client.query('rollback');
        return outcomes as Error[];
      }

      const texts = new Map<string, string | null>();
      for (const id of new Set(accepted.map((v) => v.ballotId))) texts.set(id, aboutClauseText(ballots.get(id)!.subject as BallotSubject) ? ballots.get(id)!.clause_text : null);
      const publicVotes = accepted.filter((v) => v.voterToken === null);
      // Public ballots record who took part; secret ones keep nothing per person beside the token rows,
      // so not even the order or time of a participation row can point at a vote.
      const participants = new Map(publicVotes.map((v) => [`${v.ballotId}:${v.actorId}`, { ballotId: v.ballotId, userId: v.actorId }]));
      const audit = chainEvents(
        publicVotes.map((v) => ({ groupId: v.groupId, actorId: v.actorId, type: 'ballot.voted', payload: { ballotId: v.ballotId, position: v.position } })),
        new Map((heads as { chain: string; seq: number; hash: string }[]).map((h) => [h.chain, { seq: h.seq, hash: h.hash }])),
      );
      const [written] = await runStatements(client, [
        repo.insertVotes.execute(
          accepted.map((v) => ({ ballotId: v.ballotId, voterId: v.voterId, voterToken: v.voterToken, position: v.position, rationale: v.rationale, textSeen: texts.get(v.ballotId)!, marks: v.marks })),
          [...participants.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, p]) => p),
          [...texts.keys()].map((id) => ({ ballotId: id, secret: (ballots.get(id)!.rules as BallotRules).secret })),
        ),
        appendEventsPrepared.execute(audit.rows, [...audit.heads].map(([chain, head]) => ({ chain, ...head }))),
        'commit',
      ]);
      // Ids follow the list's order; sorting makes the pairing with `accepted` explicit.
      const rows = written!.filter((r) => r.kind === 'vote').sort((a, b) => Number(a.id) - Number(b.id)) as { cast_at: Date }[];
      const counts = new Map(written!.filter((r) => r.kind === 'count').map((r) => [r.ballot_id as string, Number(r.voted)]));

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
    } catch (error) {
      // Whatever failed, the transaction is not committed; a connection that cannot roll back is dropped.
      await client.query('rollback').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      if (broken) client.release(true);
      else this.held.push(client);
    }
  }
}

function settle(batch: Pending[], outcomes: (VoteReceipt | Error)[]): void {
  batch.forEach((pending, i) => {
    const outcome = outcomes[i]!;
    if (outcome instanceof Error) pending.reject(outcome);
    else pending.resolve(outcome);
  });
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

import { ROLES, VISIBILITIES, type BallotRules, type BallotSubject, type Role, type Visibility, type VoteReceipt } from '@draftroom/shared';
import type { Db } from '../db/database.ts';
import { AppError, conflict, notFound } from '../errors.ts';
import type pg from 'pg';
import { poolOf } from '../db/database.ts';
import { runStatements } from '../db/statements.ts';
import { GENESIS_HASH } from '../events/chain.ts';
import { appendEventsPrepared, lockChainHeads, lockChainHeadsAt } from '../events/repository.ts';
import { chainEvents, groupChain, type ChainHead } from '../events/service.ts';
import { authorizeOnDefinition } from '../policies/definitions.ts';
import * as repo from './repository.ts';

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
  /** The ballot is about a clause's text: the vote records the text it saw. */
  aboutClause: boolean;
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
const HEADS_CACHE_SIZE = 1000;
const PREPARED = [repo.lockBallotsForVoting, repo.checkVotes, lockChainHeads, lockChainHeadsAt, repo.insertVotes, appendEventsPrepared];
/** The SQLSTATE of draftroom_require: a one-round-trip batch's assumption did not hold. */
const REFUSED = 'DR001';

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
  /** The audit chains' heads as this writer's last batches left them (see knownHeads). */
  private heads = new Map<string, ChainHead>();
  /** Batches written in one round trip, in two, and one-round-trip attempts a check refused. */
  readonly written = { atOnce: 0, inTwoSteps: 0, refused: 0 };

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
      entry = repo
        .frozenBallot(this.db, id)
        .then((row) => row && { id: row.id, groupId: row.group_id, rules: row.rules, subject: row.subject, eligible: new Set(row.eligible) });
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
        const writer = this.drain().finally(() => this.running.delete(writer));
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
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          settle(batch, await this.writeNumbered(batch.map((p) => p.vote)));
        } catch (error) {
          if (batch.length === 1) {
            batch[0]!.reject(error);
            continue;
          }
          // One vote the database refuses must not sink the others: write them one by one.
          for (const pending of batch) {
            try {
              settle([pending], await this.writeNumbered([pending.vote]));
            } catch (alone) {
              pending.reject(alone);
            }
          }
        }
      }
    } finally {
      // In the same microtask as the last look at the queue: a vote submitted after it (by a
      // continuation of the batch just settled, say) must find no writer and start one.
      this.writers--;
    }
  }

  /**
   * write, once more if another transaction (another server, say) numbered one of the batch's voters'
   * votes at the same time and committed first: the batch was undone, and now numbers after it.
   */
  private writeNumbered(votes: QueuedVote[]): Promise<(VoteReceipt | Error)[]> {
    return this.write(votes).catch((error: unknown) => {
      if (!lostNumberRace(error)) throw error;
      return this.write(votes);
    });
  }

  /**
   * One batch in one transaction. Round trips, not rows, are what a vote costs here, so a batch is
   * sent as one round trip when it can be (writeAtOnce) and as two otherwise (writeInTwoSteps).
   */
  private async write(votes: QueuedVote[]): Promise<(VoteReceipt | Error)[]> {
    // No await before the first statement when a connection is kept (see drain).
    const client = this.held.pop() ?? (await this.openConnection());
    let broken: Error | undefined;
    try {
      const heads = this.knownHeads(votes);
      if (heads) {
        try {
          return await this.writeAtOnce(client, votes, heads);
        } catch (error) {
          if ((error as { code?: string }).code !== REFUSED) throw error;
          // A check refused (a ballot closed, a voter left, another writer moved a chain on): nothing
          // was written; the two-step write reads the state and says which votes fail and why.
          this.written.refused++;
          for (const chain of heads.keys()) this.heads.delete(chain);
        }
      }
      return await this.writeInTwoSteps(client, votes);
    } catch (error) {
      // Whatever failed, the transaction is not committed; a connection that cannot roll back is dropped.
      await client.query('rollback').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      if (broken) client.release(true);
      else this.held.push(client);
    }
  }

  /**
   * The heads of the batch's audit chains as this writer left them, or null if it does not know one.
   * Only this writer appends votes' events, but anything else in the group may append too (and so
   * may other server processes): lockChainHeadsAt finds out, under the chains' locks.
   */
  private knownHeads(votes: QueuedVote[]): Map<string, ChainHead> | null {
    const heads = new Map<string, ChainHead>();
    for (const vote of votes) {
      if (vote.voterToken !== null) continue;
      const chain = groupChain(vote.groupId);
      const head = this.heads.get(chain);
      if (!head) return null;
      heads.set(chain, head);
    }
    return heads;
  }

  /**
   * The whole batch in one round trip, assuming every vote passes and the chains are where this writer
   * left them: locks, the checks in SQL (which raise, undoing everything, if an assumption is wrong),
   * the writes and the commit. The checks are the two-step write's, with the access policy passed in
   * as the (visibility, role) pairs it allows.
   */
  private async writeAtOnce(client: pg.PoolClient, votes: QueuedVote[], heads: Map<string, ChainHead>): Promise<(VoteReceipt | Error)[]> {
    const chains = [...heads.keys()].sort();
    const writes = this.writes(votes, heads);
    // No begin or commit: the statements of one simple query are one transaction, undone as a whole
    // when one of them fails (so a refusal leaves nothing to roll back).
    const [checked, , written] = await runStatements(client, [
      repo.checkVotes.execute(votes, new Date(), READ_ACCESS),
      lockChainHeadsAt.execute(chains.map((chain) => ({ chain, ...heads.get(chain)! }))),
      ...writes.statements,
    ]);
    this.remember(writes.heads);
    this.written.atOnce++;
    const eligible = checked![0]!.eligible as Record<string, number | null>;
    return this.receipts(votes, new Array(votes.length).fill(null), written!, new Map(Object.entries(eligible).map(([id, count]) => [id, count ?? 0])));
  }

  /**
   * The batch in two round trips: first the ballots' share locks and the audit chains' heads, then —
   * after the checks in JS and the event hashes — the writes and the commit. Lock order, the same in
   * both writes: ballots (by id), chain heads (by name), participation rows (by ballot, user).
   */
  private async writeInTwoSteps(client: pg.PoolClient, votes: QueuedVote[]): Promise<(VoteReceipt | Error)[]> {
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
    const outcomes: (Error | null)[] = votes.map((vote) => {
      const ballot = ballots.get(vote.ballotId);
      if (!ballot || ballot.group_id !== vote.groupId) return notFound('ballot');
      // Eligibility was frozen at opening, but a voter must still belong to the group to vote.
      const denied = accessError(vote.actorId, {
        visibility: ballot.visibility as Visibility,
        role: (ballot.member_roles?.[vote.actorId] as Role | undefined) ?? null,
      });
      if (denied) return denied;
      if (ballot.status !== 'open') return conflict(`Voting is not possible: the ballot is ${ballot.status}`);
      if (new Date(ballot.closes_at).getTime() <= now) return conflict('Voting is not possible: the ballot has closed');
      return null;
    });
    const accepted = votes.filter((_, i) => outcomes[i] === null);
    if (accepted.length === 0) {
      await client.query('rollback');
      return outcomes as Error[];
    }
    const writes = this.writes(accepted, new Map((heads as ({ chain: string } & ChainHead)[]).map((h) => [h.chain, { seq: h.seq, hash: h.hash }])));
    const [written] = await runStatements(client, [...writes.statements, 'commit']);
    this.remember(writes.heads);
    this.written.inTwoSteps++;
    return this.receipts(votes, outcomes, written!, new Map([...ballots].map(([id, b]) => [id, b.eligible_count ?? 0])));
  }

  /** The statements that write accepted votes and their audit events (chains continuing from `heads`), and the heads they leave. */
  private writes(accepted: QueuedVote[], heads: ReadonlyMap<string, ChainHead>): { statements: string[]; heads: Map<string, ChainHead> } {
    const publicVotes = accepted.filter((v) => v.voterToken === null);
    // Public ballots record who took part; secret ones keep nothing per person beside the token rows,
    // so not even the order or time of a participation row can point at a vote.
    const participants = new Map(publicVotes.map((v) => [`${v.ballotId}:${v.actorId}`, { ballotId: v.ballotId, userId: v.actorId }]));
    const counted = new Map(accepted.map((v) => [v.ballotId, { ballotId: v.ballotId, secret: v.voterToken !== null }]));
    const audit = chainEvents(
      publicVotes.map((v) => ({ groupId: v.groupId, actorId: v.actorId, type: 'ballot.voted', payload: { ballotId: v.ballotId, position: v.position } })),
      heads,
    );
    return {
      statements: [
        repo.insertVotes.execute(
          accepted.map((v) => ({
            ballotId: v.ballotId,
            voterId: v.voterId,
            voterToken: v.voterToken,
            position: v.position,
            rationale: v.rationale,
            aboutClause: v.aboutClause,
            marks: v.marks,
          })),
          [...participants.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, p]) => p),
          [...counted.values()],
        ),
        appendEventsPrepared.execute(
          audit.rows,
          [...audit.heads].map(([chain, head]) => ({ chain, ...head })),
        ),
      ],
      heads: audit.heads,
    };
  }

  /** Keeps the heads a committed batch left, for the next batch's one-round-trip write. */
  private remember(heads: ReadonlyMap<string, ChainHead>): void {
    for (const [chain, head] of heads) {
      this.heads.delete(chain); // re-inserted last: the oldest entry is the one to go
      this.heads.set(chain, head);
    }
    while (this.heads.size > HEADS_CACHE_SIZE) this.heads.delete(this.heads.keys().next().value!);
  }

  /** Each vote's receipt, or its error (`outcomes`, null for the votes written, in order, as `written`'s vote rows). */
  private receipts(
    votes: QueuedVote[],
    outcomes: (Error | null)[],
    // biome-ignore lint/suspicious/noExplicitAny: rows of a multi-statement query, narrowed by `kind` below
    written: Record<string, any>[],
    eligible: ReadonlyMap<string, number>,
  ): (VoteReceipt | Error)[] {
    // Each written row says which of the written votes it is (its index among them).
    const rows = written.filter((r) => r.kind === 'vote').sort((a, b) => a.ord - b.ord) as { cast_at: Date | null; text_seen: string | null }[];
    const counts = new Map(written.filter((r) => r.kind === 'count').map((r) => [r.ballot_id as string, Number(r.voted)]));
    let next = 0;
    return votes.map((vote, i): VoteReceipt | Error => {
      if (outcomes[i] !== null) return outcomes[i]!;
      const row = rows[next++]!;
      return {
        ballotId: vote.ballotId,
        myVote: {
          position: vote.position,
          rationale: vote.rationale,
          // What is stored: a public vote's time, none for a secret one.
          castAt: row.cast_at?.toISOString() ?? null,
          marks: (vote.marks as VoteReceipt['myVote']['marks']) ?? null,
          textSeen: row.text_seen,
          outdated: false,
        },
        votedCount: counts.get(vote.ballotId) ?? 0,
        eligibleCount: eligible.get(vote.ballotId) ?? 0,
      };
    });
  }
}

/** A unique violation on a voter's vote numbers (repository.insertVotes): another transaction took the number first. */
function lostNumberRace(error: unknown): boolean {
  const { code, constraint } = error as { code?: string; constraint?: string };
  return code === '23505' && (constraint === 'ballot_votes_voter_seq' || constraint === 'ballot_votes_token_seq');
}

function settle(batch: Pending[], outcomes: (VoteReceipt | Error)[]): void {
  batch.forEach((pending, i) => {
    const outcome = outcomes[i]!;
    if (outcome instanceof Error) pending.reject(outcome);
    else pending.resolve(outcome);
  });
}

/**
 * Every "visibility:role" pair (role empty for a non-member) whose holder may still vote, worked out
 * from the policy itself: the one-round-trip write's SQL checks take this list instead of a copy of the rule.
 */
const READ_ACCESS = VISIBILITIES.flatMap((visibility) =>
  [...ROLES, null].filter((role) => accessError('voter', { visibility, role }) === null).map((role) => `${visibility}:${role ?? ''}`),
);

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

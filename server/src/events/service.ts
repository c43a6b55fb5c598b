import type { Insertable } from 'kysely';
import { EVENT_KIND_PREFIXES, type ChainVerification, type EventKind, type EventPage } from '@draftroom/shared';
import type { EventsTable } from '../db/schema.ts';
import type { Executor, Tx } from '../db/database.ts';
import { ChainVerifier, eventHashWith, GENESIS_HASH, canonicalJson } from './chain.ts';
import * as events from './repository.ts';
import { isUuid } from '@draftroom/shared';

export const ACCOUNTS_CHAIN = 'accounts';
export const groupChain = (groupId: string) => `group:${groupId}`;

export interface NewEvent {
  /** The group the event belongs to; null for account-level events. */
  groupId: string | null;
  actorId: string | null;
  type: string;
  payload: Record<string, unknown>;
}

/**
 * Appends an event to its chain inside the caller's transaction, so the event exists exactly when
 * the change it describes does. The chain's head row, locked until the commit, serialises writers of one chain.
 */
export async function recordEvent(tx: Tx, event: NewEvent): Promise<void> {
  await recordEvents(tx, [event]);
}

export function chainOf(event: NewEvent): string {
  return event.groupId ? groupChain(event.groupId) : ACCOUNTS_CHAIN;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * The rows for new events, each chain continuing from its head (which the caller holds locked), and
 * the heads they leave. Events keep their order within a chain.
 */
export function chainEvents(list: NewEvent[], heads: ReadonlyMap<string, ChainHead>): { rows: Insertable<EventsTable>[]; heads: Map<string, ChainHead> } {
  const next = new Map(heads);
  // Millisecond precision, so the time read back from PostgreSQL hashes the same.
  const occurredAt = new Date(Date.now());
  const rows = list.map((event) => {
    const chain = chainOf(event);
    const head = next.get(chain);
    if (!head) throw new Error(`chainEvents: the head of ${chain} is not locked`);
    const seq = head.seq + 1;
    // Hashed as stored: the canonical JSON text is what jsonb keeps and what the verifier re-creates.
    const payload = canonicalJson(event.payload);
    const hash = eventHashWith({ chain, seq, type: event.type, actorId: event.actorId, groupId: event.groupId, occurredAt, prevHash: head.hash }, payload);
    next.set(chain, { seq, hash });
    return { chain, seq, group_id: event.groupId, actor_id: event.actorId, type: event.type, payload, occurred_at: occurredAt, prev_hash: head.hash, hash };
  });
  return { rows, heads: next };
}

/**
 * Appends several events in order (two statements per chain: lock and read the head, then insert and
 * move the head): how batched writes keep the audit log without taking a chain's lock per item.
 * Chains are locked in sorted order, so two writers cannot deadlock.
 */
export async function recordEvents(tx: Tx, list: NewEvent[]): Promise<void> {
  for (const chain of [...new Set(list.map(chainOf))].sort()) {
    const head = await events.lockChainHead(tx, chain, GENESIS_HASH);
    const { rows, heads } = chainEvents(
      list.filter((event) => chainOf(event) === chain),
      new Map([[chain, head]]),
    );
    await events.appendEvents(tx, chain, rows, heads.get(chain)!);
  }
}

export async function listGroupEvents(
  db: Executor,
  groupId: string,
  before: number | null,
  limit: number,
  filter: { kind?: EventKind; person?: string } = {},
): Promise<EventPage> {
  const rows = await events.listChainPage(db, groupChain(groupId), before, limit, {
    typePrefixes: filter.kind ? EVENT_KIND_PREFIXES[filter.kind] : undefined,
    actorId: filter.person,
  });
  const last = rows.at(-1);
  const definitionIds = new Set<string>();
  const ballotIds = new Set<string>();
  for (const row of rows) {
    const payload = (typeof row.payload === 'object' && row.payload !== null ? row.payload : {}) as Record<string, unknown>;
    if (typeof payload.definitionId === 'string' && isUuid(payload.definitionId)) definitionIds.add(payload.definitionId);
    if (typeof payload.ballotId === 'string' && isUuid(payload.ballotId)) ballotIds.add(payload.ballotId);
  }
  const found = await events.findEventSubjects(db, groupId, [...definitionIds], [...ballotIds]);
  return {
    subjects: {
      definitions: Object.fromEntries(found.definitions.map((d) => [d.id, { title: d.title }])),
      ballots: Object.fromEntries(found.ballots.map((b) => [b.id, { title: b.title, definitionId: b.definition_id }])),
    },
    events: rows.map((row) => ({
      seq: row.seq,
      type: row.type,
      actor: row.actor_id ? { id: row.actor_id, displayName: row.actor_name ?? '(unknown)' } : null,
      payload: row.payload,
      occurredAt: row.occurred_at.toISOString(),
      hash: row.hash,
      prevHash: row.prev_hash,
    })),
    nextBefore: rows.length === limit && last && last.seq > 1 ? last.seq : null,
  };
}

/**
 * Walks a chain from its first event and checks every link, then checks that the chain's head row
 * names the last event: events deleted from the end (which would leave a valid shorter chain) show up
 * as missing, events appended behind the appenders' back as tampered.
 */
export async function verifyChain(db: Executor, chain: string): Promise<ChainVerification> {
  const verifier = new ChainVerifier();
  let afterSeq = 0;
  for (;;) {
    const batch = await events.listChainBatch(db, chain, afterSeq, 1000);
    for (const row of batch) {
      const intact = verifier.add({
        chain: row.chain,
        seq: row.seq,
        type: row.type,
        actorId: row.actor_id,
        groupId: row.group_id,
        payload: row.payload,
        occurredAt: row.occurred_at,
        prevHash: row.prev_hash,
        hash: row.hash,
      });
      if (!intact) return verifier.result();
    }
    if (batch.length < 1000) break;
    afterSeq = batch.at(-1)!.seq;
  }
  const result = verifier.result();
  const head = (await events.findChainHead(db, chain)) ?? { seq: 0, hash: GENESIS_HASH };
  if (head.seq > result.checked) return { ok: false, checked: result.checked, firstBadSeq: result.checked + 1, problem: 'missing', headHash: null };
  if (head.seq < result.checked) return { ok: false, checked: head.seq, firstBadSeq: head.seq + 1, problem: 'tampered', headHash: null };
  if (head.seq > 0 && head.hash !== result.headHash) return { ok: false, checked: head.seq - 1, firstBadSeq: head.seq, problem: 'tampered', headHash: null };
  return result;
}

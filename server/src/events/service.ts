import type { ChainVerification, EventPage } from '@draftroom/shared';
import type { Executor, Tx } from '../db/database.ts';
import { ChainVerifier, eventHash, GENESIS_HASH, canonicalJson } from './chain.ts';
import * as events from './repository.ts';

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
 * the change it describes does. The advisory lock serialises writers of one chain.
 */
export async function recordEvent(tx: Tx, event: NewEvent): Promise<void> {
  await recordEvents(tx, [event]);
}

/**
 * Appends several events in order (one lock, one head read and one insert per chain): how batched
 * writes, such as a group commit of votes, keep the audit log without taking the chain lock per item.
 * Chains are locked in sorted order, so two batches cannot deadlock.
 */
export async function recordEvents(tx: Tx, list: NewEvent[]): Promise<void> {
  const byChain = new Map<string, NewEvent[]>();
  for (const event of list) {
    const chain = event.groupId ? groupChain(event.groupId) : ACCOUNTS_CHAIN;
    byChain.set(chain, [...(byChain.get(chain) ?? []), event]);
  }
  for (const chain of [...byChain.keys()].sort()) {
    await events.lockChain(tx, chain);
    const head = await events.findChainHead(tx, chain);
    let seq = head?.seq ?? 0;
    let prevHash = head?.hash ?? GENESIS_HASH;
    // Millisecond precision, so the time read back from PostgreSQL hashes the same.
    const occurredAt = new Date(Date.now());
    const rows = byChain.get(chain)!.map((event) => {
      seq += 1;
      // Round-trip through JSON so the hashed payload is exactly what jsonb will give back.
      const payload = JSON.parse(canonicalJson(event.payload)) as unknown;
      const hash = eventHash({ chain, seq, type: event.type, actorId: event.actorId, groupId: event.groupId, payload, occurredAt, prevHash });
      const row = { chain, seq, group_id: event.groupId, actor_id: event.actorId, type: event.type, payload: canonicalJson(payload), occurred_at: occurredAt, prev_hash: prevHash, hash };
      prevHash = hash;
      return row;
    });
    await events.insertEvents(tx, rows);
  }
}

export async function listGroupEvents(db: Executor, groupId: string, before: number | null, limit: number): Promise<EventPage> {
  const rows = await events.listChainPage(db, groupChain(groupId), before, limit);
  const last = rows.at(-1);
  return {
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
    if (batch.length < 1000) return verifier.result();
    afterSeq = batch.at(-1)!.seq;
  }
}

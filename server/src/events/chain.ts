import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import type { ChainVerification } from '@draftroom/shared';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  chain: string;
  seq: number;
  type: string;
  actorId: string | null;
  groupId: string | null;
  payload: unknown;
  occurredAt: Date;
  prevHash: string;
}

/** Keys sorted, so the hash does not depend on how jsonb happens to order an object. */
export function canonicalJson(value: unknown): string {
  const text = stringify(value ?? null);
  return text ?? 'null';
}

export function eventHash(event: ChainedFields): string {
  const material = canonicalJson({
    chain: event.chain,
    seq: event.seq,
    type: event.type,
    actorId: event.actorId,
    groupId: event.groupId,
    payload: event.payload,
    occurredAt: event.occurredAt.toISOString(),
    prevHash: event.prevHash,
  });
  return createHash('sha256').update(material).digest('hex');
}

export interface StoredEvent extends ChainedFields {
  hash: string;
}

/**
 * Walks a chain in sequence order and reports the first event that was altered ("tampered") or the
 * first place where events are gone ("missing"). Deleting the newest events leaves a valid shorter
 * chain, which is why the head hash is published (exports carry it) for outside comparison.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private checked = 0;
  private failure: Pick<ChainVerification, 'firstBadSeq' | 'problem'> | null = null;

  /** Returns false once a failure is found; later events are not examined. */
  add(event: StoredEvent): boolean {
    if (this.failure) return false;
    if (event.seq !== this.expectedSeq) {
      this.failure = { firstBadSeq: this.expectedSeq, problem: 'missing' };
      return false;
    }
    if (event.prevHash !== this.prevHash) {
      this.failure = { firstBadSeq: event.seq, problem: 'tampered' };
      return false;
    }
    if (eventHash(event) !== event.hash) {
      this.failure = { firstBadSeq: event.seq, problem: 'tampered' };
      return false;
    }
    this.checked += 1;
    this.expectedSeq += 1;
    this.prevHash = event.hash;
    return true;
  }

  result(): ChainVerification {
    if (this.failure) return { ok: false, checked: this.checked, headHash: null, ...this.failure };
    return {
      ok: true,
      checked: this.checked,
      firstBadSeq: null,
      problem: null,
      headHash: this.checked === 0 ? null : this.prevHash,
    };
  }
}

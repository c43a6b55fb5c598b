import { hash } from 'node:crypto';
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
  return eventHashWith(event, canonicalJson(event.payload));
}

/**
 * eventHash for a payload already in canonical JSON (writers have it at hand). The hashed text is
 * canonicalJson of the whole event — keys sorted — spelled out here, because this runs once per
 * audited change; a test holds it to canonicalJson.
 */
export function eventHashWith(event: Omit<ChainedFields, 'payload'>, payloadJson: string): string {
  const material =
    `{"actorId":${JSON.stringify(event.actorId)},"chain":${JSON.stringify(event.chain)},"groupId":${JSON.stringify(event.groupId)}` +
    `,"occurredAt":${JSON.stringify(event.occurredAt.toISOString())},"payload":${payloadJson},"prevHash":${JSON.stringify(event.prevHash)}` +
    `,"seq":${JSON.stringify(event.seq)},"type":${JSON.stringify(event.type)}}`;
  return hash('sha256', material);
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

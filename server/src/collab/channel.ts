/**
 * The one seam between a document on this instance and the same document on other instances.
 * Everything an instance commits to a document, and every awareness change it accepts, is published
 * here; the other instances holding that document receive it. With one instance it is LocalChannel
 * (nobody to tell); with REDIS_URL, a Redis Stream per document (redis-channel.ts).
 *
 * A channel is a fast path, never the truth: PostgreSQL is. Committed updates carry the ids of the
 * update log they span (`after` → `through`), so a receiver knows when it missed one and reads the
 * missing rows from PostgreSQL instead; and whenever a channel may have lost messages (Redis was out
 * of reach), it says so with `stale()` so every document reads what it missed.
 */
export interface DocumentChannel {
  publish(definitionId: string, message: ChannelMessage): void;
  /**
   * Starts receiving a document's messages. Resolves once every message published from then on will be
   * delivered (or `stale()` called); the returned function stops it.
   */
  subscribe(definitionId: string, listener: ChannelListener): Promise<() => void>;
}

export interface ChannelListener {
  message(message: ChannelMessage): void;
  /** Messages may have been lost: read from PostgreSQL what was committed since. */
  stale(): void;
}

/** A batch committed to PostgreSQL: the log rows with ids in (after, through], merged into one update. */
export interface CommittedUpdate {
  kind: 'update';
  update: Uint8Array;
  after: number;
  through: number;
  /** Client ids this batch was the first to use, with their owners (recorded in the same transaction). */
  claims: [clientId: number, userId: string][];
}

export interface AwarenessChange {
  kind: 'awareness';
  update: Uint8Array;
}

export type ChannelMessage = CommittedUpdate | AwarenessChange;

/** A single instance has nobody to tell. */
export class LocalChannel implements DocumentChannel {
  publish(): void {}
  async subscribe(): Promise<() => void> {
    return () => {};
  }
}

/**
 * The one seam between a document on this instance and the same document on other instances.
 * Everything an instance learns about a document (committed updates, awareness changes) is published
 * here; a Redis implementation (REDIS_URL) can be plugged in without touching the protocol code.
 */
export interface DocumentChannel {
  publish(definitionId: string, message: ChannelMessage): void;
  subscribe(definitionId: string, onMessage: (message: ChannelMessage) => void): () => void;
}

export type ChannelMessage = { kind: 'update'; update: Uint8Array; origin: string } | { kind: 'awareness'; update: Uint8Array; origin: string };

/** A single instance has nobody to tell. */
export class LocalChannel implements DocumentChannel {
  publish(): void {}
  subscribe(): () => void {
    return () => {};
  }
}

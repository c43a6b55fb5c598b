import * as Y from 'yjs';

/**
 * Structs (and deletions) a participant sent that cannot be applied yet because they build on updates
 * the server does not have. Yjs would keep them inside the shared document, where they count toward no
 * limit, are sent to every new joiner, and are retried on every update. Here they are taken out of the
 * document after each apply and kept per participant, bounded, until what they wait for arrives.
 */
export interface Held {
  update: Uint8Array;
  /** Per client id, the first clock this data waits for. */
  needs: Map<number, number>;
}

/** Moves whatever the last apply left pending out of the document. */
export function takePending(doc: Y.Doc): Held | null {
  const store = doc.store;
  const structs = store.pendingStructs;
  const deletions = store.pendingDs;
  store.pendingStructs = null;
  store.pendingDs = null;
  if (!structs && !deletions) return null;
  // Yjs keeps pending data in its V2 encoding; everything else here speaks V1.
  const needs = new Map<number, number>(structs?.missing ?? []);
  if (deletions) {
    // Deletions of items the server does not have yet: wait for the lowest clock deleted per client.
    for (const [client, ranges] of Y.decodeUpdateV2(deletions).ds.clients) {
      const lowest = Math.min(...ranges.map((range) => range.clock));
      needs.set(client, Math.min(needs.get(client) ?? Infinity, lowest));
    }
  }
  const parts = [structs?.update, deletions].filter((part): part is Uint8Array => part != null).map((part) => Y.convertUpdateFormatV2ToV1(part));
  return { update: parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts), needs };
}

/** Whether something held may now apply (at least one thing it waits for has arrived). */
export function mayApply(doc: Y.Doc, held: Held): boolean {
  for (const [client, clock] of held.needs) if (clock < Y.getState(doc.store, client)) return true;
  return false;
}

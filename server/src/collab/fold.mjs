// Folding an update log into one stored state: the CPU-heavy half of a compaction (tens of
// milliseconds for a thousand rows), run in a worker thread so it never stalls live editing.
// Plain JavaScript so the same file runs as a worker under any loader (tsx in production, Vitest
// in tests); fold.d.mts gives its types. It is imported in-thread too (tests, harnesses).
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import * as Y from 'yjs';

/**
 * The state that holds every update given, in order. Loading into a Y.Doc (not Y.mergeUpdates alone)
 * drops deleted content. Anything that cannot be integrated (it waits for an update nobody stored) is
 * left out rather than kept pending: encodeStateAsUpdate would otherwise include it.
 */
export function foldUpdates(updates) {
  const doc = new Y.Doc();
  try {
    if (updates.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(updates));
    doc.store.pendingStructs = null;
    doc.store.pendingDs = null;
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

export const FOLD_WORKER = 'draftroom-fold';

if (!isMainThread && workerData === FOLD_WORKER && parentPort) {
  const port = parentPort;
  port.on('message', (request) => {
    try {
      const state = foldUpdates(request.updates);
      port.postMessage({ id: request.id, state }, [state.buffer]);
    } catch (error) {
      port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) });
    }
  });
}

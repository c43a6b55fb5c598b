import { useEffect, useState, useSyncExternalStore } from 'react';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CLOSE_CODES, clausesInOrder, clausesOf, orderOf, type ClauseEntry } from '@draftroom/shared';
import { openOfflineCopy } from './offlineStore.ts';
import { SaveTracker } from './saveTracker.ts';
import { colorFor } from './userColor.ts';

/** What the socket is doing, as far as the page needs to say it. */
export type Connection =
  /** Never synced yet. */
  | { kind: 'connecting' }
  | { kind: 'online' }
  /** Was online (or never got there) and is trying again; local edits are kept. */
  | { kind: 'offline'; everSynced: boolean }
  /** The server could not load the document (1011); the provider tries again. */
  | { kind: 'load-failed' }
  /** The server's storage is out of reach (1013): edits are kept here and saved when it is back. */
  | { kind: 'storage-unavailable' }
  /** The server refused us for good (4401, 4403, 4404, 4413, other 44xx): no more reconnects. */
  | { kind: 'closed'; code: number };

export interface Collaborator {
  id: string;
  name: string;
  color: string;
}

export interface LiveDocument {
  doc: Y.Doc;
  provider: WebsocketProvider;
  tracker: SaveTracker;
}

/** The socket's base URL on this origin (the dev server proxies it to the API). */
export function collabUrl(location: Location = window.location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/collab`;
}

/** A y-websocket sync step 1 frame: [messageSync = 0, step1 = 0, varUint8Array(stateVector)]. */
function syncStep1Frame(doc: Y.Doc): Uint8Array {
  const stateVector = Y.encodeStateVector(doc);
  const length: number[] = [];
  let n = stateVector.length;
  while (n > 0x7f) {
    length.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  length.push(n);
  const frame = new Uint8Array(2 + length.length + stateVector.length);
  frame.set(length, 2);
  frame.set(stateVector, 2 + length.length);
  return frame;
}

/** Is this incoming frame a sync step 2 (messageSync = 0, step2 = 1)? */
function isSyncStep2(data: unknown): boolean {
  if (!(data instanceof ArrayBuffer) || data.byteLength < 2) return false;
  const bytes = new Uint8Array(data, 0, 2);
  return bytes[0] === 0 && bytes[1] === 1;
}

/**
 * One Y.Doc and one WebsocketProvider for a definition, alive while the page is; everything is
 * destroyed (socket closed, presence withdrawn, timers cleared) when the page goes away.
 */
export function useLiveDocument(definitionId: string, user: Collaborator, canWrite: boolean) {
  const [live, setLive] = useState<LiveDocument | null>(null);
  const [connection, setConnection] = useState<Connection>({ kind: 'connecting' });
  const [pending, setPending] = useState(false);
  const [unsaved, setUnsaved] = useState(0);
  const [everSynced, setEverSynced] = useState(false);
  const { id: userId, name: userName } = user;

  useEffect(() => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(collabUrl(), definitionId, doc, {
      // The server is the only way between tabs: a second tab of the same person is one more
      // collaborator, and "Saved" always means stored by the server.
      disableBc: true,
      maxBackoffTime: 5000,
      // Connected once this browser's offline copy is in the document (below).
      connect: false,
    });
    // Someone who may write keeps a copy in this browser: edits made offline survive a closed tab.
    const copy = canWrite ? openOfflineCopy(doc, userId, definitionId) : null;
    let disposed = false;
    provider.awareness.setLocalStateField('user', { id: userId, name: userName, color: colorFor(userId) });

    const tracker = new SaveTracker({
      sendProbe: () => {
        const ws = provider.ws;
        if (!ws || ws.readyState !== WebSocket.OPEN || !provider.synced) return false;
        ws.send(syncStep1Frame(doc));
        return true;
      },
      onChange: () => {
        setPending(tracker.pending);
        setUnsaved(tracker.unsaved);
        copy?.setUnsaved(tracker.unsaved);
      },
    });
    let everSynced = false;

    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      // Remote changes arrive with the provider as origin, kept ones with the offline copy's; everything else was made here.
      if (origin !== provider && origin !== copy?.origin && canWrite) tracker.localChange();
    };
    const onMessage = (event: MessageEvent) => {
      if (isSyncStep2(event.data) && provider.synced) tracker.probeAnswered();
    };
    doc.on('update', onUpdate);
    provider.on('status', ({ status }) => {
      // A new socket: listen for the answers to our probes on it (after the provider's own handler).
      if (status === 'connecting') provider.ws?.addEventListener('message', onMessage);
    });
    provider.ws?.addEventListener('message', onMessage);
    provider.on('sync', (isSynced) => {
      if (!isSynced) return;
      everSynced = true;
      setEverSynced(true);
      tracker.synced();
      setConnection({ kind: 'online' });
    });
    provider.on('connection-close', (event) => {
      tracker.disconnected();
      if (event && event.code >= 4400 && event.code < 4500) return; // 'closed' follows
      if (event?.code === CLOSE_CODES.storageUnavailable) setConnection({ kind: 'storage-unavailable' });
      else setConnection(event?.code === CLOSE_CODES.loadFailed ? { kind: 'load-failed' } : { kind: 'offline', everSynced });
    });
    let refused = false;
    provider.on('closed', ({ code }) => {
      refused = true;
      tracker.destroy();
      setConnection({ kind: 'closed', code });
      // The definition is gone or no longer ours to edit: what this browser kept can never be saved.
      if (code === CLOSE_CODES.forbidden || code === CLOSE_CODES.notFound) void copy?.discard();
    });
    // A dropped network can leave a socket looking open for up to 30 s (the provider's watchdog);
    // the browser knows sooner. Going offline closes it at once, coming back reconnects.
    const onOffline = () => provider.disconnect();
    const onOnline = () => {
      if (!refused) provider.connect();
    };
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);

    setLive({ doc, provider, tracker });
    setConnection({ kind: 'connecting' });
    setPending(false);
    setUnsaved(0);
    setEverSynced(false);
    if (copy) {
      void copy.ready
        .then(() => copy.unsavedBefore())
        .then((before) => {
          if (disposed) return;
          tracker.restore(before);
          if (!refused) provider.connect();
        });
    } else {
      provider.connect();
    }
    return () => {
      disposed = true;
      tracker.destroy();
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      doc.off('update', onUpdate);
      // destroy() disconnects, which first tells the others our presence is gone.
      provider.destroy();
      // The provider does not own the awareness it created: its renewal timer must be stopped too.
      provider.awareness.destroy();
      copy?.destroy();
      doc.destroy();
      setLive(null);
    };
  }, [definitionId, userId, userName, canWrite]);

  return { live, connection, pending, unsaved, everSynced };
}

/** The clauses in reading order, re-read when ids are added, removed or moved (not on every keystroke). */
export function useClauses(doc: Y.Doc): ClauseEntry[] {
  return useSyncExternalStore(
    (notify) => {
      const order = orderOf(doc);
      const clauses = clausesOf(doc);
      order.observe(notify);
      clauses.observe(notify);
      return () => {
        order.unobserve(notify);
        clauses.unobserve(notify);
      };
    },
    () => snapshotOf(doc),
  );
}

const snapshots = new WeakMap<Y.Doc, { key: string; clauses: ClauseEntry[] }>();

/** A stable array while the ids, kinds and bodies are the same, as useSyncExternalStore requires. */
function snapshotOf(doc: Y.Doc): ClauseEntry[] {
  const clauses = clausesInOrder(doc);
  const key = clauses.map((clause) => `${clause.id}:${clause.kind}`).join(',');
  const previous = snapshots.get(doc);
  if (previous && previous.key === key && previous.clauses.every((clause, i) => clause.body === clauses[i]!.body)) return previous.clauses;
  snapshots.set(doc, { key, clauses });
  return clauses;
}

/** Who else has the definition open (one entry per person, however many tabs), by awareness. */
export function useCollaborators(provider: WebsocketProvider, selfId: string): Collaborator[] {
  const [collaborators, setCollaborators] = useState<Collaborator[]>([]);
  useEffect(() => {
    let key = '';
    const read = () => {
      const people = new Map<string, Collaborator>();
      for (const [clientId, state] of provider.awareness.getStates()) {
        if (clientId === provider.awareness.clientID) continue;
        const user = (state as { user?: unknown } | null)?.user as Partial<Collaborator> | undefined;
        if (!user || typeof user.id !== 'string' || typeof user.name !== 'string' || user.id === selfId) continue;
        people.set(user.id, { id: user.id, name: user.name.slice(0, 120), color: String(user.color ?? '') });
      }
      const list = [...people.values()].sort((a, b) => a.name.localeCompare(b.name));
      const next = JSON.stringify(list);
      if (next !== key) {
        key = next;
        setCollaborators(list);
      }
    };
    read();
    provider.awareness.on('change', read);
    return () => provider.awareness.off('change', read);
  }, [provider, selfId]);
  return collaborators;
}

import { IndexeddbPersistence, clearDocument } from 'y-indexeddb';
import type * as Y from 'yjs';

/**
 * Edits made offline survive a closed tab: each person's copy of a definition's document is kept in
 * this browser's IndexedDB (y-indexeddb), under a name of its own per person and definition, so that
 * someone else signing in on the same computer never loads — and so never sends — another person's
 * unsent edits. Signing out deletes every copy this browser keeps for that person.
 *
 * Which stores exist is listed in localStorage (IndexedDB cannot be listed in every browser).
 */
const REGISTRY = 'draftroom:offline-stores';
/** How many changes made here the server has not confirmed yet (kept with the copy). */
const UNSAVED_KEY = 'unsaved';

export function offlineStoreName(userId: string, definitionId: string): string {
  return `draftroom:${userId}:${definitionId}`;
}

function registered(): string[] {
  try {
    const value = JSON.parse(localStorage.getItem(REGISTRY) ?? '[]') as unknown;
    return Array.isArray(value) ? value.filter((name): name is string => typeof name === 'string') : [];
  } catch {
    return [];
  }
}

function register(name: string, present: boolean): void {
  try {
    const names = new Set(registered());
    if (present) names.add(name);
    else names.delete(name);
    localStorage.setItem(REGISTRY, JSON.stringify([...names]));
  } catch {
    // Storage refused (private mode, quota): the copy still works for this page.
  }
}

export interface OfflineCopy {
  /** The origin of the updates this copy applies to the document (they were made earlier, not now). */
  origin: unknown;
  /** Resolves once what this browser kept is in the document (at once if IndexedDB is unavailable). */
  ready: Promise<void>;
  /** Changes made here and not yet confirmed by the server, as kept from earlier pages. */
  unsavedBefore(): Promise<number>;
  setUnsaved(count: number): void;
  /** The server will never take these edits (the definition is gone or no longer ours): forget them. */
  discard(): Promise<void>;
  destroy(): void;
}

export function openOfflineCopy(doc: Y.Doc, userId: string, definitionId: string): OfflineCopy | null {
  if (typeof indexedDB === 'undefined') return null;
  const name = offlineStoreName(userId, definitionId);
  let persistence: IndexeddbPersistence;
  try {
    persistence = new IndexeddbPersistence(name, doc);
  } catch {
    return null;
  }
  register(name, true);
  let last = -1;
  return {
    origin: persistence,
    ready: persistence.whenSynced.then(
      () => undefined,
      () => undefined,
    ),
    async unsavedBefore() {
      try {
        const value = await persistence.get(UNSAVED_KEY);
        return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0;
      } catch {
        return 0;
      }
    },
    setUnsaved(count) {
      if (count === last) return;
      last = count;
      persistence.set(UNSAVED_KEY, count).catch(() => undefined);
    },
    async discard() {
      register(name, false);
      await persistence.clearData().catch(() => undefined);
    },
    destroy() {
      void persistence.destroy();
    },
  };
}

/**
 * Deletes every copy this browser keeps for a person (on sign-out), or for everyone. A copy still open
 * in another tab is deleted when that tab lets go of it; sign-out does not wait more than `waitMs` for that.
 */
export async function clearOfflineCopies(userId: string | null, waitMs = 2000): Promise<void> {
  const prefix = userId === null ? 'draftroom:' : `draftroom:${userId}:`;
  const names = registered().filter((name) => name.startsWith(prefix));
  for (const name of names) register(name, false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    Promise.all(names.map((name) => clearDocument(name).catch(() => undefined))),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    }),
  ]);
  clearTimeout(timer);
}

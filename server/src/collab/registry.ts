import type { Db } from '../db/database.ts';
import type { Bus, DomainEvent } from '../events/bus.ts';
import { CLOSE_CODES } from '@draftroom/shared';
import type { Actor } from '../policies/actor.ts';
import type { DocumentChannel } from './channel.ts';
import { CollabDocument, ShuttingDown, type CollabLimits, type DocumentLogger } from './document.ts';

interface Entry {
  /** Resolves to the loaded document; rejects (and the entry is removed) when loading fails. */
  ready: Promise<CollabDocument>;
  document: CollabDocument | null;
  /** Server-side edits in progress; a document is unloaded only with no participants and no holds. */
  holds: number;
  idleTimer: NodeJS.Timeout | null;
  unloading: Promise<void> | null;
}

/** Rights on a definition's document, decided outside collab/ (by the definitions policy). */
export interface DocumentAccess {
  /** Throws the AppError a REST read would (401, 403, 404) when the actor may not read. */
  open(actor: Actor, definitionId: string): Promise<{ groupId: string; canWrite: boolean }>;
  /** For a user already connected, after their membership changed. */
  recheck(userId: string, definitionId: string): Promise<{ canRead: boolean; canWrite: boolean }>;
}

export interface RegistryOptions {
  access: DocumentAccess;
  db: Db;
  bus: Bus;
  channel: DocumentChannel;
  limits: CollabLimits;
  idleUnloadMs: number;
  log: DocumentLogger;
  /** Text was committed in a document (see DocumentDeps). */
  onTextCommitted?: (definitionId: string) => void;
  /** Where compactions fold update logs (see DocumentDeps). */
  fold?: (updates: Uint8Array[]) => Promise<Uint8Array>;
}

/**
 * The documents open on this instance. Loading happens once per document however many clients arrive
 * meanwhile; a document with nobody connected is stored and unloaded after a short idle time.
 */
export class DocumentRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly stopListening: () => void;
  /** Shutting down: no document is opened or joined any more (clients reconnect elsewhere). */
  private closing = false;

  constructor(private readonly options: RegistryOptions) {
    this.stopListening = options.bus.subscribe((event) =>
      this.onDomainEvent(event).catch((error: unknown) => options.log.error({ err: error }, 'could not apply a rights change to open documents')),
    );
  }

  get access(): DocumentAccess {
    return this.options.access;
  }

  isLoaded(definitionId: string): boolean {
    return this.entries.get(definitionId)?.document != null;
  }

  /** The loaded document, with a hold that the caller must give back with release(). */
  async acquire(definitionId: string, groupId: string): Promise<CollabDocument> {
    for (;;) {
      if (this.closing) throw new ShuttingDown('this instance is shutting down; reconnect');
      const existing = this.entries.get(definitionId);
      if (existing?.unloading) {
        await existing.unloading.catch(() => {});
        continue;
      }
      if (existing) {
        existing.holds += 1;
        if (existing.idleTimer) clearTimeout(existing.idleTimer);
        existing.idleTimer = null;
        try {
          return await existing.ready;
        } catch (error) {
          existing.holds -= 1;
          throw error;
        }
      }
      const entry: Entry = { ready: null as never, document: null, holds: 1, idleTimer: null, unloading: null };
      const onBroken = (document: CollabDocument) => {
        // Its sockets are closed and reconnect; the next acquire loads the stored document afresh.
        if (this.entries.get(definitionId) === entry && entry.document === document) this.entries.delete(definitionId);
        if (entry.idleTimer) clearTimeout(entry.idleTimer);
      };
      entry.ready = CollabDocument.load(definitionId, groupId, { ...this.options, onBroken }).then(
        (document) => {
          entry.document = document;
          return document;
        },
        (error: unknown) => {
          // Nothing half-loaded stays behind: the next client starts from scratch.
          if (this.entries.get(definitionId) === entry) this.entries.delete(definitionId);
          throw error;
        },
      );
      this.entries.set(definitionId, entry);
      return entry.ready;
    }
  }

  release(definitionId: string): void {
    const entry = this.entries.get(definitionId);
    if (!entry) return;
    entry.holds = Math.max(0, entry.holds - 1);
    this.scheduleUnload(definitionId, entry);
  }

  /** Runs a server-side edit on the document, loading it if nobody has it open. */
  async withDocument<T>(definitionId: string, groupId: string, work: (document: CollabDocument) => Promise<T>): Promise<T> {
    const document = await this.acquire(definitionId, groupId);
    try {
      return await work(document);
    } finally {
      this.release(definitionId);
    }
  }

  private scheduleUnload(definitionId: string, entry: Entry): void {
    if (entry.holds > 0 || entry.idleTimer || entry.unloading) return;
    entry.idleTimer = setTimeout(() => {
      entry.idleTimer = null;
      if (entry.holds > 0 || !entry.document) return;
      entry.unloading = entry.document
        .close(CLOSE_CODES.goingAway, 'unloaded')
        .catch((error: unknown) => this.options.log.error({ err: error, definitionId }, 'unloading a document failed'))
        .finally(() => {
          if (this.entries.get(definitionId) === entry) this.entries.delete(definitionId);
        });
    }, this.options.idleUnloadMs);
    entry.idleTimer.unref?.();
  }

  /** Rights changed: re-check every open socket of that user on that group's documents. */
  private async onDomainEvent(event: DomainEvent): Promise<void> {
    for (const [definitionId, entry] of this.entries) {
      const document = entry.document;
      if (!document) continue;
      if (event.type === 'session.ended') {
        for (const participant of document.participants) {
          if (participant.userId === event.userId && (event.sessionId === null || participant.sessionId === event.sessionId)) {
            participant.close(CLOSE_CODES.unauthenticated, 'signed out');
            document.leave(participant);
          }
        }
        continue;
      }
      if (document.groupId !== event.groupId) continue;
      await this.recheck(definitionId, document, event.userId);
    }
  }

  /** Re-checks one user's rights on one open document: closes or lowers their sockets as needed. */
  private async recheck(definitionId: string, document: CollabDocument, userId: string): Promise<void> {
    const affected = [...document.participants].filter((p) => p.userId === userId);
    if (affected.length === 0) return;
    const { canRead, canWrite } = await this.options.access.recheck(userId, definitionId);
    for (const participant of affected) {
      if (!canRead) {
        participant.close(CLOSE_CODES.forbidden, 'no longer a member');
        document.leave(participant);
      } else {
        participant.canWrite = canWrite;
      }
    }
  }

  /**
   * Re-checks everyone's rights on every open document (after the domain bus was away: a membership
   * change it missed is found here). Never rejects.
   */
  async recheckAll(): Promise<void> {
    for (const [definitionId, entry] of this.entries) {
      const document = entry.document;
      if (!document) continue;
      for (const userId of new Set([...document.participants].map((p) => p.userId))) {
        try {
          await this.recheck(definitionId, document, userId);
        } catch (error) {
          this.options.log.warn({ err: error, definitionId }, 'could not re-check rights on an open document');
        }
      }
    }
  }

  /** The sessions this instance's document sockets hold (for the session expiry sweep). */
  *openSessions(): Iterable<{ userId: string; sessionId: string }> {
    for (const entry of this.entries.values()) {
      for (const participant of entry.document?.participants ?? []) {
        if (participant.sessionId !== null) yield { userId: participant.userId, sessionId: participant.sessionId };
      }
    }
  }

  /** On shutdown: store every document and close its sockets with 1001 so clients reconnect later. */
  async closeAll(): Promise<void> {
    this.closing = true;
    this.stopListening();
    const closing: Promise<void>[] = [];
    for (const entry of this.entries.values()) {
      if (entry.idleTimer) clearTimeout(entry.idleTimer);
      closing.push(
        entry.ready.then(
          (document) => document.close(CLOSE_CODES.goingAway, 'server shutting down'),
          () => {},
        ),
      );
    }
    await Promise.allSettled(closing);
    this.entries.clear();
  }
}

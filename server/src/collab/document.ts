import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { clausesInOrder } from '@draftroom/shared';
import type { Db } from '../db/database.ts';
import type { ChannelMessage, DocumentChannel } from './channel.ts';
import {
  awarenessClients,
  awarenessMessage,
  parseMessage,
  ProtocolError,
  syncStep1Message,
  syncStep2Message,
  updateMessage,
} from './protocol.ts';
import { renderClause } from './render.ts';
import * as repo from './repository.ts';

export interface CollabLimits {
  /** Largest stored document (bytes of its encoded state, estimated between compactions). */
  maxDocumentBytes: number;
  /**
   * Extra wait before committing, to gather more updates per transaction. With 0, a batch starts at
   * once when no commit is in flight, and otherwise holds whatever arrived during the previous commit
   * (group commit): low latency when quiet, large batches under load.
   */
  flushDelayMs: number;
  /** Compact the update log after this many rows. */
  compactEvery: number;
  /** Delay before the plain-text mirror is refreshed after a change. */
  mirrorDelayMs: number;
  /** Awareness: client ids per connection, bytes per state. */
  maxAwarenessClients: number;
  maxAwarenessStateBytes: number;
}

/** One open socket (or a server-side edit) as the document sees it. */
export interface Participant {
  readonly id: string;
  readonly userId: string;
  /** Shown to others in presence; stamped by the server over whatever the client claims. */
  readonly displayName: string;
  readonly sessionId: string | null;
  canWrite: boolean;
  readonly awarenessClients: Set<number>;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}

export class DocumentTooLarge extends Error {
  override name = 'DocumentTooLarge';
}
export class ForeignClientId extends Error {
  override name = 'ForeignClientId';
}

interface PendingUpdate {
  update: Uint8Array;
  userId: string;
  claims: number[];
  origin: Participant | null;
  at: Date;
}

export interface DocumentLogger {
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/**
 * A definition's live Y.Doc on this instance: who is connected, what they may do, and the path every
 * change takes — validate, apply, commit (batched), then broadcast. Nobody ever receives text that is
 * not yet committed, so after a crash clients only ever hold back their own edits, which they re-send.
 */
export class CollabDocument {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly participants = new Set<Participant>();
  private readonly owners = new Map<number, string>();
  private readonly awarenessOwners = new Map<number, Participant>();
  private pending: PendingUpdate[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private flushChain: Promise<void> = Promise.resolve();
  private mirrorTimer: NodeJS.Timeout | null = null;
  private mirrorChain: Promise<void> = Promise.resolve();
  private rowsSinceCompaction = 0;
  private estimatedBytes = 0;
  private unsubscribe: () => void = () => {};
  private closed = false;
  /** The effective update of the applyUpdate in progress (set by the one 'update' listener). */
  private captured: Uint8Array | null = null;

  private constructor(
    readonly definitionId: string,
    readonly groupId: string,
    private readonly db: Db,
    private readonly channel: DocumentChannel,
    private readonly limits: CollabLimits,
    private readonly log: DocumentLogger,
  ) {
    this.awareness.setLocalState(null);
    this.doc.on('update', (effective: Uint8Array, origin: unknown) => {
      if (origin === this) this.captured = this.captured ? Y.mergeUpdates([this.captured, effective]) : effective;
    });
    this.awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      const changed = [...added!, ...updated!, ...removed!];
      const message = awarenessMessage(this.awareness, changed);
      for (const participant of this.participants) if (participant !== origin) participant.send(message);
      if (origin !== 'channel') {
        this.channel.publish(this.definitionId, { kind: 'awareness', update: awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed), origin: 'local' });
      }
    });
  }

  /** Reads the stored state and every update after it; resolves only when the document is complete. */
  static async load(
    definitionId: string,
    groupId: string,
    deps: { db: Db; channel: DocumentChannel; limits: CollabLimits; log: DocumentLogger },
  ): Promise<CollabDocument> {
    const document = new CollabDocument(definitionId, groupId, deps.db, deps.channel, deps.limits, deps.log);
    const [state, updates, owners] = await Promise.all([
      repo.loadStoredState(deps.db, definitionId),
      repo.loadUpdates(deps.db, definitionId),
      repo.loadClientOwners(deps.db, definitionId),
    ]);
    Y.transact(document.doc, () => {
      if (state) Y.applyUpdate(document.doc, state.state);
      for (const row of updates) Y.applyUpdate(document.doc, row.update);
    }, 'load');
    for (const owner of owners) document.owners.set(Number(owner.client_id), owner.user_id);
    document.rowsSinceCompaction = updates.length;
    document.estimatedBytes = Y.encodeStateAsUpdate(document.doc).length;
    document.unsubscribe = deps.channel.subscribe(definitionId, (message) => document.onChannelMessage(message));
    return document;
  }

  /** Greets a new participant: our state vector (so it sends what we lack) and everyone's presence. */
  join(participant: Participant): void {
    this.participants.add(participant);
    participant.send(syncStep1Message(this.doc));
    const present = [...this.awareness.getStates().keys()];
    if (present.length > 0) participant.send(awarenessMessage(this.awareness, present));
  }

  leave(participant: Participant): void {
    if (!this.participants.delete(participant)) return;
    const clients = [...participant.awarenessClients].filter((id) => this.awarenessOwners.get(id) === participant);
    for (const id of clients) this.awarenessOwners.delete(id);
    if (clients.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, clients, null);
  }

  /** Handles one frame from a participant. Throws ProtocolError, ForeignClientId or DocumentTooLarge. */
  async handleMessage(participant: Participant, data: Uint8Array): Promise<void> {
    const message = parseMessage(data);
    switch (message.kind) {
      case 'syncStep1':
        // Answer from committed state only. Clients rely on this answer meaning "everything you sent
        // before is stored", so a failing database delays it rather than faking it.
        await this.whenCommitted();
        participant.send(syncStep2Message(this.doc, message.stateVector));
        return;
      case 'update':
        // Readers still receive everything; what they send is dropped (they keep their document).
        if (!participant.canWrite) return;
        this.acceptUpdate(participant, participant.userId, message.update);
        return;
      case 'awareness':
        this.acceptAwareness(participant, message.update);
        return;
      case 'queryAwareness':
        participant.send(awarenessMessage(this.awareness, [...this.awareness.getStates().keys()]));
        return;
    }
  }

  /**
   * Applies a change made on the server on behalf of a user (REST clause API, amendments): it is made
   * on a scratch copy under a fresh client id, then goes through the same path as a socket update.
   */
  async applyServerEdit<T>(userId: string, edit: (doc: Y.Doc) => T): Promise<T> {
    const scratch = new Y.Doc();
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(this.doc));
    const before = Y.encodeStateVector(this.doc);
    const result = edit(scratch);
    const update = Y.encodeStateAsUpdate(scratch, before);
    scratch.destroy();
    this.acceptUpdate(null, userId, update);
    await this.flushNow();
    await this.refreshMirrorNow();
    return result;
  }

  private acceptUpdate(origin: Participant | null, userId: string, update: Uint8Array): void {
    if (this.estimatedBytes + update.length > this.limits.maxDocumentBytes) {
      throw new DocumentTooLarge(`the document would exceed ${this.limits.maxDocumentBytes} bytes`);
    }
    const claims = this.checkAuthorship(userId, update);
    this.captured = null;
    Y.applyUpdate(this.doc, update, this);
    const applied = this.captured as Uint8Array | null;
    this.captured = null;
    for (const clientId of claims) this.owners.set(clientId, userId);
    if (applied === null) return; // nothing new (already known, or waiting for missing parts)
    this.estimatedBytes += applied.length;
    this.pending.push({ update: applied, userId, claims, origin, at: new Date() });
    this.scheduleFlush();
  }

  /**
   * New content may only be written under client ids this user owns (or that nobody owns yet, which
   * this update then claims). Content the server already has may be relayed by anyone.
   */
  private checkAuthorship(userId: string, update: Uint8Array): number[] {
    let decoded: { structs: { id: { client: number; clock: number }; length: number; constructor: unknown }[] };
    try {
      decoded = Y.decodeUpdate(update) as typeof decoded;
    } catch {
      throw new ProtocolError('malformed update');
    }
    const claims = new Set<number>();
    for (const struct of decoded.structs) {
      if (struct.constructor === Y.Skip) continue;
      const { client, clock } = struct.id;
      if (clock + struct.length <= Y.getState(this.doc.store, client)) continue;
      const owner = this.owners.get(client);
      if (owner === undefined) claims.add(client);
      else if (owner !== userId) throw new ForeignClientId(`client id ${client} belongs to another user`);
    }
    return [...claims];
  }

  private acceptAwareness(participant: Participant, update: Uint8Array): void {
    const entries = awarenessClients(update);
    for (const entry of entries) {
      const owner = this.awarenessOwners.get(entry.clientId);
      if (owner !== undefined && owner !== participant) return; // someone else's presence: ignore
      if (entry.stateBytes > this.limits.maxAwarenessStateBytes) return;
      if (!participant.awarenessClients.has(entry.clientId) && participant.awarenessClients.size >= this.limits.maxAwarenessClients) return;
    }
    for (const entry of entries) {
      participant.awarenessClients.add(entry.clientId);
      this.awarenessOwners.set(entry.clientId, participant);
    }
    // Names in presence come from the session, not the client: nobody can appear as someone else.
    const stamped = awarenessProtocol.modifyAwarenessUpdate(update, (state: unknown) => {
      if (state === null || typeof state !== 'object') return state;
      const user = (state as { user?: unknown }).user;
      const color = user && typeof user === 'object' ? (user as { color?: unknown }).color : undefined;
      return {
        ...state,
        user: { id: participant.userId, name: participant.displayName, ...(typeof color === 'string' && color.length <= 32 && { color }) },
      };
    });
    awarenessProtocol.applyAwarenessUpdate(this.awareness, stamped, participant);
  }

  private onChannelMessage(message: ChannelMessage): void {
    if (message.kind === 'update') {
      Y.applyUpdate(this.doc, message.update, 'channel');
      for (const participant of this.participants) participant.send(updateMessage(message.update));
    } else {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, message.update, 'channel');
    }
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.closed) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.flushNow();
    }, this.limits.flushDelayMs);
  }

  /** Resolves once everything accepted so far is committed; throws after ~10 s of database failures. */
  async whenCommitted(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await this.flushNow();
      if (this.pending.length === 0 || this.closed) return;
      if (attempt >= 20) throw new Error('the document could not be stored');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /** Starts a commit of everything accepted so far; resolves when that attempt ends (see whenCommitted). */
  flushNow(): Promise<void> {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    this.flushChain = this.flushChain.then(() => this.flush());
    return this.flushChain;
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    try {
      await this.db.transaction().execute(async (tx) => {
        const claims = batch.flatMap((item) => item.claims.map((clientId) => ({ clientId, userId: item.userId })));
        const lost = await repo.claimClientIds(tx, this.definitionId, claims);
        if (lost.length > 0) throw new ForeignClientId(`client ids ${lost.join(', ')} were claimed by someone else`);
        await repo.appendUpdates(
          tx,
          batch.map((item) => ({ definitionId: this.definitionId, update: item.update, userId: item.userId, at: item.at })),
        );
      });
    } catch (error) {
      // Keep the batch and try again shortly; nothing was broadcast, so nobody holds uncommitted text.
      this.pending = [...batch, ...this.pending];
      this.log.error({ err: error, definitionId: this.definitionId }, 'could not store document updates; retrying');
      if (!this.closed) setTimeout(() => this.scheduleFlush(), 500).unref();
      return;
    }
    this.broadcast(batch);
    this.rowsSinceCompaction += batch.length;
    this.scheduleMirror();
    if (this.rowsSinceCompaction >= this.limits.compactEvery) await this.compact();
  }

  /**
   * One frame per participant per committed batch: the merged batch, or for a participant who sent part
   * of it, the merge of everyone else's part.
   */
  private broadcast(batch: PendingUpdate[]): void {
    const merge = (updates: Uint8Array[]) => (updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates));
    const everything = merge(batch.map((item) => item.update));
    const forEveryone = updateMessage(everything);
    const senders = new Set(batch.map((item) => item.origin).filter((origin): origin is Participant => origin !== null));
    for (const participant of this.participants) {
      if (!senders.has(participant)) {
        participant.send(forEveryone);
        continue;
      }
      const others = batch.filter((item) => item.origin !== participant).map((item) => item.update);
      if (others.length > 0) participant.send(updateMessage(merge(others)));
    }
    this.channel.publish(this.definitionId, { kind: 'update', update: everything, origin: 'local' });
  }

  private scheduleMirror(): void {
    if (this.mirrorTimer || this.closed) return;
    this.mirrorTimer = setTimeout(() => {
      this.mirrorTimer = null;
      void this.refreshMirrorNow();
    }, this.limits.mirrorDelayMs);
  }

  /** Re-renders every clause's text and Markdown into the `clauses` table. */
  refreshMirrorNow(): Promise<void> {
    if (this.mirrorTimer) {
      clearTimeout(this.mirrorTimer);
      this.mirrorTimer = null;
    }
    this.mirrorChain = this.mirrorChain.then(async () => {
      const clauses = clausesInOrder(this.doc).map((clause, position) => ({
        clauseId: clause.id,
        position,
        kind: clause.kind,
        ...renderClause(clause.body),
      }));
      try {
        await this.db.transaction().execute((tx) => repo.replaceClauseMirror(tx, this.definitionId, clauses));
      } catch (error) {
        this.log.warn({ err: error, definitionId: this.definitionId }, 'could not refresh the clause mirror');
      }
    });
    return this.mirrorChain;
  }

  /**
   * Folds the update log into the stored state. Under the document's advisory lock it reads the rows,
   * merges them by loading into a Y.Doc (mergeUpdates alone keeps deleted content), and moves exactly
   * the rows it merged to the archive (history and blame replay them).
   */
  async compact(): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await repo.lockDocument(tx, this.definitionId);
      const [state, rows] = await Promise.all([repo.loadStoredState(tx, this.definitionId), repo.loadUpdates(tx, this.definitionId)]);
      if (rows.length === 0) return;
      const merged = new Y.Doc();
      if (state) Y.applyUpdate(merged, state.state);
      for (const row of rows) Y.applyUpdate(merged, row.update);
      const encoded = Y.encodeStateAsUpdate(merged);
      merged.destroy();
      await repo.saveState(tx, this.definitionId, encoded);
      await repo.archiveUpdates(tx, rows.map((row) => row.id));
      this.estimatedBytes = encoded.length;
    });
    this.rowsSinceCompaction = 0;
  }

  /** Stores everything, closes every participant with `code`, and frees the document. */
  async close(code: number, reason: string): Promise<void> {
    await this.flushNow();
    this.closed = true;
    await this.refreshMirrorNow();
    for (const participant of [...this.participants]) {
      participant.close(code, reason);
      this.leave(participant);
    }
    try {
      if (this.rowsSinceCompaction > 0) await this.compact();
    } catch (error) {
      this.log.warn({ err: error, definitionId: this.definitionId }, 'compaction on unload failed; the log stays as it is');
    }
    this.unsubscribe();
    this.awareness.destroy();
    this.doc.destroy();
  }
}

import * as Y from 'yjs';
import { CLOSE_CODES } from '@draftroom/shared';
import { type Db, type Tx, isDatabaseUnavailable } from '../db/database.ts';
import { MirrorTracker, type MirrorChanges } from '../text/mirror.ts';
import { InvalidContent, RoleIndex, checkUpdateStructs, invalidItems } from '../text/schema.ts';
import { ClientOwners, ForeignClientId } from './authorship.ts';
import type { ChannelMessage, DocumentChannel } from './channel.ts';
import { CommitQueue, type CommitItem } from './commits.ts';
import { mayApply, takePending, type Held } from './held.ts';
import { Presence } from './presence.ts';
import { parseMessage, ProtocolError, syncStep1Message, syncStep2Message, updateMessage } from './protocol.ts';
import * as repo from './repository.ts';

export { ForeignClientId } from './authorship.ts';
export { InvalidContent } from '../text/schema.ts';

export interface CollabLimits {
  /** Largest stored document (bytes of its encoded state, estimated between compactions). */
  maxDocumentBytes: number;
  /** Most bytes one participant may have waiting for updates the server does not have. */
  maxHeldBytes: number;
  /**
   * Extra wait before committing, to gather more updates per transaction. With 0, a batch starts at
   * once when no commit is in flight, and otherwise holds whatever arrived during the previous commit
   * (group commit): low latency when quiet, large batches under load.
   */
  flushDelayMs: number;
  /** Compact the update log after this many rows. */
  compactEvery: number;
  /** Awareness: client ids per connection, bytes per state. */
  maxAwarenessClients: number;
  maxAwarenessStateBytes: number;
}

/** One open socket as the document sees it. */
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
/** A participant has more data waiting for missing updates than allowed. */
export class TooMuchHeld extends Error {
  override name = 'TooMuchHeld';
}
/** Updates could not be stored (the database is out of reach): clients reconnect and resend them. */
export class StorageUnavailable extends Error {
  override name = 'StorageUnavailable';
}

export interface DocumentLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/** A server-side edit, made on a copy of the committed document, waiting for its transaction. */
export interface StagedEdit {
  userId: string;
  clientId: number;
  update: Uint8Array;
}

export interface DocumentDeps {
  db: Db;
  channel: DocumentChannel;
  limits: CollabLimits;
  log: DocumentLogger;
  /** The document can no longer be trusted to equal what is stored (a commit gave up): drop it. */
  onBroken(document: CollabDocument): void;
  /** Text was committed (edits over the socket or server-side edits), after broadcasting it. */
  onTextCommitted?: (definitionId: string) => void;
}

/** Origins of the transactions this module applies itself; only those are captured for committing. */
const APPLY = Symbol('apply');
const REPAIR = Symbol('repair');
/** Server-side edits, already stored (with their mirror rows) when they are applied here. */
const PUBLISH = Symbol('publish');

/**
 * Applies a document's stored updates as one merge. A struct of length 0 (stored before such updates
 * were refused) leaves a document Yjs cannot encode when applied on its own; the merge drops it.
 */
function applyStored(doc: Y.Doc, updates: Uint8Array[]): void {
  if (updates.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(updates));
}

/**
 * A definition's live Y.Doc on this instance: who is connected, what they may do, and the path every
 * change takes — check, apply, commit (batched), then broadcast. Nobody ever receives text that is not
 * yet committed, so after a crash clients only ever hold back their own edits, which they re-send.
 */
export class CollabDocument {
  readonly doc = new Y.Doc();
  readonly participants = new Set<Participant>();
  readonly presence: Presence;
  private readonly roles = new RoleIndex();
  private readonly owners: ClientOwners;
  private readonly held = new Map<Participant, Held>();
  private readonly commits: CommitQueue<Participant>;
  /** Which clauses the updates waiting for commit touched: their texts are written with them. */
  private readonly mirror: MirrorTracker;
  private rowsSinceCompaction = 0;
  private estimatedBytes = 0;
  private unsubscribe: () => void = () => {};
  private closed = false;
  /** While set, no update is applied: a committed read or a server-side edit is in progress. */
  private gate: Promise<void> | null = null;
  /** The effective update of the apply in progress (set by the one 'update' listener). */
  private captured: Uint8Array | null = null;

  private constructor(
    readonly definitionId: string,
    readonly groupId: string,
    private readonly deps: DocumentDeps,
    owners: ClientOwners,
  ) {
    this.owners = owners;
    this.commits = new CommitQueue<Participant>({
      store: (batch) => this.store(batch),
      committed: (batch) => this.afterCommit(batch),
      failed: (error) => this.break(error),
      retryable: (error) => !(error instanceof ForeignClientId),
      log: (error, attempt) => deps.log.error({ err: error, definitionId, attempt }, 'could not store document updates'),
      delayMs: deps.limits.flushDelayMs,
      retryDelayMs: 500,
      maxAttempts: 20,
    });
    this.mirror = new MirrorTracker(this.doc, [APPLY, REPAIR]);
    this.presence = new Presence(
      this.doc,
      () => this.participants,
      deps.limits,
      (update) => deps.channel.publish(definitionId, { kind: 'awareness', update, origin: 'local' }),
    );
    this.doc.on('update', (effective: Uint8Array, origin: unknown) => {
      if (origin === APPLY || origin === REPAIR || origin === PUBLISH) this.captured = this.captured ? Y.mergeUpdates([this.captured, effective]) : effective;
    });
  }

  /**
   * Reads the stored state and every update after it; resolves only when the document is complete.
   * Content stored before updates were checked and that the schema refuses is deleted here, as an edit
   * by nobody (user null) committed like any other, so every reader sees the repaired text.
   */
  static async load(definitionId: string, groupId: string, deps: DocumentDeps): Promise<CollabDocument> {
    const [state, updates, owners] = await Promise.all([
      repo.loadStoredState(deps.db, definitionId),
      repo.loadUpdates(deps.db, definitionId),
      repo.loadClientOwners(deps.db, definitionId),
    ]);
    const document = new CollabDocument(definitionId, groupId, deps, new ClientOwners(owners));
    Y.transact(
      document.doc,
      () => {
        applyStored(document.doc, [...(state ? [state.state] : []), ...updates.map((row) => row.update)]);
      },
      'load',
    );
    // Whatever a stored update left waiting can never arrive now; it is not part of the text.
    takePending(document.doc);
    document.rowsSinceCompaction = updates.length;
    document.estimatedBytes = Y.encodeStateAsUpdate(document.doc).length;
    const repair = document.repair();
    // The mirror is written in full once per load, with the repair if any: from here on it moves with
    // every commit, so it is exact even if an earlier version of the server left it behind.
    const mirror = document.mirror.all();
    await deps.db.transaction().execute(async (tx) => {
      if (repair) await repo.appendUpdates(tx, [{ definitionId, update: repair, userId: null, at: new Date() }]);
      await repo.writeClauseMirror(tx, definitionId, mirror);
    });
    if (repair) document.rowsSinceCompaction += 1;
    document.unsubscribe = deps.channel.subscribe(definitionId, (message) => document.onChannelMessage(message));
    return document;
  }

  /** Deletes stored content the schema refuses; returns the deletion as an update, or null. */
  private repair(): Uint8Array | null {
    const invalid = invalidItems(this.doc, this.roles);
    if (invalid.length === 0) return null;
    this.captured = null;
    Y.transact(
      this.doc,
      (transaction) => {
        for (const item of invalid) if (!item.deleted) item.delete(transaction);
      },
      REPAIR,
    );
    const repair = this.captured as Uint8Array | null;
    this.captured = null;
    this.deps.log.warn({ definitionId: this.definitionId, items: invalid.length }, 'removed stored content the clause schema does not allow');
    return repair;
  }

  /** Greets a new participant: our state vector (so it sends what we lack) and everyone's presence. */
  join(participant: Participant): void {
    this.participants.add(participant);
    participant.send(syncStep1Message(this.doc));
    this.presence.greet(participant);
  }

  leave(participant: Participant): void {
    this.held.delete(participant);
    if (!this.participants.delete(participant)) return;
    this.presence.remove(participant);
  }

  /**
   * Handles one frame from a participant. Throws ProtocolError, InvalidContent, ForeignClientId,
   * DocumentTooLarge or TooMuchHeld; the caller closes the socket with the matching code.
   */
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
        while (this.gate) await this.gate;
        if (this.closed || !this.participants.has(participant)) return;
        this.receive(participant, message.update);
        return;
      case 'awareness':
        this.presence.accept(participant, message.update);
        return;
      case 'queryAwareness':
        this.presence.answerQuery(participant);
        return;
    }
  }

  private receive(participant: Participant, update: Uint8Array): void {
    const held = this.held.get(participant);
    let incoming = update;
    if (held) {
      this.held.delete(participant);
      try {
        incoming = Y.mergeUpdates([held.update, update]);
      } catch {
        throw new ProtocolError('malformed update');
      }
    }
    const advanced = this.integrate(participant, participant.userId, incoming);
    if (advanced) this.retryHeld(participant);
  }

  /**
   * Checks an update (schema, authorship, size), applies it, queues what was applied for commit and keeps
   * what could not be applied yet. Returns whether the document changed.
   */
  private integrate(participant: Participant, userId: string, update: Uint8Array): boolean {
    let structs: (Y.Item | Y.GC | Y.Skip)[];
    try {
      structs = Y.decodeUpdate(update).structs as typeof structs;
    } catch {
      throw new ProtocolError('malformed update');
    }
    try {
      checkUpdateStructs(this.doc, this.roles, structs);
    } catch (error) {
      if (error instanceof InvalidContent) throw error;
      throw new ProtocolError('malformed update');
    }
    this.owners.check(this.doc, userId, structs);
    if (this.estimatedBytes + this.heldBytes() + update.length > this.deps.limits.maxDocumentBytes) {
      throw new DocumentTooLarge(`the document would exceed ${this.deps.limits.maxDocumentBytes} bytes`);
    }
    const clients = new Set(structs.map((struct) => struct.id.client));
    const before = new Map([...clients].map((client) => [client, Y.getState(this.doc.store, client)]));
    this.captured = null;
    let failure: unknown = null;
    try {
      Y.applyUpdate(this.doc, update, APPLY);
    } catch (error) {
      // Yjs does not expect hostile updates; whatever it integrated before throwing passed the checks and
      // is committed below like any other edit, so memory and storage stay equal.
      failure = error;
    }
    const applied = this.captured as Uint8Array | null;
    this.captured = null;
    const waiting = takePending(this.doc);
    const advanced = [...clients].filter((client) => Y.getState(this.doc.store, client) > before.get(client)!);
    if (applied) {
      this.estimatedBytes += applied.length;
      const claims = this.owners.claim(userId, advanced);
      this.commits.enqueue({ update: applied, userId, claims, origin: participant, at: new Date() });
    }
    if (failure) {
      this.deps.log.warn({ err: failure, definitionId: this.definitionId }, 'Yjs could not apply an update');
      throw new ProtocolError('update could not be applied');
    }
    if (waiting) {
      if (waiting.update.length > this.deps.limits.maxHeldBytes)
        throw new TooMuchHeld(`more than ${this.deps.limits.maxHeldBytes} bytes wait for missing updates`);
      this.held.set(participant, waiting);
    }
    return applied !== null;
  }

  private heldBytes(): number {
    let total = 0;
    for (const held of this.held.values()) total += held.update.length;
    return total;
  }

  /** Gives other participants' held data a chance once what it waited for has arrived. */
  private retryHeld(except: Participant): void {
    for (let progress = true; progress; ) {
      progress = false;
      for (const [participant, held] of this.held) {
        if (participant === except || !mayApply(this.doc, held)) continue;
        this.held.delete(participant);
        try {
          if (this.integrate(participant, participant.userId, held.update)) progress = true;
        } catch (error) {
          this.held.delete(participant);
          participant.close(...closeFor(error));
          this.leave(participant);
        }
      }
    }
  }

  private onChannelMessage(message: ChannelMessage): void {
    if (message.kind === 'update') {
      Y.applyUpdate(this.doc, message.update, 'channel');
      for (const participant of this.participants) participant.send(updateMessage(message.update));
    } else {
      this.presence.applyRemote(message.update);
    }
  }

  // ---------- committed reads and server-side edits ----------

  /**
   * Runs `work` while no update is applied, after everything accepted before is committed: what it
   * reads is exactly the stored text. Sections run one at a time; socket updates wait (briefly) for them.
   */
  async exclusive<T>(work: () => Promise<T> | T): Promise<T> {
    while (this.gate) await this.gate;
    let open!: () => void;
    this.gate = new Promise<void>((resolve) => (open = resolve));
    try {
      await this.whenCommitted();
      return await work();
    } finally {
      this.gate = null;
      open();
    }
  }

  /** Checks a server-side edit against the schema like any socket update (it must never fail). */
  checkServerEdit(update: Uint8Array): void {
    checkUpdateStructs(this.doc, this.roles, Y.decodeUpdate(update).structs as (Y.Item | Y.GC | Y.Skip)[]);
  }

  freshClientId(): number {
    return this.owners.freshId(this.doc);
  }

  /**
   * Writes server-side edits, and the clause texts they change, in the caller's transaction (inside
   * exclusive(), before it commits).
   */
  async storeServerEdits(tx: Tx, edits: StagedEdit[], mirror: MirrorChanges | null): Promise<void> {
    if (edits.length === 0) return;
    const lost = await repo.claimClientIds(
      tx,
      this.definitionId,
      edits.map((edit) => ({ clientId: edit.clientId, userId: edit.userId })),
    );
    if (lost.length > 0) throw new ForeignClientId(`client ids ${lost.join(', ')} were claimed by someone else`);
    const at = new Date();
    await repo.appendUpdates(
      tx,
      edits.map((edit) => ({ definitionId: this.definitionId, update: edit.update, userId: edit.userId, at })),
    );
    if (mirror) await repo.writeClauseMirror(tx, this.definitionId, mirror);
  }

  /** After the caller's transaction committed: apply the edits here and tell everyone. */
  async publishServerEdits(edits: StagedEdit[]): Promise<void> {
    if (edits.length === 0) return;
    const batch: CommitItem<Participant>[] = [];
    for (const edit of edits) {
      this.owners.set(edit.clientId, edit.userId);
      this.captured = null;
      Y.applyUpdate(this.doc, edit.update, PUBLISH);
      const applied = this.captured as Uint8Array | null;
      this.captured = null;
      if (applied) {
        this.estimatedBytes += applied.length;
        batch.push({ update: applied, userId: edit.userId, claims: [], origin: null, at: new Date() });
      }
    }
    if (batch.length > 0) await this.afterCommit(batch);
  }

  // ---------- committing ----------

  whenCommitted(): Promise<void> {
    return this.commits.whenCommitted().catch((error: unknown) => {
      throw new StorageUnavailable(error instanceof Error ? error.message : 'the document could not be stored');
    });
  }

  /** Starts a commit of everything accepted so far and resolves when that attempt ends. */
  flushNow(): Promise<void> {
    return this.commits.flush();
  }

  /**
   * Commits a batch with its claims and the clause texts it changed. The texts are rendered before the
   * first await, when the document holds exactly this batch's updates and nothing after them.
   */
  private async store(batch: CommitItem<Participant>[]): Promise<void> {
    const mirror = this.mirror.take();
    try {
      await this.deps.db.transaction().execute(async (tx) => {
        const claims = batch.flatMap((item) => item.claims.map((clientId) => ({ clientId, userId: item.userId! })));
        const lost = await repo.claimClientIds(tx, this.definitionId, claims);
        if (lost.length > 0) throw new ForeignClientId(`client ids ${lost.join(', ')} were claimed by someone else`);
        await repo.appendUpdatesAndMirror(
          tx,
          this.definitionId,
          batch.map((item) => ({ update: item.update, userId: item.userId, at: item.at })),
          mirror,
        );
      });
    } catch (error) {
      if (mirror) this.mirror.restore(mirror);
      throw error;
    }
  }

  private async afterCommit(batch: CommitItem<Participant>[]): Promise<void> {
    this.broadcast(batch);
    try {
      this.deps.onTextCommitted?.(this.definitionId);
    } catch (error) {
      this.deps.log.warn({ err: error, definitionId: this.definitionId }, 'could not announce a text change');
    }
    this.rowsSinceCompaction += batch.length;
    if (this.rowsSinceCompaction >= this.deps.limits.compactEvery) {
      try {
        await this.compact();
      } catch (error) {
        this.deps.log.warn({ err: error, definitionId: this.definitionId }, 'compaction failed; the log stays as it is');
      }
    }
  }

  /** A commit gave up: what is in memory may differ from what is stored, so nobody may read it. */
  private break(error: unknown): void {
    if (this.closed) return;
    this.deps.log.error({ err: error, definitionId: this.definitionId }, 'discarding a document whose updates could not be stored');
    this.discard(CLOSE_CODES.storageUnavailable, 'storage unavailable; your edits are kept, reconnect');
    this.deps.onBroken(this);
  }

  /**
   * One frame per participant per committed batch: the merged batch, or for a participant who sent part
   * of it, the merge of everyone else's part.
   */
  private broadcast(batch: CommitItem<Participant>[]): void {
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
    this.deps.channel.publish(this.definitionId, { kind: 'update', update: everything, origin: 'local' });
  }

  /**
   * Folds the update log into the stored state. Under the document's advisory lock it reads the rows,
   * merges them by loading into a Y.Doc (mergeUpdates alone keeps deleted content), and moves exactly
   * the rows it merged to the archive (history and blame replay them).
   */
  async compact(): Promise<void> {
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.lockDocument(tx, this.definitionId);
      const [state, rows] = await Promise.all([repo.loadStoredState(tx, this.definitionId), repo.loadUpdates(tx, this.definitionId)]);
      if (rows.length === 0) return;
      const merged = new Y.Doc();
      applyStored(merged, [...(state ? [state.state] : []), ...rows.map((row) => row.update)]);
      takePending(merged);
      const encoded = Y.encodeStateAsUpdate(merged);
      merged.destroy();
      await repo.saveState(tx, this.definitionId, encoded);
      await repo.archiveUpdates(
        tx,
        rows.map((row) => row.id),
      );
      this.estimatedBytes = encoded.length;
    });
    this.rowsSinceCompaction = 0;
  }

  /** Stores everything, closes every participant with `code`, and frees the document. Never rejects. */
  async close(code: number, reason: string): Promise<void> {
    if (this.closed) return;
    try {
      await this.commits.whenCommitted();
    } catch (error) {
      this.deps.log.error({ err: error, definitionId: this.definitionId }, 'closing a document with updates that could not be stored');
    }
    this.closed = true;
    this.commits.stop();
    for (const participant of [...this.participants]) {
      participant.close(code, reason);
      this.leave(participant);
    }
    try {
      if (this.rowsSinceCompaction > 0) await this.compact();
    } catch (error) {
      this.deps.log.warn({ err: error, definitionId: this.definitionId }, 'compaction on unload failed; the log stays as it is');
    }
    this.destroy();
  }

  /** Drops the document without storing anything more (its memory can no longer be trusted). */
  discard(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.commits.discard();
    for (const participant of [...this.participants]) {
      participant.close(code, reason);
      this.leave(participant);
    }
    this.destroy();
  }

  private destroy(): void {
    this.mirror.destroy();
    this.unsubscribe();
    this.presence.destroy();
    this.doc.destroy();
  }
}

/** The socket close code for an error thrown by handleMessage. */
export function closeFor(error: unknown): [code: number, reason: string] {
  if (error instanceof ProtocolError) return [CLOSE_CODES.invalidMessage, error.message];
  if (error instanceof InvalidContent) return [CLOSE_CODES.invalidContent, `refused: ${error.message}`.slice(0, 120)];
  if (error instanceof ForeignClientId) return [CLOSE_CODES.forbidden, 'client id belongs to another user'];
  if (error instanceof DocumentTooLarge) return [CLOSE_CODES.documentTooLarge, 'document too large'];
  if (error instanceof TooMuchHeld) return [CLOSE_CODES.tooMuchHeld, 'too much data waiting for missing updates; reconnect'];
  if (error instanceof StorageUnavailable || isDatabaseUnavailable(error)) return [CLOSE_CODES.storageUnavailable, 'storage unavailable; reconnect later'];
  return [CLOSE_CODES.loadFailed, 'server error'];
}

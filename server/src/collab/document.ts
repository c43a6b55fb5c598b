import * as Y from 'yjs';
import { CLOSE_CODES } from '@draftroom/shared';
import { type Db, type Executor, type Tx, isDatabaseUnavailable } from '../db/database.ts';
import { MirrorTracker, type MirrorChanges } from '../text/mirror.ts';
import { InvalidContent, RoleIndex, checkUpdateStructs, invalidItems } from '../text/schema.ts';
import { ClientOwners, ForeignClientId } from './authorship.ts';
import type { ChannelMessage, CommittedUpdate, DocumentChannel } from './channel.ts';
import { CommitQueue, type CommitItem } from './commits.ts';
import { foldUpdates } from './fold.mjs';
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
/** The instance is shutting down: clients reconnect (to another instance, or to this one restarted). */
export class ShuttingDown extends Error {
  override name = 'ShuttingDown';
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
  /** Folds an update log into one state for a compaction; in this thread when not given (see FoldWorker). */
  fold?: (updates: Uint8Array[]) => Promise<Uint8Array>;
}

/** Origins of the transactions this module applies itself; only those are captured for committing. */
const APPLY = Symbol('apply');
const REPAIR = Symbol('repair');
/** Server-side edits, already stored (with their mirror rows) when they are applied here. */
const PUBLISH = Symbol('publish');
/** Updates other instances committed (read from PostgreSQL or received on the channel). */
const REMOTE = Symbol('remote');

/** The update log rows a commit wrote: ids in (after, through]. */
interface Span {
  after: number;
  through: number;
}

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
  private readonly commits: CommitQueue<Participant, Span>;
  /** Which clauses the updates waiting for commit touched: their texts are written with them. */
  private readonly mirror: MirrorTracker;
  private rowsSinceCompaction = 0;
  /** The compaction in progress, if any (never more than one; it never holds up a commit). */
  private compacting: Promise<void> | null = null;
  private estimatedBytes = 0;
  private unsubscribe: () => void = () => {};
  private closed = false;
  /** While set, no update is applied: a committed read or a server-side edit is in progress. */
  private gate: Promise<void> | null = null;
  /** While set, no update is applied: a commit is catching up and rendering its clause texts. */
  private pause: Promise<void> | null = null;
  /**
   * The id of the last update-log row this document holds, all earlier ones included. Every commit of
   * the document, on any instance, follows the one before it (see repo.lockDocumentWrites).
   */
  private seen = 0;
  /** Channel messages that arrived while loading, handled once loaded (null: loaded). */
  private early: ChannelMessage[] | null = [];
  /** Reads of missed commits from PostgreSQL, one at a time. */
  private syncing: Promise<void> = Promise.resolve();
  /** The effective update of the apply in progress (set by the one 'update' listener). */
  private captured: Uint8Array | null = null;

  private constructor(
    readonly definitionId: string,
    readonly groupId: string,
    private readonly deps: DocumentDeps,
  ) {
    this.owners = new ClientOwners();
    this.commits = new CommitQueue<Participant, Span>({
      store: (batch) => this.store(batch),
      committed: (batch, span) => this.afterCommit(batch, span),
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
      (update) => deps.channel.publish(definitionId, { kind: 'awareness', update }),
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
    const document = new CollabDocument(definitionId, groupId, deps);
    // Listen before reading: whatever is committed from here on arrives on the channel or is in the read.
    document.unsubscribe = await deps.channel.subscribe(definitionId, {
      message: (message) => document.onChannelMessage(message),
      stale: () => document.resync(),
    });
    try {
      await document.loadStored();
    } catch (error) {
      document.closed = true;
      document.destroy();
      throw error;
    }
    const early = document.early ?? [];
    document.early = null;
    for (const message of early) document.onChannelMessage(message);
    return document;
  }

  private async loadStored(): Promise<void> {
    const { db } = this.deps;
    // One snapshot: a compaction on another instance must not move rows between the two reads.
    const [state, updates, owners, latest] = await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute((tx) =>
        Promise.all([
          repo.loadStoredState(tx, this.definitionId),
          repo.loadUpdates(tx, this.definitionId),
          repo.loadClientOwners(tx, this.definitionId),
          repo.latestUpdateId(tx, this.definitionId),
        ]),
      );
    for (const row of owners) this.owners.set(Number(row.client_id), row.user_id);
    Y.transact(
      this.doc,
      () => {
        applyStored(this.doc, [...(state ? [state.state] : []), ...updates.map((row) => row.update)]);
      },
      'load',
    );
    // Whatever a stored update left waiting can never arrive now; it is not part of the text.
    takePending(this.doc);
    this.seen = latest;
    this.rowsSinceCompaction = updates.length;
    this.estimatedBytes = Y.encodeStateAsUpdate(this.doc).length;
    // The mirror is written in full once per load, with the repair if any, from the whole committed
    // document: from here on it moves with every commit, so it is exact even if an earlier version of the
    // server left it behind.
    let repair: { update: Uint8Array; span: Span } | null = null;
    await db.transaction().execute(async (tx) => {
      await repo.lockDocumentWrites(tx, this.definitionId);
      await this.catchUp(tx);
      const update = this.repair();
      const mirror = this.mirror.all();
      if (update) {
        const after = this.seen;
        const [id] = await repo.appendUpdates(tx, [{ definitionId: this.definitionId, update, userId: null, at: new Date() }]);
        repair = { update, span: { after, through: id! } };
      }
      await repo.writeClauseMirror(tx, this.definitionId, mirror);
    });
    if (repair) {
      const { update, span } = repair as { update: Uint8Array; span: Span };
      this.seen = span.through;
      this.rowsSinceCompaction += 1;
      this.deps.channel.publish(this.definitionId, { kind: 'update', update, after: span.after, through: span.through, claims: [] });
    }
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
    if (this.closed) {
      // Closed while this socket was opening (an unload or a shutdown): it reconnects and loads afresh.
      participant.close(CLOSE_CODES.goingAway, 'document closed; reconnect');
      return;
    }
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
        while (!this.applying) await (this.gate ?? this.pause);
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

  /** Whether updates from participants may be applied now. */
  private get applying(): boolean {
    return this.gate === null && this.pause === null;
  }

  /** Gives participants' held data a chance once what it waited for has arrived. */
  private retryHeld(except: Participant | null): void {
    if (!this.applying) return;
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

  // ---------- other instances ----------

  /** A message from another instance holding this document. Never throws. */
  private onChannelMessage(message: ChannelMessage): void {
    if (this.closed) return;
    if (this.early) {
      this.early.push(message);
      return;
    }
    if (message.kind === 'awareness') {
      this.presence.applyRemote(message.update);
      return;
    }
    if (message.through <= this.seen) return; // read from PostgreSQL already (or our own)
    if (message.after > this.seen) {
      // A commit in between never arrived: PostgreSQL has it.
      this.resync();
      return;
    }
    this.learnOwners(message);
    this.applyCommitted([message.update], message.through, 1);
  }

  private learnOwners(message: CommittedUpdate): void {
    for (const [clientId, userId] of message.claims) if (this.owners.ownerOf(clientId) === undefined) this.owners.set(clientId, userId);
  }

  /** Reads what other instances committed since `seen` (one read at a time). Never rejects. */
  resync(): Promise<void> {
    this.syncing = this.syncing.then(async () => {
      if (this.closed || this.early) return;
      try {
        await this.catchUp(this.deps.db);
      } catch (error) {
        this.deps.log.warn({ err: error, definitionId: this.definitionId }, 'could not read the updates other instances committed; retrying on the next sign');
      }
    });
    return this.syncing;
  }

  /**
   * Applies every update committed after `seen`. In a transaction holding repo.lockDocumentWrites, the
   * document then holds every commit there is.
   */
  private async catchUp(db: Executor): Promise<void> {
    const rows = await repo.loadUpdatesAfter(db, this.definitionId, this.seen);
    if (this.closed) return;
    this.applyRows(rows);
  }

  /** Applies log rows other instances committed (after `seen`, in order), learning who owns their client ids. */
  private applyRows(rows: { id: number; update: Uint8Array; user_id: string | null }[]): void {
    if (rows.length === 0) return;
    const through = rows[rows.length - 1]!.id;
    if (through <= this.seen) return;
    // A client id first appears in a row of the user who owns it (nobody may write under another's).
    for (const row of rows) {
      if (row.user_id === null) continue;
      for (const clientId of Y.parseUpdateMeta(row.update).to.keys()) if (this.owners.ownerOf(clientId) === undefined) this.owners.set(clientId, row.user_id);
    }
    this.applyCommitted(
      rows.map((row) => row.update),
      through,
      rows.length,
    );
  }

  /** Applies updates another instance committed and passes them on to this instance's participants. */
  private applyCommitted(updates: Uint8Array[], through: number, rows: number): void {
    const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
    try {
      Y.applyUpdate(this.doc, update, REMOTE);
    } catch (error) {
      this.deps.log.error({ err: error, definitionId: this.definitionId }, 'could not apply updates another instance committed');
    }
    // Committed updates follow each other, so nothing may wait; if something does, it is not ours to hold.
    if (takePending(this.doc)) this.deps.log.warn({ definitionId: this.definitionId }, 'committed updates waited for others this instance lacks');
    this.seen = through;
    this.rowsSinceCompaction += rows;
    this.estimatedBytes += update.length;
    const message = updateMessage(update);
    for (const participant of this.participants) participant.send(message);
    this.retryHeld(null);
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
      await this.catchUp(this.deps.db);
      return await work();
    } finally {
      this.gate = null;
      open();
      this.retryHeld(null);
    }
  }

  /**
   * For a server-side edit, first in its transaction (inside exclusive()): no other instance commits to
   * this document until it ends, and the document holds everything committed before.
   */
  async lockForEdit(tx: Tx): Promise<void> {
    await repo.lockDocumentWrites(tx, this.definitionId);
    await this.catchUp(tx);
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
  async storeServerEdits(tx: Tx, edits: StagedEdit[], mirror: MirrorChanges | null): Promise<Span | null> {
    if (edits.length === 0) return null;
    const lost = await repo.claimClientIds(
      tx,
      this.definitionId,
      edits.map((edit) => ({ clientId: edit.clientId, userId: edit.userId })),
    );
    if (lost.length > 0) throw new ForeignClientId(`client ids ${lost.join(', ')} were claimed by someone else`);
    const at = new Date();
    const after = this.seen;
    const ids = await repo.appendUpdates(
      tx,
      edits.map((edit) => ({ definitionId: this.definitionId, update: edit.update, userId: edit.userId, at })),
    );
    if (mirror) await repo.writeClauseMirror(tx, this.definitionId, mirror);
    return { after, through: ids[ids.length - 1]! };
  }

  /** After the caller's transaction committed: apply the edits here and tell everyone. */
  async publishServerEdits(edits: StagedEdit[], span: Span | null): Promise<void> {
    if (edits.length === 0 || !span) return;
    this.seen = Math.max(this.seen, span.through);
    const batch: CommitItem<Participant>[] = [];
    for (const edit of edits) {
      this.owners.set(edit.clientId, edit.userId);
      this.captured = null;
      Y.applyUpdate(this.doc, edit.update, PUBLISH);
      const applied = this.captured as Uint8Array | null;
      this.captured = null;
      if (applied) {
        this.estimatedBytes += applied.length;
        batch.push({ update: applied, userId: edit.userId, claims: [edit.clientId], origin: null, at: new Date() });
      }
    }
    if (batch.length > 0) await this.afterCommit(batch, span);
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
   * Commits a batch with its claims and the clause texts it changed, in one statement (one round trip:
   * repo.commitUpdates). No participant's update is applied meanwhile, so the texts — rendered before
   * it starts — are those of every commit this instance holds plus this batch, and nothing after it.
   * The statement writes only if nobody committed after what this instance holds (checked under the
   * document's write lock); otherwise it returns what others committed, which is applied here, and the
   * texts are rendered again from the whole committed document. So what the `clauses` table says is
   * what the committed document says, however many instances write to it.
   */
  private async store(batch: CommitItem<Participant>[]): Promise<Span> {
    let resume!: () => void;
    this.pause = new Promise<void>((resolve) => (resume = resolve));
    let mirror = this.mirror.take();
    const rows = batch.map((item) => ({ update: item.update, userId: item.userId }));
    const claims = batch.flatMap((item) => item.claims.map((clientId) => ({ clientId, userId: item.userId! })));
    try {
      for (;;) {
        const after = this.seen;
        const outcome = await repo.commitUpdates(this.deps.db, { definitionId: this.definitionId, after, rows, at: batch[0]!.at, claims, mirror });
        if (outcome.kind === 'done') {
          const through = outcome.ids[outcome.ids.length - 1] ?? after;
          this.seen = Math.max(this.seen, through);
          return { after, through };
        }
        // Another instance committed first: take its rows, then render the touched clauses again.
        if (mirror) this.mirror.restore(mirror);
        this.applyRows(outcome.rows);
        mirror = this.mirror.take();
      }
    } catch (error) {
      if (mirror) this.mirror.restore(mirror);
      if (error instanceof repo.LostClaims) throw new ForeignClientId(error.message);
      throw error;
    } finally {
      this.pause = null;
      resume();
      this.retryHeld(null);
    }
  }

  private async afterCommit(batch: CommitItem<Participant>[], span: Span | null): Promise<void> {
    this.broadcast(batch, span);
    try {
      this.deps.onTextCommitted?.(this.definitionId);
    } catch (error) {
      this.deps.log.warn({ err: error, definitionId: this.definitionId }, 'could not announce a text change');
    }
    this.rowsSinceCompaction += batch.length;
    if (this.rowsSinceCompaction >= this.deps.limits.compactEvery) this.compactInBackground();
  }

  /**
   * Starts a compaction beside the commits, not in their queue: it takes its own lock (not the write
   * lock) and moves only the rows it read, so commits go on meanwhile, and a slow one — a large state,
   * a busy database — never delays anybody's edit. Never rejects.
   */
  private compactInBackground(): void {
    if (this.compacting || this.closed) return;
    this.compacting = this.compact()
      .catch((error: unknown) => this.deps.log.warn({ err: error, definitionId: this.definitionId }, 'compaction failed; the log stays as it is'))
      .finally(() => {
        this.compacting = null;
      });
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
  private broadcast(batch: CommitItem<Participant>[], span: Span | null): void {
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
    if (span) {
      const claims = batch.flatMap((item) => (item.userId === null ? [] : item.claims.map((clientId) => [clientId, item.userId!] as [number, string])));
      this.deps.channel.publish(this.definitionId, { kind: 'update', update: everything, after: span.after, through: span.through, claims });
    }
  }

  /**
   * Folds the update log into the stored state. Under the document's advisory lock it reads the rows,
   * merges them by loading into a Y.Doc (mergeUpdates alone keeps deleted content; deps.fold does this
   * in a worker thread, so the event loop never waits for it), and moves exactly the rows it merged to
   * the archive (history and blame replay them).
   */
  async compact(): Promise<void> {
    let merged = 0;
    const estimateAtStart = this.estimatedBytes;
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.lockDocument(tx, this.definitionId);
      const [state, rows] = await Promise.all([repo.loadStoredState(tx, this.definitionId), repo.loadUpdates(tx, this.definitionId)]);
      if (rows.length === 0) return;
      const log = [...(state ? [state.state] : []), ...rows.map((row) => row.update)];
      const encoded = this.deps.fold ? await this.deps.fold(log) : foldUpdates(log);
      await repo.saveState(tx, this.definitionId, encoded);
      await repo.archiveUpdates(
        tx,
        rows.map((row) => row.id),
      );
      // What was applied while it ran is not in `encoded`.
      this.estimatedBytes = encoded.length + Math.max(0, this.estimatedBytes - estimateAtStart);
      merged = rows.length;
    });
    // Rows committed while it ran stay in the log and count towards the next one.
    this.rowsSinceCompaction = Math.max(0, this.rowsSinceCompaction - merged);
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
      await this.compacting;
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
  if (error instanceof ShuttingDown) return [CLOSE_CODES.goingAway, 'server shutting down'];
  if (error instanceof StorageUnavailable || isDatabaseUnavailable(error)) return [CLOSE_CODES.storageUnavailable, 'storage unavailable; reconnect later'];
  return [CLOSE_CODES.loadFailed, 'server error'];
}

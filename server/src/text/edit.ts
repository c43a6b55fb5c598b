import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { BODY_KEY, KIND_KEY, clausesOf, deleteClause, insertClause, moveClause, orderOf, type ClauseKindValue } from '@draftroom/shared';
import type { CollabDocument, StagedEdit } from '../collab/document.ts';
import type { DocumentRegistry } from '../collab/registry.ts';
import type { Db, Tx } from '../db/database.ts';
import { invalidInput } from '../errors.ts';
import { MirrorTracker, type MirrorChanges } from './mirror.ts';
import { InvalidContent } from './schema.ts';
import { TextView } from './view.ts';
import { contentFromJson, writeBody } from './write.ts';

export interface TextDeps {
  db: Db;
  registry: DocumentRegistry;
}

/** The definition whose text is read or edited (the registry loads documents per group). */
export interface DefinitionRef {
  id: string;
  group_id: string;
}

/**
 * Reads the committed text: everything accepted before is stored first, and no update is applied while
 * `read` runs, so what it sees is exactly what PostgreSQL holds — never a delayed copy.
 */
export async function readText<T>(deps: Pick<TextDeps, 'registry'>, definition: DefinitionRef, read: (text: TextView) => T): Promise<T> {
  return deps.registry.withDocument(definition.id, definition.group_id, (document) => document.exclusive(() => read(new TextView(document.doc))));
}

/**
 * Edits the text on the server inside one transaction: `work` gets the transaction and a TextEdit whose
 * edits are made on a copy of the committed document. When `work` returns, the edits are checked
 * against the schema and written in the same transaction (with whatever `work` recorded, such as an
 * audit event); only after it commits are they applied to the live document and broadcast. If anything
 * throws, nothing is stored and nobody sees anything. Live edits wait meanwhile — and so would a
 * readText or editText of the same definition, so `work` reads through its TextEdit, never through those.
 */
export async function editText<T>(deps: TextDeps, definition: DefinitionRef, work: (tx: Tx, text: TextEdit) => Promise<T>): Promise<T> {
  return deps.registry.withDocument(definition.id, definition.group_id, (document) =>
    document.exclusive(async () => {
      let text: TextEdit | null = null;
      const { value, span } = await deps.db.transaction().execute(async (tx) => {
        // No other instance writes to this document until the transaction ends, and the copy edited
        // here holds everything committed before: the edit and its clause texts build on the whole text.
        await document.lockForEdit(tx);
        text = new TextEdit(document);
        const value = await work(tx, text);
        return { value, span: await document.storeServerEdits(tx, text.finish(), text.mirrorChanges()) };
      });
      await document.publishServerEdits((text as TextEdit | null)?.staged ?? [], span);
      return value;
    }),
  );
}

/** A clause as a version stores it, for restoring. */
export interface StoredClause {
  clauseId: string;
  kind: ClauseKindValue;
  position: number;
  content: unknown;
}

/**
 * Server-side edits, each attributed to a user under a fresh client id that user then owns. Reads see
 * the edits made so far.
 */
export class TextEdit extends TextView {
  readonly staged: StagedEdit[] = [];
  private readonly usedIds = new Set<number>();
  private readonly document: CollabDocument;
  private readonly mirror: MirrorTracker;

  constructor(document: CollabDocument) {
    super(copyOf(document.doc));
    this.document = document;
    this.mirror = new MirrorTracker(this.doc, [EDIT]);
  }

  /** Adds a clause with `content` at `position` (the end when omitted). */
  insertClause(userId: string, clause: { id: string; kind: ClauseKindValue; position?: number; content: ProseMirrorNode }): void {
    this.edit(userId, (doc) => {
      const body = insertClause(doc, clause.id, clause.kind, clause.position);
      writeBody(body, clause.content);
    });
  }

  /**
   * Makes a clause read like `content` with a word-level change: words that stay keep their authors and
   * marks; changed words are credited to `userId`. Returns false when the clause is not in the text.
   */
  replaceClause(userId: string, clauseId: string, content: ProseMirrorNode): boolean {
    if (!this.has(clauseId)) return false;
    this.edit(userId, () => writeBody(this.body(clauseId)!, content));
    return true;
  }

  /** Removes a clause from the text (its id leaves the order, its entry the clause map). */
  deleteClause(userId: string, clauseId: string): boolean {
    if (!this.has(clauseId)) return false;
    this.edit(userId, (doc) => deleteClause(doc, clauseId));
    return true;
  }

  /** Moves a clause to `index` in reading order (its body stays where it is). */
  moveClause(userId: string, clauseId: string, index: number): boolean {
    if (!this.has(clauseId)) return false;
    this.edit(userId, (doc) => moveClause(doc, clauseId, index));
    return true;
  }

  /** Puts a clause back as a version stored it; a clause deleted since comes back with its id, near where it was. */
  restoreClause(userId: string, stored: StoredClause): void {
    this.edit(userId, (doc) => setClause(doc, stored));
  }

  /**
   * Resets the whole text to a version: clauses added since are removed, removed ones come back, texts
   * and kinds are set, and the order is rebuilt (ids move; bodies stay, so anchored comments survive).
   */
  restoreAll(userId: string, clauses: StoredClause[]): void {
    this.edit(userId, (doc) => {
      const wanted = new Set(clauses.map((c) => c.clauseId));
      for (const id of orderOf(doc).toArray()) if (!wanted.has(id)) deleteClause(doc, id);
      for (const stored of clauses) setClause(doc, stored);
      const order = orderOf(doc);
      const target = clauses.map((c) => c.clauseId);
      if (order.toArray().join() !== target.join()) {
        order.delete(0, order.length);
        order.insert(0, target);
      }
    });
  }

  /**
   * The staged edits, checked against the schema like any socket update. Content reaches here parsed
   * against the same schema, so a refusal means input the parser let through: a 400, never stored.
   */
  finish(): StagedEdit[] {
    if (this.staged.length > 0) {
      const merged = this.staged.length === 1 ? this.staged[0]!.update : Y.mergeUpdates(this.staged.map((edit) => edit.update));
      try {
        this.document.checkServerEdit(merged);
      } catch (error) {
        if (error instanceof InvalidContent)
          throw invalidInput(`The text does not fit the clause schema: ${error.message}`, [{ path: '/content', message: error.message }]);
        throw error;
      }
    }
    return this.staged;
  }

  /** The clause texts the staged edits change, rendered from the edited copy (written with them). */
  mirrorChanges(): MirrorChanges | null {
    return this.mirror.take();
  }

  private edit(userId: string, change: (doc: Y.Doc) => void): void {
    let clientId = this.document.freshClientId();
    while (this.usedIds.has(clientId)) clientId = this.document.freshClientId();
    this.usedIds.add(clientId);
    this.doc.clientID = clientId;
    // The transaction's own update: its new structs and its deletions only.
    let update: Uint8Array | null = null;
    const capture = (transactionUpdate: Uint8Array) => {
      update = update ? Y.mergeUpdates([update, transactionUpdate]) : transactionUpdate;
    };
    this.doc.on('update', capture);
    try {
      Y.transact(this.doc, () => change(this.doc), EDIT);
    } finally {
      this.doc.off('update', capture);
    }
    if (update) this.staged.push({ userId, clientId, update });
  }
}

const EDIT = Symbol('server edit');

function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

function setClause(doc: Y.Doc, stored: StoredClause): void {
  let entry = clausesOf(doc).get(stored.clauseId);
  if (!entry) {
    insertClause(doc, stored.clauseId, stored.kind, stored.position);
    entry = clausesOf(doc).get(stored.clauseId)!;
  }
  if (entry.get(KIND_KEY) !== stored.kind) entry.set(KIND_KEY, stored.kind);
  writeBody(entry.get(BODY_KEY) as Y.XmlFragment, contentFromJson(stored.content));
}

import { randomUUID } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import { sql } from 'kysely';
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.ts';
import { addClause, appendText, textOf, waitFor } from '../../test/support/collab.ts';
import type { ChannelListener, ChannelMessage, DocumentChannel } from './channel.ts';
import { CollabDocument, type DocumentDeps, type Participant } from './document.ts';
import { updateMessage } from './protocol.ts';

/** Instances in one process, joined by a channel that loses the messages a test tells it to. */
class LossyChannel {
  private readonly listeners = new Map<string, Set<{ instance: number; listener: ChannelListener }>>();
  drop = false;
  readonly lost: ChannelMessage[] = [];

  forInstance(instance: number): DocumentChannel {
    return {
      publish: (definitionId, message) => {
        if (this.drop && message.kind === 'update') {
          this.lost.push(message);
          return;
        }
        for (const entry of this.listeners.get(definitionId) ?? []) if (entry.instance !== instance) entry.listener.message(message);
      },
      subscribe: async (definitionId, listener) => {
        const entry = { instance, listener };
        const set = this.listeners.get(definitionId) ?? new Set();
        set.add(entry);
        this.listeners.set(definitionId, set);
        return () => set.delete(entry);
      },
    };
  }

  stale(): void {
    for (const set of this.listeners.values()) for (const { listener } of set) listener.stale();
  }
}

/** A connection as the document sees it, applying what it is sent to its own Y.Doc like a client. */
function participant(userId: string) {
  const doc = new Y.Doc();
  const self: Participant & { doc: Y.Doc; closed: number | null } = {
    id: randomUUID(),
    userId,
    displayName: 'Someone',
    sessionId: null,
    canWrite: true,
    awarenessClients: new Set(),
    doc,
    closed: null,
    send(message) {
      const decoder = decoding.createDecoder(message);
      if (decoding.readVarUint(decoder) !== 0) return;
      const step = decoding.readVarUint(decoder);
      if (step === 1 || step === 2) Y.applyUpdate(doc, decoding.readVarUint8Array(decoder), 'server');
    },
    close(code) {
      self.closed = code;
    },
  };
  return self;
}

describe('committed updates between instances follow each other; a missing one is read from PostgreSQL', () => {
  const t = useTestApp();
  const documents: CollabDocument[] = [];
  afterAll(async () => {
    for (const document of documents) await document.close(1001, 'test over');
  });

  async function setUp(compactEvery = 1000) {
    const { slug, users } = await t.groupWithRoles();
    const created = await t.request({ method: 'POST', url: `/api/groups/${slug}/definitions`, as: users.chair, payload: { slug: 'osaid', title: 'OSAID' } });
    const { id: definitionId, groupId } = created.json() as { id: string; groupId: string };
    const channel = new LossyChannel();
    const logs: string[] = [];
    const log = { info: () => {}, warn: (_: object, message: string) => logs.push(message), error: (_: object, message: string) => logs.push(message) };
    const deps = (instance: number): DocumentDeps => ({
      db: t.db,
      channel: channel.forInstance(instance),
      limits: { maxDocumentBytes: 1e7, maxHeldBytes: 1e6, flushDelayMs: 0, compactEvery, maxAwarenessClients: 8, maxAwarenessStateBytes: 8192 },
      log,
      onBroken: () => {},
    });
    const [a, b] = [await CollabDocument.load(definitionId, groupId, deps(0)), await CollabDocument.load(definitionId, groupId, deps(1))];
    documents.push(a, b);
    const [writer, reader] = [participant(users.editor.user.id), participant(users.observer.user.id)];
    reader.canWrite = false;
    a.join(writer);
    b.join(reader);
    /** The writer types on A; A commits. */
    const type = async (change: (doc: Y.Doc) => void) => {
      const before = Y.encodeStateVector(writer.doc);
      change(writer.doc);
      await a.handleMessage(writer, updateMessage(Y.encodeStateAsUpdate(writer.doc, before)));
      await a.whenCommitted();
    };
    return { a, b, writer, reader, channel, type, logs, definitionId };
  }

  it('passes each commit on to the other instance’s clients, and reads one it never received when the next shows the jump', async () => {
    const { b, writer, reader, channel, type } = await setUp();
    const clauseId = randomUUID();
    await type((doc) => addClause(doc, clauseId, 'One.'));
    await waitFor(() => textOf(reader.doc, clauseId) === 'One.', 'the reader on B receives it through the channel');

    channel.drop = true;
    await type((doc) => appendText(doc, clauseId, ' Two.'));
    channel.drop = false;
    expect(channel.lost).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(textOf(reader.doc, clauseId)).toBe('One.'); // B cannot know yet

    await type((doc) => appendText(doc, clauseId, ' Three.'));
    // The third commit says it follows the second; B has not got it, reads it from PostgreSQL.
    await waitFor(() => textOf(reader.doc, clauseId) === 'One. Two. Three.', 'the reader on B has all three, in order');
    expect(textOf(b.doc, clauseId)).toBe('One. Two. Three.');
    expect(Y.encodeStateVector(b.doc)).toEqual(Y.encodeStateVector(writer.doc));
  });

  it('reads what it missed when the channel says messages may be lost, and takes a late duplicate as already had', async () => {
    const { writer, reader, channel, type, b } = await setUp();
    const clauseId = randomUUID();
    channel.drop = true;
    await type((doc) => addClause(doc, clauseId, 'Quiet edit.'));
    channel.drop = false;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(textOf(reader.doc, clauseId)).toBeNull();
    channel.stale();
    await waitFor(() => textOf(reader.doc, clauseId) === 'Quiet edit.', 'B reads PostgreSQL when told its channel was away');
    // The lost message turns up after all: B already has it and passes nothing on twice.
    const applied: Uint8Array[] = [];
    const original = reader.send.bind(reader);
    reader.send = (message) => {
      applied.push(message);
      original(message);
    };
    const late = channel.lost[0]!;
    (b as unknown as { onChannelMessage(message: ChannelMessage): void }).onChannelMessage(late);
    expect(applied).toEqual([]);
    expect(Y.encodeStateVector(b.doc)).toEqual(Y.encodeStateVector(writer.doc));
  });

  it('commits on both instances in turn build one chain: each one renders the clause with the other’s words', async () => {
    const { a, b, writer, type } = await setUp();
    const clauseId = randomUUID();
    await type((doc) => addClause(doc, clauseId, 'A1'));
    const other = participant(writer.userId);
    b.join(other);
    await waitFor(() => textOf(b.doc, clauseId) === 'A1', 'B has it');
    Y.applyUpdate(other.doc, Y.encodeStateAsUpdate(b.doc)); // its sync
    for (let round = 0; round < 5; round++) {
      const before = Y.encodeStateVector(other.doc);
      appendText(other.doc, clauseId, ` B${round}`);
      // B's commit and A's commit race: one waits for the other's write lock, then reads its rows.
      await Promise.all([
        b.handleMessage(other, updateMessage(Y.encodeStateAsUpdate(other.doc, before))).then(() => b.whenCommitted()),
        type((doc) => appendText(doc, clauseId, ` A${round + 2}`)),
      ]);
    }
    await waitFor(() => textOf(a.doc, clauseId) === textOf(b.doc, clauseId), 'A and B hold the same text');
    const row = await t.db.selectFrom('clauses').select('text').where('clause_id', '=', clauseId).executeTakeFirstOrThrow();
    expect(row.text).toBe(textOf(a.doc, clauseId));
    for (let round = 0; round < 5; round++) {
      expect(row.text).toContain(`B${round}`);
      expect(row.text).toContain(`A${round + 2}`);
    }
  });

  it('a compaction that cannot proceed holds up no commit, and finishes once it can', async () => {
    const { a, reader, type, definitionId } = await setUp(3);
    const clauseId = randomUUID();
    const archived = async () =>
      Number(
        (
          await t.db
            .selectFrom('doc_update_archive')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('definition_id', '=', definitionId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    // Another session holds the compaction lock (as a slow compaction on another instance would).
    await t.db.connection().execute(async (held) => {
      await sql`select pg_advisory_lock(hashtextextended(${`doc:${definitionId}`}, 0))`.execute(held);
      try {
        await type((doc) => addClause(doc, clauseId, 'w0'));
        for (let i = 1; i < 10; i++) await type((doc) => appendText(doc, clauseId, ` w${i}`));
        const expected = Array.from({ length: 10 }, (_, i) => `w${i}`).join(' ');
        await waitFor(() => textOf(reader.doc, clauseId) === expected, 'every commit reaches the reader while the compaction waits');
        expect(await archived()).toBe(0);
      } finally {
        await sql`select pg_advisory_unlock(hashtextextended(${`doc:${definitionId}`}, 0))`.execute(held);
      }
    });
    await waitFor(async () => (await archived()) > 0, 'the compaction ran once the lock was free');
    await type((doc) => appendText(doc, clauseId, ' after'));
    await a.close(1001, 'unload');
    const reloaded = await CollabDocument.load(definitionId, a.groupId, {
      db: t.db,
      channel: new LossyChannel().forInstance(0),
      limits: { maxDocumentBytes: 1e7, maxHeldBytes: 1e6, flushDelayMs: 0, compactEvery: 1000, maxAwarenessClients: 8, maxAwarenessStateBytes: 8192 },
      log: { info: () => {}, warn: () => {}, error: () => {} },
      onBroken: () => {},
    });
    documents.push(reloaded);
    expect(textOf(reloaded.doc, clauseId)).toBe(`${Array.from({ length: 10 }, (_, i) => `w${i}`).join(' ')} after`);
  });
});

import { randomUUID } from 'node:crypto';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '@draftroom/shared';
import { useTestApp, type TestUser } from '../../test/support/app.ts';
import { addClause, appendText, bodyOf, connectClient, synced, textOf, waitFor, type TestClient } from '../../test/support/collab.ts';
import { updateMessage } from './protocol.ts';

/**
 * Hostile editors on the live socket: content the schema does not allow, updates built to steal a
 * co-editor's client id, and data that can never be applied. Each is refused with nothing stored and
 * nobody else disturbed.
 */
describe('live edits from a hostile or broken client', () => {
  const t = useTestApp({ COLLAB_IDLE_UNLOAD_MS: '200', COLLAB_MAX_HELD_BYTES: '65536' });
  let base: string;
  const clients: TestClient[] = [];
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
    for (const socket of sockets.splice(0)) socket.terminate();
  });

  const connect = (definitionId: string, user: TestUser) => {
    const client = connectClient(base, definitionId, user.cookie);
    clients.push(client);
    return client;
  };

  async function rawSocket(definitionId: string, user: TestUser, at = base) {
    const socket = new WebSocket(`${at.replace('http', 'ws')}/api/collab/${definitionId}`, { headers: { cookie: user.cookie } });
    sockets.push(socket);
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await new Promise((resolve) => socket.on('open', resolve));
    return { socket, closed };
  }

  async function definitionFor() {
    const group = await t.groupWithRoles();
    const response = await t.request({
      method: 'POST',
      url: `/api/groups/${group.slug}/definitions`,
      as: group.users.chair,
      payload: { slug: 'osaid', title: 'OSAID' },
    });
    return { ...group, definitionId: response.json().id as string };
  }

  async function storedDoc(definitionId: string): Promise<Y.Doc> {
    const doc = new Y.Doc();
    const state = await t.db.selectFrom('doc_states').select('state').where('definition_id', '=', definitionId).executeTakeFirst();
    if (state) Y.applyUpdate(doc, state.state);
    for (const row of await t.db.selectFrom('doc_updates').select('update').where('definition_id', '=', definitionId).orderBy('id').execute())
      Y.applyUpdate(doc, row.update);
    return doc;
  }

  const hasElement = (doc: Y.Doc, clauseId: string, name: string) =>
    bodyOf(doc, clauseId)
      .toArray()
      .some((child) => child instanceof Y.XmlElement && child.nodeName === name);

  it('refuses an element the clause schema does not know (4422), stores and sends none of it, and keeps serving', async () => {
    const { users, definitionId } = await definitionFor();
    const chair = connect(definitionId, users.chair);
    const editor = connect(definitionId, users.editor);
    await Promise.all([synced(chair), synced(editor)]);
    const clauseId = randomUUID();
    addClause(chair.doc, clauseId, 'Open Source AI');
    await waitFor(() => textOf(editor.doc, clauseId) === 'Open Source AI', 'the clause to reach the editor');

    bodyOf(editor.doc, clauseId).insert(1, [new Y.XmlElement('script')]);
    await waitFor(() => editor.closedWith() === CLOSE_CODES.invalidContent, 'a 4422 close');

    // Everyone else carries on: the chair never receives the element, and edits flow as before.
    appendText(chair.doc, clauseId, ' definition');
    const observer = connect(definitionId, users.observer);
    await synced(observer);
    await waitFor(() => textOf(observer.doc, clauseId) === 'Open Source AI definition', 'normal service');
    expect(hasElement(chair.doc, clauseId, 'script')).toBe(false);
    expect(hasElement(observer.doc, clauseId, 'script')).toBe(false);
    await waitFor(async () => textOf(await storedDoc(definitionId), clauseId) === 'Open Source AI definition', 'the chair edit stored');
    expect(hasElement(await storedDoc(definitionId), clauseId, 'script')).toBe(false);

    // Every reader of the text still works.
    for (const format of ['html', 'md', 'json']) {
      const response = await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/export?format=${format}`, as: users.member });
      expect(response.statusCode, format).toBe(200);
    }
    const health = await t.request({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
  });

  it('refuses unsafe links and unknown marks typed over the socket', async () => {
    const { users, definitionId } = await definitionFor();
    const chair = connect(definitionId, users.chair);
    await synced(chair);
    const clauseId = randomUUID();
    addClause(chair.doc, clauseId, 'click here');
    await waitFor(async () => textOf(await storedDoc(definitionId), clauseId), 'stored');
    for (const attributes of [{ link: { href: 'javascript:alert(document.cookie)' } }, { blink: {} }]) {
      const editor = connect(definitionId, users.editor);
      await synced(editor);
      ((bodyOf(editor.doc, clauseId).get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 5, attributes);
      await waitFor(() => editor.closedWith() === CLOSE_CODES.invalidContent, `a 4422 close for ${JSON.stringify(attributes)}`);
    }
    const stored = ((bodyOf(await storedDoc(definitionId), clauseId).get(0) as Y.XmlElement).get(0) as Y.XmlText).toDelta();
    expect(stored).toEqual([{ insert: 'click here' }]);
  });

  it('closes with 1007 (a client fault, not a server error) on a truncated awareness frame or a bad state vector', async () => {
    const { users, definitionId } = await definitionFor();
    const chair = connect(definitionId, users.chair);
    await synced(chair);
    const frames = {
      'truncated awareness': Buffer.from([1, 10, 1, 200, 1, 5, 3, 123]),
      'awareness with a state that is not JSON': Buffer.from([1, 8, 1, 7, 1, 4, 0x7b, 0x61, 0x3a, 0x7d]),
      'state vector claiming more entries than it has': Buffer.from([0, 0, 3, 5, 1, 2]),
      'state vector with a truncated varint': Buffer.from([0, 0, 2, 1, 0xff]),
    };
    for (const [name, frame] of Object.entries(frames)) {
      const socket = await rawSocket(definitionId, users.editor);
      socket.socket.send(frame);
      expect(await socket.closed, name).toBe(CLOSE_CODES.invalidMessage);
    }
    expect(t.logs.filter((line) => line.includes('"level":50')).join('')).not.toContain(definitionId);
    const clauseId = randomUUID();
    addClause(chair.doc, clauseId, 'still served');
    await waitFor(async () => textOf(await storedDoc(definitionId), clauseId) === 'still served', 'normal service');
  });

  it('never lets an update that cannot be applied claim a client id, so nobody can lock a co-editor out', async () => {
    const { users, definitionId } = await definitionFor();
    const victim = connect(definitionId, users.chair);
    await synced(victim);
    const clauseId = randomUUID();
    addClause(victim.doc, clauseId, 'genuine');
    await waitFor(async () => textOf(await storedDoc(definitionId), clauseId) === 'genuine', 'stored');

    // The attacker learns the victim's client id (presence shows it) and sends content under it that
    // skips ahead in the victim's clock: it can never be applied.
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(victim.doc));
    forged.clientID = victim.doc.clientID;
    appendText(forged, clauseId, ' gap');
    const afterGap = Y.encodeStateVector(forged);
    appendText(forged, clauseId, ' forged');
    const unapplicable = Y.encodeStateAsUpdate(forged, afterGap);
    const attacker = await rawSocket(definitionId, users.editor);
    attacker.socket.send(updateMessage(unapplicable));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const owners = await t.db.selectFrom('doc_client_ids').select(['client_id', 'user_id']).where('definition_id', '=', definitionId).execute();
    expect(owners).toEqual([{ client_id: victim.doc.clientID, user_id: users.chair.user.id }]);

    // The victim keeps typing, undisturbed, and it is stored.
    appendText(victim.doc, clauseId, ' text');
    await waitFor(async () => textOf(await storedDoc(definitionId), clauseId) === 'genuine text', 'the victim edit stored');
    expect(victim.closedWith()).toBeNull();
    expect(victim.closeCodes).toEqual([]);

    // When the attacker fills the gap, its content is judged like any other: it is someone else's id.
    attacker.socket.send(updateMessage(Y.encodeStateAsUpdate(forged)));
    expect(await attacker.closed).toBe(CLOSE_CODES.forbidden);
    expect(textOf(await storedDoc(definitionId), clauseId)).toBe('genuine text');
    expect(textOf(victim.doc, clauseId)).toBe('genuine text');
  });

  it('keeps unapplicable data per connection, bounded, out of the document and out of every new joiner’s sync', async () => {
    const { users, definitionId } = await definitionFor();
    const chair = connect(definitionId, users.chair);
    await synced(chair);
    const clauseId = randomUUID();
    addClause(chair.doc, clauseId, 'base');
    await waitFor(async () => textOf(await storedDoc(definitionId), clauseId) === 'base', 'stored');

    // 40 KB behind a clock gap, twice: the second goes over the 64 KiB bound.
    const attackerDoc = new Y.Doc();
    Y.applyUpdate(attackerDoc, Y.encodeStateAsUpdate(chair.doc));
    appendText(attackerDoc, clauseId, ' skipped');
    const gap = Y.encodeStateVector(attackerDoc);
    const attacker = await rawSocket(definitionId, users.editor);
    for (let i = 0; i < 2; i++) {
      const before = i === 0 ? gap : Y.encodeStateVector(attackerDoc);
      appendText(attackerDoc, clauseId, 'x'.repeat(40_000));
      attacker.socket.send(updateMessage(Y.encodeStateAsUpdate(attackerDoc, before)));
      if (i === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await attacker.closed).toBe(CLOSE_CODES.tooMuchHeld);

    // A new joiner gets the document only: nothing of the attacker's client id.
    const joiner = connect(definitionId, users.member);
    await synced(joiner);
    expect(Y.decodeStateVector(Y.encodeStateVector(joiner.doc)).has(attackerDoc.clientID)).toBe(false);
    expect(textOf(joiner.doc, clauseId)).toBe('base');
    expect(Y.encodeStateAsUpdate(joiner.doc).length).toBeLessThan(2000);
    const stored = await storedDoc(definitionId);
    expect(Y.decodeStateVector(Y.encodeStateVector(stored)).has(attackerDoc.clientID)).toBe(false);
  });

  it('applies held data once what it waits for arrives, from the same connection', async () => {
    const { users, definitionId } = await definitionFor();
    const chair = connect(definitionId, users.chair);
    await synced(chair);
    const clauseId = randomUUID();
    addClause(chair.doc, clauseId, 'base');
    await waitFor(async () => textOf(await storedDoc(definitionId), clauseId) === 'base', 'stored');

    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(chair.doc));
    const start = Y.encodeStateVector(doc);
    appendText(doc, clauseId, ' one');
    const middle = Y.encodeStateVector(doc);
    appendText(doc, clauseId, ' two');
    const editor = await rawSocket(definitionId, users.editor);
    editor.socket.send(updateMessage(Y.encodeStateAsUpdate(doc, middle))); // ' two' first: waits
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(textOf(await storedDoc(definitionId), clauseId)).toBe('base');
    editor.socket.send(updateMessage(Y.encodeStateAsUpdate(doc, start))); // then everything
    await waitFor(() => textOf(chair.doc, clauseId) === 'base one two', 'both edits, in order');
    await waitFor(async () => textOf(await storedDoc(definitionId), clauseId) === 'base one two', 'stored');
    const owners = await t.db.selectFrom('doc_client_ids').select(['client_id', 'user_id']).where('client_id', '=', doc.clientID).execute();
    expect(owners).toEqual([{ client_id: doc.clientID, user_id: users.editor.user.id }]);
  });

  it('refuses a struct of length 0, and serves and compacts a document whose stored log already holds one', async () => {
    const { users, definitionId } = await definitionFor();
    const chair = connect(definitionId, users.chair);
    await synced(chair);
    const clauseId = randomUUID();
    addClause(chair.doc, clauseId, 'kept words');
    await waitFor(async () => textOf(await storedDoc(definitionId), clauseId) === 'kept words', 'stored');

    // Another editor types one character: their client's only struct, of length 1.
    const typist = connect(definitionId, users.editor);
    await synced(typist);
    appendText(typist.doc, clauseId, '!');
    await waitFor(async () => textOf(await storedDoc(definitionId), clauseId) === 'kept words!', 'stored');
    // An empty string placed right after it: no editor makes one, and applied on its own it leaves a
    // Y.Doc that Yjs cannot encode again (every full sync of the document would fail).
    const client = typist.doc.clientID;
    const clock = Y.getState(typist.doc.store, client);
    expect(clock).toBe(1);
    const e = encoding.createEncoder();
    for (const n of [1, 1, client, clock]) encoding.writeVarUint(e, n); // one client, one struct, its id
    encoding.writeUint8(e, 4 | 128); // a string, with a left origin
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, clock - 1);
    encoding.writeVarString(e, '');
    encoding.writeVarUint(e, 0); // no deletions
    const zeroLength = encoding.toUint8Array(e);

    const editor = await rawSocket(definitionId, users.editor);
    editor.socket.send(updateMessage(zeroLength));
    expect(await editor.closed).toBe(CLOSE_CODES.invalidContent);

    // Stored before such updates were refused: the document still loads, syncs, takes edits and compacts.
    chair.destroy();
    typist.destroy();
    await waitFor(
      async () => (await t.db.selectFrom('doc_updates').select('id').where('definition_id', '=', definitionId).execute()).length === 0,
      'compacted on unload',
    );
    await t.db
      .insertInto('doc_updates')
      .values({ definition_id: definitionId, update: Buffer.from(zeroLength), user_id: users.chair.user.id, created_at: new Date() })
      .execute();
    const reader = connect(definitionId, users.editor);
    await synced(reader);
    expect(textOf(reader.doc, clauseId)).toBe('kept words!');
    appendText(reader.doc, clauseId, ' and more');
    const later = connect(definitionId, users.observer);
    await synced(later);
    await waitFor(() => textOf(later.doc, clauseId) === 'kept words! and more', 'the edit reaching another reader');
    expect(reader.closedWith()).toBeNull();
    reader.destroy();
    later.destroy();
    await waitFor(
      async () => (await t.db.selectFrom('doc_updates').select('id').where('definition_id', '=', definitionId).execute()).length === 0,
      'compacted again',
    );
    const state = await t.db.selectFrom('doc_states').select('state').where('definition_id', '=', definitionId).executeTakeFirstOrThrow();
    const stored = new Y.Doc();
    Y.applyUpdate(stored, state.state);
    expect(textOf(stored, clauseId)).toBe('kept words! and more');
    expect(() => Y.encodeStateAsUpdate(stored)).not.toThrow();
  });

  it('counts held data toward the document size limit', async () => {
    // A second app on the same database with a small document cap; this definition is only ever opened there.
    const { buildApp } = await import('../app.ts');
    const { loadConfig } = await import('../config.ts');
    const small = await buildApp(loadConfig({ LOG_LEVEL: 'silent', CLIENT_DIR: '', COLLAB_MAX_DOCUMENT_BYTES: '8000', COLLAB_MAX_HELD_BYTES: '65536' }), {
      db: t.db,
      databaseKind: t.database.kind,
    });
    const smallBase = await small.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { users, definitionId } = await definitionFor();
      const chair = connectClient(smallBase, definitionId, users.chair.cookie);
      clients.push(chair);
      await synced(chair);
      const clauseId = randomUUID();
      addClause(chair.doc, clauseId, 'base');
      await waitFor(async () => textOf(await storedDoc(definitionId), clauseId) === 'base', 'stored');
      const behindGap = (filler: string) => {
        const doc = new Y.Doc();
        Y.applyUpdate(doc, Y.encodeStateAsUpdate(chair.doc));
        appendText(doc, clauseId, ' skipped');
        const gap = Y.encodeStateVector(doc);
        appendText(doc, clauseId, filler);
        return Y.encodeStateAsUpdate(doc, gap);
      };
      // 7 KB held: under the held bound, and the document plus it stays under 8000 bytes.
      const first = await rawSocket(definitionId, users.editor, smallBase);
      first.socket.send(updateMessage(behindGap('y'.repeat(7000))));
      expect(await Promise.race([first.closed, new Promise((resolve) => setTimeout(() => resolve('still open'), 200))])).toBe('still open');
      // 2 KB more, held by another connection: together they would pass the cap.
      const second = await rawSocket(definitionId, users.chair, smallBase);
      second.socket.send(updateMessage(behindGap('z'.repeat(2000))));
      expect(await second.closed).toBe(CLOSE_CODES.documentTooLarge);
    } finally {
      await small.close();
    }
  });
});

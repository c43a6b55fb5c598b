import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '@draftroom/shared';
import { useTestApp, type TestUser } from '../../test/support/app.ts';
import { updateMessage } from './protocol.ts';
import { addClause, appendText, connectClient, synced, textOf, waitFor, type TestClient } from '../../test/support/collab.ts';

describe('live co-editing over the y-websocket protocol', () => {
  const t = useTestApp({ COLLAB_IDLE_UNLOAD_MS: '300', COLLAB_FLUSH_MS: '10' });
  let base: string;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });

  const connect = (definitionId: string, user: TestUser | null, doc?: Y.Doc) => {
    const client = connectClient(base, definitionId, user?.cookie ?? null, doc);
    clients.push(client);
    return client;
  };

  async function definitionFor(visibility: 'private' | 'public' = 'private') {
    const group = await t.groupWithRoles(visibility);
    const response = await t.request({
      method: 'POST',
      url: `/api/groups/${group.slug}/definitions`,
      as: group.users.chair,
      payload: { slug: 'osaid', title: 'OSAID' },
    });
    return { ...group, definitionId: response.json().id as string };
  }

  const storedRows = (definitionId: string) =>
    t.db.selectFrom('doc_updates').select(['user_id', 'update']).where('definition_id', '=', definitionId).orderBy('id').execute();

  /** The document as PostgreSQL has it: compacted state plus the log. */
  async function storedDoc(definitionId: string): Promise<Y.Doc> {
    const doc = new Y.Doc();
    const state = await t.db.selectFrom('doc_states').select('state').where('definition_id', '=', definitionId).executeTakeFirst();
    if (state) Y.applyUpdate(doc, state.state);
    for (const row of await storedRows(definitionId)) Y.applyUpdate(doc, row.update);
    return doc;
  }

  it('syncs two editors both ways and stores every update with its author', async () => {
    const { users, definitionId } = await definitionFor();
    const chair = connect(definitionId, users.chair);
    const editor = connect(definitionId, users.editor);
    await Promise.all([synced(chair), synced(editor)]);

    const clauseId = randomUUID();
    addClause(chair.doc, clauseId, 'Open Source AI is');
    await waitFor(() => textOf(editor.doc, clauseId) === 'Open Source AI is', 'the editor to see the clause');
    appendText(editor.doc, clauseId, ' an AI system');
    await waitFor(() => textOf(chair.doc, clauseId) === 'Open Source AI is an AI system', 'the chair to see the edit');

    const rows = await waitFor(async () => {
      const r = await storedRows(definitionId);
      return r.length >= 2 && r;
    }, 'updates in PostgreSQL');
    expect(new Set(rows.map((r) => r.user_id))).toEqual(new Set([users.chair.user.id, users.editor.user.id]));
    expect(textOf(await storedDoc(definitionId), clauseId)).toBe('Open Source AI is an AI system');
    const owners = await t.db.selectFrom('doc_client_ids').select(['client_id', 'user_id']).where('definition_id', '=', definitionId).execute();
    expect(owners).toEqual(
      expect.arrayContaining([
        { client_id: chair.doc.clientID, user_id: users.chair.user.id },
        { client_id: editor.doc.clientID, user_id: users.editor.user.id },
      ]),
    );
  });

  it('keeps the plain-text and Markdown mirror current for REST reads', async () => {
    const { users, definitionId } = await definitionFor();
    const chair = connect(definitionId, users.chair);
    await synced(chair);
    const heading = randomUUID();
    const clause = randomUUID();
    addClause(chair.doc, heading, 'Definition', 'heading');
    addClause(chair.doc, clause, 'Open Source AI means *free*');
    const detail = await waitFor(async () => {
      const body = (await t.request({ method: 'GET', url: `/api/definitions/${definitionId}`, as: users.observer })).json();
      return body.clauses?.length === 2 && body;
    }, 'the mirror');
    expect(detail.clauses).toEqual([
      { id: heading, kind: 'heading', position: 0, text: 'Definition', markdown: 'Definition', html: '' },
      // The asterisks were typed: text, not emphasis, in the Markdown and in the HTML.
      {
        id: clause,
        kind: 'clause',
        position: 1,
        text: 'Open Source AI means *free*',
        markdown: 'Open Source AI means \\*free\\*',
        html: '<p>Open Source AI means *free*</p>\n',
      },
    ]);
  });

  it('lets members and observers read but never write', async () => {
    const { users, definitionId } = await definitionFor();
    const editor = connect(definitionId, users.editor);
    const observer = connect(definitionId, users.observer);
    const member = connect(definitionId, users.member);
    await Promise.all([synced(editor), synced(observer), synced(member)]);

    const clauseId = randomUUID();
    addClause(editor.doc, clauseId, 'Written by an editor');
    await waitFor(() => textOf(observer.doc, clauseId) && textOf(member.doc, clauseId), 'readers to receive the text');

    appendText(observer.doc, clauseId, ' + observer graffiti');
    addClause(member.doc, randomUUID(), 'member clause');
    // A marker edit after the readers' edits: once it arrives, theirs would have too.
    appendText(editor.doc, clauseId, '.');
    await waitFor(() => textOf(member.doc, clauseId) === 'Written by an editor.', 'the marker edit');
    await waitFor(async () => textOf(await storedDoc(definitionId), clauseId) === 'Written by an editor.', 'the marker stored');
    expect(textOf(editor.doc, clauseId)).toBe('Written by an editor.');
    const stored = await storedDoc(definitionId);
    expect(stored.getArray('order').length).toBe(1);
    const authors = new Set((await storedRows(definitionId)).map((r) => r.user_id));
    expect(authors).toEqual(new Set([users.editor.user.id]));
  });

  it('merges edits made offline when the client reconnects', async () => {
    const { users, definitionId } = await definitionFor();
    const a = connect(definitionId, users.chair);
    const b = connect(definitionId, users.editor);
    await Promise.all([synced(a), synced(b)]);
    const clauseId = randomUUID();
    addClause(a.doc, clauseId, 'base');
    await waitFor(() => textOf(b.doc, clauseId) === 'base', 'b to see base');

    a.provider.disconnect();
    appendText(a.doc, clauseId, ' offline-a');
    appendText(b.doc, clauseId, ' online-b');
    await waitFor(async () => textOf(await storedDoc(definitionId), clauseId)?.includes('online-b'), 'b stored');
    a.provider.connect();
    await waitFor(() => textOf(a.doc, clauseId) === textOf(b.doc, clauseId) && textOf(a.doc, clauseId)!.includes('offline-a'), 'convergence');
    const final = textOf(a.doc, clauseId)!;
    expect(final).toContain('offline-a');
    expect(final).toContain('online-b');
    await waitFor(async () => textOf(await storedDoc(definitionId), clauseId) === final, 'the merged text stored');
  });

  it('answers a client that connects while the document loads with the full text', async () => {
    const { users, definitionId } = await definitionFor();
    const writer = connect(definitionId, users.chair);
    await synced(writer);
    const clauseId = randomUUID();
    addClause(writer.doc, clauseId, 'stored before the reload');
    await waitFor(async () => textOf(await storedDoc(definitionId), clauseId), 'stored');
    writer.destroy();
    await waitFor(() => !t.app.registry.isLoaded(definitionId), 'the idle document to unload', 5000);

    // Hold the update log so the next load blocks until we let go.
    const blocker = await t.database.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await sql`lock table doc_updates in access exclusive mode`.execute(conn);
      const reader = connect(definitionId, users.member);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(reader.provider.synced).toBe(false);
      await sql`commit`.execute(conn);
      return reader;
    });
    await synced(blocker);
    expect(textOf(blocker.doc, clauseId)).toBe('stored before the reload');
  });

  it('closes with 1011 when loading fails, keeps nothing half-loaded, and loads fine once fixed', async () => {
    const { users, definitionId } = await definitionFor();
    await t.db
      .insertInto('doc_states')
      .values({ definition_id: definitionId, state: Buffer.from([1, 2, 3, 250, 251]) })
      .execute();
    const client = connect(definitionId, users.chair);
    await waitFor(() => client.closeCodes.includes(CLOSE_CODES.loadFailed), 'a 1011 close');
    expect(client.provider.synced).toBe(false);
    expect(t.app.registry.isLoaded(definitionId)).toBe(false);
    await t.db.deleteFrom('doc_states').where('definition_id', '=', definitionId).execute();
    await synced(client); // the provider reconnects by itself after 1011
  });

  it('unloads an idle document after compacting exactly the merged rows', async () => {
    const { users, definitionId } = await definitionFor();
    const client = connect(definitionId, users.chair);
    await synced(client);
    const clauseId = randomUUID();
    addClause(client.doc, clauseId, 'to be compacted');
    for (let i = 0; i < 5; i++) appendText(client.doc, clauseId, ` ${i}`);
    await waitFor(async () => (await storedRows(definitionId)).length > 0, 'rows');
    client.destroy();
    await waitFor(() => !t.app.registry.isLoaded(definitionId), 'unload', 5000);
    expect(await storedRows(definitionId)).toEqual([]);
    expect(textOf(await storedDoc(definitionId), clauseId)).toBe('to be compacted 0 1 2 3 4');
    // The merged rows are kept, with their authors, for history.
    const archived = await t.db.selectFrom('doc_update_archive').select(['user_id']).where('definition_id', '=', definitionId).execute();
    expect(archived.length).toBeGreaterThan(0);
    expect(new Set(archived.map((r) => r.user_id))).toEqual(new Set([users.chair.user.id]));
  });

  it('refuses sockets without read rights with the right close code', async () => {
    const priv = await definitionFor('private');
    const pub = await definitionFor('public');
    const anonymous = connect(priv.definitionId, null);
    const outsider = connect(priv.definitionId, priv.users.outsider);
    const publicOutsider = connect(pub.definitionId, pub.users.outsider);
    const publicAnonymous = connect(pub.definitionId, null);
    const unknown = connect(randomUUID(), priv.users.chair);
    const malformed = connect('not-a-uuid', priv.users.chair);
    await waitFor(() => [anonymous, outsider, publicOutsider, publicAnonymous, unknown, malformed].every((c) => c.closedWith() !== null), 'refusals');
    expect(anonymous.closedWith()).toBe(CLOSE_CODES.notFound); // a private group does not exist for anonymous users
    expect(outsider.closedWith()).toBe(CLOSE_CODES.notFound);
    expect(publicOutsider.closedWith()).toBe(CLOSE_CODES.forbidden);
    expect(publicAnonymous.closedWith()).toBe(CLOSE_CODES.unauthenticated);
    expect(unknown.closedWith()).toBe(CLOSE_CODES.notFound);
    expect(malformed.closedWith()).toBe(CLOSE_CODES.notFound);
  });

  it('refuses a socket opened from another origin', async () => {
    const { users, definitionId } = await definitionFor();
    const socket = new WebSocket(`${base.replace('http', 'ws')}/api/collab/${definitionId}`, {
      headers: { cookie: users.chair.cookie, origin: 'https://evil.example' },
    });
    const code = await new Promise<number>((resolve) => socket.on('close', (c) => resolve(c)));
    expect(code).toBe(CLOSE_CODES.forbidden);
  });

  it('applies a role change to open sockets at once: demoted editors stop writing, removed members are closed', async () => {
    const { slug, users, definitionId } = await definitionFor();
    const chair = connect(definitionId, users.chair);
    const editor = connect(definitionId, users.editor);
    const observer = connect(definitionId, users.observer);
    await Promise.all([synced(chair), synced(editor), synced(observer)]);
    const clauseId = randomUUID();
    addClause(editor.doc, clauseId, 'editor text');
    await waitFor(() => textOf(chair.doc, clauseId), 'chair sees it');

    await t.request({ method: 'PATCH', url: `/api/groups/${slug}/members/${users.editor.user.id}`, as: users.chair, payload: { role: 'member' } });
    await t.request({ method: 'DELETE', url: `/api/groups/${slug}/members/${users.observer.user.id}`, as: users.chair });
    await waitFor(() => observer.closedWith() === CLOSE_CODES.forbidden, 'the removed observer closed', 1000);

    appendText(editor.doc, clauseId, ' after demotion');
    appendText(chair.doc, clauseId, '!');
    await waitFor(() => textOf(editor.doc, clauseId)?.includes('!'), 'the chair edit reaching the demoted editor');
    expect(textOf(chair.doc, clauseId)).toBe('editor text!');
    expect(editor.closedWith()).toBeNull();
  });

  it('closes a socket that writes under another user’s client id, storing nothing', async () => {
    const { users, definitionId } = await definitionFor();
    const chair = connect(definitionId, users.chair);
    await synced(chair);
    const clauseId = randomUUID();
    addClause(chair.doc, clauseId, 'genuine');
    await waitFor(async () => (await storedRows(definitionId)).length > 0, 'stored');

    // Build, outside any provider, an edit that continues the chair's client id with new content.
    const forgedDoc = new Y.Doc();
    Y.applyUpdate(forgedDoc, Y.encodeStateAsUpdate(chair.doc));
    const serverState = Y.encodeStateVector(forgedDoc);
    forgedDoc.clientID = chair.doc.clientID;
    appendText(forgedDoc, clauseId, ' forged');
    const forged = Y.encodeStateAsUpdate(forgedDoc, serverState);

    const socket = new WebSocket(`${base.replace('http', 'ws')}/api/collab/${definitionId}`, { headers: { cookie: users.editor.cookie } });
    await new Promise((resolve) => socket.on('open', resolve));
    const closed = new Promise<number>((resolve) => socket.on('close', (c) => resolve(c)));
    socket.send(updateMessage(forged));
    expect(await closed).toBe(CLOSE_CODES.forbidden);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(textOf(chair.doc, clauseId)).toBe('genuine');
    expect(textOf(await storedDoc(definitionId), clauseId)).toBe('genuine');
  });

  it('closes a socket that sends random bytes and carries on for everyone else', async () => {
    const { users, definitionId } = await definitionFor();
    const chair = connect(definitionId, users.chair);
    await synced(chair);
    for (const garbage of [Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]), Buffer.from([0, 9, 1]), Buffer.from([7]), Buffer.from([0, 2, 200, 1, 2])]) {
      const socket = new WebSocket(`${base.replace('http', 'ws')}/api/collab/${definitionId}`, { headers: { cookie: users.editor.cookie } });
      await new Promise((resolve) => socket.on('open', resolve));
      socket.send(garbage);
      const code = await new Promise<number>((resolve) => socket.on('close', (c) => resolve(c)));
      expect(code, garbage.toString('hex')).toBe(CLOSE_CODES.invalidMessage);
    }
    const clauseId = randomUUID();
    addClause(chair.doc, clauseId, 'still working');
    const other = connect(definitionId, users.member);
    await synced(other);
    await waitFor(() => textOf(other.doc, clauseId) === 'still working', 'normal service');
  });
});

describe('collaboration limits', () => {
  const t = useTestApp({ COLLAB_MAX_MESSAGE_BYTES: '4096', COLLAB_MAX_DOCUMENT_BYTES: '6000' });
  let base: string;
  beforeAll(async () => {
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });

  it('closes a socket sending a message over the size limit with 1009, logged as the client’s fault', async () => {
    const logsBefore = t.logs.length;
    const { slug, users } = await t.groupWithRoles();
    const definitionId = (
      await t.request({ method: 'POST', url: `/api/groups/${slug}/definitions`, as: users.chair, payload: { slug: 'big', title: 'Big' } })
    ).json().id;
    const socket = new WebSocket(`${base.replace('http', 'ws')}/api/collab/${definitionId}`, { headers: { cookie: users.chair.cookie } });
    await new Promise((resolve) => socket.on('open', resolve));
    socket.send(Buffer.alloc(5000, 1));
    const code = await new Promise<number>((resolve) => socket.on('close', (c) => resolve(c)));
    expect(code).toBe(CLOSE_CODES.messageTooBig);
    await waitFor(() => t.logs.slice(logsBefore).some((line) => line.includes('Max payload size exceeded')), 'the refusal logged');
    expect(t.logs.slice(logsBefore).filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
  });

  it('closes a socket whose edits would grow the document past its cap with 4413', async () => {
    const { slug, users } = await t.groupWithRoles();
    const definitionId = (
      await t.request({ method: 'POST', url: `/api/groups/${slug}/definitions`, as: users.chair, payload: { slug: 'cap', title: 'Cap' } })
    ).json().id;
    const client = connectClient(base, definitionId, users.chair.cookie);
    try {
      await synced(client);
      const clauseId = randomUUID();
      addClause(client.doc, clauseId, 'x');
      for (let i = 0; i < 10 && client.closedWith() === null; i++) {
        appendText(client.doc, clauseId, 'y'.repeat(1000));
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      await waitFor(() => client.closedWith() === CLOSE_CODES.documentTooLarge, 'a 4413 close');
      const stored = await t.db
        .selectFrom('doc_updates')
        .select((eb) => eb.fn.sum<number>(eb.fn('length', ['update'])).as('bytes'))
        .where('definition_id', '=', definitionId)
        .executeTakeFirst();
      expect(Number(stored?.bytes ?? 0)).toBeLessThanOrEqual(6000);
    } finally {
      client.destroy();
    }
  });
});

import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_CODES, insertClause } from '@draftroom/shared';
import { addClause, bodyOf, connectClient, synced, textOf, waitFor, type TestClient } from '../../test/support/collab.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { freePort } from '../../test/support/net.ts';
import { startServer, waitForOutput, type Running } from '../../test/support/process.ts';

/**
 * The server as its own process (npm start's entry point) on this file's database: a hostile edit and
 * a document poisoned before updates were checked must never end it.
 */
describe('a server process facing poisoned text', { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let server: Running;
  let base: string;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = startServer({
      DATABASE_URL: database.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      COLLAB_IDLE_UNLOAD_MS: '200',
      BALLOT_SECRET: 'test-secret',
      LOG_LEVEL: 'warn',
    });
    await waitForOutput(server, 'Draftroom is running');
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    if (server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await database.drop();
  });

  const api = async (pathname: string, init: { method?: string; cookie?: string; body?: object } = {}) => {
    const response = await fetch(`${base}${pathname}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.body && { 'content-type': 'application/json' }),
        ...(init.method && init.method !== 'GET' && { origin: base }),
        ...(init.cookie && { cookie: init.cookie }),
      },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };

  async function person(name: string) {
    const email = `${name}.${randomUUID().slice(0, 8)}@example.org`;
    const response = await api('/api/auth/register', { method: 'POST', body: { email, displayName: name, password: 'correct horse battery' } });
    expect(response.status).toBe(201);
    return { email, cookie: response.headers.get('set-cookie')!.split(';')[0]!, id: (JSON.parse(response.text) as { user: { id: string } }).user.id };
  }

  it('refuses a script element over the socket, stays up, and repairs a document that already holds one', async () => {
    const chair = await person('chair');
    const editor = await person('editor');
    const observer = await person('observer');
    const slug = `g-${randomUUID().slice(0, 8)}`;
    expect((await api('/api/groups', { method: 'POST', cookie: chair.cookie, body: { slug, name: 'Group', visibility: 'private' } })).status).toBe(201);
    for (const [who, role] of [
      [editor, 'editor'],
      [observer, 'observer'],
    ] as const) {
      expect((await api(`/api/groups/${slug}/members`, { method: 'POST', cookie: chair.cookie, body: { email: who.email, role } })).status).toBe(201);
    }
    const create = async (title: string) =>
      (
        JSON.parse((await api(`/api/groups/${slug}/definitions`, { method: 'POST', cookie: chair.cookie, body: { slug: title, title } })).text) as {
          id: string;
        }
      ).id;

    // 1. Live: the editor inserts an element the schema does not know.
    const live = await create('live');
    const writer = connectClient(base, live, chair.cookie);
    const attacker = connectClient(base, live, editor.cookie);
    clients.push(writer, attacker);
    await Promise.all([synced(writer), synced(attacker)]);
    const clauseId = randomUUID();
    addClause(writer.doc, clauseId, 'Open Source AI');
    await waitFor(() => textOf(attacker.doc, clauseId) === 'Open Source AI', 'the clause at the attacker');
    bodyOf(attacker.doc, clauseId).insert(0, [new Y.XmlElement('script')]);
    await waitFor(() => attacker.closedWith() === CLOSE_CODES.invalidContent, 'a 4422 close');
    writer.destroy();
    await new Promise((resolve) => setTimeout(resolve, 1000)); // idle unload: mirror, compaction
    expect(server.child.exitCode).toBeNull();
    expect((await api(`/api/definitions/${live}/export?format=html`, { cookie: observer.cookie })).status).toBe(200);

    // 2. Stored before the checks existed: a clause whose body holds a script element and text.
    const poisoned = await create('poisoned');
    const doc = new Y.Doc();
    const poisonedClause = randomUUID();
    doc.transact(() => {
      const body = insertClause(doc, poisonedClause, 'clause');
      const paragraph = new Y.XmlElement('paragraph');
      body.insert(0, [new Y.XmlElement('script'), paragraph]);
      paragraph.insert(0, [new Y.XmlText('kept words')]);
    });
    await database.db
      .insertInto('doc_updates')
      .values({ definition_id: poisoned, update: Buffer.from(Y.encodeStateAsUpdate(doc)), user_id: chair.id, created_at: new Date() })
      .execute();

    const reader = connectClient(base, poisoned, observer.cookie);
    clients.push(reader);
    await synced(reader);
    expect(textOf(reader.doc, poisonedClause)).toBe('kept words');
    expect(
      bodyOf(reader.doc, poisonedClause)
        .toArray()
        .some((child) => child instanceof Y.XmlElement && child.nodeName === 'script'),
    ).toBe(false);
    reader.destroy();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(server.child.exitCode).toBeNull();

    const exported = await api(`/api/definitions/${poisoned}/export?format=html`, { cookie: observer.cookie });
    expect(exported.status).toBe(200);
    expect(exported.text).toContain('kept words');
    const detail = JSON.parse((await api(`/api/definitions/${poisoned}`, { cookie: observer.cookie })).text) as { clauses: { text: string }[] };
    expect(detail.clauses.map((c) => c.text)).toEqual(['kept words']);
    // The repair is an edit by nobody, kept in the log like any other.
    const rows = await database.db.selectFrom('doc_update_archive').select('user_id').where('definition_id', '=', poisoned).orderBy('id').execute();
    expect(rows.map((r) => r.user_id)).toEqual([chair.id, null]);
    expect((await api('/api/health')).status).toBe(200);
  });
});

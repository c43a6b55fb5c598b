import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '@draftroom/shared';
import { addClause, appendText, connectClient, stateKey, storedDoc, synced, textOf, waitFor, type TestClient } from '../../test/support/collab.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { freePorts } from '../../test/support/net.ts';
import { startServer, waitForOutput, type Running } from '../../test/support/process.ts';
import { RoundRobinProxy } from '../../test/support/proxy.ts';
import { redisServerBinary, startRedis, type TestRedis } from '../../test/support/redis.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const binary = redisServerBinary();

/**
 * Three server processes (npm start's entry point) on one PostgreSQL and one real redis-server, behind a
 * round-robin proxy without sticky sessions — what a deployment of several instances is.
 */
describe.skipIf(!binary)('several server processes on one PostgreSQL and one Redis', { timeout: 180_000 }, () => {
  let database: TestDatabase;
  let redis: TestRedis;
  let proxy: RoundRobinProxy;
  let ports: number[];
  const servers: Running[] = [];
  const clients: TestClient[] = [];
  const base = () => `http://127.0.0.1:${proxy.port}`;

  const start = (index: number) => {
    servers[index] = startServer({
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      PORT: String(ports[index]),
      HOST: '127.0.0.1',
      BALLOT_SECRET: 'one secret for every instance',
      RATE_LIMIT_API_PER_MINUTE: '100000',
      RATE_LIMIT_REGISTER_PER_IP: '100000',
      COLLAB_IDLE_UNLOAD_MS: '2000',
      LOG_LEVEL: 'warn',
    });
    return waitForOutput(servers[index]!, 'Draftroom is running');
  };

  beforeAll(async () => {
    [database, redis] = await Promise.all([createTestDatabase(), startRedis(binary!)]);
    ports = await freePorts(3);
    // The first runs the migrations (they are, in any case, serialised across processes by Kysely).
    await start(0);
    await Promise.all([start(1), start(2)]);
    proxy = new RoundRobinProxy(ports);
    await proxy.start();
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await proxy?.stop();
    await Promise.all(
      servers.map(async (server) => {
        if (server.child.exitCode === null && server.child.signalCode === null) {
          server.child.kill('SIGTERM');
          await server.exited;
        }
      }),
    );
    await redis?.destroy();
    await database?.drop();
  });

  async function api(method: string, path: string, cookie: string | null, body?: object) {
    const response = await fetch(`${base()}${path}`, {
      method,
      headers: { ...(body && { 'content-type': 'application/json' }), origin: base(), connection: 'close', ...(cookie && { cookie }) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return {
      status: response.status,
      // biome-ignore lint/suspicious/noExplicitAny: any JSON answer of the API, read by each test as it expects
      json: (await response.json().catch(() => null)) as Record<string, any>,
      cookie: response.headers.get('set-cookie')?.split(';')[0] ?? null,
    };
  }

  async function person(name: string) {
    const email = `${name}.${randomUUID().slice(0, 8)}@example.org`;
    const registered = await api('POST', '/api/auth/register', null, { email, displayName: name, password: 'long enough password' });
    expect(registered.status).toBe(201);
    return { email, cookie: registered.cookie!, id: registered.json.user.id as string };
  }

  async function definitionWith(roles: Record<string, 'editor' | 'member' | 'observer'>) {
    const chair = await person('chair');
    const slug = `g-${randomUUID().slice(0, 8)}`;
    expect((await api('POST', '/api/groups', chair.cookie, { slug, name: 'Group' })).status).toBe(201);
    const people: Record<string, Awaited<ReturnType<typeof person>>> = { chair };
    for (const [name, role] of Object.entries(roles)) {
      people[name] = await person(name);
      expect((await api('POST', `/api/groups/${slug}/members`, chair.cookie, { email: people[name]!.email, role })).status).toBe(201);
    }
    const created = await api('POST', `/api/groups/${slug}/definitions`, chair.cookie, { slug: 'draft', title: 'Draft' });
    expect(created.status).toBe(201);
    return { slug, definitionId: created.json.id as string, people };
  }

  /** Connects through the proxy; returns the client with the instance it landed on. */
  function connect(definitionId: string, cookie: string) {
    const client = connectClient(base(), definitionId, cookie);
    clients.push(client);
    return client;
  }

  const stored = (definitionId: string) => storedDoc(database.db, definitionId);

  function typists(writers: TestClient[], clauseIds: string[]) {
    let typing = true;
    const done = Promise.all(
      writers.map(async (writer, i) => {
        for (let n = 0; typing; n++) {
          appendText(writer.doc, clauseIds[i]!, ` ${n}`);
          await sleep(5);
        }
      }),
    );
    return async () => {
      typing = false;
      await done;
    };
  }

  async function converged(everyone: TestClient[], definitionId: string) {
    await waitFor(() => everyone.every((c) => c.provider.wsconnected && c.provider.synced), 'every client (re)connected', 30_000);
    await waitFor(() => new Set(everyone.map((c) => stateKey(c.doc))).size === 1, 'every client converges', 30_000);
    await waitFor(async () => stateKey(await stored(definitionId)) === stateKey(everyone[0]!.doc), 'PostgreSQL holds what every client holds', 30_000);
  }

  it('clients on different instances co-edit and converge; after kill -9 of one instance mid-typing its clients move to another and nothing is lost', async () => {
    const { definitionId, people } = await definitionWith({ editor: 'editor', reader: 'observer' });
    const routedBefore = proxy.routed.length;
    const writers = Array.from({ length: 6 }, (_, i) => connect(definitionId, i % 2 ? people.editor!.cookie : people.chair!.cookie));
    const readers = Array.from({ length: 3 }, () => connect(definitionId, people.reader!.cookie));
    await Promise.all([...writers, ...readers].map(synced));
    // The sockets are spread over all three instances.
    expect(new Set(proxy.routed.slice(routedBefore)).size).toBe(3);
    const clauseIds = writers.map(() => randomUUID());
    for (const [i, writer] of writers.entries()) addClause(writer.doc, clauseIds[i]!, `writer ${i}:`);
    await waitFor(() => readers.every((reader) => clauseIds.every((id) => textOf(reader.doc, id) !== null)), 'every reader sees every clause');

    const stop = typists(writers, clauseIds);
    await sleep(600);
    servers[0]!.child.kill('SIGKILL');
    await servers[0]!.exited;
    await sleep(600); // typing goes on: clients of the killed instance reconnect through the proxy
    await stop();

    await converged([...writers, ...readers], definitionId);
    const final = await stored(definitionId);
    for (const [i, clauseId] of clauseIds.entries()) {
      const text = textOf(writers[i]!.doc, clauseId)!;
      expect(text.startsWith(`writer ${i}:`)).toBe(true);
      expect(text.split(' ').length).toBeGreaterThan(20);
      expect(textOf(final, clauseId)).toBe(text);
    }
    // The clauses table says what the stored document says.
    const rows = await database.db.selectFrom('clauses').select(['clause_id', 'text']).where('definition_id', '=', definitionId).execute();
    for (const row of rows) expect(row.text).toBe(textOf(final, row.clause_id));
    await start(0);
  });

  it('goes on committing while Redis is stopped for 10 s mid-typing, and every client converges when it is back', async () => {
    const { definitionId, people } = await definitionWith({ editor: 'editor', reader: 'observer' });
    const writers = Array.from({ length: 4 }, (_, i) => connect(definitionId, i % 2 ? people.editor!.cookie : people.chair!.cookie));
    const readers = Array.from({ length: 3 }, () => connect(definitionId, people.reader!.cookie));
    await Promise.all([...writers, ...readers].map(synced));
    const clauseIds = writers.map(() => randomUUID());
    for (const [i, writer] of writers.entries()) addClause(writer.doc, clauseIds[i]!, `writer ${i}:`);
    await waitFor(() => readers.every((reader) => clauseIds.every((id) => textOf(reader.doc, id) !== null)), 'every reader sees every clause');

    const stop = typists(writers, clauseIds);
    await sleep(300);
    await redis.stop();
    const rowsAtStop = await countRows(definitionId);
    await sleep(10_000);
    // Still committed meanwhile, on every instance.
    expect(await countRows(definitionId)).toBeGreaterThan(rowsAtStop + 100);
    // And passed on between instances through PostgreSQL: every reader already sees every writer's recent words.
    const snapshot = writers.map((writer, i) => textOf(writer.doc, clauseIds[i]!)!.split(' ').slice(0, -30).join(' '));
    await waitFor(
      () => readers.every((reader) => clauseIds.every((id, i) => textOf(reader.doc, id)!.startsWith(snapshot[i]!))),
      'readers follow the writers while Redis is away',
      10_000,
    );
    await redis.start();
    await sleep(500);
    await stop();
    await converged([...writers, ...readers], definitionId);
    for (const client of [...writers, ...readers]) expect(client.closedWith()).toBeNull();
  });

  async function countRows(definitionId: string): Promise<number> {
    const [live, archived] = await Promise.all([
      database.db
        .selectFrom('doc_updates')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('definition_id', '=', definitionId)
        .executeTakeFirstOrThrow(),
      database.db
        .selectFrom('doc_update_archive')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('definition_id', '=', definitionId)
        .executeTakeFirstOrThrow(),
    ]);
    return Number(live.n) + Number(archived.n);
  }

  it('a sign-out through one instance closes that session’s sockets on every instance; a role lowered makes them read-only everywhere', async () => {
    const { slug, definitionId, people } = await definitionWith({ editor: 'editor', lowered: 'editor' });
    const signedOut = Array.from({ length: 3 }, () => connect(definitionId, people.editor!.cookie));
    const lowered = Array.from({ length: 3 }, () => connect(definitionId, people.lowered!.cookie));
    const chairClient = connect(definitionId, people.chair!.cookie);
    await Promise.all([...signedOut, ...lowered, chairClient].map(synced));

    expect((await api('POST', '/api/auth/logout', people.editor!.cookie)).status).toBe(204);
    for (const client of signedOut) expect(await waitFor(() => client.closedWith(), 'closed everywhere')).toBe(CLOSE_CODES.unauthenticated);

    const changed = await api('PATCH', `/api/groups/${slug}/members/${people.lowered!.id}`, people.chair!.cookie, { role: 'observer' });
    expect(changed.status).toBe(200);
    await sleep(500);
    const clauseIds = lowered.map(() => randomUUID());
    for (const [i, client] of lowered.entries()) addClause(client.doc, clauseIds[i]!, 'written after losing the right to write');
    const control = randomUUID();
    addClause(chairClient.doc, control, 'the chair still writes');
    await waitFor(async () => textOf(await stored(definitionId), control) !== null, 'the chair’s edit stored');
    await sleep(500);
    const final = await stored(definitionId);
    for (const id of clauseIds) expect(textOf(final, id)).toBeNull();
    for (const client of lowered) {
      expect(client.closedWith()).toBeNull(); // still reading
      expect(textOf(client.doc, control)).toBe('the chair still writes');
    }
  });
});

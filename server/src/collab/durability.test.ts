import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { addClause, appendText, connectClient, stateKey, synced, textOf, waitFor, type TestClient } from '../../test/support/collab.ts';
import { freePort } from '../../test/support/net.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

describe('durability: SIGKILL in the middle of editing loses nothing', { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let port: number;
  let server: ChildProcess | null = null;
  const clients: TestClient[] = [];

  function startServer(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: database.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        CLIENT_DIR: '',
        LOG_LEVEL: 'warn',
        RATE_LIMIT_API_PER_MINUTE: '100000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = child;
    let output = '';
    return new Promise((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk;
        if (output.includes('Draftroom is running')) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.on('exit', (code) => reject(new Error(`server exited early (${code}):\n${output}`)));
    });
  }

  const base = () => `http://127.0.0.1:${port}`;
  async function api(method: string, path: string, cookie: string | null, body?: object) {
    const response = await fetch(`${base()}${path}`, {
      method,
      headers: { 'content-type': 'application/json', origin: base(), ...(cookie && { cookie }) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const cookieHeader = response.headers.get('set-cookie');
    // biome-ignore lint/suspicious/noExplicitAny: any JSON answer of the API, read by each test as it expects
    return { status: response.status, json: (await response.json().catch(() => null)) as Record<string, any>, cookie: cookieHeader?.split(';')[0] ?? null };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    port = await freePort();
    await startServer();
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((resolve) => server!.on('exit', resolve));
    }
    await database.drop();
  });

  it('stores exactly what every client has after a crash and reconnect', async () => {
    const chair = await api('POST', '/api/auth/register', null, { email: 'chair@crash.test', displayName: 'Chair', password: 'long enough password' });
    const editor = await api('POST', '/api/auth/register', null, { email: 'editor@crash.test', displayName: 'Editor', password: 'long enough password' });
    await api('POST', '/api/groups', chair.cookie, { slug: 'crash', name: 'Crash' });
    await api('POST', '/api/groups/crash/members', chair.cookie, { email: 'editor@crash.test', role: 'editor' });
    const created = await api('POST', '/api/groups/crash/definitions', chair.cookie, { slug: 'draft', title: 'Draft' });
    expect(created.status).toBe(201);
    const definitionId = created.json.id as string;

    const writers = [chair.cookie!, editor.cookie!, editor.cookie!].map((cookie) => connectClient(base(), definitionId, cookie));
    clients.push(...writers);
    await Promise.all(writers.map(synced));
    const clauseIds = writers.map(() => randomUUID());
    for (const [i, w] of writers.entries()) addClause(w.doc, clauseIds[i]!, `writer ${i}:`);

    // Everyone types; the server is killed mid-stream; typing goes on while it is down.
    let typing = true;
    const typists = writers.map(async (w, i) => {
      for (let n = 0; typing; n++) {
        appendText(w.doc, clauseIds[i]!, ` ${n}`);
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    server!.kill('SIGKILL');
    await new Promise((resolve) => server!.on('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 200));
    typing = false;
    await Promise.all(typists);

    await startServer();
    await waitFor(() => writers.every((w) => w.provider.wsconnected && w.provider.synced), 'every writer reconnected', 20_000);

    await waitFor(() => new Set(writers.map((w) => stateKey(w.doc))).size === 1, 'the writers to converge', 20_000);

    const stored = await waitFor(
      async () => {
        const doc = new Y.Doc();
        const state = await database.db.selectFrom('doc_states').select('state').where('definition_id', '=', definitionId).executeTakeFirst();
        if (state) Y.applyUpdate(doc, state.state);
        for (const row of await database.db.selectFrom('doc_updates').select('update').where('definition_id', '=', definitionId).orderBy('id').execute()) {
          Y.applyUpdate(doc, row.update);
        }
        return stateKey(doc) === stateKey(writers[0]!.doc) && doc;
      },
      'PostgreSQL to hold every client’s document',
      20_000,
    );

    for (const [i, clauseId] of clauseIds.entries()) {
      const text = textOf(writers[0]!.doc, clauseId)!;
      expect(text.split(' ').length).toBeGreaterThan(10);
      expect(textOf(stored, clauseId)).toBe(text);
      for (const w of writers) expect(textOf(w.doc, clauseId)).toBe(text);
      expect(text.startsWith(`writer ${i}:`)).toBe(true);
    }
  });
});

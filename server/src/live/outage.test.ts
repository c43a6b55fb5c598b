import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createDb, type Db } from '../db/database.ts';
import { waitFor } from '../../test/support/collab.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { connectLive } from '../../test/support/live.ts';
import { jsonClient } from '../../test/support/net.ts';
import { CuttableProxy } from '../../test/support/proxy.ts';

/**
 * PostgreSQL goes away (a restart of the embedded server, a network cut) and comes back: the live
 * channel's listening connection reconnects by itself, open pages are told to read everything again
 * (changes made meanwhile were not heard), and changes after it are heard as before. Nothing crashes.
 */
describe('the live channel through a database outage', { timeout: 90_000 }, () => {
  let database: TestDatabase;
  let proxy: CuttableProxy;
  let db: Db;
  let app: FastifyInstance;
  let base: string;
  const logs: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const target = new URL(database.url);
    proxy = new CuttableProxy(target.hostname, Number(target.port));
    const viaProxy = new URL(database.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(await proxy.start());
    db = createDb(viaProxy.toString());
    const logStream = new Writable({
      write(chunk, _encoding, callback) {
        logs.push(String(chunk));
        callback();
      },
    });
    app = await buildApp(loadConfig({ LOG_LEVEL: 'info', CLIENT_DIR: '', RATE_LIMIT_REGISTER_PER_IP: '1000' }), { db, databaseKind: database.kind, logStream });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await proxy.restore().catch(() => {});
    await app?.close();
    await database?.drop();
  });

  const api = jsonClient(() => base);

  it('reconnects, asks pages to read again, and goes on delivering', async () => {
    const registered = await api('/api/auth/register', {
      method: 'POST',
      body: { email: `chair.${randomUUID().slice(0, 8)}@example.org`, displayName: 'Chair', password: 'correct horse battery' },
    });
    const cookie = registered.headers.get('set-cookie')!.split(';')[0]!;
    const slug = `g-${randomUUID().slice(0, 8)}`;
    expect((await api('/api/groups', { method: 'POST', cookie, body: { slug, name: 'G', visibility: 'public' } })).status).toBe(201);
    const definitionId = (await api(`/api/groups/${slug}/definitions`, { method: 'POST', cookie, body: { slug: 'osaid', title: 'OSAID' } })).json!.id as string;

    const reader = connectLive(base, null);
    await reader.ready;
    expect(await reader.subscribe([`definition:${definitionId}`])).toEqual({ [`definition:${definitionId}`]: 'subscribed' });
    await api(`/api/definitions/${definitionId}`, { method: 'PATCH', cookie, body: { title: 'Before' } });
    await reader.waitForEvent((e) => e.kind === 'definition.changed', 'a change before the outage');

    await proxy.cut();
    await waitFor(() => logs.some((line) => line.includes('lost the database connection it listens on')), 'the listener to notice');
    expect((await api('/api/groups', { cookie })).status).toBe(503);
    await proxy.restore();

    await waitFor(() => reader.messages.some((m) => m.type === 'resync'), 'a resync', 30_000);
    expect(reader.closed()).toBeNull();
    const before = reader.events().length;
    await waitFor(
      async () => (await api(`/api/definitions/${definitionId}`, { method: 'PATCH', cookie, body: { title: 'After' } })).status === 200,
      'the API back',
    );
    await waitFor(
      () =>
        reader
          .events()
          .slice(before)
          .some((e) => e.kind === 'definition.changed'),
      'a change after the outage',
    );
    expect(logs.join('')).toContain('listening again');
    expect(logs.join('')).not.toContain('"level":60');
    reader.close();
  });
});

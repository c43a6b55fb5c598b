import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '@draftroom/shared';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createDb, type Db } from '../db/database.ts';
import { addClause, appendText, connectClient, docFromUpdates, textOf, waitFor } from '../../test/support/collab.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { jsonClient } from '../../test/support/net.ts';
import { CuttableProxy } from '../../test/support/proxy.ts';

/**
 * PostgreSQL goes away while people edit: requests are told 503 at once, the editor is told its edits
 * are not saved, and every edit made meanwhile is stored once the database is back.
 */
describe('a database outage', { timeout: 90_000 }, () => {
  let database: TestDatabase;
  let proxy: CuttableProxy;
  let db: Db;
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const target = new URL(database.url);
    proxy = new CuttableProxy(target.hostname, Number(target.port));
    const port = await proxy.start();
    const viaProxy = new URL(database.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(port);
    db = createDb(viaProxy.toString());
    app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', CLIENT_DIR: '', RATE_LIMIT_REGISTER_PER_IP: '1000', COLLAB_IDLE_UNLOAD_MS: '60000' }), {
      db,
      databaseKind: database.kind,
    });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await proxy.restore().catch(() => {});
    await app?.close();
    await database?.drop();
  });

  const api = jsonClient(() => base);

  it('answers 503 meanwhile, tells the editor, and stores the edits made during it when the database is back', async () => {
    const registered = await api('/api/auth/register', {
      method: 'POST',
      body: { email: `chair.${randomUUID().slice(0, 8)}@example.org`, displayName: 'Chair', password: 'correct horse battery' },
    });
    expect(registered.status).toBe(201);
    const cookie = registered.headers.get('set-cookie')!.split(';')[0]!;
    expect((await api('/api/groups', { method: 'POST', cookie, body: { slug: `g-${randomUUID().slice(0, 8)}`, name: 'G' } })).status).toBe(201);
    const groups = (await api('/api/groups', { cookie })).json as { groups: { slug: string }[] };
    const definition = await api(`/api/groups/${groups.groups[0]!.slug}/definitions`, { method: 'POST', cookie, body: { slug: 'outage', title: 'Outage' } });
    const definitionId = definition.json!.id as string;

    const client = connectClient(base, definitionId, cookie);
    try {
      await waitFor(() => client.provider.synced, 'sync');
      const clauseId = randomUUID();
      addClause(client.doc, clauseId, 'before');
      await waitFor(async () => {
        const rows = await database.db.selectFrom('doc_updates').select('update').where('definition_id', '=', definitionId).execute();
        return textOf(docFromUpdates(rows.map((r) => r.update)), clauseId) === 'before';
      }, 'the first edit stored');

      await proxy.cut();
      appendText(client.doc, clauseId, ' during');
      const during = await api('/api/groups', { cookie });
      expect(during.status).toBe(503);
      expect(during.headers.get('retry-after')).toBe('5');
      // The document gives up storing after its retries and tells the editor: 1013, edits kept.
      await waitFor(() => client.closeCodes.includes(CLOSE_CODES.storageUnavailable), 'a 1013 close', 30_000);
      appendText(client.doc, clauseId, ' offline');

      await proxy.restore();
      const stored = async () => {
        const state = await database.db.selectFrom('doc_states').select('state').where('definition_id', '=', definitionId).executeTakeFirst();
        const rows = await database.db.selectFrom('doc_updates').select('update').where('definition_id', '=', definitionId).orderBy('id').execute();
        return docFromUpdates([...(state ? [state.state] : []), ...rows.map((r) => r.update)]);
      };
      await waitFor(async () => textOf(await stored(), clauseId) === 'before during offline', 'every edit stored after the outage', 30_000);
      expect(textOf(client.doc, clauseId)).toBe('before during offline');
      expect(Y.encodeStateVector(await stored())).toEqual(Y.encodeStateVector(client.doc));
      expect((await api('/api/groups', { cookie })).status).toBe(200);
    } finally {
      client.destroy();
    }
  });
});

import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '@draftroom/shared';
import { buildApp } from '../app.ts';
import { createDb, type Db } from '../db/database.ts';
import { MirrorTracker } from '../text/mirror.ts';
import { addClause, appendText, connectClient, stateKey, storedDoc, synced, textOf, waitFor, type TestClient } from '../../test/support/collab.ts';
import { redisServerBinary, startRedis } from '../../test/support/redis.ts';
import { useTestApp, type TestApp } from '../../test/support/app.ts';
import { updateMessage } from './protocol.ts';

const binary = redisServerBinary();
const redis = binary ? await startRedis(binary) : null;
afterAll(async () => {
  await redis?.destroy();
});

/** The `clauses` table against the same rendering from the stored document: they must be equal. */
async function mirrorAgainstStored(db: Db, definitionId: string) {
  const stored = await storedDoc(db, definitionId);
  const expected = new MirrorTracker(stored, [])
    .all()
    .clauses.map(({ clauseId, position, kind, text, markdown }) => ({ clauseId, position, kind, text, markdown }));
  const rows = await db
    .selectFrom('clauses')
    .select(['clause_id', 'position', 'kind', 'text', 'markdown'])
    .where('definition_id', '=', definitionId)
    .orderBy('position')
    .execute();
  return { stored, expected, actual: rows.map((r) => ({ clauseId: r.clause_id, position: r.position, kind: r.kind, text: r.text, markdown: r.markdown })) };
}

/** A second instance of the app on the test app's database (and Redis, when its configuration names one). */
function useSecondInstance(t: TestApp) {
  const other = {} as { app: FastifyInstance; db: Db; base: string; firstBase: string };
  beforeAll(async () => {
    other.db = createDb(t.database.url, { max: 5 });
    other.app = await buildApp({ ...t.config, logLevel: 'silent' }, { db: other.db, databaseKind: t.database.kind });
    other.base = await other.app.listen({ port: 0, host: '127.0.0.1' });
    other.firstBase = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await other.app?.close();
    await other.db?.destroy();
  });
  return other;
}

async function definitionWithEditors(t: TestApp) {
  const { slug, users } = await t.groupWithRoles();
  const created = await t.request({ method: 'POST', url: `/api/groups/${slug}/definitions`, as: users.chair, payload: { slug: 'osaid', title: 'OSAID' } });
  expect(created.statusCode).toBe(201);
  return { definitionId: created.json().id as string, users };
}

/** Two writers type into one clause (and one each into their own), a character at a time, at once. */
async function typeTogether(writers: TestClient[], clauseId: string, rounds: number) {
  await Promise.all(
    writers.map(async (writer, i) => {
      for (let n = 0; n < rounds; n++) {
        appendText(writer.doc, clauseId, `${'ab'[i]}${n} `);
        await new Promise((resolve) => setTimeout(resolve, 2 + (n % 3)));
      }
    }),
  );
}

describe('two instances on one PostgreSQL without Redis', () => {
  const t = useTestApp();
  const other = useSecondInstance(t);
  const clients: TestClient[] = [];
  afterAll(() => {
    for (const client of clients) client.destroy();
  });

  it('write the clause texts of each commit from the whole committed document, whichever instance commits last', async () => {
    const { definitionId, users } = await definitionWithEditors(t);
    const onA = connectClient(other.firstBase, definitionId, users.chair.cookie);
    const onB = connectClient(other.base, definitionId, users.editor.cookie);
    clients.push(onA, onB);
    await Promise.all([synced(onA), synced(onB)]);
    const clauseId = randomUUID();
    addClause(onA.doc, clauseId, 'Shared:');
    await waitFor(async () => (await mirrorAgainstStored(t.db, definitionId)).actual.length === 1, 'the clause is stored');
    // No channel between them: B learns of A's clause when it next commits (it reads what it missed first).
    addClause(onB.doc, randomUUID(), 'B was here.');
    await waitFor(() => textOf(onB.doc, clauseId) === 'Shared:', 'B’s client receives A’s clause with B’s next commit');

    for (let round = 0; round < 4; round++) {
      await typeTogether([onA, onB], clauseId, 25);
      // Once both writers' last keystrokes are stored, the table must say what the stored document says.
      const own = (client: TestClient) => Y.getState(client.doc.store, client.doc.clientID);
      const { expected, actual } = await waitFor(async () => {
        const compared = await mirrorAgainstStored(t.db, definitionId);
        const storedAll = [onA, onB].every((client) => Y.getState(compared.stored.store, client.doc.clientID) === own(client));
        return storedAll && compared;
      }, `both writers' edits stored (round ${round})`);
      expect(actual).toEqual(expected);
      const shared = actual.find((clause) => clause.clauseId === clauseId)!.text;
      expect(shared).toMatch(/^Shared:/);
      expect(shared.match(/a24 /g)).toHaveLength(round + 1);
      expect(shared.match(/b24 /g)).toHaveLength(round + 1);
    }
  });
});

describe.skipIf(!redis)('two instances on one PostgreSQL and one Redis: one live document', () => {
  const t = useTestApp(redis ? { REDIS_URL: redis.url } : {});
  const other = useSecondInstance(t);
  const clients: TestClient[] = [];
  afterAll(() => {
    for (const client of clients) client.destroy();
  });
  const connect = (base: string, definitionId: string, cookie: string, doc?: Y.Doc) => {
    const client = connectClient(base, definitionId, cookie, doc);
    clients.push(client);
    return client;
  };

  it('co-edit one clause from both instances: every client, PostgreSQL and the clauses table end up the same', async () => {
    const { definitionId, users } = await definitionWithEditors(t);
    const writers = [connect(other.firstBase, definitionId, users.chair.cookie), connect(other.base, definitionId, users.editor.cookie)];
    const readers = [connect(other.firstBase, definitionId, users.observer.cookie), connect(other.base, definitionId, users.member.cookie)];
    await Promise.all([...writers, ...readers].map(synced));
    const clauseId = randomUUID();
    addClause(writers[0]!.doc, clauseId, 'Shared:');
    await waitFor(() => readers.every((reader) => textOf(reader.doc, clauseId) === 'Shared:'), 'the new clause reaches both instances’ readers');

    await typeTogether(writers, clauseId, 60);
    const everyone = [...writers, ...readers];
    await waitFor(() => new Set(everyone.map((client) => stateKey(client.doc))).size === 1, 'every client converges');
    const text = textOf(writers[0]!.doc, clauseId)!;
    for (let n = 0; n < 60; n++) {
      expect(text).toContain(`a${n} `);
      expect(text).toContain(`b${n} `);
    }
    const { stored, expected, actual } = await waitFor(async () => {
      const compared = await mirrorAgainstStored(t.db, definitionId);
      return stateKey(compared.stored) === stateKey(writers[0]!.doc) && JSON.stringify(compared.expected) === JSON.stringify(compared.actual) && compared;
    }, 'PostgreSQL to hold what the clients hold').catch(async () => mirrorAgainstStored(t.db, definitionId));
    expect(stateKey(stored)).toBe(stateKey(writers[0]!.doc));
    expect(actual).toEqual(expected);
    expect(actual.find((clause) => clause.clauseId === clauseId)?.text).toBe(text);
  });

  it('a server-side edit made through one instance reaches the clients of the other, and builds on what they typed', async () => {
    const { definitionId, users } = await definitionWithEditors(t);
    const onB = connect(other.base, definitionId, users.editor.cookie);
    await synced(onB);
    const clauseId = randomUUID();
    addClause(onB.doc, clauseId, 'Typed on B.');
    // A's REST edit comes right after B's typing: A must build on it although A never had the document open.
    const inserted = await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/clauses`, as: users.chair, payload: { text: 'Added on A.' } });
    expect(inserted.statusCode).toBe(201);
    const addedId = inserted.json().clauseId ?? inserted.json().id;
    await waitFor(() => textOf(onB.doc, addedId) === 'Added on A.', 'B’s client receives the clause A added');
    const listed = await t.request({ method: 'GET', url: `/api/definitions/${definitionId}`, as: users.chair });
    const texts = JSON.stringify(listed.json());
    expect(texts).toContain('Typed on B.');
    expect(texts).toContain('Added on A.');
    const { expected, actual } = await mirrorAgainstStored(t.db, definitionId);
    expect(actual).toEqual(expected);
  });

  it('shows presence across instances, under the name the server knows', async () => {
    const { definitionId, users } = await definitionWithEditors(t);
    const onA = connect(other.firstBase, definitionId, users.chair.cookie);
    const onB = connect(other.base, definitionId, users.editor.cookie);
    await Promise.all([synced(onA), synced(onB)]);
    onA.provider.awareness.setLocalStateField('user', { name: 'Someone Else', color: '#123456' });
    const seen = await waitFor(
      () => [...onB.provider.awareness.getStates().entries()].find(([clientId]) => clientId === onA.doc.clientID)?.[1],
      'B’s client sees A’s client',
    );
    expect(seen.user).toEqual({ id: users.chair.user.id, name: 'Chair', color: '#123456' });
    onA.provider.awareness.setLocalState(null);
    await waitFor(() => !onB.provider.awareness.getStates().has(onA.doc.clientID), 'and sees it leave');
  });

  it('never lets a user on one instance write under a client id another user owns through the other', async () => {
    const { definitionId, users } = await definitionWithEditors(t);
    const owner = connect(other.firstBase, definitionId, users.chair.cookie);
    await synced(owner);
    const clauseId = randomUUID();
    addClause(owner.doc, clauseId, 'Mine.');
    // The editor on B learns the chair's client id (presence shows it) and sends new content under it.
    const witness = connect(other.base, definitionId, users.member.cookie);
    await waitFor(() => textOf(witness.doc, clauseId) === 'Mine.', 'the other instance has the owner’s text');
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(owner.doc));
    forged.clientID = owner.doc.clientID;
    appendText(forged, clauseId, ' Not really.');
    const socket = new WebSocket(`${other.base.replace('http', 'ws')}/api/collab/${definitionId}`, { headers: { cookie: users.editor.cookie } });
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await new Promise((resolve) => socket.on('open', resolve));
    socket.send(updateMessage(Y.encodeStateAsUpdate(forged, Y.encodeStateVector(owner.doc))));
    expect(await closed).toBe(CLOSE_CODES.forbidden);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(textOf(owner.doc, clauseId)).toBe('Mine.');
    expect(textOf(witness.doc, clauseId)).toBe('Mine.');
    expect(textOf(await storedDoc(t.db, definitionId), clauseId)).toBe('Mine.');
  });
});

import { randomUUID } from 'node:crypto';
import * as awarenessProtocol from 'y-protocols/awareness';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '@draftroom/shared';
import { useTestApp } from '../../test/support/app.ts';
import { addClause, connectClient, synced, textOf, waitFor, type TestClient } from '../../test/support/collab.ts';
import { awarenessMessage } from './protocol.ts';

describe('presence (awareness) and shutdown', () => {
  const t = useTestApp();
  let base: string;
  const clients: TestClient[] = [];
  beforeAll(async () => {
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });

  async function definitionFor() {
    const group = await t.groupWithRoles();
    const response = await t.request({
      method: 'POST',
      url: `/api/groups/${group.slug}/definitions`,
      as: group.users.chair,
      payload: { slug: 'presence', title: 'P' },
    });
    return { ...group, definitionId: response.json().id as string };
  }

  it('relays presence between clients, readers included, and removes it when a client leaves', async () => {
    const { users, definitionId } = await definitionFor();
    const chair = connectClient(base, definitionId, users.chair.cookie);
    const observer = connectClient(base, definitionId, users.observer.cookie);
    clients.push(chair, observer);
    await Promise.all([synced(chair), synced(observer)]);
    chair.provider.awareness.setLocalStateField('user', { name: 'Chair', color: '#c00' });
    observer.provider.awareness.setLocalStateField('user', { name: 'Observer', color: '#00c' });
    await waitFor(() => observer.provider.awareness.getStates().get(chair.doc.clientID)?.user?.name === 'Chair', 'chair presence at the observer');
    await waitFor(() => chair.provider.awareness.getStates().get(observer.doc.clientID)?.user?.name === 'Observer', 'observer presence at the chair');
    observer.provider.disconnect();
    await waitFor(() => !chair.provider.awareness.getStates().has(observer.doc.clientID), 'observer presence removed');
  });

  it('stamps presence with the signed-in name, whatever the client claims', async () => {
    const { users, definitionId } = await definitionFor();
    const editor = connectClient(base, definitionId, users.editor.cookie);
    const watcher = connectClient(base, definitionId, users.member.cookie);
    clients.push(editor, watcher);
    await Promise.all([synced(editor), synced(watcher)]);
    editor.provider.awareness.setLocalStateField('user', { name: 'The Chair (really)', color: '#0a0' });
    const seen = await waitFor(() => watcher.provider.awareness.getStates().get(editor.doc.clientID)?.user, 'presence');
    expect(seen).toEqual({ id: users.editor.user.id, name: 'Editor', color: '#0a0' });
  });

  it('ignores presence updates for a client id that another connection speaks for', async () => {
    const { users, definitionId } = await definitionFor();
    const chair = connectClient(base, definitionId, users.chair.cookie);
    const watcher = connectClient(base, definitionId, users.member.cookie);
    clients.push(chair, watcher);
    await Promise.all([synced(chair), synced(watcher)]);
    chair.provider.awareness.setLocalStateField('user', { name: 'Chair' });
    await waitFor(() => watcher.provider.awareness.getStates().get(chair.doc.clientID)?.user?.name === 'Chair', 'genuine presence');

    // An impostor crafts an awareness update for the chair's client id with a newer clock.
    const fake = new awarenessProtocol.Awareness(new Y.Doc());
    fake.clientID = chair.doc.clientID;
    (fake as unknown as { meta: Map<number, { clock: number; lastUpdated: number }> }).meta.set(chair.doc.clientID, { clock: 1000, lastUpdated: Date.now() });
    fake.states.set(chair.doc.clientID, { user: { name: 'Impostor' } });
    const socket = new WebSocket(`${base.replace('http', 'ws')}/api/collab/${definitionId}`, { headers: { cookie: users.editor.cookie } });
    await new Promise((resolve) => socket.on('open', resolve));
    socket.send(awarenessMessage(fake, [chair.doc.clientID]));
    // A marker: the chair changes its own presence afterwards; once that arrives, the fake would have too.
    await new Promise((resolve) => setTimeout(resolve, 100));
    chair.provider.awareness.setLocalStateField('user', { name: 'Chair', color: '#123456' });
    await waitFor(() => watcher.provider.awareness.getStates().get(chair.doc.clientID)?.user?.color === '#123456', 'the marker');
    expect(watcher.provider.awareness.getStates().get(chair.doc.clientID)?.user?.name).toBe('Chair');
    socket.close();
  });

  it('stores pending edits and closes sockets with 1001 when the server shuts down', async () => {
    const { users, definitionId } = await definitionFor();
    // A second app on the same database, so closing it does not end this file's app.
    const { buildApp } = await import('../app.ts');
    const other = await buildApp(t.config, { db: t.db, databaseKind: t.database.kind });
    const otherBase = await other.listen({ port: 0, host: '127.0.0.1' });
    const client = connectClient(otherBase, definitionId, users.chair.cookie);
    clients.push(client);
    await synced(client);
    const clauseId = randomUUID();
    addClause(client.doc, clauseId, 'written just before shutdown');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await other.close();
    expect(client.closeCodes).toContain(CLOSE_CODES.goingAway);
    const stored = new Y.Doc();
    const state = await t.db.selectFrom('doc_states').select('state').where('definition_id', '=', definitionId).executeTakeFirst();
    if (state) Y.applyUpdate(stored, state.state);
    for (const row of await t.db.selectFrom('doc_updates').select('update').where('definition_id', '=', definitionId).execute())
      Y.applyUpdate(stored, row.update);
    expect(textOf(stored, clauseId)).toBe('written just before shutdown');
  });

  it('tells a socket that opens while the server shuts down to come back later (1001), so it cannot hold the shutdown', async () => {
    const { users, definitionId } = await definitionFor();
    const { buildApp } = await import('../app.ts');
    const other = await buildApp(t.config, { db: t.db, databaseKind: t.database.kind });
    const otherBase = await other.listen({ port: 0, host: '127.0.0.1' });
    const early = connectClient(otherBase, definitionId, users.chair.cookie);
    clients.push(early);
    await synced(early);
    // What the shutdown does first (preClose), while the server still accepts connections.
    await other.registry.closeAll();
    const late = new WebSocket(`${otherBase.replace('http', 'ws')}/api/collab/${definitionId}`, { headers: { cookie: users.editor.cookie } });
    const code = await new Promise<number>((resolve) => late.on('close', (closeCode) => resolve(closeCode)));
    expect(code).toBe(CLOSE_CODES.goingAway);
    early.provider.disconnect();
    await other.close();
  });
});

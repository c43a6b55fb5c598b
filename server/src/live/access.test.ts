import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_CLOSE_CODES, type LiveTopic } from '@draftroom/shared';
import { buildApp } from '../app.ts';
import { createDb, type Db } from '../db/database.ts';
import { PASSWORD, sessionCookieFrom, useTestApp, type TestUser } from '../../test/support/app.ts';
import { CLOSE_CODES } from '@draftroom/shared';
import { connectClient, synced, waitFor } from '../../test/support/collab.ts';
import { connectLive, type LiveTestClient } from '../../test/support/live.ts';

/**
 * Access that ends while a page is open: a removed member's topics are revoked at once and nothing
 * more reaches them, a group made private drops its outside readers, a signed-out session's sockets
 * close. On this instance (through the in-process bus) and on another one on the same database
 * (through the database's notifications only).
 */
describe('access ending on open live sockets', { timeout: 120_000 }, () => {
  const t = useTestApp();
  let base: string;
  let otherDb: Db;
  let other: FastifyInstance;
  let otherBase: string;
  const sockets: LiveTestClient[] = [];

  beforeAll(async () => {
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    // A second instance of the server on the same database.
    otherDb = createDb(t.database.url, { max: 3 });
    other = await buildApp({ ...t.config, logLevel: 'silent' }, { db: otherDb, databaseKind: t.database.kind });
    otherBase = await other.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await other?.close();
    await otherDb?.destroy();
  });

  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, as: TestUser, payload?: object) => {
    const response = await t.request({ method, url, as, ...(payload && { payload }) });
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
    return response.statusCode === 204 ? null : response.json();
  };
  const open = async (where: string, cookie: string | null, topics: LiveTopic[]) => {
    const client = connectLive(where, cookie);
    sockets.push(client);
    await client.ready;
    const answers = await client.subscribe(topics);
    expect(
      Object.values(answers).every((answer) => answer === 'subscribed'),
      JSON.stringify(answers),
    ).toBe(true);
    return client;
  };
  const revoked = (client: LiveTestClient) => client.messages.flatMap((m) => (m.type === 'revoked' ? [m.topic] : []));

  async function setup(visibility: 'private' | 'public') {
    const { slug, users } = await t.groupWithRoles(visibility);
    const groupId = (await call('GET', `/api/groups/${slug}`, users.chair)).id as string;
    const definitionId = (await call('POST', `/api/groups/${slug}/definitions`, users.chair, { slug: 'osaid', title: 'OSAID' })).id as string;
    const clauseId = (await call('POST', `/api/definitions/${definitionId}/clauses`, users.editor, { text: 'Training data is required.' })).id as string;
    const topics: LiveTopic[] = [`group:${groupId}`, `definition:${definitionId}`];
    const internalThread = async () =>
      (await call('POST', `/api/definitions/${definitionId}/threads`, users.chair, { clauseId, body: 'Members only.', audience: 'internal' })).id as string;
    return { slug, users, groupId, definitionId, topics, internalThread };
  }

  it('revokes a removed member’s topics at once, here and on another instance, and tells them nothing more', async () => {
    const g = await setup('private');
    const here = await open(base, g.users.member.cookie, ['me', ...g.topics]);
    const there = await open(otherBase, g.users.member.cookie, g.topics);
    const editor = await open(otherBase, g.users.editor.cookie, g.topics);

    await call('DELETE', `/api/groups/${g.slug}/members/${g.users.member.user.id}`, g.users.chair);
    for (const client of [here, there]) await waitFor(() => g.topics.every((topic) => revoked(client).includes(topic)), 'both topics revoked');
    await here.waitForEvent((e, topic) => topic === 'me' && e.kind === 'membership.changed' && e.groupId === g.groupId, 'my memberships changed');

    const threadId = await g.internalThread();
    await editor.waitForEvent((e) => e.kind === 'thread.changed' && e.threadId === threadId, 'the editor hears the new thread');
    for (const client of [here, there]) {
      await client.barrier();
      expect(client.events().filter((e) => e.kind === 'thread.changed')).toEqual([]);
      expect(client.events(`group:${g.groupId}`).filter((e) => e.kind !== 'membership.changed' || e.userId !== g.users.member.user.id)).toEqual([]);
    }
    // Asking again is answered as the HTTP read would answer.
    expect(await here.subscribe(g.topics)).toEqual({ [g.topics[0]!]: 'refused:not_found', [g.topics[1]!]: 'refused:not_found' });
    expect(here.closed()).toBeNull();
  });

  it('lets a member removed from a public group go on reading what the public reads, and nothing else', async () => {
    const g = await setup('public');
    const client = await open(otherBase, g.users.member.cookie, g.topics);
    const editor = await open(base, g.users.editor.cookie, g.topics);
    await call('DELETE', `/api/groups/${g.slug}/members/${g.users.member.user.id}`, g.users.chair);
    await client.waitForEvent((e) => e.kind === 'group.changed', 'the member count moved');

    const threadId = await g.internalThread();
    await editor.waitForEvent((e) => e.kind === 'thread.changed' && e.threadId === threadId, 'the editor hears the new thread');
    await call('POST', `/api/definitions/${g.definitionId}/versions`, g.users.chair, { label: '1.0', notes: '' });
    await client.waitForEvent((e) => e.kind === 'version.published', 'a published version');
    expect(client.events().filter((e) => e.kind === 'thread.changed')).toEqual([]);
    expect(revoked(client)).toEqual([]);
  });

  it('drops outside readers when a public group becomes private', async () => {
    const g = await setup('public');
    const anonymous = await open(base, null, g.topics);
    const outsider = await open(otherBase, g.users.outsider.cookie, g.topics);
    const observer = await open(otherBase, g.users.observer.cookie, g.topics);
    await call('PATCH', `/api/groups/${g.slug}`, g.users.chair, { visibility: 'private' });
    for (const client of [anonymous, outsider]) await waitFor(() => g.topics.every((topic) => revoked(client).includes(topic)), 'both topics revoked');
    await observer.waitForEvent((e) => e.kind === 'group.changed', 'the group changed');
    expect(revoked(observer)).toEqual([]);
    await call('POST', `/api/definitions/${g.definitionId}/versions`, g.users.chair, { label: '1.0', notes: '' });
    await observer.waitForEvent((e) => e.kind === 'version.published', 'a published version');
    for (const client of [anonymous, outsider]) {
      await client.barrier();
      expect(client.events().filter((e) => e.kind === 'version.published')).toEqual([]);
    }
  });

  it('a session that ends by inactivity closes its live and document sockets (4401), here and on the other instance; an active one stays', async () => {
    const g = await setup('private');
    const sessionOf = (cookie: string) => cookie.split('=')[1]!.split('.')[0]!;
    const login = await t.request({ method: 'POST', url: '/api/auth/login', payload: { email: g.users.member.email, password: PASSWORD } });
    const active = sessionCookieFrom(login);
    const idleLive = [await open(base, g.users.member.cookie, g.topics), await open(otherBase, g.users.member.cookie, ['me'])];
    const idleDocument = connectClient(base, g.definitionId, g.users.member.cookie);
    const activeLive = await open(base, active, g.topics);
    const activeDocument = connectClient(otherBase, g.definitionId, active);
    try {
      await synced(idleDocument);
      await synced(activeDocument);
      // Nothing ended yet: a round closes nothing.
      expect(await t.app.sessionExpiry.runOnce()).toBe(0);
      expect(await other.sessionExpiry.runOnce()).toBe(0);

      // 31 days without a request on the first session (its sockets stayed open all along).
      await t.db
        .updateTable('sessions')
        .set({ last_verified_at: new Date(Date.now() - 31 * 86_400_000) })
        .where('id', '=', sessionOf(g.users.member.cookie))
        .execute();
      // The other instance's round runs first and deletes the row; this one still finds its sockets' session gone.
      expect(await other.sessionExpiry.runOnce()).toBe(1);
      expect(await t.app.sessionExpiry.runOnce()).toBe(1);
      for (const client of idleLive) expect((await waitFor(() => client.closed(), 'the live socket closes')).code).toBe(LIVE_CLOSE_CODES.sessionEnded);
      expect(await waitFor(() => idleDocument.closedWith(), 'the document socket closes')).toBe(CLOSE_CODES.unauthenticated);
      expect((await t.request({ method: 'GET', url: '/api/me', as: g.users.member })).statusCode).toBe(401);

      // The active session keeps both sockets and goes on receiving.
      await activeLive.barrier();
      expect(activeLive.closed()).toBeNull();
      expect(activeDocument.closedWith()).toBeNull();
      expect(activeDocument.provider.wsconnected).toBe(true);
      expect(await t.app.sessionExpiry.runOnce()).toBe(0);
    } finally {
      idleDocument.destroy();
      activeDocument.destroy();
    }
  });

  it('closes a signed-out session’s sockets with 4401, here and elsewhere, and only that session’s', async () => {
    const g = await setup('private');
    const login = await t.request({ method: 'POST', url: '/api/auth/login', payload: { email: g.users.member.email, password: PASSWORD } });
    expect(login.statusCode).toBe(200);
    const secondSession = sessionCookieFrom(login);
    const first = [await open(base, g.users.member.cookie, g.topics), await open(otherBase, g.users.member.cookie, ['me'])];
    const second = await open(base, secondSession, g.topics);

    expect((await t.request({ method: 'POST', url: '/api/auth/logout', as: g.users.member })).statusCode).toBe(204);
    for (const client of first) expect((await waitFor(() => client.closed(), 'the socket closes')).code).toBe(LIVE_CLOSE_CODES.sessionEnded);
    await second.barrier();
    expect(second.closed()).toBeNull();

    // A password change ends every session: the other one's sockets close too, on every instance.
    const elsewhere = await open(otherBase, secondSession, ['me']);
    const changed = await t.request({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: secondSession },
      payload: { currentPassword: PASSWORD, newPassword: `${PASSWORD} again` },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    for (const client of [second, elsewhere]) expect((await waitFor(() => client.closed(), 'the socket closes')).code).toBe(LIVE_CLOSE_CODES.sessionEnded);
  });
});

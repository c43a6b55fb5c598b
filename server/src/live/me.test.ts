import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, useTestApp, type TestUser } from '../../test/support/app.ts';
import { waitFor } from '../../test/support/collab.ts';
import { connectLive, type LiveTestClient } from '../../test/support/live.ts';
import { registerConfirmed, startTestMailServer } from '../../test/support/mail.ts';

const mail = await startTestMailServer();
afterAll(() => mail.close());

/** The `me` topic: my inbox count and my invitations, told to me (all my open pages) and to nobody else. */
describe('my own topic', { timeout: 90_000 }, () => {
  const sockets: LiveTestClient[] = [];
  afterAll(() => {
    for (const socket of sockets) socket.close();
  });
  const openAs = async (base: string, user: TestUser) => {
    const client = connectLive(base, user.cookie);
    sockets.push(client);
    await client.ready;
    expect(await client.subscribe(['me'])).toEqual({ me: 'subscribed' });
    return client;
  };

  describe('the inbox count', () => {
    const t = useTestApp();
    let base: string;
    beforeAll(async () => {
      base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    });

    it('moves on every page of its owner as notifications arrive and are read, and nowhere else', async () => {
      const { slug, users } = await t.groupWithRoles('private');
      const call = async (method: 'GET' | 'POST', url: string, as: TestUser, payload?: object) => {
        const response = await t.request({ method, url, as, ...(payload && { payload }) });
        expect(response.statusCode, response.body).toBeLessThan(300);
        return response.statusCode === 204 ? null : response.json();
      };
      const definitionId = (await call('POST', `/api/groups/${slug}/definitions`, users.chair, { slug: 'osaid', title: 'OSAID' })).id;
      const clauseId = (await call('POST', `/api/definitions/${definitionId}/clauses`, users.editor, { text: 'Training data is required.' })).id;
      const threadId = (await call('POST', `/api/definitions/${definitionId}/threads`, users.member, { clauseId, body: 'Is it?' })).id;
      const [memberHere, memberThere, observer] = [await openAs(base, users.member), await openAs(base, users.member), await openAs(base, users.observer)];

      await call('POST', `/api/threads/${threadId}/comments`, users.chair, { body: 'Yes.' });
      const unread = (await call('GET', '/api/notifications', users.member)).unread as number;
      expect(unread).toBeGreaterThan(0);
      for (const client of [memberHere, memberThere])
        await client.waitForEvent((e, topic) => topic === 'me' && e.kind === 'inbox.changed' && e.unread === unread, 'my count');

      await call('POST', '/api/notifications/read', users.member, { all: true });
      for (const client of [memberHere, memberThere]) await client.waitForEvent((e) => e.kind === 'inbox.changed' && e.unread === 0, 'my count back to 0');
      await observer.barrier();
      expect(observer.events().filter((e) => e.kind === 'inbox.changed')).toEqual([]);
    });
  });

  describe('invitations (SMTP_URL set)', () => {
    const t = useTestApp({ SMTP_URL: mail.url, PUBLIC_URL: ORIGIN });
    let base: string;
    beforeAll(async () => {
      base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    });

    it('tells the invitee on their own topic and the chairs on the group’s, and nobody else', async () => {
      const chair = await registerConfirmed(t, mail, 'Chair');
      const invitee = await registerConfirmed(t, mail, 'Invitee');
      const bystander = await registerConfirmed(t, mail, 'Bystander');
      const slug = await t.createGroup(chair);
      const groupId = (await t.request({ method: 'GET', url: `/api/groups/${slug}`, as: chair })).json().id as string;
      const chairSocket = connectLive(base, chair.cookie);
      sockets.push(chairSocket);
      await chairSocket.ready;
      await chairSocket.subscribe(['me', `group:${groupId}`]);
      const [inviteeSocket, bystanderSocket] = [await openAs(base, invitee), await openAs(base, bystander)];

      const invited = await t.request({ method: 'POST', url: `/api/groups/${slug}/members`, as: chair, payload: { email: invitee.email, role: 'member' } });
      expect(invited.statusCode).toBe(202);
      await inviteeSocket.waitForEvent((e, topic) => topic === 'me' && e.kind === 'invitations.changed', 'the invitee hears of it');
      await chairSocket.waitForEvent((e, topic) => topic === `group:${groupId}` && e.kind === 'invitations.changed', 'the chair sees the pending list change');

      const [invitation] = (await t.request({ method: 'GET', url: '/api/invitations', as: invitee })).json().invitations as { id: string }[];
      expect((await t.request({ method: 'POST', url: `/api/invitations/${invitation!.id}/accept`, as: invitee })).statusCode).toBe(200);
      await inviteeSocket.waitForEvent((e) => e.kind === 'membership.changed' && e.groupId === groupId, 'the invitee’s memberships changed');
      await waitFor(() => inviteeSocket.events('me').filter((e) => e.kind === 'invitations.changed').length >= 2, 'the invitation gone from their list');
      await chairSocket.waitForEvent((e) => e.kind === 'membership.changed' && e.userId === invitee.user.id, 'the chair sees the new member');

      await bystanderSocket.barrier();
      expect(bystanderSocket.events()).toEqual([]);
    });
  });
});

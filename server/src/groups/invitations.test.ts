import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { ORIGIN, PASSWORD, sessionCookieFrom, useTestApp, type TestUser } from '../../test/support/app.ts';
import { confirmationToken, registerConfirmed, startTestMailServer, uniqueEmail } from '../../test/support/mail.ts';

const mail = await startTestMailServer();
afterAll(() => mail.close());

const INVITED_SUBJECT = 'You are invited to a Draftroom working group';
const PER_RESPONSE = new Set(['date', 'x-request-id']);

function comparable(response: LightMyRequestResponse, replace: Record<string, string>) {
  let body = response.body;
  for (const [value, placeholder] of Object.entries(replace)) body = body.replaceAll(value, placeholder);
  return {
    status: response.statusCode,
    body,
    headers: Object.fromEntries(Object.entries(response.headers).filter(([name]) => !PER_RESPONSE.has(name))),
  };
}

describe('adding members by invitation (SMTP_URL set)', () => {
  const t = useTestApp({ SMTP_URL: mail.url, PUBLIC_URL: ORIGIN });
  let address = 0;
  const invite = (slug: string, chair: TestUser, email: string, role = 'member') =>
    t.request({ method: 'POST', url: `/api/groups/${slug}/members`, as: chair, remoteAddress: `203.0.113.${++address}`, payload: { email, role } });
  const eventsOf = (slug: string) =>
    t.db
      .selectFrom('events')
      .innerJoin('groups', 'groups.id', 'events.group_id')
      .select(['events.type', 'events.payload', 'events.actor_id'])
      .where('groups.slug', '=', slug)
      .orderBy('events.seq')
      .execute();
  const membersOf = async (slug: string, as: TestUser) =>
    (await t.request({ method: 'GET', url: `/api/groups/${slug}/members`, as })).json().members as { userId: string; role: string }[];
  const pendingOf = async (slug: string, as: TestUser) =>
    (await t.request({ method: 'GET', url: `/api/groups/${slug}/invitations`, as })).json().invitations as { id: string; email: string; role: string }[];

  it('answers identically for an address with an account and one without, and mails each its own way', async () => {
    const chair = await registerConfirmed(t, mail, 'Chair');
    const holder = await registerConfirmed(t, mail, 'Holder');
    const slug = await t.createGroup(chair);
    const stranger = `${'s'.repeat(holder.email.indexOf('@'))}${holder.email.slice(holder.email.indexOf('@'))}`;
    const eventsBefore = (await eventsOf(slug)).length;

    const known = await invite(slug, chair, holder.email.toUpperCase(), 'editor');
    const unknown = await invite(slug, chair, stranger, 'editor');
    expect(known.statusCode).toBe(202);
    const knownBody = known.json();
    const unknownBody = unknown.json();
    expect(knownBody).toEqual({
      status: 'invited',
      invitation: { id: expect.any(String), email: holder.email, role: 'editor', invitedAt: expect.any(String), invitedBy: 'Chair' },
    });
    expect(comparable(known, { [knownBody.invitation.id]: 'ID', [holder.email]: 'EMAIL', [knownBody.invitation.invitedAt]: 'AT' })).toEqual(
      comparable(unknown, { [unknownBody.invitation.id]: 'ID', [stranger]: 'EMAIL', [unknownBody.invitation.invitedAt]: 'AT' }),
    );

    // The same trace for both: one event each, neither naming an account; both pending, neither a member.
    const events = (await eventsOf(slug)).slice(eventsBefore);
    expect(events).toEqual([
      { type: 'member.invited', payload: { invitationId: knownBody.invitation.id, role: 'editor' }, actor_id: chair.user.id },
      { type: 'member.invited', payload: { invitationId: unknownBody.invitation.id, role: 'editor' }, actor_id: chair.user.id },
    ]);
    expect((await membersOf(slug, chair)).map((m) => m.userId)).toEqual([chair.user.id]);
    expect((await pendingOf(slug, chair)).map((i) => i.email).sort()).toEqual([holder.email, stranger].sort());
    expect((await t.request({ method: 'GET', url: `/api/groups/${slug}/invitations`, as: chair })).json().invitesByEmail).toBe(true);

    const toHolder = await mail.waitFor((m) => m.to.includes(holder.email) && m.subject === INVITED_SUBJECT);
    expect(toHolder.text).toContain(`"Chair" invited ${holder.email} to the Draftroom working group "Group ${slug}" as Editor.`);
    expect(toHolder.text).toMatch(/^http:\/\/localhost\/invitations$/m);
    const toStranger = await mail.waitFor((m) => m.to.includes(stranger) && m.subject === INVITED_SUBJECT);
    expect(toStranger.text).toMatch(/^http:\/\/localhost\/register$/m);
    expect(toStranger.text).toContain(`create an account with this address (${stranger})`);
  });

  it('an invited address that registers joins the group when it confirms, added by the chair who invited', async () => {
    const chair = await registerConfirmed(t, mail, 'Inviter');
    const slug = await t.createGroup(chair);
    const other = await t.createGroup(chair);
    const email = uniqueEmail('Newcomer');
    const invited = (await invite(slug, chair, email, 'observer')).json().invitation;
    await invite(other, chair, email, 'editor');

    const joined = await registerConfirmed(t, mail, 'Newcomer', email);
    const mine = await t.request({ method: 'GET', url: '/api/groups', as: joined });
    const roles = Object.fromEntries(mine.json().groups.map((g: { slug: string; myRole: string }) => [g.slug, g.myRole]));
    expect(roles).toMatchObject({ [slug]: 'observer', [other]: 'editor' });
    expect((await membersOf(slug, chair)).find((m) => m.userId === joined.user.id)?.role).toBe('observer');
    expect(await pendingOf(slug, chair)).toEqual([]);
    expect((await eventsOf(slug)).at(-1)).toEqual({
      type: 'member.added',
      payload: { userId: joined.user.id, role: 'observer', invitationId: invited.id },
      actor_id: chair.user.id,
    });
    const verify = await t.request({ method: 'GET', url: `/api/groups/${slug}/events/verify`, as: chair });
    expect(verify.json()).toMatchObject({ ok: true });
  });

  it('someone with an account sees the invitation and accepts or declines it; nobody else can', async () => {
    const chair = await registerConfirmed(t, mail, 'Host');
    const guest = await registerConfirmed(t, mail, 'Guest');
    const outsider = await registerConfirmed(t, mail, 'Outsider');
    const slug = await t.createGroup(chair);
    const other = await t.createGroup(chair);
    const accepted = (await invite(slug, chair, guest.email, 'member')).json().invitation;
    const declined = (await invite(other, chair, guest.email, 'editor')).json().invitation;

    const listed = await t.request({ method: 'GET', url: '/api/invitations', as: guest });
    expect(listed.json().invitations).toEqual(
      expect.arrayContaining([
        { id: accepted.id, group: { slug, name: `Group ${slug}` }, role: 'member', invitedAt: expect.any(String), invitedBy: 'Host' },
        expect.objectContaining({ id: declined.id, role: 'editor' }),
      ]),
    );
    expect((await t.request({ method: 'GET', url: '/api/invitations', as: outsider })).json().invitations).toEqual([]);
    expect((await t.request({ method: 'POST', url: `/api/invitations/${accepted.id}/accept`, as: outsider })).statusCode).toBe(404);
    expect((await t.request({ method: 'POST', url: `/api/invitations/${accepted.id}/accept` })).statusCode).toBe(401);

    const accept = await t.request({ method: 'POST', url: `/api/invitations/${accepted.id}/accept`, as: guest });
    expect(accept.statusCode).toBe(200);
    expect(accept.json()).toMatchObject({ slug, myRole: 'member', memberCount: 2 });
    expect((await t.request({ method: 'POST', url: `/api/invitations/${accepted.id}/accept`, as: guest })).statusCode).toBe(404);

    const decline = await t.request({ method: 'POST', url: `/api/invitations/${declined.id}/decline`, as: guest });
    expect(decline.statusCode).toBe(204);
    expect(await pendingOf(other, chair)).toEqual([]);
    expect((await membersOf(other, chair)).map((m) => m.userId)).toEqual([chair.user.id]);
    expect((await eventsOf(other)).at(-1)).toMatchObject({ type: 'invitation.declined', actor_id: guest.user.id });
    expect((await t.request({ method: 'GET', url: '/api/invitations', as: guest })).json().invitations).toEqual([]);
  });

  it('a chair revokes an invitation, re-inviting changes its role, and members and bad addresses are refused', async () => {
    const chair = await registerConfirmed(t, mail, 'Revoker');
    const guest = await registerConfirmed(t, mail, 'Revoked');
    const slug = await t.createGroup(chair);

    const first = (await invite(slug, chair, guest.email, 'member')).json().invitation;
    const second = (await invite(slug, chair, ` ${guest.email} `, 'editor')).json().invitation;
    expect(second.id).toBe(first.id);
    expect(await pendingOf(slug, chair)).toEqual([expect.objectContaining({ id: first.id, role: 'editor' })]);

    const revoked = await t.request({ method: 'DELETE', url: `/api/groups/${slug}/invitations/${first.id}`, as: chair });
    expect(revoked.statusCode).toBe(204);
    expect((await t.request({ method: 'DELETE', url: `/api/groups/${slug}/invitations/${first.id}`, as: chair })).statusCode).toBe(404);
    expect((await t.request({ method: 'POST', url: `/api/invitations/${first.id}/accept`, as: guest })).statusCode).toBe(404);
    expect((await eventsOf(slug)).at(-1)).toMatchObject({ type: 'invitation.revoked', payload: { invitationId: first.id } });

    const self = await invite(slug, chair, chair.email);
    expect(self.statusCode).toBe(409);
    expect(self.json().error.details).toEqual([{ path: '/email', message: 'is already a member' }]);
    const bad = await invite(slug, chair, 'not-an-address');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([{ path: '/email', message: 'is not an email address' }]);
  });

  it('an invitation to an address whose registration is still pending applies when it is confirmed', async () => {
    const chair = await registerConfirmed(t, mail, 'Early');
    const slug = await t.createGroup(chair);
    const email = uniqueEmail('Pending');
    await t.request({ method: 'POST', url: '/api/auth/register', payload: { email, displayName: 'Pending', password: PASSWORD } });
    const token = confirmationToken(await mail.waitFor((m) => m.to.includes(email) && m.subject === 'Confirm your Draftroom account'));
    expect((await invite(slug, chair, email)).statusCode).toBe(202);
    const confirmed = await t.request({ method: 'POST', url: '/api/auth/confirm', payload: { token } });
    const newcomer = { user: confirmed.json().user, cookie: sessionCookieFrom(confirmed), email };
    expect((await t.request({ method: 'GET', url: `/api/groups/${slug}`, as: newcomer })).json().myRole).toBe('member');
  });
});

describe('adding members without SMTP_URL', () => {
  const t = useTestApp();

  it('keeps the direct way: 201 for an account, 404 for an unknown address, and no invitations', async () => {
    const chair = await t.register('Direct');
    const bob = await t.register('Bob');
    const slug = await t.createGroup(chair);
    const added = await t.request({ method: 'POST', url: `/api/groups/${slug}/members`, as: chair, payload: { email: bob.email, role: 'member' } });
    expect(added.statusCode).toBe(201);
    const unknown = await t.request({ method: 'POST', url: `/api/groups/${slug}/members`, as: chair, payload: { email: uniqueEmail(), role: 'member' } });
    expect(unknown.statusCode).toBe(404);
    expect((await t.request({ method: 'GET', url: `/api/groups/${slug}/invitations`, as: chair })).json()).toEqual({ invitations: [], invitesByEmail: false });
  });
});

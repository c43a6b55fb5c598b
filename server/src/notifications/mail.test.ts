import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { Role } from '@draftroom/shared';
import { useTestApp, type TestUser } from '../../test/support/app.ts';
import { registerConfirmed, startTestMailServer, type ReceivedMail } from '../../test/support/mail.ts';
import { buildApp } from '../app.ts';
import { digestBoundary } from './mail.ts';

const mail = await startTestMailServer();
afterAll(() => mail.close());

const PUBLIC = 'https://drafts.example.org';
const HOUR = 3_600_000;

describe('notification mail (SMTP_URL set, a real SMTP server in the test process)', () => {
  // The worker's clock runs `offset` ahead of real time: tests move time on instead of waiting.
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  const t = useTestApp({ SMTP_URL: mail.url, PUBLIC_URL: PUBLIC }, { clock, notificationIntervalMs: null });
  const send = () => t.app.notificationWorker.runOnce();

  const unsubscribeOf = (received: ReceivedMail) => {
    const header = /^<(https:\/\/drafts\.example\.org\/api\/mail\/unsubscribe\/([A-Za-z0-9_-]{43}))>$/.exec(received.headers['list-unsubscribe'] ?? '');
    if (!header) throw new Error(`no List-Unsubscribe header in: ${received.raw.slice(0, 2000)}`);
    expect(received.text).toContain(header[1]);
    return { url: header[1]!, path: `/api/mail/unsubscribe/${header[2]}`, token: header[2]! };
  };

  let address = 0;
  /** Accounts confirmed by mail, a group (invitations accepted), a definition with one clause written by the editor. */
  async function team(visibility: 'private' | 'public', roles: Role[] = ['editor', 'member', 'observer']) {
    const chair = await registerConfirmed(t, mail, 'Chair');
    const users: Partial<Record<Role, TestUser>> = { chair };
    const slug = await t.createGroup(chair, { visibility });
    for (const role of roles) {
      const user = await registerConfirmed(t, mail, role[0]!.toUpperCase() + role.slice(1));
      const invited = await t.request({
        method: 'POST',
        url: `/api/groups/${slug}/members`,
        as: chair,
        remoteAddress: `198.51.100.${++address % 250}`,
        payload: { email: user.email, role },
      });
      expect(invited.statusCode, invited.body).toBe(202);
      const accepted = await t.request({ method: 'POST', url: `/api/invitations/${invited.json().invitation.id}/accept`, as: user });
      expect(accepted.statusCode, accepted.body).toBeLessThan(300);
      users[role] = user;
    }
    const definitionId = (
      await t.request({ method: 'POST', url: `/api/groups/${slug}/definitions`, as: chair, payload: { slug: 'osaid', title: 'Open Source AI Definition' } })
    ).json().id as string;
    const clauseId = (
      await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/clauses`, as: users.editor ?? chair, payload: { text: 'Code is required.' } })
    ).json().id as string;
    return { slug, users: users as Record<Role, TestUser>, definitionId, clauseId, link: `${PUBLIC}/groups/${slug}/definitions/${definitionId}` };
  }

  const startThread = async (definitionId: string, as: TestUser, payload: object) => {
    const response = await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/threads`, as, payload });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string };
  };
  const settingsOf = async (user: TestUser) => (await t.request({ method: 'GET', url: '/api/me/notification-settings', as: user })).json();

  it('a mention arrives with its subject and deep link, and its unsubscribe link works without signing in (also one-click)', async () => {
    const w = await team('private');
    const thread = await startThread(w.definitionId, w.users.member, {
      clauseId: w.clauseId,
      body: 'Is *this* right, @Observer?',
      mentions: [w.users.observer.user.id],
    });
    expect((await send()).sent).toBeGreaterThanOrEqual(1);
    const received = await mail.waitFor((m) => m.to.includes(w.users.observer.email) && m.subject.includes('mentioned you'));
    expect(received.subject).toBe(`[Group ${w.slug}] Member mentioned you in Clause 1 of “Open Source AI Definition”`);
    expect(received.text).toContain(`Open it: ${w.link}?thread=${thread.id}`);
    expect(received.text).toContain('> Is this right, @Observer?');
    expect(received.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const unsubscribe = unsubscribeOf(received);

    // GET (a browser following the link, no session): a page with a button; nothing changes yet.
    const page = await t.request({ method: 'GET', url: unsubscribe.path, headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('Someone mentions me');
    expect(page.body).toContain(`<form method="post" action="${unsubscribe.path}">`);
    expect((await settingsOf(w.users.observer)).kinds.mention).toEqual({ enabled: true, email: 'immediate' });

    // POST as a mail client does (RFC 8058): no cookie, no Origin, a form body.
    const oneClick = await t.app.inject({
      method: 'POST',
      url: unsubscribe.path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.statusCode).toBe(200);
    expect(oneClick.json()).toEqual({ kinds: ['mention'] });
    // The browser's button says it is done; using the link again changes nothing more.
    const button = await t.request({
      method: 'POST',
      url: unsubscribe.path,
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'confirm=yes',
    });
    expect(button.statusCode).toBe(200);
    expect(button.body).toContain('no more of these e-mails');
    expect((await settingsOf(w.users.observer)).kinds.mention).toEqual({ enabled: true, email: 'off' });

    // Still told in the app, no longer by mail.
    const before = mail.to(w.users.observer.email).length;
    await startThread(w.definitionId, w.users.member, { clauseId: w.clauseId, body: 'Again @Observer', mentions: [w.users.observer.user.id] });
    await send();
    expect(mail.to(w.users.observer.email)).toHaveLength(before);
    const inbox = (await t.request({ method: 'GET', url: '/api/notifications', as: w.users.observer })).json();
    expect(inbox.notifications.filter((n: { kind: string }) => n.kind === 'mention')).toHaveLength(2);
    // Neither the token nor the SMTP password ever reached the log.
    const logged = t.logs.join('');
    expect(logged).not.toContain(unsubscribe.token);
    expect(logged).not.toContain(mail.password);
  });

  it('unsubscribe links that are malformed, unknown or oversized are refused with the standard body', async () => {
    const unknown = `/api/mail/unsubscribe/${'A'.repeat(43)}`;
    for (const method of ['GET', 'POST'] as const) {
      const json = await t.request({ method, url: unknown });
      expect(json.statusCode).toBe(404);
      expect(json.json()).toEqual({ error: expect.objectContaining({ code: 'not_found', message: expect.any(String) }) });
      const html = await t.request({ method, url: unknown, headers: { accept: 'text/html' } });
      expect(html.statusCode).toBe(404);
      expect(html.body).toContain('This link does not work');
      for (const bad of ['short', `${'A'.repeat(42)}!`, 'A'.repeat(44)]) {
        const malformed = await t.request({ method, url: `/api/mail/unsubscribe/${encodeURIComponent(bad)}` });
        expect(malformed.statusCode, bad).toBe(400);
        expect(malformed.json().error.code).toBe('invalid_input');
      }
    }
    const big = await t.request({
      method: 'POST',
      url: unknown,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `List-Unsubscribe=${'x'.repeat(4096)}`,
    });
    expect(big.statusCode).toBe(413);
  });

  it('never mails what the recipient may not see: a member removed before sending gets nothing of the internal thread', async () => {
    const w = await team('public');
    const x = w.users.observer;
    await startThread(w.definitionId, w.users.member, { clauseId: w.clauseId, body: 'INTERNAL-SECRET-1 @Observer', mentions: [x.user.id] });
    // X leaves the group before the mail goes out.
    expect((await t.request({ method: 'DELETE', url: `/api/groups/${w.slug}/members/${x.user.id}`, as: w.users.chair })).statusCode).toBe(204);
    await t.request({ method: 'POST', url: `/api/definitions/${w.definitionId}/versions`, as: w.users.chair, payload: { label: '1.0', notes: '' } });
    await t.request({ method: 'PATCH', url: `/api/definitions/${w.definitionId}`, as: w.users.chair, payload: { status: 'public-comment' } });
    // From outside now, X asks in public; the chair answers there, and writes internally too.
    const asked = await startThread(w.definitionId, x, { clauseId: w.clauseId, body: 'Public question' });
    expect(
      (await t.request({ method: 'PUT', url: '/api/me/notification-settings', as: x, payload: { kinds: { reply: { enabled: true, email: 'immediate' } } } }))
        .statusCode,
    ).toBe(200);
    await t.request({ method: 'POST', url: `/api/threads/${asked.id}/comments`, as: w.users.chair, payload: { body: 'PUBLIC-ANSWER' } });
    await startThread(w.definitionId, w.users.chair, { clauseId: w.clauseId, body: 'INTERNAL-SECRET-2', mentions: [x.user.id] });
    await send();
    const reply = await mail.waitFor((m) => m.to.includes(x.email) && m.text.includes('PUBLIC-ANSWER'));
    expect(reply.text).toContain(`${w.link}/public?clause=${w.clauseId}&thread=${asked.id}`);
    const everything = mail.to(x.email).map((m) => m.raw + m.text);
    expect(everything.some((text) => text.includes('INTERNAL-SECRET'))).toBe(false);
    const dropped = await t.db
      .selectFrom('mail_outbox')
      .select(['status', 'last_error'])
      .where('user_id', '=', x.user.id)
      .where('kind', '=', 'notification')
      .orderBy('id')
      .execute();
    expect(dropped[0]).toEqual({ status: 'dropped', last_error: 'the recipient may no longer read what it is about' });
  });

  it('retries after the mail server refuses, with backoff, and sends once', async () => {
    const w = await team('private', ['member', 'observer']);
    // Whatever the setup queued (invitations) is out first, so that the next mail refused is the mention.
    await send();
    mail.refuseNext(1);
    await startThread(w.definitionId, w.users.member, { clauseId: w.clauseId, body: 'Retry me @Observer', mentions: [w.users.observer.user.id] });
    const first = await send();
    expect(first).toMatchObject({ retried: 1, sent: 0 });
    const row = await t.db
      .selectFrom('mail_outbox')
      .select(['id', 'status', 'attempts', 'next_attempt_at', 'last_error'])
      .where('user_id', '=', w.users.observer.user.id)
      .where('kind', '=', 'notification')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringContaining('451') });
    expect(row.next_attempt_at.getTime() - clock().getTime()).toBeGreaterThan(20_000);
    // Not due yet: nothing happens.
    expect((await send()).sent).toBe(0);
    offset += 31_000;
    expect(await send()).toMatchObject({ sent: 1 });
    await mail.waitFor((m) => m.to.includes(w.users.observer.email) && m.text.includes('Retry me'));
    await send();
    expect(mail.to(w.users.observer.email).filter((m) => m.text.includes('Retry me'))).toHaveLength(1);
    expect(t.logs.join('')).not.toContain(mail.password);
  });

  it('survives a restart: a new app on the same database sends what the last one left pending, on its own timer', async () => {
    const w = await team('private', ['member', 'observer']);
    await startThread(w.definitionId, w.users.member, { clauseId: w.clauseId, body: 'Left pending @Observer', mentions: [w.users.observer.user.id] });
    const pending = await t.db.selectFrom('mail_outbox').select('status').where('user_id', '=', w.users.observer.user.id).execute();
    expect(pending).toEqual([{ status: 'pending' }]);
    const quiet = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    const next = await buildApp(t.config, { db: t.db, databaseKind: t.database.kind, notificationIntervalMs: 50, logStream: quiet });
    try {
      await next.ready();
      const received = await mail.waitFor((m) => m.to.includes(w.users.observer.email) && m.text.includes('Left pending'));
      expect(received.text).toContain(`${w.link}?thread=`);
    } finally {
      await next.close();
    }
    expect(await t.db.selectFrom('mail_outbox').select('status').where('user_id', '=', w.users.observer.user.id).execute()).toEqual([{ status: 'sent' }]);
  });

  it('gathers digest items into one mail a day at the digest hour, by the worker’s clock', async () => {
    const w = await team('private', ['editor', 'member']);
    const editor = w.users.editor;
    // The editor wrote the clause: new threads on it go to the daily digest by default.
    const first = await startThread(w.definitionId, w.users.member, { clauseId: w.clauseId, body: 'First thread' });
    const second = await startThread(w.definitionId, w.users.chair, { clauseId: w.clauseId, body: 'Second thread' });
    const digests = () => mail.to(editor.email).filter((m) => m.subject.startsWith('Your Draftroom digest'));
    // Before the next digest hour nothing goes out.
    offset = 0;
    await send();
    expect(digests()).toHaveLength(0);

    const nextDigest = digestBoundary(new Date(Date.now() + 24 * HOUR), 7).getTime();
    offset = nextDigest + 60_000 - Date.now();
    await send();
    const digest = await mail.waitFor((m) => m.to.includes(editor.email) && m.subject === 'Your Draftroom digest: 2 notifications');
    expect(digest.text).toContain(`${w.link}?thread=${first.id}`);
    expect(digest.text).toContain(`${w.link}?thread=${second.id}`);
    expect(digest.text).toContain('> First thread');
    const unsubscribe = unsubscribeOf(digest);
    // Running again the same day sends no second digest.
    await send();
    expect(digests()).toHaveLength(1);

    // The next day: nothing new, no mail; something new, the next day's digest with just that.
    offset += 24 * HOUR;
    await send();
    expect(digests()).toHaveLength(1);
    await startThread(w.definitionId, w.users.member, { clauseId: w.clauseId, body: 'Third thread' });
    await send();
    const later = await mail.waitFor((m) => m.to.includes(editor.email) && m.subject === 'Your Draftroom digest: 1 notification');
    expect(later.text).toContain('Third thread');
    expect(later.text).not.toContain('First thread');

    // The digest's unsubscribe link stops the digest (every kind it gathers), leaving the app as it was.
    expect((await t.app.inject({ method: 'POST', url: unsubscribe.path })).statusCode).toBe(200);
    const kinds = (await settingsOf(editor)).kinds as Record<string, { enabled: boolean; email: string }>;
    expect(kinds.new_thread).toEqual({ enabled: true, email: 'off' });
    expect(kinds.reply).toEqual({ enabled: true, email: 'off' });
    expect(kinds.mention).toEqual({ enabled: true, email: 'immediate' });
    offset = 0;
  });
});

import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ORIGIN, PASSWORD, useTestApp } from '../../test/support/app.ts';
import { confirmationToken, registerConfirmed, startTestMailServer, uniqueEmail } from '../../test/support/mail.ts';
import { freePort } from '../../test/support/net.ts';
import { PasswordHasher } from './passwords.ts';
import { SESSION_COOKIE } from './plugin.ts';

// A real SMTP server on loopback for this file; the apps below send their mail to it.
const mail = await startTestMailServer();
afterAll(() => mail.close());

const CONFIRM_SUBJECT = 'Confirm your Draftroom account';
const NOTICE_SUBJECT = 'Someone tried to register with your address';

/** Headers that differ between any two responses, whatever they answer. */
const PER_RESPONSE = new Set(['date', 'x-request-id']);
function comparableHeaders(response: LightMyRequestResponse): Record<string, unknown> {
  return Object.fromEntries(Object.entries(response.headers).filter(([name]) => !PER_RESPONSE.has(name)));
}

describe('registration confirmed by email (SMTP_URL set)', () => {
  const t = useTestApp({ SMTP_URL: mail.url, PUBLIC_URL: ORIGIN });
  let address = 0;
  /** Each request from its own address, so rate-limit headers start equal. */
  const nextAddress = () => `198.51.100.${++address}`;
  const register = (email: string, password = PASSWORD, displayName = 'Someone') =>
    t.request({ method: 'POST', url: '/api/auth/register', remoteAddress: nextAddress(), payload: { email, displayName, password } });
  const confirm = (token: string) => t.request({ method: 'POST', url: '/api/auth/confirm', payload: { token } });
  const login = (email: string, password: string) => t.request({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  const confirmationFor = (email: string) => mail.waitFor((m) => m.to.includes(email) && m.subject === CONFIRM_SUBJECT);

  it('answers a new and an already registered address identically, byte for byte, and hashes the password for both', async () => {
    const existing = await registerConfirmed(t, mail, 'Existing');
    // Same length as the existing address, so even Content-Length cannot differ.
    const fresh = `${'n'.repeat(existing.email.indexOf('@'))}${existing.email.slice(existing.email.indexOf('@'))}`;
    expect(fresh).toHaveLength(existing.email.length);

    const hash = vi.spyOn(PasswordHasher.prototype, 'hash');
    let taken: LightMyRequestResponse;
    let created: LightMyRequestResponse;
    try {
      taken = await register(existing.email);
      expect(hash).toHaveBeenCalledTimes(1);
      created = await register(fresh);
      expect(hash).toHaveBeenCalledTimes(2);
    } finally {
      hash.mockRestore();
    }

    expect(taken.statusCode).toBe(202);
    expect(created.statusCode).toBe(202);
    expect(taken.json()).toEqual({ status: 'confirmation_sent', email: existing.email });
    expect(created.json()).toEqual({ status: 'confirmation_sent', email: fresh });
    expect(taken.body.replace(existing.email, 'ADDRESS')).toBe(created.body.replace(fresh, 'ADDRESS'));
    expect(comparableHeaders(taken)).toEqual(comparableHeaders(created));
    expect(Object.keys(comparableHeaders(taken))).toEqual(expect.arrayContaining(['content-type', 'content-length', 'x-ratelimit-remaining']));
    expect(taken.cookies).toEqual([]);
    expect(created.cookies).toEqual([]);

    // The new address gets a confirmation link to this server (PUBLIC_URL) …
    const confirmation = await confirmationFor(fresh);
    expect(confirmation.to).toEqual([fresh]);
    expect(confirmation.headers.from).toBe('Draftroom <no-reply@localhost>');
    expect(confirmation.text).toMatch(/^http:\/\/localhost\/confirm#token=[a-z2-9]{32}$/m);
    expect(confirmation.text).toContain('"Someone"');
    // … the taken one a notice, and no link that could do anything.
    const notice = await mail.waitFor((m) => m.to.includes(existing.email) && m.subject === NOTICE_SUBJECT);
    expect(notice.text).toContain('http://localhost/login');
    expect(notice.text).not.toContain('token');
    expect(await t.db.selectFrom('users').select('id').where('email', '=', fresh).executeTakeFirst()).toBeUndefined();
  });

  it('confirming creates the account and signs in; the link works once', async () => {
    const email = uniqueEmail('Grace');
    expect((await register(` ${email.toUpperCase()} `, PASSWORD, ' Grace ')).statusCode).toBe(202);
    const token = confirmationToken(await confirmationFor(email));

    const stored = await t.db.selectFrom('pending_registrations').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
    expect(stored.token_hash.toString('hex')).not.toContain(Buffer.from(token).toString('hex'));
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
    expect(stored.expires_at.getTime() - stored.created_at.getTime()).toBeCloseTo(24 * 60 * 60 * 1000, -4);

    const confirmed = await confirm(token);
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().user).toMatchObject({ email, displayName: 'Grace' });
    const cookie = confirmed.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    const me = await t.request({ method: 'GET', url: '/api/me', headers: { cookie: `${SESSION_COOKIE}=${cookie.value}` } });
    expect(me.json().user.email).toBe(email);
    expect((await login(email, PASSWORD)).statusCode).toBe(200);

    const again = await confirm(token);
    expect(again.statusCode).toBe(400);
    expect(again.json().error).toMatchObject({ code: 'invalid_input', details: [{ path: '/token', message: 'is invalid, expired or used' }] });
    expect(again.cookies).toEqual([]);
    const events = await t.db.selectFrom('events').select(['type']).where('actor_id', '=', me.json().user.id).execute();
    expect(events.map((e) => e.type)).toContain('account.registered');
  });

  it('refuses an expired link, and unknown or malformed tokens, with the same 400', async () => {
    const email = uniqueEmail('Late');
    await register(email);
    const token = confirmationToken(await confirmationFor(email));
    await t.db
      .updateTable('pending_registrations')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('email', '=', email)
      .execute();
    const expired = await confirm(token);
    const unknown = await confirm('a'.repeat(32));
    const malformed = await confirm('not a token at all');
    for (const response of [expired, unknown, malformed]) {
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(expired.json());
    }
    expect(await t.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()).toBeUndefined();
    // An expired registration does not block a new one, and is purged by it.
    await register(email);
    const fresh = await mail.waitFor((m) => m.to.includes(email) && m.subject === CONFIRM_SUBJECT && confirmationToken(m) !== token);
    expect((await confirm(confirmationToken(fresh))).statusCode).toBe(200);
    expect(await t.db.selectFrom('pending_registrations').select('id').where('email', '=', email).execute()).toEqual([]);
  });

  it('an unconfirmed address cannot sign in: the same 401 as a wrong password, and its registrant gets the link again', async () => {
    const someone = await registerConfirmed(t, mail, 'Known');
    const email = uniqueEmail('Pending');
    await register(email);
    const first = confirmationToken(await confirmationFor(email));

    const unconfirmed = await login(email, PASSWORD);
    const wrongPassword = await login(someone.email, 'a wrong password');
    const unknown = await login(uniqueEmail('Nobody'), PASSWORD);
    const pendingWrongPassword = await login(email, 'a wrong password');
    for (const response of [unconfirmed, wrongPassword, unknown, pendingWrongPassword]) {
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(unconfirmed.json());
      expect(response.cookies).toEqual([]);
    }
    expect(unconfirmed.json().error.code).toBe('invalid_credentials');

    // The right password re-sent a link (and only it did); either link works, once, for both.
    const resent = await mail.waitFor((m) => m.to.includes(email) && m.subject === CONFIRM_SUBJECT && confirmationToken(m) !== first);
    await t.app.mail?.drain();
    expect(mail.to(email)).toHaveLength(2);
    expect((await confirm(confirmationToken(resent))).statusCode).toBe(200);
    expect((await confirm(first)).statusCode).toBe(400);
    expect((await login(email, PASSWORD)).statusCode).toBe(200);
  });

  it('keeps at most five links per address, the newest', async () => {
    const email = uniqueEmail('Many');
    const tokens: string[] = [];
    for (let i = 0; i < 6; i++) {
      await register(email);
      tokens.push(confirmationToken(await mail.waitFor((m) => m.to.includes(email) && !tokens.includes(confirmationToken(m)))));
    }
    expect(await t.db.selectFrom('pending_registrations').select('id').where('email', '=', email).execute()).toHaveLength(5);
    expect((await confirm(tokens[0]!)).statusCode).toBe(400);
    expect((await confirm(tokens[1]!)).statusCode).toBe(200);
  });

  it('confirming one registration of an address ends the others', async () => {
    const email = uniqueEmail('Twice');
    await register(email, PASSWORD, 'First');
    const first = confirmationToken(await confirmationFor(email));
    await register(email, 'another long password', 'Second');
    const second = confirmationToken(await mail.waitFor((m) => m.to.includes(email) && confirmationToken(m) !== first));
    const confirmed = await confirm(second);
    expect(confirmed.json().user.displayName).toBe('Second');
    expect((await confirm(first)).statusCode).toBe(400);
    expect((await login(email, PASSWORD)).statusCode).toBe(401);
    expect((await login(email, 'another long password')).statusCode).toBe(200);
  });

  it('documents the answers of this mode in OpenAPI', async () => {
    const paths = (await t.request({ method: 'GET', url: '/api/openapi.json' })).json().paths;
    expect(Object.keys(paths['/api/auth/register'].post.responses)).toContain('202');
    expect(Object.keys(paths['/api/auth/register'].post.responses)).not.toContain('201');
    expect(Object.keys(paths['/api/groups/{slug}/members'].post.responses)).toContain('202');
    expect(Object.keys(paths['/api/auth/confirm'].post.responses)).toContain('200');
  });

  it('never writes the SMTP password, tokens or passwords to the log', async () => {
    const email = uniqueEmail('Quiet');
    await register(email);
    const token = confirmationToken(await confirmationFor(email));
    await confirm(token);
    const log = t.logs.join('');
    expect(log).toContain('"mail":"registration.confirm"');
    expect(log).not.toContain(mail.password);
    expect(log).not.toContain(token);
    expect(log).not.toContain(PASSWORD);
  });
});

describe('links in mail with PUBLIC_URL', () => {
  const t = useTestApp({ SMTP_URL: mail.url, PUBLIC_URL: 'https://drafts.example.org', MAIL_FROM: 'Drafts <drafts@example.org>' });

  it('point at the public origin, whatever host the request named', async () => {
    const email = uniqueEmail('Public');
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      headers: { origin: 'https://drafts.example.org', host: 'evil.example' },
      payload: { email, displayName: 'P', password: PASSWORD },
    });
    expect(response.statusCode).toBe(202);
    const message = await mail.waitFor((m) => m.to.includes(email));
    expect(message.text).toMatch(/^https:\/\/drafts\.example\.org\/confirm#token=[a-z2-9]{32}$/m);
    expect(message.text).not.toContain('evil.example');
    expect(message.headers.from).toBe('Drafts <drafts@example.org>');
  });
});

const closedPort = await freePort();

describe('when the mail server cannot be reached', () => {
  const t = useTestApp({ SMTP_URL: `smtp://someone:hunter2-very-secret@127.0.0.1:${closedPort}`, PUBLIC_URL: ORIGIN });

  it('still answers registration the same way, and logs the failure without the credentials', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: uniqueEmail('Unlucky'), displayName: 'U', password: PASSWORD },
    });
    expect(response.statusCode).toBe(202);
    await expect.poll(() => t.logs.join(''), { timeout: 15_000 }).toContain('mail not sent');
    const log = t.logs.join('');
    expect(log).toContain('ECONNREFUSED');
    expect(log).not.toContain('hunter2-very-secret');
  });
});

describe('without SMTP_URL', () => {
  const t = useTestApp();

  it('registration signs in at once, as before: no mail, no confirmation route needed', async () => {
    const before = mail.messages.length;
    const someone = await t.register('Instant');
    expect(someone.user.email).toBe(someone.email);
    expect(mail.messages).toHaveLength(before);
    const confirm = await t.request({ method: 'POST', url: '/api/auth/confirm', payload: { token: 'a'.repeat(32) } });
    expect(confirm.statusCode).toBe(400);
  });
});

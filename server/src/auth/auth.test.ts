import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { PASSWORD, sessionCookieFrom, useTestApp } from '../../test/support/app.ts';
import { PasswordHasher } from './passwords.ts';
import { SESSION_COOKIE } from './plugin.ts';
import { purgeIdleSessions } from './service.ts';

describe('accounts and sessions', () => {
  const t = useTestApp();

  const register = (payload: unknown, headers: Record<string, string> = {}) =>
    t.request({ method: 'POST', url: '/api/auth/register', payload: payload as object, headers });
  const login = (email: string, password: string) => t.request({ method: 'POST', url: '/api/auth/login', payload: { email, password } });

  it('registers with a normalized email, signs the new user in, and stores an argon2id hash', async () => {
    const response = await register({ email: '  Grace.Hopper@Example.ORG ', displayName: ' Grace ', password: PASSWORD });
    expect(response.statusCode).toBe(201);
    expect(response.json().user).toMatchObject({ email: 'grace.hopper@example.org', displayName: 'Grace' });
    const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy();
    expect(cookie.maxAge).toBe(30 * 24 * 60 * 60);

    const row = await t.db.selectFrom('users').selectAll().where('email', '=', 'grace.hopper@example.org').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.password_hash).not.toContain(PASSWORD);

    const me = await t.request({ method: 'GET', url: '/api/me', headers: { cookie: `${SESSION_COOKIE}=${cookie.value}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.id).toBe(row.id);
  });

  it('refuses a second account for the same email, whatever its case', async () => {
    const first = await t.register('Dup');
    const response = await register({ email: first.email.toUpperCase(), displayName: 'Again', password: PASSWORD });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({ code: 'conflict', details: [{ path: '/email' }] });
    const count = await t.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('email', '=', first.email)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it.each([
    ['a short password', { email: 'short@example.org', displayName: 'S', password: 'too-short' }, '/password'],
    ['a malformed email', { email: 'not-an-email', displayName: 'S', password: PASSWORD }, '/email'],
    ['a blank display name', { email: 'blank@example.org', displayName: '   ', password: PASSWORD }, '/displayName'],
    ['a missing field', { email: 'missing@example.org', password: PASSWORD }, '/displayName'],
    ['an unknown field', { email: 'extra@example.org', displayName: 'S', password: PASSWORD, role: 'chair' }, '/role'],
    ['a wrong type', { email: 'type@example.org', displayName: 42, password: PASSWORD }, '/displayName'],
  ])('rejects %s with a 400 naming the field, and creates nothing', async (_label, payload, path) => {
    const response = await register(payload);
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('invalid_input');
    expect(error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(response.cookies).toHaveLength(0);
    const email = (payload as { email?: string }).email ?? '';
    expect(await t.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()).toBeUndefined();
  });

  it('signs in with the right password and answers a wrong password and an unknown email identically', async () => {
    const someone = await t.register('Signer');
    const ok = await login(someone.email.toUpperCase(), PASSWORD);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.id).toBe(someone.user.id);

    const wrong = await login(someone.email, 'wrong password here');
    const unknown = await login('nobody-at-all@example.org', 'wrong password here');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error.code).toBe('invalid_credentials');
  });

  it('spends a full password check on unknown emails too, so timing does not reveal accounts', async () => {
    const verify = vi.spyOn(PasswordHasher.prototype, 'verify');
    try {
      await login('ghost@example.org', 'some password');
      expect(verify).toHaveBeenCalledTimes(1);
      expect(verify.mock.calls[0]![0]).toMatch(/^\$argon2id\$/);
    } finally {
      verify.mockRestore();
    }
  });

  it('stores only a SHA-256 of the session secret', async () => {
    const someone = await t.register('Hashed');
    const token = someone.cookie.split('=')[1]!;
    const [id, secret] = token.split('.') as [string, string];
    const row = await t.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.secret_hash.equals(createHash('sha256').update(secret).digest())).toBe(true);
    expect(row.secret_hash.toString('utf8')).not.toContain(secret);
  });

  it.each([
    ['a tampered secret', (token: string) => `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`],
    ['an unknown session id', (token: string) => `zzzzzzzzzzzzzzzzzzzzzzzz.${token.split('.')[1]}`],
    ['garbage', () => 'not-a-token'],
  ])('treats %s as signed out and clears the cookie', async (_label, mangle) => {
    const someone = await t.register('Mangled');
    const token = someone.cookie.split('=')[1]!;
    const response = await t.request({ method: 'GET', url: '/api/me', headers: { cookie: `${SESSION_COOKIE}=${mangle(token)}` } });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('unauthenticated');
    expect(response.cookies.find((c) => c.name === SESSION_COOKIE)?.value).toBe('');
  });

  it('expires a session after 30 days without use and deletes it', async () => {
    const someone = await t.register('Idle');
    const id = someone.cookie.split('=')[1]!.split('.')[0]!;
    await t.db
      .updateTable('sessions')
      .set({ last_verified_at: new Date(Date.now() - 31 * 86_400_000) })
      .where('id', '=', id)
      .execute();
    const response = await t.request({ method: 'GET', url: '/api/me', as: someone });
    expect(response.statusCode).toBe(401);
    expect(await t.db.selectFrom('sessions').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
  });

  it('purges sessions idle for over 30 days and keeps the rest', async () => {
    const idle = await t.register('Purged');
    const active = await t.register('Kept');
    const idleId = idle.cookie.split('=')[1]!.split('.')[0]!;
    await t.db
      .updateTable('sessions')
      .set({ last_verified_at: new Date(Date.now() - 31 * 86_400_000) })
      .where('id', '=', idleId)
      .execute();
    expect((await purgeIdleSessions(t.db)).length).toBeGreaterThanOrEqual(1);
    expect(await t.db.selectFrom('sessions').select('id').where('id', '=', idleId).executeTakeFirst()).toBeUndefined();
    expect((await t.request({ method: 'GET', url: '/api/me', as: active })).statusCode).toBe(200);
  });

  it('extends an active session and sends the cookie again', async () => {
    const someone = await t.register('Active');
    const id = someone.cookie.split('=')[1]!.split('.')[0]!;
    const old = new Date(Date.now() - 2 * 86_400_000);
    await t.db.updateTable('sessions').set({ last_verified_at: old }).where('id', '=', id).execute();
    const response = await t.request({ method: 'GET', url: '/api/me', as: someone });
    expect(response.statusCode).toBe(200);
    expect(sessionCookieFrom(response)).toBe(someone.cookie);
    const row = await t.db.selectFrom('sessions').select('last_verified_at').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.last_verified_at.getTime()).toBeGreaterThan(old.getTime() + 86_400_000);
  });

  it('signs out by deleting the session and clearing the cookie', async () => {
    const someone = await t.register('Leaver');
    const response = await t.request({ method: 'POST', url: '/api/auth/logout', as: someone });
    expect(response.statusCode).toBe(204);
    expect(response.cookies.find((c) => c.name === SESSION_COOKIE)?.value).toBe('');
    expect((await t.request({ method: 'GET', url: '/api/me', as: someone })).statusCode).toBe(401);
    expect((await t.request({ method: 'POST', url: '/api/auth/logout', as: someone })).statusCode).toBe(401);
  });

  it('signing out on one device leaves the other signed in, at once and after', async () => {
    const someone = await t.register('Two devices');
    const otherDevice = sessionCookieFrom(await login(someone.email, PASSWORD));
    expect((await t.request({ method: 'GET', url: '/api/me', headers: { cookie: otherDevice } })).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: '/api/me', as: someone })).statusCode).toBe(200);
    expect((await t.request({ method: 'POST', url: '/api/auth/logout', as: someone })).statusCode).toBe(204);
    expect((await t.request({ method: 'GET', url: '/api/me', as: someone })).statusCode).toBe(401);
    expect((await t.request({ method: 'GET', url: '/api/me', headers: { cookie: otherDevice } })).statusCode).toBe(200);
  });

  it('changing the password ends every other session and needs the current password', async () => {
    const someone = await t.register('Changer');
    const otherDevice = sessionCookieFrom(await login(someone.email, PASSWORD));

    const wrong = await t.request({
      method: 'POST',
      url: '/api/auth/password',
      as: someone,
      payload: { currentPassword: 'not my password', newPassword: 'a brand new passphrase' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details).toEqual([{ path: '/currentPassword', message: 'is wrong' }]);
    expect((await t.request({ method: 'GET', url: '/api/me', headers: { cookie: otherDevice } })).statusCode).toBe(200);

    const changed = await t.request({
      method: 'POST',
      url: '/api/auth/password',
      as: someone,
      payload: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' },
    });
    expect(changed.statusCode).toBe(200);
    const fresh = sessionCookieFrom(changed);
    expect((await t.request({ method: 'GET', url: '/api/me', headers: { cookie: otherDevice } })).statusCode).toBe(401);
    expect((await t.request({ method: 'GET', url: '/api/me', as: someone })).statusCode).toBe(401);
    expect((await t.request({ method: 'GET', url: '/api/me', headers: { cookie: fresh } })).statusCode).toBe(200);
    expect((await login(someone.email, PASSWORD)).statusCode).toBe(401);
    expect((await login(someone.email, 'a brand new passphrase')).statusCode).toBe(200);
  });

  it('GET /api/me without a session is 401 with the standard body', async () => {
    const response = await t.request({ method: 'GET', url: '/api/me' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
  });

  it('never writes passwords, tokens or cookies to the log', async () => {
    const someone = await t.register('Logged');
    await login(someone.email, PASSWORD);
    await login(someone.email, 'a wrong password');
    await t.request({ method: 'GET', url: '/api/me', as: someone });
    const token = someone.cookie.split('=')[1]!;
    const log = t.logs.join('');
    expect(log).toContain('/api/me');
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain('a wrong password');
    expect(log).not.toContain(token);
    expect(log).not.toContain(token.split('.')[1]!);
  });
});

describe('cross-site request defence', () => {
  const t = useTestApp();

  it('refuses a cookie-authenticated change without an Origin or from another origin', async () => {
    const someone = await t.register('Csrf');
    const payload = { slug: 'csrf-target', name: 'Target' };
    for (const origin of [undefined, 'https://evil.example', 'null', 'http://localhost:8080']) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/groups',
        payload,
        headers: { cookie: someone.cookie, ...(origin && { origin }) },
      });
      expect(response.statusCode, `origin ${origin}`).toBe(403);
      expect(response.json().error.code).toBe('csrf_rejected');
    }
    expect(await t.db.selectFrom('groups').select('id').where('slug', '=', 'csrf-target').executeTakeFirst()).toBeUndefined();
    const same = await t.request({ method: 'POST', url: '/api/groups', as: someone, payload });
    expect(same.statusCode).toBe(201);
  });

  it('refuses a sign-in posted from another site (login CSRF) but lets non-browser clients without Origin in', async () => {
    const someone = await t.register('Cross');
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: someone.email, password: PASSWORD },
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.statusCode).toBe(403);
    const script = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: someone.email, password: PASSWORD } });
    expect(script.statusCode).toBe(200);
  });

  it('reads are not subject to the Origin check', async () => {
    const someone = await t.register('Reader');
    const response = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: someone.cookie, origin: 'https://evil.example' } });
    expect(response.statusCode).toBe(200);
  });
});

describe('cross-site request defence behind a public URL', () => {
  const t = useTestApp({ PUBLIC_URL: 'https://drafts.example.org' });

  it('compares Origin with PUBLIC_URL and marks cookies Secure', async () => {
    const headers = { origin: 'https://drafts.example.org' };
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      headers,
      payload: { email: 'public@example.org', displayName: 'P', password: PASSWORD },
    });
    expect(response.statusCode).toBe(201);
    expect(response.cookies[0]!.secure).toBe(true);
    const cookie = sessionCookieFrom(response);
    const ownHost = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, origin: 'http://localhost' } });
    expect(ownHost.statusCode).toBe(403);
    const ok = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, ...headers } });
    expect(ok.statusCode).toBe(204);
  });
});

describe('sign-in rate limits', () => {
  const t = useTestApp({ RATE_LIMIT_LOGIN_PER_EMAIL: '3', RATE_LIMIT_LOGIN_PER_IP: '6' });

  it('limits attempts per email with 429, Retry-After and the standard body', async () => {
    const someone = await t.register('Limited');
    for (let i = 0; i < 3; i++) {
      const attempt = await t.request({ method: 'POST', url: '/api/auth/login', payload: { email: someone.email, password: 'wrong password' } });
      expect(attempt.statusCode).toBe(401);
    }
    const blocked = await t.request({ method: 'POST', url: '/api/auth/login', payload: { email: someone.email.toUpperCase(), password: PASSWORD } });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.json().error.code).toBe('rate_limited');
    expect(blocked.cookies).toHaveLength(0);
  });

  it('blocks guessing an account from one address without locking its owner out elsewhere', async () => {
    const owner = await t.register('Owner');
    const guess = (password: string, remoteAddress: string) =>
      t.request({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { email: owner.email, password } });
    for (let i = 0; i < 3; i++) expect((await guess('wrong password', '198.51.100.66')).statusCode).toBe(401);
    expect((await guess('wrong password', '198.51.100.66')).statusCode).toBe(429);
    // The owner, from home, is not affected.
    const home = await guess(PASSWORD, '192.0.2.10');
    expect(home.statusCode).toBe(200);
  });

  it('limits attempts per IP across different emails', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const response = await t.request({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '203.0.113.9',
        payload: { email: `spray-${i}@example.org`, password: 'wrong password' },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
  });
});

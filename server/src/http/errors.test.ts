import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.ts';

const standardBody = { error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }) };

describe('error responses', () => {
  const t = useTestApp();

  it('answers unknown API routes with a 404 in the standard shape', async () => {
    for (const [method, url] of [
      ['GET', '/api/nothing-here'],
      ['POST', '/api/groups/x/y/z'],
      ['DELETE', '/api/me'],
    ] as const) {
      const response = await t.request({ method, url });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json()).toEqual({ error: { code: 'not_found', message: expect.stringContaining('route') } });
    }
  });

  it('answers malformed JSON with 400 malformed_json', async () => {
    const someone = await t.register('Json');
    for (const payload of ['{"slug":', '{slug: "x"}', 'null]', '']) {
      const response = await t.request({
        method: 'POST',
        url: '/api/groups',
        as: someone,
        payload,
        headers: { 'content-type': 'application/json' },
      });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.code, JSON.stringify(payload)).toMatch(/malformed_json|invalid_input/);
    }
  });

  it('answers a JSON body that is not an object with 400', async () => {
    const someone = await t.register('Json');
    for (const payload of ['[]', '"text"', '42', 'null']) {
      const response = await t.request({ method: 'POST', url: '/api/groups', as: someone, payload, headers: { 'content-type': 'application/json' } });
      expect(response.statusCode, payload).toBe(400);
      expect(response.json()).toEqual(standardBody);
    }
  });

  it('answers bodies over 1 MB with 413 and creates nothing', async () => {
    const someone = await t.register('Big');
    const response = await t.request({
      method: 'POST',
      url: '/api/groups',
      as: someone,
      payload: { slug: 'too-big', name: 'Big', charter: 'x'.repeat(1024 * 1024 + 10) },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
    expect(await t.db.selectFrom('groups').select('id').where('slug', '=', 'too-big').executeTakeFirst()).toBeUndefined();
  });

  it('rejects a charter over its own limit with 400 even under 1 MB', async () => {
    const someone = await t.register('Long');
    const response = await t.request({
      method: 'POST',
      url: '/api/groups',
      as: someone,
      payload: { slug: 'long-charter', name: 'L', charter: 'x'.repeat(20_001) },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toContainEqual(expect.objectContaining({ path: '/charter' }));
  });

  it('answers other content types with 415', async () => {
    const someone = await t.register('Form');
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const response = await t.request({ method: 'POST', url: '/api/groups', as: someone, payload: 'slug=x&name=y', headers: { 'content-type': type } });
      expect(response.statusCode, type).toBe(415);
      expect(response.json().error.code).toBe('unsupported_media_type');
    }
  });

  it('never answers 500 to random input on any endpoint', async () => {
    const { slug, users } = await t.groupWithRoles();
    const targets = [
      ['POST', '/api/auth/register'],
      ['POST', '/api/auth/login'],
      ['POST', '/api/auth/password'],
      ['POST', '/api/groups'],
      ['PATCH', `/api/groups/${slug}`],
      ['POST', `/api/groups/${slug}/members`],
      ['PATCH', `/api/groups/${slug}/members/${users.member.user.id}`],
    ] as const;
    const bodies: unknown[] = [
      {},
      { email: null, password: [] },
      { slug: { $ne: 1 }, name: true },
      { role: 'chair'.repeat(1000) },
      { email: 'a@b.c', password: 'x'.repeat(300) },
      { displayName: '\u0000\u202e', email: '\ud800@x.org', password: '💥'.repeat(20) },
      { __proto__: { admin: true }, constructor: { prototype: {} } },
      Array.from({ length: 50 }, (_, i) => i),
    ];
    for (let i = 0; i < 5; i++) bodies.push(randomBytes(64).toString('latin1'));
    for (const [method, url] of targets) {
      for (const body of bodies) {
        const payload = typeof body === 'string' ? body : JSON.stringify(body);
        const response = await t.request({ method, url, as: users.chair, payload, headers: { 'content-type': 'application/json' } });
        expect(response.statusCode, `${method} ${url} ${payload.slice(0, 40)}`).toBeGreaterThanOrEqual(400);
        expect(response.statusCode, `${method} ${url} ${payload.slice(0, 40)}`).toBeLessThan(500);
        expect(response.json()).toEqual(standardBody);
      }
    }
    for (const url of [`/api/groups/${'x'.repeat(300)}`, '/api/groups/%E0%A4%A', `/api/groups/${slug}/members/%00`, `/api/groups/${slug}/events?before=-1`]) {
      const response = await t.request({ method: 'GET', url, as: users.chair });
      expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, url).toBeLessThan(500);
    }
  });

  it('sends security headers and a request id', async () => {
    const response = await t.request({ method: 'GET', url: '/api/health' });
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('publishes an OpenAPI document covering the API, and a docs page', async () => {
    const response = await t.request({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/auth/register',
      '/api/auth/login',
      '/api/me',
      '/api/groups',
      '/api/groups/{slug}/members/{userId}',
      '/api/groups/{slug}/events',
    ]) {
      expect(Object.keys(document.paths), path).toContain(path);
    }
    expect(document.paths['/api/groups'].post.requestBody).toBeDefined();
    const docs = await t.request({ method: 'GET', url: '/api/docs' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger-ui');
    expect(docs.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });
});

describe('API-wide rate limit', () => {
  const t = useTestApp({ RATE_LIMIT_API_PER_MINUTE: '5' });

  it('answers 429 with Retry-After once a client exceeds the per-minute budget', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof t.request>> | undefined;
    for (let i = 0; i < 6; i++) {
      last = await t.request({ method: 'GET', url: '/api/groups', remoteAddress: '198.51.100.7' });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(last!.json().error.code).toBe('rate_limited');
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    const other = await t.request({ method: 'GET', url: '/api/groups', remoteAddress: '198.51.100.8' });
    expect(other.statusCode).toBe(200);
  });
});

describe('registration rate limit', () => {
  const t = useTestApp({ RATE_LIMIT_REGISTER_PER_IP: '2' });

  it('limits new accounts per address per hour', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await t.request({
        method: 'POST',
        url: '/api/auth/register',
        remoteAddress: '198.51.100.20',
        payload: { email: `limited-${i}@example.org`, displayName: 'L', password: 'long enough password' },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([201, 201, 429]);
    expect(await t.db.selectFrom('users').select('id').where('email', '=', 'limited-2@example.org').executeTakeFirst()).toBeUndefined();
  });
});

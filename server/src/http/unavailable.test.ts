import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createDb } from '../db/database.ts';
import { freePort } from '../../test/support/net.ts';
import type { FastifyInstance } from 'fastify';

/** With PostgreSQL out of reach, every route that needs it says so — 503 and when to retry — quickly. */
describe('when the database cannot be reached', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    // Nothing listens on this port: every connection is refused, as when PostgreSQL is down.
    const db = createDb(`postgres://nobody:secret@127.0.0.1:${await freePort()}/none`);
    app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', CLIENT_DIR: '' }), { db, databaseKind: 'external' });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each([
    ['GET', '/api/groups', undefined],
    ['POST', '/api/auth/login', { email: 'a@example.org', password: 'correct horse battery' }],
    ['POST', '/api/auth/register', { email: 'b@example.org', displayName: 'B', password: 'correct horse battery' }],
    ['GET', '/api/definitions/7a1f3c2e-0000-4000-8000-000000000000', undefined],
  ])('%s %s answers 503 with Retry-After and the standard body', async (method, url, payload) => {
    const started = performance.now();
    const response = await app.inject({
      method: method as 'GET' | 'POST',
      url,
      headers: { origin: 'http://localhost', cookie: 'draftroom_session=a.b' },
      ...(payload && { payload }),
    });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toEqual({ error: { code: 'unavailable', message: expect.stringContaining('Storage is unavailable') } });
    expect(response.body).not.toContain('secret');
    expect(performance.now() - started).toBeLessThan(5000); // refused at once, not after a timeout
  });

  it.each([
    ['anonymous', {}],
    // A well-formed token, so the session is looked up (and the lookup fails).
    ['signed in', { cookie: `draftroom_session=${'a'.repeat(24)}.${'b'.repeat(24)}` }],
  ])('reports itself degraded on /api/health (%s)', async (_who, headers) => {
    const response = await app.inject({ method: 'GET', url: '/api/health', headers });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'degraded' });
  });
});

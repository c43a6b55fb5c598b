import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { createDb, type Db } from '../db/database.ts';
import { Redis } from 'ioredis';
import { ORIGIN, PASSWORD, useTestApp } from '../../test/support/app.ts';
import { redisServerBinary, startRedis } from '../../test/support/redis.ts';

const binary = redisServerBinary();
const redis = binary ? await startRedis(binary) : null;
afterAll(async () => {
  await redis?.destroy();
});

/** Rate limits and the sign-in throttle with several instances (REDIS_URL): counted together, however requests are spread. */
describe.skipIf(!redis)('rate limits and the sign-in throttle across two instances on one Redis', () => {
  const LIMIT = 6;
  const t = useTestApp(redis ? { REDIS_URL: redis.url, RATE_LIMIT_API_PER_MINUTE: String(LIMIT), RATE_LIMIT_LOGIN_PER_EMAIL: '4' } : {});
  let otherDb: Db;
  let other: FastifyInstance;

  beforeAll(async () => {
    otherDb = createDb(t.database.url, { max: 2 });
    other = await buildApp({ ...t.config, logLevel: 'silent' }, { db: otherDb, databaseKind: t.database.kind });
    await other.ready();
  });
  afterAll(async () => {
    await other?.close();
    await otherDb?.destroy();
  });

  const ask = (instance: FastifyInstance, ip: string) => instance.inject({ method: 'GET', url: '/api/health', remoteAddress: ip });

  it('holds one limit for requests spread over both instances, per client', async () => {
    const ip = '203.0.113.7';
    const codes: number[] = [];
    for (let i = 0; i < LIMIT; i++) codes.push((await ask(i % 2 === 0 ? t.app : other, ip)).statusCode);
    expect(codes.every((code) => code < 400)).toBe(true);
    // One more, on either instance, is over the limit: the two counted together.
    const over = await ask(other, ip);
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('rate_limited');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect((await ask(t.app, ip)).statusCode).toBe(429);
    // Another client is counted on its own.
    expect((await ask(t.app, '203.0.113.8')).statusCode).toBeLessThan(400);
  });

  it('throttles wrong passwords for one account from one address across instances, and its owner elsewhere still signs in', async () => {
    const { users } = await t.groupWithRoles();
    const login = (instance: FastifyInstance, password: string, ip = '198.51.100.20') =>
      instance.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: ip,
        headers: { origin: ORIGIN },
        payload: { email: users.member.email, password },
      });
    // The free failures (RATE_LIMIT_LOGIN_PER_EMAIL, 10 by default), alternating instances.
    const free = t.config.rateLimits.loginPerEmail;
    for (let i = 0; i < free - 1; i++) expect((await login(i % 2 === 0 ? t.app : other, 'wrong guess')).statusCode).toBe(401);
    // The last one blocks that account from that address on every instance, the right password included.
    expect((await login(t.app, 'wrong guess')).statusCode).toBe(401);
    const blocked = await login(other, PASSWORD);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login(t.app, PASSWORD)).statusCode).toBe(429);
    // The owner, from another address, is not locked out.
    expect((await login(other, PASSWORD, '198.51.100.21')).statusCode).toBe(200);
    // Nothing in Redis names the account.
    const raw = new Redis(redis!.url);
    try {
      const keys = await raw.keys('draftroom:signin:*');
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.join(' ')).not.toContain(users.member.email);
    } finally {
      raw.disconnect();
    }
  });

  it('answers, unlimited rather than failing, while Redis is unreachable', async () => {
    await redis!.stop();
    try {
      const ip = '203.0.113.9';
      for (let i = 0; i < LIMIT + 2; i++) expect((await ask(i % 2 === 0 ? t.app : other, ip)).statusCode).toBeLessThan(400);
    } finally {
      await redis!.start();
    }
  });
});

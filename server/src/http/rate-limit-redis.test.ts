import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { createDb, type Db } from '../db/database.ts';
import { useTestApp } from '../../test/support/app.ts';
import { redisServerBinary, startRedis } from '../../test/support/redis.ts';

const binary = redisServerBinary();
const redis = binary ? await startRedis(binary) : null;
afterAll(async () => {
  await redis?.destroy();
});

/** Rate limits with several instances (REDIS_URL): counted together, however requests are spread. */
describe.skipIf(!redis)('rate limits across two instances on one Redis', () => {
  const LIMIT = 6;
  const t = useTestApp(redis ? { REDIS_URL: redis.url, RATE_LIMIT_API_PER_MINUTE: String(LIMIT) } : {});
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

import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { freePort } from '../../test/support/net.ts';
import { LoginThrottle, SharedLoginThrottle } from './login-throttle.ts';

const options = { freeFailures: 3, baseWaitMs: 30_000, maxWaitMs: 15 * 60_000, windowMs: 15 * 60_000, maxEntries: 3 };

describe('failed sign-ins per account and address', () => {
  it('lets the first failures through, then doubles the wait with every further failure, up to the maximum', () => {
    const throttle = new LoginThrottle(options);
    let now = 0;
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      throttle.failed('a@example.org', '198.51.100.1', now);
      waits.push(throttle.waitSeconds('a@example.org', '198.51.100.1', now));
      now += throttle.waitSeconds('a@example.org', '198.51.100.1', now) * 1000;
    }
    expect(waits).toEqual([0, 0, 30, 60, 120, 240, 480, 900, 900, 900]);
  });

  it('keeps accounts and addresses apart, forgets after a success or the window, and stays bounded', () => {
    const throttle = new LoginThrottle(options);
    for (let i = 0; i < 3; i++) throttle.failed('a@example.org', 'x', 0);
    expect(throttle.waitSeconds('a@example.org', 'x', 0)).toBe(30);
    expect(throttle.waitSeconds('a@example.org', 'y', 0)).toBe(0);
    expect(throttle.waitSeconds('b@example.org', 'x', 0)).toBe(0);
    throttle.succeeded('a@example.org', 'x');
    expect(throttle.waitSeconds('a@example.org', 'x', 0)).toBe(0);
    throttle.failed('c@example.org', 'x', 0);
    throttle.failed('c@example.org', 'x', 0);
    throttle.failed('c@example.org', 'x', 16 * 60_000); // the earlier two are forgotten
    expect(throttle.waitSeconds('c@example.org', 'x', 16 * 60_000)).toBe(0);
    for (const email of ['1', '2', '3', '4', '5']) throttle.failed(`${email}@example.org`, 'x', 0);
    expect((throttle as unknown as { entries: Map<string, unknown> }).entries.size).toBe(3);
  });
});

describe('the shared throttle while Redis cannot answer', () => {
  it('answers from its own counts: an outage never lifts the throttle', async () => {
    const port = await freePort();
    // Nothing listens there: every command fails at once.
    const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined);
    try {
      const throttle = new SharedLoginThrottle(redis, options);
      for (let i = 0; i < 3; i++) await throttle.failed('a@example.org', 'x', 1_000);
      expect(await throttle.waitSeconds('a@example.org', 'x', 1_000)).toBe(30);
      expect(await throttle.waitSeconds('a@example.org', 'y', 1_000)).toBe(0);
      await throttle.succeeded('a@example.org', 'x');
      expect(await throttle.waitSeconds('a@example.org', 'x', 1_000)).toBe(0);
    } finally {
      redis.disconnect();
    }
  });
});

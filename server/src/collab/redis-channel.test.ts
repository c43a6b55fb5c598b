import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/support/collab.ts';
import { redisServerBinary, startRedis } from '../../test/support/redis.ts';
import type { ChannelMessage } from './channel.ts';
import { parseEntry, RedisStreamChannel, streamKey, type RedisChannelOptions } from './redis-channel.ts';

const binary = redisServerBinary();
const redis = binary ? await startRedis(binary) : null;
afterAll(async () => {
  await redis?.destroy();
});

const fields = (values: Record<string, string | Buffer>) => Object.entries(values).flatMap(([name, value]) => [Buffer.from(name), Buffer.from(value)]);
const user = randomUUID();

describe('entries on a document stream', () => {
  it('are taken only in the shape of a committed update or an awareness change; anything else is dropped', () => {
    const update = Buffer.from([1, 2, 3]);
    expect(parseEntry(fields({ o: 'a', k: 'update', u: update, a: '4', t: '9', c: JSON.stringify([[17, user]]) }))).toEqual({
      origin: 'a',
      message: { kind: 'update', update: new Uint8Array([1, 2, 3]), after: 4, through: 9, claims: [[17, user]] },
    });
    expect(parseEntry(fields({ o: 'a', k: 'awareness', u: update }))?.message).toEqual({ kind: 'awareness', update: new Uint8Array([1, 2, 3]) });
    const good = { o: 'a', k: 'update', u: update, a: '4', t: '9', c: '[]' };
    for (const bad of [
      { ...good, o: '' },
      { ...good, o: 'x'.repeat(65) },
      { ...good, k: 'delete' },
      { ...good, u: Buffer.alloc(0) },
      { ...good, a: 'four' },
      { ...good, a: '-1' },
      { ...good, t: '4' }, // spans nothing
      { ...good, t: '1e400' },
      { ...good, c: 'not json' },
      { ...good, c: '{}' },
      { ...good, c: JSON.stringify([[17]]) },
      { ...good, c: JSON.stringify([[-1, user]]) },
      { ...good, c: JSON.stringify([[1.5, user]]) },
      { ...good, c: JSON.stringify([[17, 'not-a-user']]) },
    ]) {
      expect(parseEntry(fields(bad as Record<string, string | Buffer>)), JSON.stringify({ ...bad, u: undefined })).toBeNull();
    }
    expect(parseEntry([Buffer.from('o')])).toBeNull(); // odd field count
  });
});

describe.skipIf(!redis)('documents across instances on Redis Streams (a real redis-server)', () => {
  const logs: string[] = [];
  const log = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  );
  const channels: RedisStreamChannel[] = [];
  const open = (options: Partial<RedisChannelOptions> = {}) => {
    const channel = new RedisStreamChannel(redis!.url, log, { maxLength: 1000, idleExpiryMs: 60_000, pollMs: 100, blockMs: 60_000, ...options });
    channels.push(channel);
    return channel;
  };
  const listen = async (channel: RedisStreamChannel, definitionId: string) => {
    const heard: ChannelMessage[] = [];
    let stale = 0;
    const stop = await channel.subscribe(definitionId, { message: (message) => heard.push(message), stale: () => (stale += 1) });
    return { heard, stale: () => stale, stop };
  };
  const committed = (after: number, through: number): ChannelMessage => ({
    kind: 'update',
    update: new Uint8Array([after, through]),
    after,
    through,
    claims: [[after, user]],
  });
  afterEach(async () => {
    await Promise.all(channels.splice(0).map((channel) => channel.close()));
  });

  it('delivers what one instance publishes to every other instance holding the document, in order, not back to itself', async () => {
    const [a, b, c] = [open(), open(), open()];
    const definitionId = randomUUID();
    const [onA, onB, onC] = [await listen(a, definitionId), await listen(b, definitionId), await listen(c, definitionId)];
    const elsewhere = await listen(b, randomUUID());
    for (let i = 0; i < 20; i++) a.publish(definitionId, committed(i, i + 1));
    a.publish(definitionId, { kind: 'awareness', update: new Uint8Array([9]) });
    await waitFor(() => onB.heard.length === 21 && onC.heard.length === 21, 'both others hear all of it');
    for (const { heard } of [onB, onC]) {
      expect(heard.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => committed(i, i + 1)));
      expect(heard[20]).toEqual({ kind: 'awareness', update: new Uint8Array([9]) });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(onA.heard).toEqual([]);
    expect(elsewhere.heard).toEqual([]);
  });

  it('starts a new subscriber at once (its blocking read is woken), with what is published from then on only', async () => {
    // A blocking read of a whole minute: without the wake-up, the new document would wait for it.
    const [a, b] = [open(), open({ blockMs: 60_000 })];
    const definitionId = randomUUID();
    const warmUp = await listen(b, randomUUID());
    a.publish(definitionId, committed(1, 2)); // before b subscribes: not delivered
    const raw = new Redis(redis!.url);
    try {
      await waitFor(async () => (await raw.xlen(streamKey(definitionId))) === 1, 'the entry is stored');
    } finally {
      raw.disconnect();
    }
    const onB = await listen(b, definitionId);
    a.publish(definitionId, committed(2, 3));
    await waitFor(() => onB.heard.length === 1, 'the new subscriber hears the next entry', 5_000);
    expect(onB.heard).toEqual([committed(2, 3)]);
    expect(warmUp.heard).toEqual([]);
  });

  it('keeps each stream short and lets an idle one expire', async () => {
    const a = open({ maxLength: 50, idleExpiryMs: 30_000 });
    const definitionId = randomUUID();
    for (let i = 0; i < 500; i++) a.publish(definitionId, committed(i, i + 1));
    const raw = new Redis(redis!.url);
    try {
      await waitFor(async () => (await raw.xrevrange(streamKey(definitionId), '+', '-', 'COUNT', 1))[0]?.[1].includes('500'), 'all published');
      expect(await raw.xlen(streamKey(definitionId))).toBeLessThanOrEqual(150); // MAXLEN ~ trims whole nodes
      const ttl = await raw.pttl(streamKey(definitionId));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(30_000);
    } finally {
      raw.disconnect();
    }
  });

  it('while Redis is away: publishing neither throws nor waits, documents are told to read PostgreSQL, again when it is back; then delivery resumes', async () => {
    const [a, b] = [open(), open()];
    const definitionId = randomUUID();
    const onB = await listen(b, definitionId);
    a.publish(definitionId, committed(1, 2));
    await waitFor(() => onB.heard.length === 1, 'delivered before the outage');
    await redis!.stop();
    try {
      await waitFor(() => onB.stale() >= 3, 'the document is told to poll PostgreSQL while Redis is away');
      const started = performance.now();
      for (let i = 0; i < 100; i++) a.publish(definitionId, committed(i + 2, i + 3));
      expect(performance.now() - started).toBeLessThan(1_000); // dropped, not queued behind a dead connection
    } finally {
      await redis!.start();
    }
    const staleBefore = onB.stale();
    await waitFor(() => onB.stale() > staleBefore, 'told once more when Redis is back');
    // Polling stops once it is back.
    await waitFor(async () => {
      const seen = onB.stale();
      await new Promise((resolve) => setTimeout(resolve, 400));
      return onB.stale() === seen;
    }, 'polling stops');
    await waitFor(
      () => {
        a.publish(definitionId, committed(200, 201));
        return onB.heard.some((message) => message.kind === 'update' && message.through === 201);
      },
      'delivery resumes',
      15_000,
    );
    expect(logs.join('')).toContain('documents are read from PostgreSQL until it is back');
  });

  it('drops a malformed entry with a warning and goes on delivering', async () => {
    const [a, b] = [open(), open()];
    const definitionId = randomUUID();
    const onB = await listen(b, definitionId);
    const raw = new Redis(redis!.url);
    try {
      await raw.xadd(streamKey(definitionId), '*', 'o', 'intruder', 'k', 'update', 'u', 'x', 'a', '9', 't', '3');
    } finally {
      raw.disconnect();
    }
    a.publish(definitionId, committed(1, 2));
    await waitFor(() => onB.heard.length === 1, 'the next good entry arrives');
    expect(onB.heard).toEqual([committed(1, 2)]);
    expect(logs.join('')).toContain('A malformed entry on a document stream was dropped');
  });
});

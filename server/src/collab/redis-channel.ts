import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import { isUuid } from '@draftroom/shared';
import { logOutages } from '../http/shared-redis.ts';
import type { ChannelListener, ChannelMessage, DocumentChannel } from './channel.ts';

export interface RedisChannelOptions {
  /** Entries kept per document stream (approximately: trimmed with MAXLEN ~). */
  maxLength: number;
  /** A document's stream is removed after this long without a message. */
  idleExpiryMs: number;
  /** While Redis is out of reach, documents read what they missed from PostgreSQL this often. */
  pollMs: number;
  /** Longest wait of one blocking read (it is woken early when the documents read change). */
  blockMs: number;
}

export const streamKey = (definitionId: string) => `draftroom:doc:${definitionId}`;
const MAX_CLAIMS = 10_000;

/**
 * One stream entry as another instance wrote it, checked field by field; anything else is null (and
 * dropped). Redis is ours, but what it holds is still only trusted as far as it has the right shape.
 */
export function parseEntry(fields: Buffer[]): { origin: string; message: ChannelMessage } | null {
  if (fields.length % 2 !== 0 || fields.length > 20) return null;
  const values = new Map<string, Buffer>();
  for (let i = 0; i < fields.length; i += 2) values.set(fields[i]!.toString('latin1'), fields[i + 1]!);
  const origin = values.get('o')?.toString('utf8');
  const kind = values.get('k')?.toString('latin1');
  const update = values.get('u');
  if (!origin || origin.length > 64 || !update || update.length === 0) return null;
  const payload = new Uint8Array(update.buffer, update.byteOffset, update.byteLength);
  if (kind === 'awareness') return { origin, message: { kind: 'awareness', update: payload } };
  if (kind !== 'update') return null;
  const after = Number(values.get('a')?.toString('latin1'));
  const through = Number(values.get('t')?.toString('latin1'));
  if (!Number.isSafeInteger(after) || !Number.isSafeInteger(through) || after < 0 || through <= after) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(values.get('c')?.toString('utf8') ?? '[]');
  } catch {
    return null;
  }
  if (!Array.isArray(claims) || claims.length > MAX_CLAIMS) return null;
  for (const claim of claims) {
    if (!Array.isArray(claim) || claim.length !== 2) return null;
    const [clientId, userId] = claim as unknown[];
    if (!Number.isSafeInteger(clientId) || (clientId as number) < 0 || typeof userId !== 'string' || !isUuid(userId)) return null;
  }
  return { origin, message: { kind: 'update', update: payload, after, through, claims: claims as [number, string][] } };
}

interface Subscription {
  /** The id of the last entry read (or the stream's last entry when subscribing); null: not known yet. */
  lastId: string | null;
  listeners: Set<ChannelListener>;
}

/**
 * Documents across instances on Redis Streams (REDIS_URL): one stream per document, `XADD` with
 * approximate trimming and an expiry, read by one blocking `XREAD` per instance over every document it
 * holds. Unlike pub/sub, a stream keeps what was published while a reader was busy or briefly away:
 * the reader asks for everything after the last entry it saw.
 *
 * Redis is the fast path; PostgreSQL stays the truth. Entries carry the update-log ids they span, so a
 * document that sees a jump reads the rows in between from PostgreSQL; while Redis is out of reach,
 * publishing is dropped (never thrown, never waited for), every document polls PostgreSQL instead, and
 * when Redis is back every document reads what it missed once more.
 */
export class RedisStreamChannel implements DocumentChannel {
  /** This instance: its own entries are not delivered back to it. */
  readonly origin = randomUUID();
  private readonly writer: Redis;
  private readonly reader: Redis;
  private readonly subscriptions = new Map<string, Subscription>();
  /** A stream only this instance reads, written to wake its blocking read when the documents change. */
  private readonly wakeKey = `draftroom:wake:${this.origin}`;
  private wakeId = '0-0';
  private closed = false;
  private down = false;
  private poller: NodeJS.Timeout | null = null;
  private readonly loop: Promise<void>;

  constructor(
    url: string,
    private readonly log: FastifyBaseLogger,
    private readonly options: RedisChannelOptions = { maxLength: 1000, idleExpiryMs: 3_600_000, pollMs: 1000, blockMs: 10_000 },
  ) {
    // Commands wait for a connection being made, and fail after one failed attempt to reconnect: nothing
    // queues for long behind an unreachable Redis.
    const common = { maxRetriesPerRequest: 1, retryStrategy: (times: number) => Math.min(times * 100, 1000) };
    this.writer = new Redis(url, { ...common, connectTimeout: 1000, connectionName: `draftroom-docs-w-${this.origin}` });
    // The reader's commands never wait in a queue: a read issued while Redis is away fails at once and
    // the loop tries again (a queued one could outlive a disconnect() unanswered).
    this.reader = new Redis(url, { ...common, enableOfflineQueue: false, connectTimeout: 1000, connectionName: `draftroom-docs-r-${this.origin}` });
    logOutages(this.writer, log, 'document writer', () => this.closed, '; documents are read from PostgreSQL until it is back');
    logOutages(this.reader, log, 'document reader', () => this.closed, '; documents are read from PostgreSQL until it is back');
    this.reader.on('close', () => this.wentDown());
    this.reader.on('ready', () => this.cameBack());
    this.loop = this.read();
  }

  publish(definitionId: string, message: ChannelMessage): void {
    if (this.closed) return;
    const fields: (string | Buffer)[] = [
      'o',
      this.origin,
      'k',
      message.kind,
      'u',
      Buffer.from(message.update.buffer, message.update.byteOffset, message.update.byteLength),
    ];
    if (message.kind === 'update') fields.push('a', String(message.after), 't', String(message.through), 'c', JSON.stringify(message.claims));
    const key = streamKey(definitionId);
    this.writer
      .multi()
      .xadd(key, 'MAXLEN', '~', String(this.options.maxLength), '*', ...fields)
      .pexpire(key, this.options.idleExpiryMs)
      .exec()
      .catch(() => {
        // Logged once per outage by logOutages; the receivers find the gap and read PostgreSQL.
      });
  }

  async subscribe(definitionId: string, listener: ChannelListener): Promise<() => void> {
    let subscription = this.subscriptions.get(definitionId);
    if (!subscription) {
      // Delivered from the stream's current end: everything published after this resolves arrives.
      // Redis out of reach: the reader finds the end once it is back, and the document is told to read
      // PostgreSQL for whatever came in between (see read()).
      // A connection still being made (start-up) is waited for briefly; an outage is not.
      if (this.writer.status !== 'ready' && !this.down) {
        await Promise.race([once(this.writer, 'ready').catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      }
      const lastId = this.writer.status === 'ready' ? await this.streamEnd(this.writer, definitionId).catch(() => null) : null;
      subscription = this.subscriptions.get(definitionId);
      if (!subscription) {
        subscription = { lastId, listeners: new Set() };
        this.subscriptions.set(definitionId, subscription);
        this.wake();
      }
    }
    subscription.listeners.add(listener);
    return () => {
      subscription.listeners.delete(listener);
      if (subscription.listeners.size === 0 && this.subscriptions.get(definitionId) === subscription) {
        this.subscriptions.delete(definitionId);
        this.wake();
      }
    };
  }

  /** Ends the blocking read early, so the next one includes the documents subscribed since. */
  private wake(): void {
    this.writer
      .multi()
      .xadd(this.wakeKey, 'MAXLEN', '~', '10', '*', 'w', '1')
      .pexpire(this.wakeKey, this.options.idleExpiryMs)
      .exec()
      .catch(() => {});
  }

  private async streamEnd(connection: Redis, definitionId: string): Promise<string> {
    const last = await connection.xrevrange(streamKey(definitionId), '+', '-', 'COUNT', 1);
    return last[0]?.[0] ?? '0-0';
  }

  private async read(): Promise<void> {
    while (!this.closed) {
      try {
        for (const [definitionId, subscription] of this.subscriptions) {
          if (subscription.lastId !== null) continue;
          subscription.lastId = await this.streamEnd(this.reader, definitionId);
          for (const listener of subscription.listeners) this.deliver(() => listener.stale(), definitionId);
        }
      } catch {
        if (this.closed) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      const subscribed = [...this.subscriptions.entries()] as [string, Subscription & { lastId: string }][];
      const keys = [this.wakeKey, ...subscribed.map(([definitionId]) => streamKey(definitionId))];
      const ids = [this.wakeId, ...subscribed.map(([, subscription]) => subscription.lastId)];
      let result: [Buffer, [Buffer, Buffer[]][]][] | null;
      try {
        result = (await this.reader.xreadBuffer('COUNT', 1000, 'BLOCK', this.options.blockMs, 'STREAMS', ...keys, ...ids)) as typeof result;
      } catch {
        if (this.closed) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      for (const [keyBuffer, entries] of result ?? []) {
        const key = keyBuffer.toString('latin1');
        if (key === this.wakeKey) {
          this.wakeId = entries.at(-1)![0].toString('latin1');
          continue;
        }
        const definitionId = key.slice('draftroom:doc:'.length);
        const subscription = this.subscriptions.get(definitionId);
        if (!subscription) continue;
        for (const [id, fields] of entries) {
          subscription.lastId = id.toString('latin1');
          const entry = parseEntry(fields);
          if (!entry) {
            this.log.warn({ definitionId }, 'A malformed entry on a document stream was dropped');
            continue;
          }
          if (entry.origin === this.origin) continue;
          for (const listener of subscription.listeners) this.deliver(() => listener.message(entry.message), definitionId);
        }
      }
    }
  }

  private deliver(call: () => void, definitionId: string): void {
    try {
      call();
    } catch (error) {
      this.log.error({ err: error, definitionId }, 'a document failed to handle a message from another instance');
    }
  }

  private stale(): void {
    for (const [definitionId, subscription] of this.subscriptions) {
      for (const listener of subscription.listeners) this.deliver(() => listener.stale(), definitionId);
    }
  }

  private wentDown(): void {
    if (this.closed || this.down) return;
    this.down = true;
    this.poller = setInterval(() => this.stale(), this.options.pollMs);
    this.poller.unref?.();
  }

  private cameBack(): void {
    if (!this.down) return;
    this.down = false;
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    // Whatever was published while it was away may be lost (or trimmed): read it from PostgreSQL.
    this.stale();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.poller) clearInterval(this.poller);
    // Nothing waits to be sent (publishing never waits), so no goodbye is needed: a closed connection
    // also ends a blocking read at once, where QUIT would wait for an unreachable Redis.
    this.reader.disconnect();
    this.writer.disconnect();
    await Promise.race([this.loop.catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  }
}

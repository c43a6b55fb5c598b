import pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import { NOTIFY_CHANNEL, parseNotice, type LiveNotice } from './notice.ts';

export interface LiveSourceListener {
  notice(notice: LiveNotice): void;
  /** Notices may have been lost (the source was cut off for a while): whoever follows should read everything again. */
  resync(): void;
}

/**
 * The one seam between committed changes and the live channel of this instance, as
 * collab/channel.ts is for documents. PostgreSQL's LISTEN/NOTIFY is the implementation: every
 * instance on one database hears every commit. A Redis implementation (REDIS_URL) can replace or
 * feed it without touching the hub.
 */
export interface LiveSource {
  /** Starts listening; resolves once the first attempt is over, whether it worked (it keeps trying) or not. */
  start(): Promise<void>;
  subscribe(listener: LiveSourceListener): () => void;
  close(): Promise<void>;
}

export interface PgLiveSourceOptions {
  /** How to reach the database: the pool's settings, for a connection of its own (LISTEN needs one that stays). */
  connection: pg.ClientConfig;
  log: FastifyBaseLogger;
  /** First wait before reconnecting; it doubles up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** How often the connection is asked a trivial question, so one that died without saying so is noticed. */
  heartbeatMs?: number;
}

/**
 * LISTENs on a dedicated connection (not one of the pool's: a pooled client goes back and forgets its
 * LISTEN). When PostgreSQL goes away (a restart of the embedded server, a network cut) it reconnects
 * with backoff, logs, never throws, and once back tells its listeners to resync: notifications sent
 * while nobody listened are gone.
 */
export class PgLiveSource implements LiveSource {
  private readonly listeners = new Set<LiveSourceListener>();
  private client: pg.Client | null = null;
  private closed = false;
  private attempt = 0;
  private lost = false;
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly heartbeatMs: number;

  constructor(private readonly options: PgLiveSourceOptions) {
    this.initialDelayMs = options.initialDelayMs ?? 100;
    this.maxDelayMs = options.maxDelayMs ?? 5_000;
    this.heartbeatMs = options.heartbeatMs ?? 30_000;
  }

  get listening(): boolean {
    return this.client !== null;
  }

  subscribe(listener: LiveSourceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    await this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.timer = this.heartbeat = null;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ ...this.options.connection, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
    let gone = false;
    const onGone = (error?: Error) => {
      if (gone) return;
      gone = true;
      void client.end().catch(() => {});
      if (this.client === client) this.client = null;
      if (this.heartbeat) clearInterval(this.heartbeat);
      this.heartbeat = null;
      if (this.closed) return;
      if (!this.lost) this.options.log.warn({ err: error?.message }, 'live channel: lost the database connection it listens on; reconnecting');
      this.lost = true;
      this.schedule();
    };
    client.on('error', onGone);
    client.on('end', () => onGone());
    client.on('notification', (message) => {
      if (message.channel !== NOTIFY_CHANNEL || message.payload === undefined) return;
      const notice = parseNotice(message.payload);
      if (!notice) {
        this.options.log.warn({ payload: message.payload.slice(0, 200) }, 'live channel: ignored a notification it does not understand');
        return;
      }
      for (const listener of this.listeners) listener.notice(notice);
    });
    try {
      await client.connect();
      await client.query(`listen ${NOTIFY_CHANNEL}`);
    } catch (error) {
      onGone(error as Error);
      return;
    }
    if (gone) return;
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.attempt = 0;
    // A connection cut without a word (no RST) would wait forever: an unanswered heartbeat ends it.
    let answered = true;
    this.heartbeat = setInterval(() => {
      if (!answered) return onGone(new Error('the database did not answer a heartbeat'));
      answered = false;
      client.query('select 1').then(
        () => {
          answered = true;
        },
        (error: Error) => onGone(error),
      );
    }, this.heartbeatMs);
    this.heartbeat.unref();
    if (this.lost) {
      this.lost = false;
      this.options.log.info('live channel: listening again; open pages are told to read everything again');
      for (const listener of this.listeners) listener.resync();
    }
  }

  private schedule(): void {
    if (this.closed || this.timer) return;
    const delay = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** Math.min(this.attempt, 20));
    this.attempt += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
    this.timer.unref();
  }
}

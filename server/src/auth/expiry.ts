import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/database.ts';
import type { Bus } from '../events/bus.ts';
import { endedSessions, purgeIdleSessions } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    sessionExpiry: SessionExpiry;
  }
}

/** A socket's session: who holds it open, on which session. */
export interface OpenSession {
  userId: string;
  sessionId: string;
}

export interface SessionExpiryOptions {
  db: Db;
  bus: Bus;
  log: FastifyBaseLogger;
  /** The sessions this instance's sockets (live channel, documents) hold open. */
  openSessions: () => Iterable<OpenSession>;
  /** Time between rounds; null: only when `runOnce` is called (tests). */
  intervalMs: number | null;
  clock?: () => Date;
}

/**
 * Sessions end by inactivity too (30 days without a request), and a socket opened before must not
 * outlive its session. Each round deletes the sessions idle past the limit, then checks the sessions
 * this instance's sockets hold — one query — and announces every one that ended (idle, or deleted by
 * another instance) as `session.ended`, which closes its sockets (4401) and drops it from the cache,
 * as a sign-out does. Nothing here can end the process: a failed round is logged and the next comes.
 */
export class SessionExpiry {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(private readonly options: SessionExpiryOptions) {}

  start(): void {
    if (this.options.intervalMs === null || this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One round; resolves to the number of open sessions found ended. Never rejects. */
  runOnce(): Promise<number> {
    this.running ??= this.round().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async round(): Promise<number> {
    const { db, bus, log } = this.options;
    const now = this.options.clock?.() ?? new Date();
    try {
      // Which sessions the sockets hold, taken before announcing anything (an announcement closes sockets).
      const open = new Map<string, string>();
      for (const { userId, sessionId } of this.options.openSessions()) open.set(sessionId, userId);
      const purged = await purgeIdleSessions(db, now);
      for (const session of purged) bus.publish({ type: 'session.ended', userId: session.userId, sessionId: session.id });
      const purgedIds = new Set(purged.map((session) => session.id));
      const ended = await endedSessions(
        db,
        [...open.keys()].filter((id) => !purgedIds.has(id)),
        now,
      );
      for (const sessionId of ended) bus.publish({ type: 'session.ended', userId: open.get(sessionId)!, sessionId });
      if (purged.length > 0 || ended.size > 0) log.info({ purged: purged.length, closed: ended.size }, 'sessions ended by inactivity');
      return ended.size + [...purgedIds].filter((id) => open.has(id)).length;
    } catch (error) {
      log.warn({ err: error }, 'could not check for expired sessions; trying again next round');
      return 0;
    }
  }
}

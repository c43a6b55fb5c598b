import type { User } from '@draftroom/shared';
import type { Bus } from '../events/bus.ts';

/** What a validated session row says, kept so the next request with the same token needs no query. */
export interface CachedSession {
  user: User;
  secretHash: Buffer;
  /** The session's last-use time as stored: once it is older than the touch interval, ask the database again. */
  lastVerifiedAt: number;
}

interface Entry extends CachedSession {
  expiresAt: number;
}

export interface SessionCacheOptions {
  /** How long an entry is trusted without asking the database (bounds what another process's change can miss). */
  ttlMs: number;
  maxEntries: number;
}

export const DEFAULT_SESSION_CACHE: SessionCacheOptions = { ttlMs: 30_000, maxEntries: 10_000 };

/**
 * Sessions that were valid a moment ago, by session id. Every way a session ends in this process
 * (sign-out, password change) publishes `session.ended` on the bus, and the entry goes before the
 * request that ended it is answered. The time limit covers what the bus cannot see: another
 * process, or a row changed by hand.
 *
 * Only the database decides that a session exists: an entry is written from a row just read, and
 * never if a session ended while that row was being read (the generation check), so a sign-out racing
 * a request cannot leave the old session cached.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;
  private readonly unsubscribe: (() => void) | null;

  constructor(
    private readonly options: SessionCacheOptions = DEFAULT_SESSION_CACHE,
    bus?: Bus,
  ) {
    this.unsubscribe =
      bus?.subscribe((event) => {
        if (event.type !== 'session.ended') return;
        if (event.sessionId === null) this.forgetUser(event.userId);
        else this.forgetSession(event.sessionId);
      }) ?? null;
  }

  get size(): number {
    return this.entries.size;
  }

  get(sessionId: string, now: number): CachedSession | null {
    const entry = this.entries.get(sessionId);
    if (!entry) return null;
    if (entry.expiresAt <= now) {
      this.entries.delete(sessionId);
      return null;
    }
    return entry;
  }

  /** Call before reading a session row; pass the result to `set` with what was read. */
  begin(): number {
    return this.generation;
  }

  set(sessionId: string, session: CachedSession, begunAt: number, now: number): void {
    if (begunAt !== this.generation) return; // a session ended meanwhile: the row may already be gone
    this.entries.delete(sessionId);
    this.entries.set(sessionId, { ...session, expiresAt: now + this.options.ttlMs });
    if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  forgetSession(sessionId: string): void {
    this.generation++;
    this.entries.delete(sessionId);
  }

  forgetUser(userId: string): void {
    this.generation++;
    for (const [id, entry] of this.entries) if (entry.user.id === userId) this.entries.delete(id);
  }

  close(): void {
    this.unsubscribe?.();
    this.entries.clear();
  }
}

import { sql } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/database.ts';
import { NOTIFY_CHANNEL } from './notice.ts';

/**
 * Tells the live channel (every instance, through PostgreSQL's NOTIFY) that a definition's draft text
 * changed — at most once per `intervalMs` per definition: the first change at once, the ones during
 * the interval as one more hint at its end. A keystroke is not worth a hint each; a ballot's "the
 * text changed since it opened" is worth one within a second. Failures are logged, never thrown.
 */
export class TextChangeHints {
  private readonly windows = new Map<string, { timer: NodeJS.Timeout; again: boolean }>();
  private stopped = false;

  constructor(private readonly options: { db: Db; log: FastifyBaseLogger; intervalMs?: number }) {}

  touch(definitionId: string): void {
    if (this.stopped) return;
    const open = this.windows.get(definitionId);
    if (open) {
      open.again = true;
      return;
    }
    this.send(definitionId);
    this.openWindow(definitionId);
  }

  stop(): void {
    this.stopped = true;
    for (const { timer } of this.windows.values()) clearTimeout(timer);
    this.windows.clear();
  }

  private openWindow(definitionId: string): void {
    const window = {
      again: false,
      timer: setTimeout(() => {
        this.windows.delete(definitionId);
        if (window.again && !this.stopped) {
          this.send(definitionId);
          this.openWindow(definitionId);
        }
      }, this.options.intervalMs ?? 1000),
    };
    window.timer.unref();
    this.windows.set(definitionId, window);
  }

  private send(definitionId: string): void {
    const payload = JSON.stringify({ source: 'text', definitionId });
    sql`select pg_notify(${NOTIFY_CHANNEL}, ${payload})`
      .execute(this.options.db)
      .catch((error: unknown) => this.options.log.warn({ err: error, definitionId }, 'could not announce a text change'));
  }
}

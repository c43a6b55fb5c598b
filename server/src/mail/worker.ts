import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/database.ts';
import type { OutboxKind } from '../db/schema.ts';
import { describeMailError, type MailTransport } from './outbox.ts';
import * as repo from './repository.ts';

/** A mail ready to leave: `template` names it in logs, which never show the recipient or the body. */
export interface OutgoingMail {
  template: string;
  to: string;
  subject: string;
  text: string;
  headers?: Record<string, string>;
}

/**
 * What a row becomes at the moment it is sent: a mail, or nothing — `dropped` when it must not go
 * (its recipient may no longer read what it is about, or turned such mail off), `deferred` when the
 * composer put it back for later itself (a notification moved into the digest).
 */
export type Composed = OutgoingMail | { skip: 'dropped' | 'deferred'; reason: string };

export type Composer = (row: repo.OutboxRow, now: Date) => Promise<Composed>;

export interface OutboxWorkerOptions {
  db: Db;
  /** null: no mail goes out on this server (no SMTP_URL, production); every due row is dropped. */
  transport: MailTransport | null;
  from: string;
  /** How each kind of row is written at sending time. */
  composers: Partial<Record<Exclude<OutboxKind, 'digest_item'>, Composer>>;
  /** Work before each round (reminders that create notifications, the day's digests); its failures are logged. */
  before?: (now: Date) => Promise<void>;
  clock?: () => Date;
  log: FastifyBaseLogger;
  /** Strings that must never reach the log (SMTP credentials). */
  secrets?: readonly string[];
  /** Time between rounds; null: never on its own (tests call runOnce). */
  intervalMs: number | null;
  batchSize?: number;
  /** Mails sent at once within a batch. */
  parallel?: number;
  maxAttempts?: number;
  leaseMs?: number;
  firstRetryMs?: number;
  maxRetryMs?: number;
  /** Finished rows older than this are removed. */
  keepMs?: number;
}

export interface RoundResult {
  sent: number;
  retried: number;
  failed: number;
  dropped: number;
}

/**
 * Sends what waits in the outbox table, in the background: requests only insert rows (in their own
 * transaction), so sending never blocks one, and a restart loses nothing — the next instance on the
 * same database sends what is pending. A failed attempt is retried with exponential backoff (30 s,
 * 1 min, 2 min… up to an hour) and given up after `maxAttempts`. Nothing here can end the process:
 * every failure is logged (without recipients or credentials) and the next round comes anyway.
 */
export class OutboxWorker {
  private readonly options: Required<Omit<OutboxWorkerOptions, 'before' | 'transport' | 'intervalMs'>> &
    Pick<OutboxWorkerOptions, 'before' | 'transport' | 'intervalMs'>;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RoundResult> | null = null;
  private stopped = false;

  constructor(options: OutboxWorkerOptions) {
    this.options = {
      clock: () => new Date(),
      secrets: [],
      batchSize: 20,
      parallel: 4,
      maxAttempts: 10,
      leaseMs: 10 * 60 * 1000,
      firstRetryMs: 30 * 1000,
      maxRetryMs: 60 * 60 * 1000,
      keepMs: 30 * 24 * 60 * 60 * 1000,
      ...options,
    };
  }

  /** The wait after the n-th failed attempt (1-based). */
  retryDelay(attempt: number): number {
    return Math.min(this.options.firstRetryMs * 2 ** Math.max(0, attempt - 1), this.options.maxRetryMs);
  }

  start(): void {
    if (this.options.intervalMs === null || this.timer || this.stopped) return;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.options.intervalMs === null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runOnce().finally(() => this.schedule());
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops the rounds, waits for the one under way, and closes the transport (its pooled connections). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    this.options.transport?.close();
  }

  /** One round: the `before` work, then every mail due now (batch after batch). Never rejects. */
  runOnce(): Promise<RoundResult> {
    // Rounds never overlap: a caller arriving during one waits for it, then runs its own.
    const previous = this.running ?? Promise.resolve(null);
    const round = previous.catch(() => null).then(() => this.round());
    this.running = round;
    void round.finally(() => {
      if (this.running === round) this.running = null;
    });
    return round;
  }

  private async round(): Promise<RoundResult> {
    const result: RoundResult = { sent: 0, retried: 0, failed: 0, dropped: 0 };
    const now = this.options.clock();
    const { log } = this.options;
    if (this.options.before) {
      try {
        await this.options.before(now);
      } catch (error) {
        log.error({ err: error }, 'mail: the work before sending failed; sending anyway');
      }
    }
    try {
      for (;;) {
        const rows = await repo.claimDue(this.options.db, now, this.options.batchSize, this.options.leaseMs);
        // A few at a time: one slow mail server conversation does not hold up the others.
        for (let i = 0; i < rows.length; i += this.options.parallel) {
          await Promise.all(rows.slice(i, i + this.options.parallel).map((row) => this.deliver(row, now, result)));
        }
        if (rows.length < this.options.batchSize) break;
      }
      await repo.purgeFinished(this.options.db, new Date(now.getTime() - this.options.keepMs));
    } catch (error) {
      log.error({ err: error }, 'mail: could not read the outbox; trying again next round');
    }
    return result;
  }

  private async deliver(row: repo.OutboxRow, now: Date, result: RoundResult): Promise<void> {
    const { db, log, transport } = this.options;
    const template = row.template ?? row.kind;
    try {
      if (!transport) {
        await repo.markFinished(db, row.id, 'dropped', 'mail is not configured (SMTP_URL)');
        result.dropped++;
        return;
      }
      const compose = this.options.composers[row.kind as Exclude<OutboxKind, 'digest_item'>];
      if (!compose) throw new Error(`no composer for ${row.kind} mail`);
      const mail = await compose(row, now);
      if ('skip' in mail) {
        if (mail.skip === 'dropped') {
          await repo.markFinished(db, row.id, 'dropped', mail.reason);
          if (row.kind === 'digest') await repo.markDigestItems(db, row.id, 'dropped');
          result.dropped++;
        }
        log.info({ mail: template, outboxId: row.id, skipped: mail.skip, reason: mail.reason }, 'mail not sent');
        return;
      }
      try {
        await transport.send({ from: this.options.from, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.headers && { headers: mail.headers }) });
      } catch (error) {
        await this.failed(row, now, error, result);
        return;
      }
      await repo.markSent(db, row.id, now);
      await this.afterSent(row);
      result.sent++;
      log.info({ mail: mail.template, outboxId: row.id, attempts: row.attempts }, 'mail sent');
    } catch (error) {
      // Composing or bookkeeping failed (the database, most likely): the lease brings the row back later.
      log.error({ mail: template, outboxId: row.id, err: error }, 'mail: could not handle an outbox row; it will be tried again');
    }
  }

  /** Hook for what a sent row finishes besides itself (a digest's items). */
  private async afterSent(row: repo.OutboxRow): Promise<void> {
    if (row.kind === 'digest') await repo.markDigestItems(this.options.db, row.id, 'sent');
  }

  private async failed(row: repo.OutboxRow, now: Date, error: unknown, result: RoundResult): Promise<void> {
    const described = describeMailError(error, this.options.secrets);
    const summary = [described.code, described.responseCode, described.message]
      .filter((part) => part !== undefined)
      .join(' ')
      .slice(0, 500);
    const template = row.template ?? row.kind;
    if (row.attempts >= this.options.maxAttempts) {
      await repo.markFinished(this.options.db, row.id, 'failed', summary);
      if (row.kind === 'digest') await repo.markDigestItems(this.options.db, row.id, 'failed');
      result.failed++;
      this.options.log.error({ mail: template, outboxId: row.id, attempts: row.attempts, error: described }, 'mail not sent; giving up');
      return;
    }
    const retryAt = new Date(now.getTime() + this.retryDelay(row.attempts));
    await repo.markRetry(this.options.db, row.id, retryAt, summary);
    result.retried++;
    this.options.log.warn(
      { mail: template, outboxId: row.id, attempts: row.attempts, retryAt: retryAt.toISOString(), error: described },
      'mail not sent; will retry',
    );
  }
}

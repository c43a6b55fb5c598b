import type { FastifyBaseLogger } from 'fastify';
import { remindClosingBallots } from '../ballots/reminders.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { remindClosingCommentPeriods } from '../definitions/reminders.ts';
import { composeAccountMail, type MailTransport } from '../mail/outbox.ts';
import type { MailSeal } from '../mail/seal.ts';
import { OutboxWorker } from '../mail/worker.ts';
import { assembleDigests, composeDigestMail, composeNotificationMail } from './mail.ts';

export interface NotificationWorkerOptions {
  db: Db;
  config: Config;
  /** How notification mail leaves; null: it does not (production without SMTP_URL). */
  transport: MailTransport | null;
  log: FastifyBaseLogger;
  clock?: () => Date;
  /** Time between rounds (default 1 s); null: only when runOnce is called (tests). */
  intervalMs?: number | null;
  /** Time between reminder sweeps (default 60 s, by the worker's clock). */
  sweepEveryMs?: number;
  secrets?: readonly string[];
  /** Opens account mail (its body is sealed in the table); without it, no account mail is sent. */
  seal?: MailSeal;
}

/**
 * Everything notifications do in the background, in one worker that also sends account mail: each round first sweeps for
 * reminders (ballots and comment periods closing within 24 hours — idempotent) and makes the day's
 * digests once their hour has come, then sends what the outbox holds. The clock is injected, so tests
 * move time instead of waiting for it. A failing step is logged and the rest of the round goes on;
 * nothing here ends the process.
 */
export function createNotificationWorker(options: NotificationWorkerOptions): OutboxWorker {
  const { db, config, log } = options;
  // Links in mail never follow a request's Host header: PUBLIC_URL, or the local address when mail only goes to the log.
  const origin = config.publicOrigin ?? `http://localhost:${config.port}`;
  const sweepEveryMs = options.sweepEveryMs ?? 60_000;
  let lastSweep = Number.NEGATIVE_INFINITY;
  const step = async (name: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (error) {
      log.error({ err: error, step: name }, 'notifications: background step failed; it runs again next round');
    }
  };
  return new OutboxWorker({
    db,
    transport: options.transport,
    from: config.mail?.from ?? 'Draftroom <no-reply@localhost>',
    composers: {
      notification: composeNotificationMail({ db, origin }),
      digest: composeDigestMail({ db, origin }),
      ...(options.seal && config.mail && { account: composeAccountMail(options.seal) }),
    },
    clock: options.clock ?? (() => new Date()),
    log,
    secrets: options.secrets ?? [],
    intervalMs: options.intervalMs === undefined ? 1000 : options.intervalMs,
    before: async (now) => {
      if (now.getTime() - lastSweep >= sweepEveryMs) {
        lastSweep = now.getTime();
        await step('ballot reminders', () => remindClosingBallots({ db, secret: config.ballotSecret! }, now));
        await step('comment period reminders', () => remindClosingCommentPeriods(db, now));
      }
      await step('digests', () => assembleDigests(db, now, config.notifications.digestHourUtc));
    },
  });
}

import nodemailer from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import type { SmtpConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import * as repo from './repository.ts';
import type { MailSeal } from './seal.ts';
import type { Composer, OutboxWorker } from './worker.ts';

/** One plain-text mail; `kind` names the template in logs (recipients and bodies are never logged). */
export interface MailMessage {
  kind: string;
  to: string;
  subject: string;
  text: string;
}

/** What actually talks to a mail server. */
export interface MailTransport {
  send(message: { from: string; to: string; subject: string; text: string; headers?: Record<string, string> }): Promise<void>;
  close(): void;
}

/** Links whose token must never reach a log: unsubscribe links and confirmation links. */
const TOKEN_IN_LINK = /(\/api\/mail\/unsubscribe\/|\/confirm#token=)[A-Za-z0-9_-]+/g;

export function redactLinks(text: string): string {
  return text.replace(TOKEN_IN_LINK, '$1[redacted]');
}

/**
 * Development without SMTP_URL: mail is written to the log instead of sent — subject and body, with
 * the tokens of its links taken out, and never the address (the outbox row names the recipient).
 */
export function logTransport(log: FastifyBaseLogger): MailTransport {
  return {
    async send(message) {
      log.info({ subject: message.subject, text: redactLinks(message.text) }, 'mail not sent (no SMTP_URL): written to the log instead');
    },
    close() {},
  };
}

/** SMTP through nodemailer: a few pooled connections (reused across mails), short timeouts, no file or URL access, no logging. */
export function smtpTransport(config: SmtpConfig): MailTransport {
  const transporter = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    ...(config.auth && { auth: { user: config.auth.user, pass: config.auth.pass } }),
    pool: true,
    maxConnections: 4,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    logger: false,
    debug: false,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(message) {
      await transporter.sendMail(message);
    },
    close() {
      transporter.close();
    },
  };
}

/**
 * A mail failure as it may be logged: nodemailer's code, the server's reply code, and the message
 * with the SMTP credentials taken out (never the error object itself, whose fields may echo commands).
 */
export function describeMailError(error: unknown, secrets: readonly string[]): { code?: string; responseCode?: number; message: string } {
  const fields = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  let message = error instanceof Error ? error.message : String(error);
  for (const secret of secrets) {
    if (secret.length > 0) message = message.split(secret).join('[redacted]');
  }
  return {
    ...(typeof fields.code === 'string' && { code: fields.code }),
    ...(typeof fields.responseCode === 'number' && { responseCode: fields.responseCode }),
    message,
  };
}

export interface OutboxOptions {
  db: Db;
  seal: MailSeal;
  /** Sends what is due now (the notification worker, which sends every kind of mail from the table). */
  worker: Pick<OutboxWorker, 'runOnce'>;
  log: FastifyBaseLogger;
  /** At most this many mails to one address per window; more are dropped (and logged), never queued. */
  perRecipient?: number;
  windowMs?: number;
}

/**
 * Account mail (confirmation links, notices, invitations) goes through the same outbox table as
 * notification mail: `send` writes a row — the body sealed (mail/seal.ts), since a confirmation link is
 * a sign-in token — and asks the worker to send at once. The request that causes a mail answers without
 * waiting for the mail server, so how long it takes (or whether the mail server is up) cannot tell one
 * kind of answer from another; a mail server that is down, or a restart, only delays the mail (it is
 * retried with backoff, by this instance or the next). A per-address limit, counted in the table (so
 * across instances), keeps anyone from flooding an inbox through registrations or invitations.
 */
export class Outbox {
  private readonly options: Required<OutboxOptions>;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(options: OutboxOptions) {
    this.options = { perRecipient: 10, windowMs: 60 * 60 * 1000, ...options };
  }

  /** Queues a message and returns at once. */
  send(message: MailMessage): void {
    const { db, seal, log, perRecipient, windowMs, worker } = this.options;
    const writing = repo
      .insertAccountMail(db, {
        to: message.to,
        template: message.kind,
        subject: message.subject,
        sealedBody: seal.seal(message.text),
        perRecipient,
        windowMs,
      })
      .then(
        (queued) => {
          if (!queued) {
            log.warn({ mail: message.kind }, 'mail not sent: too many mails to one address within the hour');
            return;
          }
          void worker.runOnce();
        },
        (error: unknown) => log.error({ mail: message.kind, err: error }, 'mail not queued: the outbox could not be written'),
      );
    this.inFlight.add(writing);
    void writing.finally(() => this.inFlight.delete(writing));
  }

  /** Resolves when every mail queued so far is in the table and a sending round has run. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.options.worker.runOnce();
  }

  /** Waits (up to `waitMs`) for mail being written to the table; what is not sent yet stays there for later. */
  async close(waitMs = 15_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const written = (async () => {
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    })();
    await Promise.race([written, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
  }
}

/** What the worker sends for an account mail row: the sealed body opened, or nothing if it cannot be. */
export function composeAccountMail(seal: MailSeal): Composer {
  return async (row) => {
    const text = row.sealed_body ? seal.open(row.sealed_body) : null;
    if (text === null || row.to_address === null) return { skip: 'dropped', reason: 'the body cannot be opened (sealed with another server secret)' };
    return { template: row.template ?? 'account', to: row.to_address, subject: row.subject ?? '', text };
  };
}

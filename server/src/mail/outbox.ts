import nodemailer from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import type { SmtpConfig } from '../config.ts';

/** One plain-text mail; `kind` names the template in logs (recipients and bodies are never logged). */
export interface MailMessage {
  kind: string;
  to: string;
  subject: string;
  text: string;
}

/** What actually talks to a mail server. */
export interface MailTransport {
  send(message: { from: string; to: string; subject: string; text: string }): Promise<void>;
  close(): void;
}

/** SMTP through nodemailer: a connection per message, short timeouts, no file or URL access, no logging. */
export function smtpTransport(config: SmtpConfig): MailTransport {
  const transporter = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    ...(config.auth && { auth: { user: config.auth.user, pass: config.auth.pass } }),
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
  from: string;
  transport: MailTransport;
  log: FastifyBaseLogger;
  /** Strings that must never reach the log (the SMTP user name and password). */
  secrets?: readonly string[];
  /** At most this many mails to one address per window; more are dropped (and logged), never queued. */
  perRecipient?: number;
  windowMs?: number;
  /** Addresses remembered for the per-recipient limit, at most. */
  maxTracked?: number;
}

/**
 * Sends mail in the background: the request that causes a mail answers without waiting for the mail
 * server, so how long it takes (or whether the mail server is up) cannot tell one kind of answer from
 * another. Failures are logged without recipients or credentials. A per-address limit keeps anyone
 * from flooding an inbox through registrations or invitations.
 */
export class Outbox {
  readonly from: string;
  private readonly transport: MailTransport;
  private readonly log: FastifyBaseLogger;
  private readonly secrets: readonly string[];
  private readonly perRecipient: number;
  private readonly windowMs: number;
  private readonly maxTracked: number;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly sentTo = new Map<string, number[]>();

  constructor(options: OutboxOptions) {
    this.from = options.from;
    this.transport = options.transport;
    this.log = options.log;
    this.secrets = options.secrets ?? [];
    this.perRecipient = options.perRecipient ?? 10;
    this.windowMs = options.windowMs ?? 60 * 60 * 1000;
    this.maxTracked = options.maxTracked ?? 100_000;
  }

  /** Queues a message and returns at once. */
  send(message: MailMessage, now = Date.now()): void {
    if (!this.admit(message.to.toLowerCase(), now)) {
      this.log.warn({ mail: message.kind }, 'mail not sent: too many mails to one address within the hour');
      return;
    }
    const sending = this.transport.send({ from: this.from, to: message.to, subject: message.subject, text: message.text }).then(
      () => this.log.info({ mail: message.kind }, 'mail sent'),
      (error: unknown) => this.log.error({ mail: message.kind, error: describeMailError(error, this.secrets) }, 'mail not sent'),
    );
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending));
  }

  /** Resolves when every mail queued so far has been sent or has failed. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Waits (up to `waitMs`) for mail under way, then closes the transport. */
  async close(waitMs = 15_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.drain(), new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
    this.transport.close();
  }

  private admit(recipient: string, now: number): boolean {
    const recent = (this.sentTo.get(recipient) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length >= this.perRecipient) {
      this.sentTo.set(recipient, recent);
      return false;
    }
    recent.push(now);
    this.sentTo.delete(recipient);
    this.sentTo.set(recipient, recent);
    // Oldest first (a Map keeps insertion order, and every use re-inserts): forget the least recent.
    while (this.sentTo.size > this.maxTracked) {
      const oldest = this.sentTo.keys().next().value;
      if (oldest === undefined) break;
      this.sentTo.delete(oldest);
    }
    return true;
  }
}

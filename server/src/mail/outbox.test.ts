import pino from 'pino';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.ts';
import { composeAccountMail, describeMailError, Outbox, redactLinks, type MailTransport } from './outbox.ts';
import { MailSeal } from './seal.ts';
import { OutboxWorker } from './worker.ts';

describe('account mail through the outbox table', () => {
  const t = useTestApp({}, { notificationIntervalMs: null });
  const seal = new MailSeal('server secret for the test');

  function recorder(fail = false) {
    const sent: { to: string; subject: string; text: string }[] = [];
    const lines: string[] = [];
    const transport: MailTransport = {
      async send(message) {
        if (fail) {
          throw Object.assign(new Error('Invalid login for mailer with s3cret: 535 Authentication failed'), {
            code: 'EAUTH',
            responseCode: 535,
            command: 'AUTH PLAIN AG1haWxlcgBzM2NyZXQ=',
          });
        }
        sent.push({ to: message.to, subject: message.subject, text: message.text });
      },
      close() {},
    };
    const log = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _encoding, callback) {
          lines.push(String(chunk));
          callback();
        },
      }),
    );
    const worker = new OutboxWorker({
      db: t.db,
      transport,
      from: 'x@example.org',
      composers: { account: composeAccountMail(seal) },
      log,
      secrets: ['s3cret', 'mailer'],
      intervalMs: null,
      // Only account mail is sent here: rows are due at once.
      clock: () => new Date(Date.now() + 1000),
    });
    return { sent, lines, log, worker };
  }

  const message = (to: string, text = 'Body') => ({ kind: 'test', to, subject: 'Hello', text });
  let counter = 0;
  const address = (name: string) => `${name}.${++counter}.${Date.now()}@example.org`;

  it('sends at most the per-address limit within the window (counted in the table, so across instances)', async () => {
    const { sent, lines, log, worker } = recorder();
    const [a, b] = [address('a'), address('b')];
    const first = new Outbox({ db: t.db, seal, worker, log, perRecipient: 2 });
    const second = new Outbox({ db: t.db, seal, worker, log, perRecipient: 2 });
    first.send(message(a));
    await first.drain();
    second.send(message(a));
    await second.drain();
    first.send(message(a));
    first.send(message(b));
    await first.drain();
    expect(sent.map((m) => m.to).sort()).toEqual([a, a, b].sort());
    expect(lines.join('')).toContain('too many mails to one address');
    expect(lines.join('')).not.toContain(a);
  });

  it('keeps the body sealed while it waits (a confirmation token never lies in the table in plain text), and erases it once sent', async () => {
    const { sent, log, worker } = recorder();
    const to = address('sealed');
    const token = 'tokenabcdefghijkmnpqrstuvwxyz234567';
    // A worker that does not get to send yet (the mail server is slow, or the process is stopping).
    const later = { runOnce: async () => ({ sent: 0, retried: 0, failed: 0, dropped: 0 }) };
    const outbox = new Outbox({ db: t.db, seal, worker: later, log });
    outbox.send(message(to, `Open https://drafts.example.org/confirm#token=${token}`));
    await outbox.close();
    const row = await t.db.selectFrom('mail_outbox').select(['sealed_body', 'subject', 'status']).where('to_address', '=', to).executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    expect(row.sealed_body!.toString('latin1')).not.toContain(token);
    expect(seal.open(row.sealed_body!)).toContain(token);
    // The next round (this process or the next) sends it, then nothing of the body stays.
    await worker.runOnce();
    expect(sent.find((m) => m.to === to)?.text).toContain(`/confirm#token=${token}`);
    expect(await t.db.selectFrom('mail_outbox').select(['sealed_body', 'status']).where('to_address', '=', to).executeTakeFirstOrThrow()).toEqual({
      sealed_body: null,
      status: 'sent',
    });
  });

  it('drops a body sealed with another server secret, saying so in the log', async () => {
    const { sent, lines, log, worker } = recorder();
    const to = address('other-key');
    const outbox = new Outbox({ db: t.db, seal: new MailSeal('a previous secret'), worker: { runOnce: worker.runOnce.bind(worker) }, log });
    outbox.send(message(to));
    await outbox.drain();
    expect(sent.map((m) => m.to)).not.toContain(to);
    expect(await t.db.selectFrom('mail_outbox').select('status').where('to_address', '=', to).executeTakeFirstOrThrow()).toEqual({ status: 'dropped' });
    expect(lines.join('')).toContain('sealed with another server secret');
  });

  it('logs a failure with its codes and without the credentials or the recipient', async () => {
    const { lines, log, worker } = recorder(true);
    const to = address('someone');
    const outbox = new Outbox({ db: t.db, seal, worker, log });
    outbox.send(message(to));
    await outbox.drain();
    const logged = lines.join('');
    expect(logged).toContain('"code":"EAUTH"');
    expect(logged).toContain('"responseCode":535');
    expect(logged).toContain('will retry');
    expect(logged).not.toContain('s3cret');
    expect(logged).not.toContain('mailer');
    expect(logged).not.toContain('AG1haWxlcgBzM2NyZXQ=');
    expect(logged).not.toContain(to);
    const row = await t.db.selectFrom('mail_outbox').select(['status', 'attempts', 'last_error']).where('to_address', '=', to).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.last_error).not.toContain('s3cret');
  });

  it('describes odd errors too, and takes tokens out of links', () => {
    expect(describeMailError('plain string', [])).toEqual({ message: 'plain string' });
    expect(redactLinks('https://x.org/confirm#token=abc234 and https://x.org/api/mail/unsubscribe/Zz_-09')).toBe(
      'https://x.org/confirm#token=[redacted] and https://x.org/api/mail/unsubscribe/[redacted]',
    );
  });
});

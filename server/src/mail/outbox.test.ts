import pino from 'pino';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { describeMailError, Outbox, type MailTransport } from './outbox.ts';

function recorder() {
  const sent: { to: string; subject: string }[] = [];
  const lines: string[] = [];
  const transport: MailTransport = {
    async send(message) {
      sent.push({ to: message.to, subject: message.subject });
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
  return { sent, lines, transport, log };
}

const message = (to: string) => ({ kind: 'test', to, subject: 'Hello', text: 'Body' });

describe('outbox', () => {
  it('sends at most the per-address limit within the window, then again once it has passed', async () => {
    const { sent, lines, transport, log } = recorder();
    const outbox = new Outbox({ from: 'x@example.org', transport, log, perRecipient: 2, windowMs: 1000 });
    outbox.send(message('a@example.org'), 0);
    outbox.send(message('A@example.org'), 10);
    outbox.send(message('a@example.org'), 20);
    outbox.send(message('b@example.org'), 30);
    await outbox.drain();
    expect(sent.map((m) => m.to)).toEqual(['a@example.org', 'A@example.org', 'b@example.org']);
    expect(lines.join('')).toContain('too many mails to one address');
    expect(lines.join('')).not.toContain('a@example.org');
    outbox.send(message('a@example.org'), 1001);
    await outbox.drain();
    expect(sent).toHaveLength(4);
  });

  it('forgets the least recently used addresses beyond its bound', async () => {
    const { sent, transport, log } = recorder();
    const outbox = new Outbox({ from: 'x@example.org', transport, log, perRecipient: 1, windowMs: 1000, maxTracked: 2 });
    for (const to of ['a@x.org', 'b@x.org', 'c@x.org', 'a@x.org']) outbox.send(message(to), 0);
    await outbox.drain();
    // a was forgotten when c came, so its second mail went out.
    expect(sent.map((m) => m.to)).toEqual(['a@x.org', 'b@x.org', 'c@x.org', 'a@x.org']);
  });

  it('logs a failure with its codes and without the credentials', async () => {
    const { lines, log } = recorder();
    const failing: MailTransport = {
      send: async () => {
        throw Object.assign(new Error('Invalid login for mailer with s3cret: 535 Authentication failed'), {
          code: 'EAUTH',
          responseCode: 535,
          command: 'AUTH PLAIN AG1haWxlcgBzM2NyZXQ=',
        });
      },
      close() {},
    };
    const outbox = new Outbox({ from: 'x@example.org', transport: failing, log, secrets: ['s3cret', 'mailer'] });
    outbox.send(message('someone@example.org'));
    await outbox.drain();
    const logged = lines.join('');
    expect(logged).toContain('"code":"EAUTH"');
    expect(logged).toContain('"responseCode":535');
    expect(logged).not.toContain('s3cret');
    expect(logged).not.toContain('mailer');
    expect(logged).not.toContain('AG1haWxlcgBzM2NyZXQ=');
    expect(logged).not.toContain('someone@example.org');
  });

  it('describes odd errors too', () => {
    expect(describeMailError('plain string', [])).toEqual({ message: 'plain string' });
  });
});

import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { User } from '@draftroom/shared';
import { PASSWORD, sessionCookieFrom, type TestApp, type TestUser } from './app.ts';

/** A mail as the SMTP server received it, headers and plain-text body decoded. */
export interface ReceivedMail {
  /** Envelope recipients. */
  to: string[];
  headers: Record<string, string>;
  subject: string;
  text: string;
  raw: string;
}

export interface TestMailServer {
  /** smtp://user:password@127.0.0.1:port — what SMTP_URL is set to. */
  readonly url: string;
  readonly password: string;
  /** Every mail received so far, in order. */
  readonly messages: ReceivedMail[];
  /** The first mail (received already or still to come) that matches; fails after `timeoutMs`. */
  waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Mails received so far for one address. */
  to(address: string): ReceivedMail[];
  /** Refuses the next `count` mails (a temporary failure, 451), as a mail server that is down for a while. */
  refuseNext(count: number): void;
  close(): Promise<void>;
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const joined = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < joined.length; i++) {
    const char = joined[i]!;
    if (char === '=' && /^[0-9A-F]{2}$/i.test(joined.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(char, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= and =?UTF-8?B?…?=), as in a Subject with non-ASCII text. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?[^?]+\?([QB])\?([^?]*)\?=/gi, (_match, encoding: string, data: string) =>
      encoding.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replaceAll('_', ' ')),
    );
}

/** Just enough MIME for the single-part plain-text mails Draftroom sends. */
export function parseMail(raw: string, to: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const text =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(body)
      : encoding === 'base64'
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : body;
  return { to, headers, subject: decodeWords(headers.subject ?? ''), text: text.replace(/\r\n/g, '\n'), raw };
}

/** A real SMTP server on loopback (no TLS, password required), collecting what it receives. */
export async function startTestMailServer(): Promise<TestMailServer> {
  const user = 'draftroom';
  const password = `smtp-${randomBytes(8).toString('hex')}`;
  const messages: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  let refusing = 0;
  const server = new SMTPServer({
    logger: false,
    // No reverse DNS of the client (127.0.0.1): without a reachable resolver it holds each greeting for seconds.
    disableReverseLookup: true,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) callback(null, { user });
      else callback(new Error('Invalid username or password'));
    },
    onRcptTo(_address, _session, callback) {
      if (refusing > 0) {
        refusing--;
        callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        messages.push(parseMail(Buffer.concat(chunks).toString('utf8'), recipients));
        for (const wake of waiters) wake();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://${user}:${password}@127.0.0.1:${port}`,
    password,
    messages,
    to: (address) => messages.filter((mail) => mail.to.includes(address)),
    refuseNext: (count) => {
      refusing = count;
    },
    waitFor(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(predicate);
          if (!found) return false;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(found);
          return true;
        };
        const wake = () => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`no matching mail within ${timeoutMs} ms; received: ${messages.map((m) => `${m.to.join(',')} "${m.subject}"`).join('; ')}`));
        }, timeoutMs);
        if (!check()) waiters.add(wake);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The token of the confirmation link in a mail. */
export function confirmationToken(mail: ReceivedMail): string {
  const match = /\/confirm#token=([a-z2-9]+)/.exec(mail.text);
  if (!match) throw new Error(`no confirmation link in: ${mail.text}`);
  return match[1]!;
}

export function uniqueEmail(name = 'someone'): string {
  return `${name.toLowerCase().replaceAll(/[^a-z]+/g, '.')}.${randomBytes(4).toString('hex')}@example.org`;
}

/** Registers, confirms through the mailed link and returns the signed-in account (apps with SMTP_URL). */
export async function registerConfirmed(t: TestApp, mail: TestMailServer, name = 'Test User', email = uniqueEmail(name)): Promise<TestUser> {
  const registered = await t.request({ method: 'POST', url: '/api/auth/register', payload: { email, displayName: name, password: PASSWORD } });
  if (registered.statusCode !== 202) throw new Error(`register failed: ${registered.statusCode} ${registered.body}`);
  const message = await mail.waitFor((m) => m.to.includes(email) && m.subject === 'Confirm your Draftroom account');
  const confirmed = await t.request({ method: 'POST', url: '/api/auth/confirm', payload: { token: confirmationToken(message) } });
  if (confirmed.statusCode !== 200) throw new Error(`confirm failed: ${confirmed.statusCode} ${confirmed.body}`);
  return { user: confirmed.json().user as User, cookie: sessionCookieFrom(confirmed), email };
}

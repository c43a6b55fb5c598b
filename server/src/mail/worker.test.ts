import { Writable } from 'node:stream';
import { sql } from 'kysely';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.ts';
import { createDb } from '../db/database.ts';
import type { MailTransport } from './outbox.ts';
import { claimDue } from './repository.ts';
import { OutboxWorker, type OutboxWorkerOptions } from './worker.ts';

describe('the outbox worker', () => {
  const t = useTestApp({}, { notificationIntervalMs: null });
  let counter = 0;

  function logger() {
    const lines: string[] = [];
    const log = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _encoding, callback) {
          lines.push(String(chunk));
          callback();
        },
      }),
    );
    return { lines, log };
  }

  /** A transport of our own making (not a mock of our database): records what it is given, fails on demand. */
  function transport(fail: (to: string) => boolean = () => false) {
    const sent: string[] = [];
    const value: MailTransport = {
      async send(message) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (fail(message.to)) throw Object.assign(new Error(`451 mailbox busy for ${message.to}`), { code: 'EENVELOPE', responseCode: 451 });
        sent.push(message.to);
      },
      close() {},
    };
    return { sent, transport: value };
  }

  async function queue(count: number, at: Date): Promise<string[]> {
    const addresses = Array.from({ length: count }, () => `worker-${++counter}@example.org`);
    await t.db
      .insertInto('mail_outbox')
      .values(addresses.map((to) => ({ kind: 'account' as const, to_address: to, template: 'test.mail', subject: 'Hello', next_attempt_at: at })))
      .execute();
    return addresses;
  }

  const statusOf = (to: string) =>
    t.db
      .selectFrom('mail_outbox')
      .select(['status', 'attempts', 'next_attempt_at', 'sealed_body', 'last_error'])
      .where('to_address', '=', to)
      .executeTakeFirstOrThrow();

  function worker(options: Partial<OutboxWorkerOptions> & { now: () => Date; log: OutboxWorkerOptions['log'] }) {
    return new OutboxWorker({
      db: t.db,
      transport: options.transport ?? null,
      from: 'Draftroom <no-reply@example.org>',
      composers: { account: async (row) => ({ template: row.template ?? 'account', to: row.to_address!, subject: row.subject ?? '', text: 'Body' }) },
      intervalMs: null,
      ...options,
      clock: options.now,
    });
  }

  it('retries with exponential backoff, then gives up, logging neither the address nor the body', async () => {
    const start = new Date(Date.now() + 3_600_000);
    let now = start;
    const { lines, log } = logger();
    const { transport: failing } = transport(() => true);
    const w = worker({ transport: failing, now: () => now, log, maxAttempts: 3 });
    const [to] = await queue(1, start);
    expect(await w.runOnce()).toMatchObject({ retried: 1 });
    expect((await statusOf(to!)).next_attempt_at.getTime() - start.getTime()).toBe(30_000);
    expect(await w.runOnce()).toMatchObject({ retried: 0, sent: 0 }); // not due yet
    now = new Date(start.getTime() + 30_000);
    expect(await w.runOnce()).toMatchObject({ retried: 1 });
    expect((await statusOf(to!)).next_attempt_at.getTime() - now.getTime()).toBe(60_000);
    now = new Date(now.getTime() + 60_000);
    expect(await w.runOnce()).toMatchObject({ failed: 1 });
    expect(await statusOf(to!)).toMatchObject({ status: 'failed', attempts: 3, sealed_body: null, last_error: expect.stringContaining('451') });
    const logged = lines.join('');
    expect(logged).toContain('giving up');
    expect(logged).toContain('"outboxId"');
    expect(w.retryDelay(1)).toBe(30_000);
    expect(w.retryDelay(20)).toBe(3_600_000);
  });

  it('two workers (two instances) running at once send each mail exactly once', async () => {
    const at = new Date(Date.now() + 2 * 3_600_000);
    const addresses = await queue(30, at);
    const { sent, transport: shared } = transport();
    const { log } = logger();
    const [a, b] = [worker({ transport: shared, now: () => at, log, batchSize: 7 }), worker({ transport: shared, now: () => at, log, batchSize: 7 })];
    const results = await Promise.all([a.runOnce(), b.runOnce()]);
    expect(results[0]!.sent + results[1]!.sent).toBe(30);
    expect(sent.filter((to) => addresses.includes(to)).sort()).toEqual([...addresses].sort());
  });

  it('a mail claimed by a worker that died is sent by another once the lease runs out', async () => {
    const at = new Date(Date.now() + 3 * 3_600_000);
    const [to] = await queue(1, at);
    // A worker claims it, then its process dies before sending.
    expect((await claimDue(t.db, at, 100, 60_000)).some((row) => row.to_address === to)).toBe(true);
    const { sent, transport: working } = transport();
    const { log } = logger();
    expect((await worker({ transport: working, now: () => at, log }).runOnce()).sent).toBe(0);
    await worker({ transport: working, now: () => new Date(at.getTime() + 60_000), log }).runOnce();
    expect(sent).toContain(to);
    expect(await statusOf(to!)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('a mail queued in the very millisecond a round begins is sent by that round (a Date has no microseconds, PostgreSQL does)', async () => {
    const at = new Date(Date.now() + 4 * 3_600_000);
    // As a row inserted with the default now() while the round's clock still reads `at`.
    const to = `worker-${++counter}@example.org`;
    await sql`insert into mail_outbox (kind, to_address, template, subject, next_attempt_at)
      values ('account', ${to}, 'test.mail', 'Hello', ${at}::timestamptz + interval '900 microseconds')`.execute(t.db);
    const { sent, transport: working } = transport();
    const { log } = logger();
    expect((await worker({ transport: working, now: () => at, log }).runOnce()).sent).toBe(1);
    expect(sent).toEqual([to]);
    // One millisecond later is not due yet.
    const later = `worker-${++counter}@example.org`;
    await sql`insert into mail_outbox (kind, to_address, template, subject, next_attempt_at)
      values ('account', ${later}, 'test.mail', 'Hello', ${at}::timestamptz + interval '1 millisecond')`.execute(t.db);
    expect((await worker({ transport: working, now: () => at, log }).runOnce()).sent).toBe(0);
    expect(sent).toEqual([to]);
  });

  it('never rejects: a failing step before sending, a composer that throws or a database that is gone are logged, and the round ends', async () => {
    const at = new Date(Date.now() + 4 * 3_600_000);
    const [to] = await queue(1, at);
    const { lines, log } = logger();
    const { sent, transport: working } = transport();
    const broken = worker({
      transport: working,
      now: () => at,
      log,
      before: async () => {
        throw new Error('reminders failed');
      },
      composers: {
        account: async () => {
          throw new Error('composer failed');
        },
      },
    });
    await expect(broken.runOnce()).resolves.toMatchObject({ sent: 0 });
    expect(lines.join('')).toContain('the work before sending failed');
    expect(lines.join('')).toContain('could not handle an outbox row');
    expect(sent).not.toContain(to);
    // The row went back under its lease; a healthy worker later sends it.
    await worker({ transport: working, now: () => new Date(at.getTime() + 11 * 60_000), log }).runOnce();
    expect(sent).toContain(to);
    // A database nobody answers at.
    const nowhere = createDb('postgres://nobody:x@127.0.0.1:1/none', { max: 1 });
    const gone = new OutboxWorker({
      db: nowhere,
      transport: working,
      from: 'x@example.org',
      composers: {},
      clock: () => at,
      log,
      intervalMs: null,
    });
    await expect(gone.runOnce()).resolves.toEqual({ sent: 0, retried: 0, failed: 0, dropped: 0 });
    expect(lines.join('')).toContain('could not read the outbox');
    await nowhere.destroy();
  });

  it('without a transport (production without SMTP_URL) drops what is due instead of keeping it forever', async () => {
    const at = new Date(Date.now() + 5 * 3_600_000);
    const [to] = await queue(1, at);
    const { log } = logger();
    expect(await worker({ now: () => at, log }).runOnce()).toMatchObject({ dropped: 1 });
    expect(await statusOf(to!)).toMatchObject({ status: 'dropped', last_error: 'mail is not configured (SMTP_URL)' });
  });

  it('runs on its own timer once started, and stops cleanly', async () => {
    const [to] = await queue(1, new Date());
    const { log } = logger();
    const { sent, transport: working } = transport();
    const w = worker({ transport: working, now: () => new Date(), log, intervalMs: 20 });
    w.start();
    await expect.poll(() => sent.includes(to!), { timeout: 10_000 }).toBe(true);
    await w.stop();
  });
});

import { sql, type Selectable } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { MailOutboxTable } from '../db/schema.ts';

export type OutboxRow = Selectable<MailOutboxTable>;

/**
 * Takes up to `limit` mails that are due, for `leaseMs`: their next attempt moves past the lease, so
 * another worker (or instance) skips them, and a worker that dies mid-send leaves them to be retried
 * when the lease runs out. Rows another worker holds locked are skipped, not waited for.
 */
export async function claimDue(db: Executor, now: Date, limit: number, leaseMs: number): Promise<OutboxRow[]> {
  const leaseEnd = new Date(now.getTime() + leaseMs);
  // A Date counts milliseconds, PostgreSQL microseconds: a row inserted (default now()) in the very
  // millisecond the round began is due, though its timestamp is a few microseconds "after" `now`.
  const dueBefore = new Date(now.getTime() + 1);
  const { rows } = await sql<OutboxRow>`
    update mail_outbox set attempts = attempts + 1, next_attempt_at = ${leaseEnd}
    where id in (
      select id from mail_outbox
      where status = 'pending' and kind <> 'digest_item' and next_attempt_at < ${dueBefore}
      order by next_attempt_at, id
      limit ${limit}
      for update skip locked
    )
    returning *`.execute(db);
  return rows.sort((a, b) => a.id - b.id);
}

/** Sent: the sealed body (which may hold a token) is erased at once. */
export async function markSent(db: Executor, id: number, now: Date): Promise<void> {
  await db.updateTable('mail_outbox').set({ status: 'sent', sent_at: now, sealed_body: null, last_error: null }).where('id', '=', id).execute();
}

export async function markRetry(db: Executor, id: number, at: Date, error: string): Promise<void> {
  await db.updateTable('mail_outbox').set({ next_attempt_at: at, last_error: error }).where('id', '=', id).execute();
}

/** Given up (`failed`) or no longer to be sent (`dropped`): nothing of the body is kept. */
export async function markFinished(db: Executor, id: number, status: 'failed' | 'dropped', error: string | null): Promise<void> {
  await db.updateTable('mail_outbox').set({ status, sealed_body: null, last_error: error }).where('id', '=', id).execute();
}

/** Finished mail is kept a while (the per-address limit counts it, and it helps to tell what happened), then removed. */
export async function purgeFinished(db: Executor, before: Date): Promise<void> {
  await db
    .deleteFrom('mail_outbox')
    .where('status', 'in', ['sent', 'failed', 'dropped'])
    .where('created_at', '<', before)
    .where('kind', '<>', 'digest_item')
    .execute();
}

/** A digest's items share its fate. */
export async function markDigestItems(db: Executor, digestId: number, status: 'sent' | 'failed' | 'dropped'): Promise<void> {
  await db.updateTable('mail_outbox').set({ status }).where('digest_id', '=', digestId).execute();
}

/**
 * Queues an account mail unless the address already had `perRecipient` of them within the window
 * (counted in the table, so across instances). Whether it was queued.
 */
export async function insertAccountMail(
  db: Executor,
  mail: { to: string; template: string; subject: string; sealedBody: Buffer; perRecipient: number; windowMs: number },
): Promise<boolean> {
  const { rows } = await sql<{ id: number }>`
    insert into mail_outbox (kind, to_address, template, subject, sealed_body)
    select 'account', ${mail.to}, ${mail.template}, ${mail.subject}, ${mail.sealedBody}
    where (
      select count(*) from mail_outbox
      where kind = 'account' and to_address = ${mail.to} and created_at > now() - ${mail.windowMs} * interval '1 millisecond'
    ) < ${mail.perRecipient}
    returning id`.execute(db);
  return rows.length > 0;
}

import { sql, type Kysely } from 'kysely';

const KINDS = [
  'mention',
  'reply',
  'new_thread',
  'resolved',
  'ballot_opened',
  'ballot_closing',
  'ballot_closed',
  'amendment_accepted',
  'amendment_rejected',
  'version_published',
  'comment_period_opened',
  'comment_period_closing',
  'role_changed',
];
const kindList = sql.raw(KINDS.map((kind) => `'${kind}'`).join(', '));

/**
 * Notifications people can act on, and mail.
 *
 * `notifications` now names the group (every notification has one; existing rows take their
 * definition's), and what it is about besides threads: a ballot, an amendment, a version (each
 * deleted with it), the clause, kind-specific details (`data`) and a `dedupe_key` that makes the
 * periodic "closes within 24 hours" reminders idempotent. Group-level kinds (my role changed) have
 * no definition; only thread kinds have a thread. Existing rows take their thread's clause.
 *
 * `notification_settings`: one row per person and kind they changed from the defaults.
 *
 * `mail_outbox`: every mail waits here until it is sent, so sending never blocks a request and a
 * restart loses nothing. `notification` rows mail one notification, `digest_item` rows wait for the
 * day's `digest` (one per person per day, which gathers them: `digest_id`), `account` rows are
 * account mails whose body is sealed (it may hold a sign-in token) and erased once sent. A row is
 * claimed by pushing `next_attempt_at` ahead (a lease), then marked sent, retried later with
 * backoff, or given up (`failed`), or dropped when its recipient may no longer read it.
 *
 * `mail_unsubscribe_tokens`: the single-purpose tokens of unsubscribe links, stored as SHA-256 only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table notifications
    add column group_id uuid references groups(id) on delete cascade,
    add column ballot_id uuid references ballots(id) on delete cascade,
    add column amendment_id uuid references amendments(id) on delete cascade,
    add column version_id uuid references versions(id) on delete cascade,
    add column clause_id uuid,
    add column data jsonb not null default '{}',
    add column dedupe_key text`.execute(db);
  await sql`update notifications n set group_id = d.group_id from definitions d where d.id = n.definition_id`.execute(db);
  await sql`update notifications n set clause_id = t.clause_id from threads t where t.id = n.thread_id`.execute(db);
  await sql`alter table notifications
    alter column group_id set not null,
    alter column definition_id drop not null,
    alter column thread_id drop not null,
    drop constraint notifications_kind_check,
    add constraint notifications_kind_check check (kind in (${kindList}))`.execute(db);
  await sql`create unique index notifications_dedupe on notifications (user_id, dedupe_key) where dedupe_key is not null`.execute(db);
  // Deleting a ballot, amendment or version finds its notifications through these.
  for (const column of ['ballot_id', 'amendment_id', 'version_id', 'group_id']) {
    await sql`create index ${sql.id(`notifications_${column}`)} on notifications (${sql.id(column)}) where ${sql.id(column)} is not null`.execute(db);
  }

  await db.schema
    .createTable('notification_settings')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in (${kindList})`))
    .addColumn('enabled', 'boolean', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull().check(sql`email in ('off', 'immediate', 'digest')`))
    .addPrimaryKeyConstraint('notification_settings_pk', ['user_id', 'kind'])
    .execute();

  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('notification', 'digest_item', 'digest', 'account')`))
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('to_address', 'text')
    .addColumn('notification_id', 'bigint', (c) => c.references('notifications.id').onDelete('cascade'))
    .addColumn('digest_id', 'bigint', (c) => c.references('mail_outbox.id').onDelete('cascade'))
    .addColumn('digest_day', 'date')
    .addColumn('template', 'text')
    .addColumn('subject', 'text')
    .addColumn('sealed_body', 'bytea')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'batched', 'sent', 'failed', 'dropped')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .addCheckConstraint('mail_outbox_recipient', sql`user_id is not null or to_address is not null`)
    .addCheckConstraint(
      'mail_outbox_shape',
      sql`(kind in ('notification', 'digest_item')) = (notification_id is not null) and (kind = 'digest') = (digest_day is not null)`,
    )
    .execute();
  await sql`create index mail_outbox_due on mail_outbox (next_attempt_at) where status = 'pending' and kind <> 'digest_item'`.execute(db);
  await sql`create index mail_outbox_digest_items on mail_outbox (user_id, created_at) where status = 'pending' and kind = 'digest_item'`.execute(db);
  await sql`create index mail_outbox_digest_of on mail_outbox (digest_id) where digest_id is not null`.execute(db);
  await sql`create index mail_outbox_notification on mail_outbox (notification_id) where notification_id is not null`.execute(db);
  await sql`create index mail_outbox_recent_account on mail_outbox (to_address, created_at) where kind = 'account'`.execute(db);
  await sql`create unique index mail_outbox_one_digest_a_day on mail_outbox (user_id, digest_day) where kind = 'digest'`.execute(db);
  await sql`create index mail_outbox_sent_to on mail_outbox (user_id, sent_at) where kind = 'notification' and status = 'sent'`.execute(db);
  await sql`create index mail_outbox_finished on mail_outbox (created_at) where status in ('sent', 'failed', 'dropped')`.execute(db);

  await db.schema
    .createTable('mail_unsubscribe_tokens')
    .addColumn('token_hash', 'bytea', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kinds', sql`text[]`, (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mail_unsubscribe_tokens_expires_at').on('mail_unsubscribe_tokens').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_unsubscribe_tokens').execute();
  await db.schema.dropTable('mail_outbox').execute();
  await db.schema.dropTable('notification_settings').execute();
  await sql`delete from notifications where thread_id is null or kind not in ('mention', 'reply', 'new_thread', 'resolved')`.execute(db);
  await sql`drop index notifications_dedupe`.execute(db);
  await sql`alter table notifications
    drop constraint notifications_kind_check,
    add constraint notifications_kind_check check (kind in ('mention', 'reply', 'new_thread', 'resolved')),
    alter column thread_id set not null,
    alter column definition_id set not null,
    drop column group_id, drop column ballot_id, drop column amendment_id, drop column version_id,
    drop column clause_id, drop column data, drop column dedupe_key`.execute(db);
}

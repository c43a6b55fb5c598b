import { sql, type Kysely } from 'kysely';

/**
 * Conformance reviews reach the people they concern: reviewers when they are assigned and when every
 * mark is revealed, the system's developer when a review opens (and they may respond) and when it
 * closes, the reviewers and the chair when the developer responds. A notification names its review.
 */
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
  'endorsement_renewal',
];
const REVIEW_KINDS = ['review_assigned', 'review_response_invited', 'review_revealed', 'review_developer_responded', 'review_closed'];

async function allow(db: Kysely<any>, kinds: string[]): Promise<void> {
  const list = sql.raw(kinds.map((kind) => `'${kind}'`).join(', '));
  await sql`alter table notifications drop constraint notifications_kind_check, add constraint notifications_kind_check check (kind in (${list}))`.execute(db);
  await sql`alter table notification_settings drop constraint notification_settings_kind_check, add constraint notification_settings_kind_check check (kind in (${list}))`.execute(
    db,
  );
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('notifications')
    .addColumn('review_id', 'uuid', (c) => c.references('reviews.id').onDelete('cascade'))
    .execute();
  await allow(db, [...KINDS, ...REVIEW_KINDS]);
}

export async function down(db: Kysely<any>): Promise<void> {
  const list = sql.raw(REVIEW_KINDS.map((kind) => `'${kind}'`).join(', '));
  await sql`delete from notifications where kind in (${list})`.execute(db);
  await sql`delete from notification_settings where kind in (${list})`.execute(db);
  await allow(db, KINDS);
  await db.schema.alterTable('notifications').dropColumn('review_id').execute();
}

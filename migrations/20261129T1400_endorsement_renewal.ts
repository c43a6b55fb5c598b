import { sql, type Kysely } from 'kysely';

/** A new notification kind: a later version of what someone endorsed (endorsements never carry over). */
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

async function allow(db: Kysely<any>, kinds: string[]): Promise<void> {
  const list = sql.raw(kinds.map((kind) => `'${kind}'`).join(', '));
  await sql`alter table notifications drop constraint notifications_kind_check, add constraint notifications_kind_check check (kind in (${list}))`.execute(db);
  await sql`alter table notification_settings drop constraint notification_settings_kind_check, add constraint notification_settings_kind_check check (kind in (${list}))`.execute(
    db,
  );
}

export async function up(db: Kysely<any>): Promise<void> {
  await allow(db, [...KINDS, 'endorsement_renewal']);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from notifications where kind = 'endorsement_renewal'`.execute(db);
  await sql`delete from notification_settings where kind = 'endorsement_renewal'`.execute(db);
  await allow(db, KINDS);
}

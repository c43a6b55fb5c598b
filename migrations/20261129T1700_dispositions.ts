import { sql, type Kysely } from 'kysely';

/**
 * The disposition of comments: every public comment, every Object position of a closed public ballot
 * and every formal objection becomes an item the chair disposes of (accepted with the change, partly,
 * rejected with a reason, out of scope, deferred); the commenter hears of it and may say whether they
 * are satisfied. Notifications of it name the item; the live channel hears of its changes.
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
  'review_assigned',
  'review_response_invited',
  'review_revealed',
  'review_developer_responded',
  'review_closed',
];
const DISPOSITION_KINDS = ['disposition_made', 'disposition_response'];

const IDS = ['definitionId', 'threadId', 'commentId', 'clauseId', 'amendmentId', 'ballotId', 'versionId', 'userId', 'invitationId'];
const CONFORMANCE_IDS = ['reviewId', 'checklistId', 'systemId', 'endorsementId'];

async function allow(db: Kysely<any>, kinds: string[]): Promise<void> {
  const list = sql.raw(kinds.map((kind) => `'${kind}'`).join(', '));
  await sql`alter table notifications drop constraint notifications_kind_check, add constraint notifications_kind_check check (kind in (${list}))`.execute(db);
  await sql`alter table notification_settings drop constraint notification_settings_kind_check, add constraint notification_settings_kind_check check (kind in (${list}))`.execute(
    db,
  );
}

async function notifyWith(db: Kysely<any>, keys: string[]): Promise<void> {
  const ids = sql.raw(keys.map((key) => `'${key}', draftroom_live_id(new.payload, '${key}')`).join(',\n          '));
  await sql`
    create or replace function draftroom_live_event() returns trigger language plpgsql as $$
    begin
      if new.group_id is null and new.type not in ('account.signed_out', 'account.password_changed') then
        return null;
      end if;
      perform pg_notify('draftroom_live', jsonb_build_object(
        'source', 'event', 'chain', new.chain, 'seq', new.seq, 'type', new.type, 'groupId', new.group_id, 'actorId', new.actor_id,
        'ids', jsonb_strip_nulls(jsonb_build_object(
          ${ids}
        ))
      )::text);
      return null;
    end $$`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dispositions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('definition_id', 'uuid', (c) => c.notNull().references('definitions.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('public_comment', 'ballot_objection', 'formal_objection')`))
    .addColumn('clause_id', 'uuid')
    .addColumn('thread_id', 'uuid', (c) => c.references('threads.id').onDelete('cascade'))
    .addColumn('comment_id', 'uuid', (c) => c.references('comments.id').onDelete('cascade'))
    .addColumn('ballot_id', 'uuid', (c) => c.references('ballots.id').onDelete('cascade'))
    .addColumn('author_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('public', 'boolean', (c) => c.notNull())
    .addColumn('raised_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('disposition', 'text', (c) => c.check(sql`disposition in ('accepted', 'partly_accepted', 'rejected', 'out_of_scope', 'deferred')`))
    .addColumn('reason', 'text')
    .addColumn('amendment_id', 'uuid', (c) => c.references('amendments.id'))
    .addColumn('version_label', 'text')
    .addColumn('decided_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('satisfied', 'boolean')
    .addColumn('response_note', 'text')
    .addColumn('responded_at', 'timestamptz')
    .addUniqueConstraint('dispositions_number', ['definition_id', 'number'])
    // One item per public thread and one per objector per ballot, however often the hook runs.
    .addUniqueConstraint('dispositions_thread', ['thread_id'])
    .addUniqueConstraint('dispositions_ballot_voter', ['ballot_id', 'author_id'])
    .addCheckConstraint(
      'dispositions_source_fits',
      sql`(source = 'public_comment') = (thread_id is not null and comment_id is not null) and (source = 'ballot_objection') = (ballot_id is not null)`,
    )
    .addCheckConstraint('dispositions_decided', sql`(disposition is null) = (decided_at is null) and (disposition is null) = (decided_by is null)`)
    .addCheckConstraint('dispositions_response', sql`(satisfied is null) = (responded_at is null) and (satisfied is null or disposition is not null)`)
    .execute();
  await db.schema.createIndex('dispositions_definition').on('dispositions').columns(['definition_id', 'number']).execute();
  await db.schema.createIndex('dispositions_author').on('dispositions').columns(['author_id']).execute();

  await db.schema
    .alterTable('notifications')
    .addColumn('disposition_id', 'uuid', (c) => c.references('dispositions.id').onDelete('cascade'))
    .execute();
  await allow(db, [...KINDS, ...DISPOSITION_KINDS]);
  await notifyWith(db, [...IDS, ...CONFORMANCE_IDS, 'dispositionId']);
}

export async function down(db: Kysely<any>): Promise<void> {
  await notifyWith(db, [...IDS, ...CONFORMANCE_IDS]);
  const list = sql.raw(DISPOSITION_KINDS.map((kind) => `'${kind}'`).join(', '));
  await sql`delete from notifications where kind in (${list})`.execute(db);
  await sql`delete from notification_settings where kind in (${list})`.execute(db);
  await allow(db, KINDS);
  await db.schema.alterTable('notifications').dropColumn('disposition_id').execute();
  await db.schema.dropTable('dispositions').execute();
}

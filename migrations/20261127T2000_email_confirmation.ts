import { sql, type Kysely } from 'kysely';

/**
 * With a mail transport, an address is confirmed before it gets an account, and a chair invites by
 * email instead of looking accounts up (which told anyone whether an address had one).
 *
 * `pending_registrations`: a registration waiting for its confirmation link. Only SHA-256 of the
 * link's token is stored; the row is deleted when used, and ignored (then purged) once expired. An
 * address may have several (each registration attempt sends its own link); confirming one deletes
 * them all.
 *
 * `invitations`: a pending offer of a role in a group to an address, whether or not it has an
 * account. Accepting (or confirming a registration for that address) turns it into a membership;
 * accepting, declining and revoking delete it, the audit log keeping the story.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('pending_registrations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'bytea', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('pending_registrations_email_normalized', sql`email = lower(btrim(email))`)
    .execute();
  await db.schema.createIndex('pending_registrations_email').on('pending_registrations').column('email').execute();
  await db.schema.createIndex('pending_registrations_expires_at').on('pending_registrations').column('expires_at').execute();

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('group_id', 'uuid', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('chair', 'editor', 'member', 'observer')`))
    .addColumn('invited_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('invitations_email_normalized', sql`email = lower(btrim(email))`)
    .addUniqueConstraint('invitations_group_email', ['group_id', 'email'])
    .execute();
  await db.schema.createIndex('invitations_email').on('invitations').column('email').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('invitations').execute();
  await db.schema.dropTable('pending_registrations').execute();
}

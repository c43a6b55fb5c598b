import { sql, type Kysely } from 'kysely';

/**
 * Endorsements of a published version (issue 18). One current endorsement per account and version;
 * a withdrawal keeps the row (withdrawn_at, reason). An organisation is verified by a confirmation
 * mail to an address at its domain (only a hash of the token is stored) or by a chair.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('endorsements')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('definition_id', 'uuid', (c) => c.notNull().references('definitions.id').onDelete('cascade'))
    .addColumn('version_id', 'uuid', (c) => c.notNull().references('versions.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('individual', 'organisation')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('organisation', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('role', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('statement', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('link', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('verification', 'text', (c) => c.check(sql`verification in ('email_domain', 'chair')`))
    .addColumn('verified_domain', 'text')
    .addColumn('verified_note', 'text')
    .addColumn('verified_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('verified_at', 'timestamptz')
    .addColumn('pending_domain', 'text')
    .addColumn('confirm_token_hash', 'text')
    .addColumn('confirm_expires_at', 'timestamptz')
    .addColumn('withdrawn_at', 'timestamptz')
    .addColumn('withdrawn_reason', 'text')
    .addCheckConstraint('endorsements_verified_organisations', sql`verification is null or kind = 'organisation'`)
    .execute();
  await sql`create unique index endorsements_current on endorsements (version_id, user_id) where withdrawn_at is null`.execute(db);
  await sql`create unique index endorsements_token on endorsements (confirm_token_hash) where confirm_token_hash is not null`.execute(db);
  await db.schema.createIndex('endorsements_definition').on('endorsements').columns(['definition_id', 'version_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('endorsements').execute();
}

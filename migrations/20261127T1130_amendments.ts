import { sql, type Kysely } from 'kysely';

/** Proposed wordings for one clause, recorded against the clause text they were written for. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('amendments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('definition_id', 'uuid', (c) => c.notNull().references('definitions.id').onDelete('cascade'))
    .addColumn('clause_id', 'uuid', (c) => c.notNull())
    .addColumn('author_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('base_text', 'text', (c) => c.notNull())
    .addColumn('proposed_text', 'text', (c) => c.notNull())
    .addColumn('proposed_markdown', 'text', (c) => c.notNull())
    .addColumn('proposed_content', 'jsonb', (c) => c.notNull())
    .addColumn('rationale', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('proposed').check(sql`status in ('proposed', 'accepted', 'rejected', 'withdrawn')`))
    .addColumn('decided_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('amendments_definition').on('amendments').columns(['definition_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('amendments').execute();
}

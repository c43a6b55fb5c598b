import { sql, type Kysely } from 'kysely';

/**
 * Requirement language per definition: the checks are turned on by the group (off by default), and a
 * glossary names the clause that defines a term the text does not define in quotes. One entry per term,
 * however it is written (case, spaces or hyphens).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('definitions')
    .addColumn('language_checks', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema
    .createTable('glossary_terms')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('definition_id', 'uuid', (c) => c.notNull().references('definitions.id').onDelete('cascade'))
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('term_key', 'text', (c) => c.notNull())
    .addColumn('clause_id', 'uuid', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('glossary_terms_key', ['definition_id', 'term_key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('glossary_terms').execute();
  await db.schema.alterTable('definitions').dropColumn('language_checks').execute();
}

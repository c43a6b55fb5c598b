import { sql, type Kysely } from 'kysely';

/**
 * Compaction folds the update log into `doc_states` and removes the merged rows from `doc_updates`.
 * They move here instead of disappearing: history and blame (who changed what, when) replay them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('doc_update_archive')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('definition_id', 'uuid', (c) => c.notNull().references('definitions.id').onDelete('cascade'))
    .addColumn('update', 'bytea', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('archived_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('doc_update_archive_definition').on('doc_update_archive').columns(['definition_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('doc_update_archive').execute();
}

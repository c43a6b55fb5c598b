import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('definitions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('group_id', 'uuid', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('drafting').check(sql`status in ('drafting', 'public-comment', 'final')`))
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('definitions_group_slug', ['group_id', 'slug'])
    .execute();

  // The live text is a Y.Doc: an append-only log of updates (each with who sent it), folded now and
  // then into a compacted state. Client ids are owned by the user who first wrote with them.
  await db.schema
    .createTable('doc_updates')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('definition_id', 'uuid', (c) => c.notNull().references('definitions.id').onDelete('cascade'))
    .addColumn('update', 'bytea', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('doc_updates_definition').on('doc_updates').columns(['definition_id', 'id']).execute();

  await db.schema
    .createTable('doc_states')
    .addColumn('definition_id', 'uuid', (c) => c.primaryKey().references('definitions.id').onDelete('cascade'))
    .addColumn('state', 'bytea', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('doc_client_ids')
    .addColumn('definition_id', 'uuid', (c) => c.notNull().references('definitions.id').onDelete('cascade'))
    .addColumn('client_id', 'bigint', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('doc_client_ids_pkey', ['definition_id', 'client_id'])
    .execute();

  // Plain-text and Markdown mirror of each clause, kept current from the Y.Doc for REST reads and search.
  await db.schema
    .createTable('clauses')
    .addColumn('definition_id', 'uuid', (c) => c.notNull().references('definitions.id').onDelete('cascade'))
    .addColumn('clause_id', 'uuid', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('heading', 'clause')`))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('markdown', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('clauses_pkey', ['definition_id', 'clause_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['clauses', 'doc_client_ids', 'doc_states', 'doc_updates', 'definitions']) {
    await db.schema.dropTable(table).execute();
  }
}

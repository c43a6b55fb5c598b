import { sql, type Kysely } from 'kysely';

/** Published versions: immutable snapshots of a definition (its Yjs state and every clause's text). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('versions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('definition_id', 'uuid', (c) => c.notNull().references('definitions.id'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('state', 'bytea', (c) => c.notNull())
    .addColumn('published_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('published_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('versions_definition_label', ['definition_id', 'label'])
    .execute();

  await db.schema
    .createTable('version_clauses')
    .addColumn('version_id', 'uuid', (c) => c.notNull().references('versions.id'))
    .addColumn('clause_id', 'uuid', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('markdown', 'text', (c) => c.notNull())
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('version_clauses_pkey', ['version_id', 'clause_id'])
    .execute();

  // Published means published: the database itself refuses to change or remove a version.
  await sql`
    create function versions_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'published versions are immutable (% on %)', tg_op, tg_table_name;
    end $$`.execute(db);
  for (const table of ['versions', 'version_clauses']) {
    await sql`create trigger ${sql.raw(`${table}_immutable`)} before update or delete on ${sql.table(table)}
      for each row execute function versions_immutable()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('version_clauses').execute();
  await db.schema.dropTable('versions').execute();
  await sql`drop function if exists versions_immutable()`.execute(db);
}

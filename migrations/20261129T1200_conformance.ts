import { sql, type Kysely } from 'kysely';

/**
 * Conformance reviews (issue 18): the systems a group reviews, checklists bound to a published
 * version, reviews of one system against one checklist by reviewers working blind, the chair's
 * resolutions of their disagreements, and comments on cells (the developer's response among them).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('conformance_systems')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('group_id', 'uuid', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('developer', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('links', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('licences', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('developer_user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index conformance_systems_name on conformance_systems (group_id, lower(name), lower(version))`.execute(db);

  await db.schema
    .createTable('checklists')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('definition_id', 'uuid', (c) => c.notNull().references('definitions.id').onDelete('cascade'))
    .addColumn('version_id', 'uuid', (c) => c.notNull().references('versions.id').unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('freedoms', 'jsonb', (c) => c.notNull())
    .addColumn('rows', 'jsonb', (c) => c.notNull())
    .addColumn('source', 'jsonb', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('reviews')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('checklist_id', 'uuid', (c) => c.notNull().references('checklists.id').onDelete('cascade'))
    .addColumn('system_id', 'uuid', (c) => c.notNull().references('conformance_systems.id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('marking').check(sql`status in ('marking', 'reconciling', 'closed')`))
    .addColumn('rule', 'jsonb', (c) => c.notNull())
    .addColumn('response_until', 'timestamptz')
    .addColumn('opened_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('closed_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('closed_at', 'timestamptz')
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('conformant', 'conditional', 'not_conformant')`))
    .addColumn('conditions', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('cells', 'jsonb')
    // Reviews imported from a spreadsheet (made elsewhere, by people who may have no account here).
    .addColumn('imported', 'jsonb')
    .addUniqueConstraint('reviews_checklist_system', ['checklist_id', 'system_id'])
    .addCheckConstraint('reviews_closed_has_outcome', sql`(status = 'closed') = (outcome is not null and closed_at is not null and cells is not null)`)
    .execute();
  await db.schema.createIndex('reviews_system').on('reviews').column('system_id').execute();

  await db.schema
    .createTable('review_reviewers')
    .addColumn('review_id', 'uuid', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('sheet', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('submitted_at', 'timestamptz')
    .addPrimaryKeyConstraint('review_reviewers_pkey', ['review_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('review_resolutions')
    .addColumn('review_id', 'uuid', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('row_id', 'text', (c) => c.notNull())
    .addColumn('freedom', 'integer', (c) => c.notNull())
    .addColumn('verdict', 'text', (c) => c.notNull().check(sql`verdict in ('allows', 'restricts', 'not_available', 'unknown')`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('condition', 'text')
    .addColumn('resolved_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('resolved_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('review_resolutions_pkey', ['review_id', 'row_id', 'freedom'])
    .execute();

  await db.schema
    .createTable('review_comments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('review_id', 'uuid', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('row_id', 'text', (c) => c.notNull())
    .addColumn('freedom', 'integer')
    .addColumn('author_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('as_developer', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('review_comments_review').on('review_comments').columns(['review_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['review_comments', 'review_resolutions', 'review_reviewers', 'reviews', 'checklists', 'conformance_systems']) {
    await db.schema.dropTable(table).execute();
  }
}

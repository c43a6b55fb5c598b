import { sql, type Kysely } from 'kysely';

/**
 * Ballots: decisions taken under rules frozen when they open. Public votes name the voter; secret
 * votes are stored under an HMAC of the voter (keyed outside the database), so neither chairs nor a
 * database export can tell how anyone voted — only that they did (ballot_voters).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ballots')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('definition_id', 'uuid', (c) => c.notNull().references('definitions.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('subject', 'jsonb', (c) => c.notNull())
    .addColumn('rules', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft', 'open', 'closed', 'cancelled')`))
    .addColumn('subject_text', 'text')
    .addColumn('eligible_count', 'integer')
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('opened_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('closed_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('final_text', 'text')
    .addColumn('result', 'jsonb')
    .addColumn('cancelled_reason', 'text')
    .execute();
  await db.schema.createIndex('ballots_definition').on('ballots').columns(['definition_id', 'created_at']).execute();

  await db.schema
    .createTable('ballot_eligible')
    .addColumn('ballot_id', 'uuid', (c) => c.notNull().references('ballots.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('ballot_eligible_pkey', ['ballot_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('ballot_voters')
    .addColumn('ballot_id', 'uuid', (c) => c.notNull().references('ballots.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('first_voted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_voted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('ballot_voters_pkey', ['ballot_id', 'user_id'])
    .execute();

  // Every position ever taken is kept; the newest row per voter is the current vote.
  await db.schema
    .createTable('ballot_votes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('ballot_id', 'uuid', (c) => c.notNull().references('ballots.id').onDelete('cascade'))
    .addColumn('voter_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('voter_token', 'text')
    .addColumn('position', 'text', (c) => c.notNull())
    .addColumn('rationale', 'text', (c) => c.notNull())
    .addColumn('text_seen', 'text')
    .addColumn('cast_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('ballot_votes_one_identity', sql`(voter_id is null) <> (voter_token is null)`)
    .execute();
  await db.schema.createIndex('ballot_votes_ballot').on('ballot_votes').columns(['ballot_id', 'id']).execute();
  // Every position ever taken stays: the table refuses changes and deletions, like the audit log.
  await sql`
    create function ballot_votes_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'votes are append-only (% refused)', tg_op;
    end $$`.execute(db);
  await sql`create trigger ballot_votes_append_only before update or delete on ballot_votes for each row execute function ballot_votes_append_only()`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['ballot_votes', 'ballot_voters', 'ballot_eligible', 'ballots']) await db.schema.dropTable(table).execute();
  await sql`drop function if exists ballot_votes_append_only()`.execute(db);
}

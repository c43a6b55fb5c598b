import type { Kysely } from 'kysely';

/**
 * ballot_voters.last_voted_at was never read, and keeping it cost every vote batch an update per
 * voter; the votes themselves say when each was cast. Participation rows are now written once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ballot_voters').dropColumn('last_voted_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ballot_voters').addColumn('last_voted_at', 'timestamptz').execute();
}

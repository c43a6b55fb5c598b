import type { Kysely } from 'kysely';

/** Component-matrix votes carry their marks (rows × columns of required / not_required / unsure). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ballot_votes').addColumn('marks', 'jsonb').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ballot_votes').dropColumn('marks').execute();
}

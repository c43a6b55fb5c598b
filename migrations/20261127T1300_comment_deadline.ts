import type { Kysely } from 'kysely';

/** The end of a definition's public comment period (UTC); null = open until the status changes. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('definitions').addColumn('comment_deadline', 'timestamptz').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('definitions').dropColumn('comment_deadline').execute();
}

import { sql, type Kysely } from 'kysely';

/**
 * The head (last seq and hash) of every audit chain, one row per chain. An appender locks its chain's
 * row with an upsert that also returns the head — one statement where an advisory lock and a read of
 * the newest event took two — and moves the head in the statement that inserts the events.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('chain_heads')
    .addColumn('chain', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await sql`
    insert into chain_heads (chain, seq, hash)
    select distinct on (chain) chain, seq, hash from events order by chain, seq desc`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('chain_heads').execute();
}

import { sql, type Kysely } from 'kysely';

/**
 * draftroom_require(ok, message): raises `message` with SQLSTATE DR001 unless ok is true. Lets a
 * statement refuse, mid-transaction, a write whose assumptions no longer hold — the vote writer sends
 * its checks and its inserts in one round trip and falls back to two when a check refuses.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function draftroom_require(ok boolean, message text) returns void language plpgsql as $$
    begin
      if ok is not true then
        raise exception using errcode = 'DR001', message = message;
      end if;
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists draftroom_require(boolean, text)`.execute(db);
}

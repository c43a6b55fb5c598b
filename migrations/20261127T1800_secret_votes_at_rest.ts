import { sql, type Kysely } from 'kysely';

/**
 * Secret votes at rest: nothing stored orders or times a secret vote across voters. Members watch the
 * list of voters grow while a ballot is open; a serial id or a per-vote time beside each token row
 * would line the rows up with those names in a database dump.
 *
 * - `id` becomes a random uuid (v4) for every vote; the serial sequence is dropped.
 * - `seq` numbers each voter's own votes 1, 2, 3… (per person on public ballots, per token on secret
 *   ones): it orders a person's history and finds the current vote, never votes across people.
 *   Existing votes are numbered in the order of their old ids.
 * - `cast_at` is null on secret votes (a check keeps it so); public votes keep their times.
 * - Existing secret votes are written again in a random order before the table is rewritten, so
 *   their physical order no longer follows the voting either.
 * - The append-only trigger lets one thing through: the transaction that ends a secret ballot
 *   rewrites that ballot's rows in a random order (`draftroom.rewrite_votes_of` names the ballot).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table ballot_votes disable trigger ballot_votes_append_only`.execute(db);

  await sql`alter table ballot_votes add column seq integer`.execute(db);
  await sql`
    update ballot_votes v set seq = numbered.seq
    from (
      select id, row_number() over (partition by ballot_id, coalesce(voter_id::text, voter_token) order by id) as seq from ballot_votes
    ) as numbered
    where numbered.id = v.id`.execute(db);
  await sql`alter table ballot_votes alter column seq set not null`.execute(db);

  await sql`alter table ballot_votes alter column cast_at drop not null`.execute(db);
  await sql`update ballot_votes set cast_at = null where voter_token is not null`.execute(db);

  // Secret rows again, in a random order; the type change below rewrites the table with live rows only.
  await sql`
    with gone as (delete from ballot_votes where voter_token is not null returning *)
    insert into ballot_votes (id, ballot_id, voter_id, voter_token, position, rationale, text_seen, cast_at, marks, seq)
    select id, ballot_id, voter_id, voter_token, position, rationale, text_seen, cast_at, marks, seq from gone order by gen_random_uuid()`.execute(db);

  const serial = await sql<{ name: string | null }>`select pg_get_serial_sequence('ballot_votes', 'id') as name`.execute(db);
  await sql`drop index ballot_votes_ballot`.execute(db);
  await sql`alter table ballot_votes alter column id drop default`.execute(db);
  await sql`alter table ballot_votes alter column id type uuid using gen_random_uuid()`.execute(db);
  await sql`alter table ballot_votes alter column id set default gen_random_uuid()`.execute(db);
  const sequence = serial.rows[0]?.name;
  if (sequence) await sql`drop sequence ${sql.raw(sequence)}`.execute(db);

  await sql`create index ballot_votes_ballot on ballot_votes (ballot_id)`.execute(db);
  await sql`create unique index ballot_votes_voter_seq on ballot_votes (ballot_id, voter_id, seq) where voter_id is not null`.execute(db);
  await sql`create unique index ballot_votes_token_seq on ballot_votes (ballot_id, voter_token, seq) where voter_token is not null`.execute(db);
  await sql`alter table ballot_votes add constraint ballot_votes_seq_positive check (seq >= 1)`.execute(db);
  await sql`alter table ballot_votes add constraint ballot_votes_secret_untimed check ((voter_token is null) = (cast_at is not null))`.execute(db);

  await sql`
    create or replace function ballot_votes_append_only() returns trigger language plpgsql as $$
    begin
      -- The one exception: the transaction ending a secret ballot rewrites its rows in a random order.
      if tg_op = 'DELETE' and old.voter_token is not null
        and old.ballot_id::text = current_setting('draftroom.rewrite_votes_of', true)
        and exists (select 1 from ballots where id = old.ballot_id and status in ('closed', 'cancelled')) then
        return old;
      end if;
      raise exception 'votes are append-only (% refused)', tg_op;
    end $$`.execute(db);
  await sql`alter table ballot_votes enable trigger ballot_votes_append_only`.execute(db);
}

/** Serial ids again (in the order of the times, then of each voter's numbers); secret votes get their ballot's opening time. */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table ballot_votes disable trigger ballot_votes_append_only`.execute(db);
  await sql`
    create or replace function ballot_votes_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'votes are append-only (% refused)', tg_op;
    end $$`.execute(db);
  await sql`alter table ballot_votes drop constraint ballot_votes_secret_untimed, drop constraint ballot_votes_seq_positive`.execute(db);
  await sql`update ballot_votes v set cast_at = coalesce(b.opened_at, b.created_at) from ballots b where b.id = v.ballot_id and v.cast_at is null`.execute(db);
  await sql`alter table ballot_votes alter column cast_at set not null`.execute(db);
  await sql`alter table ballot_votes add column serial_id bigserial`.execute(db);
  await sql`
    update ballot_votes v set serial_id = numbered.n
    from (select id, row_number() over (order by cast_at, ballot_id, coalesce(voter_id::text, voter_token), seq) as n from ballot_votes) as numbered
    where numbered.id = v.id`.execute(db);
  await sql`select setval(pg_get_serial_sequence('ballot_votes', 'serial_id'), coalesce((select max(serial_id) from ballot_votes), 0) + 1, false)`.execute(db);
  await sql`drop index ballot_votes_ballot, ballot_votes_voter_seq, ballot_votes_token_seq`.execute(db);
  await sql`alter table ballot_votes drop column id, drop column seq`.execute(db);
  await sql`alter table ballot_votes rename column serial_id to id`.execute(db);
  await sql`alter sequence ballot_votes_serial_id_seq rename to ballot_votes_id_seq`.execute(db);
  await sql`alter table ballot_votes add primary key (id)`.execute(db);
  await sql`create index ballot_votes_ballot on ballot_votes (ballot_id, id)`.execute(db);
  await sql`alter table ballot_votes enable trigger ballot_votes_append_only`.execute(db);
}

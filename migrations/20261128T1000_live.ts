import { sql, type Kysely } from 'kysely';

/**
 * The live channel's source (server/src/live/source.ts): committed changes announce themselves on the
 * `draftroom_live` NOTIFY channel. PostgreSQL delivers a notification only when (and if) its
 * transaction commits, to every server listening on the database, in commit order — so the audit
 * event, which every change writes in its own transaction, is what the live channel follows.
 *
 * Payloads are small JSON objects naming what changed, never its content:
 * - `{"source":"event","chain","seq","type","groupId","actorId","ids":{…}}` for each audit event of a
 *   group (account-level events only when a session ends), with the ids its payload names;
 * - `{"source":"inbox","userId"}` when someone's notifications change (added, read, removed);
 * - `{"source":"invitations","userId"}` when an invitation to a registered address changes;
 * - `{"source":"vote","ballotId"}` for a vote on a secret ballot, which writes no audit event (an
 *   event per vote would put the voter's name and time beside the vote). Nothing of it is stored.
 * Identical payloads within one transaction are delivered once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Only string values short enough to be ids: a payload's text (a ballot's subject, say) stays out.
  await sql`
    create function draftroom_live_id(payload jsonb, key text) returns jsonb language sql immutable as $$
      select case when jsonb_typeof(payload -> key) = 'string' and length(payload ->> key) <= 64 then payload -> key end
    $$`.execute(db);

  await sql`
    create function draftroom_live_event() returns trigger language plpgsql as $$
    begin
      if new.group_id is null and new.type not in ('account.signed_out', 'account.password_changed') then
        return null;
      end if;
      perform pg_notify('draftroom_live', jsonb_build_object(
        'source', 'event', 'chain', new.chain, 'seq', new.seq, 'type', new.type, 'groupId', new.group_id, 'actorId', new.actor_id,
        'ids', jsonb_strip_nulls(jsonb_build_object(
          'definitionId', draftroom_live_id(new.payload, 'definitionId'),
          'threadId', draftroom_live_id(new.payload, 'threadId'),
          'commentId', draftroom_live_id(new.payload, 'commentId'),
          'clauseId', draftroom_live_id(new.payload, 'clauseId'),
          'amendmentId', draftroom_live_id(new.payload, 'amendmentId'),
          'ballotId', draftroom_live_id(new.payload, 'ballotId'),
          'versionId', draftroom_live_id(new.payload, 'versionId'),
          'userId', draftroom_live_id(new.payload, 'userId'),
          'invitationId', draftroom_live_id(new.payload, 'invitationId')
        ))
      )::text);
      return null;
    end $$`.execute(db);
  await sql`create trigger events_live after insert on events for each row execute function draftroom_live_event()`.execute(db);

  await sql`
    create function draftroom_live_inbox() returns trigger language plpgsql as $$
    begin
      perform pg_notify('draftroom_live', jsonb_build_object('source', 'inbox', 'userId', coalesce(new.user_id, old.user_id))::text);
      return null;
    end $$`.execute(db);
  await sql`create trigger notifications_live after insert or update or delete on notifications for each row execute function draftroom_live_inbox()`.execute(
    db,
  );

  // Invitations are addressed to an email; the person, when the address has an account, hears of them.
  await sql`
    create function draftroom_live_invitation() returns trigger language plpgsql as $$
    declare
      invitee uuid;
    begin
      select id into invitee from users where email = coalesce(new.email, old.email);
      if invitee is not null then
        perform pg_notify('draftroom_live', jsonb_build_object('source', 'invitations', 'userId', invitee)::text);
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger invitations_live after insert or update or delete on invitations for each row execute function draftroom_live_invitation()`.execute(
    db,
  );

  await sql`
    create function draftroom_live_secret_vote() returns trigger language plpgsql as $$
    begin
      perform pg_notify('draftroom_live', jsonb_build_object('source', 'vote', 'ballotId', new.ballot_id)::text);
      return null;
    end $$`.execute(db);
  await sql`create trigger ballot_votes_live after insert on ballot_votes for each row when (new.voter_token is not null)
    execute function draftroom_live_secret_vote()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger ballot_votes_live on ballot_votes`.execute(db);
  await sql`drop trigger invitations_live on invitations`.execute(db);
  await sql`drop trigger notifications_live on notifications`.execute(db);
  await sql`drop trigger events_live on events`.execute(db);
  await sql`drop function draftroom_live_secret_vote()`.execute(db);
  await sql`drop function draftroom_live_invitation()`.execute(db);
  await sql`drop function draftroom_live_inbox()`.execute(db);
  await sql`drop function draftroom_live_event()`.execute(db);
  await sql`drop function draftroom_live_id(jsonb, text)`.execute(db);
}

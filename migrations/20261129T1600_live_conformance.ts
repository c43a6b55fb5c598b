import { sql, type Kysely } from 'kysely';

/**
 * The live channel hears of conformance reviews and endorsements: an audit event's notice also names
 * the review, checklist, system or endorsement its payload names (ids only, as before).
 */
const IDS = ['definitionId', 'threadId', 'commentId', 'clauseId', 'amendmentId', 'ballotId', 'versionId', 'userId', 'invitationId'];
const CONFORMANCE_IDS = ['reviewId', 'checklistId', 'systemId', 'endorsementId'];

async function notifyWith(db: Kysely<any>, keys: string[]): Promise<void> {
  const ids = sql.raw(keys.map((key) => `'${key}', draftroom_live_id(new.payload, '${key}')`).join(',\n          '));
  await sql`
    create or replace function draftroom_live_event() returns trigger language plpgsql as $$
    begin
      if new.group_id is null and new.type not in ('account.signed_out', 'account.password_changed') then
        return null;
      end if;
      perform pg_notify('draftroom_live', jsonb_build_object(
        'source', 'event', 'chain', new.chain, 'seq', new.seq, 'type', new.type, 'groupId', new.group_id, 'actorId', new.actor_id,
        'ids', jsonb_strip_nulls(jsonb_build_object(
          ${ids}
        ))
      )::text);
      return null;
    end $$`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await notifyWith(db, [...IDS, ...CONFORMANCE_IDS]);
}

export async function down(db: Kysely<any>): Promise<void> {
  await notifyWith(db, IDS);
}

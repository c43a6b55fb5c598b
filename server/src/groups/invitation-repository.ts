import { sql } from 'kysely';
import type { Role } from '@draftroom/shared';
import type { Executor } from '../db/database.ts';

/**
 * The account of an address, if any, and whether it is in the group — one query whichever is the
 * case, so inviting an address with an account costs what inviting one without does.
 */
export async function findInvitee(db: Executor, groupId: string, email: string): Promise<{ userId: string | null; memberRole: Role | null }> {
  const { rows } = await sql<{ user_id: string | null; role: Role | null }>`
    select u.id as user_id, m.role
    from (select ${email}::text as email) e
    left join users u on u.email = e.email
    left join memberships m on m.user_id = u.id and m.group_id = ${groupId}`.execute(db);
  const row = rows[0]!;
  return { userId: row.user_id, memberRole: row.role };
}

/** Creates the invitation, or renews the pending one of this address (new role, inviter and time). */
export function upsertInvitation(db: Executor, invitation: { groupId: string; email: string; role: Role; invitedBy: string; at: Date }) {
  return db
    .insertInto('invitations')
    .values({ group_id: invitation.groupId, email: invitation.email, role: invitation.role, invited_by: invitation.invitedBy, created_at: invitation.at })
    .onConflict((oc) => oc.columns(['group_id', 'email']).doUpdateSet({ role: invitation.role, invited_by: invitation.invitedBy, created_at: invitation.at }))
    .returning(['id', 'email', 'role', 'created_at'])
    .executeTakeFirstOrThrow();
}

/** A group's pending invitations, newest first, with the inviter's name. */
export function listGroupInvitations(db: Executor, groupId: string) {
  return db
    .selectFrom('invitations')
    .innerJoin('users', 'users.id', 'invitations.invited_by')
    .select(['invitations.id', 'invitations.email', 'invitations.role', 'invitations.created_at', 'users.display_name as invited_by_name'])
    .where('invitations.group_id', '=', groupId)
    .orderBy('invitations.created_at', 'desc')
    .orderBy('invitations.email')
    .limit(1000)
    .execute();
}

/** Invitations addressed to an address, with their group and inviter. */
export function listInvitationsFor(db: Executor, email: string) {
  return db
    .selectFrom('invitations')
    .innerJoin('groups', 'groups.id', 'invitations.group_id')
    .innerJoin('users', 'users.id', 'invitations.invited_by')
    .select([
      'invitations.id',
      'invitations.role',
      'invitations.created_at',
      'invitations.invited_by',
      'invitations.group_id',
      'groups.slug',
      'groups.name',
      'users.display_name as invited_by_name',
    ])
    .where('invitations.email', '=', email)
    .orderBy('invitations.created_at', 'desc')
    .execute();
}

/** Deletes and returns an invitation addressed to `email` (locked until the transaction ends). */
export function takeInvitationFor(db: Executor, invitationId: string, email: string) {
  return db
    .deleteFrom('invitations')
    .where('id', '=', invitationId)
    .where('email', '=', email)
    .returning(['id', 'group_id', 'role', 'invited_by'])
    .executeTakeFirst();
}

/** Deletes and returns every invitation addressed to `email`. */
export function takeInvitationsFor(db: Executor, email: string) {
  return db.deleteFrom('invitations').where('email', '=', email).returning(['id', 'group_id', 'role', 'invited_by']).execute();
}

/** Deletes an invitation of a group; false when there was none. */
export async function deleteGroupInvitation(db: Executor, groupId: string, invitationId: string): Promise<boolean> {
  const row = await db.deleteFrom('invitations').where('id', '=', invitationId).where('group_id', '=', groupId).returning(['id']).executeTakeFirst();
  return row !== undefined;
}

export async function groupSlug(db: Executor, groupId: string): Promise<string> {
  const row = await db.selectFrom('groups').select('slug').where('id', '=', groupId).executeTakeFirstOrThrow();
  return row.slug;
}

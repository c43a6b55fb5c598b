import { EMAIL_PATTERN, type AddMemberBody, type Group, type Invitation, type MyInvitation, type Role, type User } from '@draftroom/shared';
import * as users from '../auth/repository.ts';
import { normalizeEmail } from '../auth/service.ts';
import type { Db, Tx } from '../db/database.ts';
import { conflict, invalidInput, notFound } from '../errors.ts';
import type { Bus } from '../events/bus.ts';
import { recordEvent } from '../events/service.ts';
import type { Actor } from '../policies/actor.ts';
import { authorizeInGroup } from '../policies/groups.ts';
import * as invitations from './invitation-repository.ts';
import * as repo from './repository.ts';
import { getGroup, loadGroup } from './service.ts';

/**
 * Adding members when the server sends mail. A chair invites an *address*: whether it has an account
 * or not, the same invitation row, the same audit event and the same answer — only the mail differs
 * (accept on the invitations page, or register with the address). The invitation becomes a membership
 * when its addressee accepts it, or confirms a registration with that address.
 */

const EMAIL = new RegExp(EMAIL_PATTERN);

function presentInvitation(row: { id: string; email: string; role: Role; created_at: Date }, invitedBy: string): Invitation {
  return { id: row.id, email: row.email, role: row.role, invitedAt: row.created_at.toISOString(), invitedBy };
}

export interface Invited {
  invitation: Invitation;
  /** For the mail only (the answer must not depend on it): accept on the invitations page, or register. */
  hasAccount: boolean;
  groupName: string;
  inviterName: string;
}

export async function inviteMember(db: Db, actor: Actor, slug: string, input: AddMemberBody, now = new Date()): Promise<Invited> {
  return db.transaction().execute(async (tx) => {
    const group = await loadGroup(tx, actor, slug);
    authorizeInGroup(actor, 'members.manage', group);
    const email = normalizeEmail(input.email);
    if (!EMAIL.test(email)) throw invalidInput('This is not an email address', [{ path: '/email', message: 'is not an email address' }]);
    const invitee = await invitations.findInvitee(tx, group.id, email);
    // Members are listed with their addresses to every member, so saying so reveals nothing new.
    if (invitee.memberRole) throw conflict('This person is already a member', [{ path: '/email', message: 'is already a member' }]);
    const row = await invitations.upsertInvitation(tx, { groupId: group.id, email, role: input.role, invitedBy: actor.userId, at: now });
    await recordEvent(tx, { groupId: group.id, actorId: actor.userId, type: 'member.invited', payload: { invitationId: row.id, role: input.role } });
    const inviter = await users.findUserById(tx, actor.userId);
    const inviterName = inviter?.display_name ?? 'A chair';
    return { invitation: presentInvitation(row, inviterName), hasAccount: invitee.userId !== null, groupName: group.name, inviterName };
  });
}

export async function listGroupInvitations(db: Db, actor: Actor, slug: string): Promise<Invitation[]> {
  const group = await loadGroup(db, actor, slug);
  authorizeInGroup(actor, 'members.manage', group);
  return (await invitations.listGroupInvitations(db, group.id)).map((row) => presentInvitation(row, row.invited_by_name));
}

export async function revokeInvitation(db: Db, actor: Actor, slug: string, invitationId: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const group = await loadGroup(tx, actor, slug);
    authorizeInGroup(actor, 'members.manage', group);
    if (!(await invitations.deleteGroupInvitation(tx, group.id, invitationId))) throw notFound('invitation');
    await recordEvent(tx, { groupId: group.id, actorId: actor.userId, type: 'invitation.revoked', payload: { invitationId } });
  });
}

export async function listMyInvitations(db: Db, user: User): Promise<MyInvitation[]> {
  return (await invitations.listInvitationsFor(db, user.email)).map((row) => ({
    id: row.id,
    group: { slug: row.slug, name: row.name },
    role: row.role,
    invitedAt: row.created_at.toISOString(),
    invitedBy: row.invited_by_name,
  }));
}

/** The membership an invitation grants, recorded as added by the chair who invited. */
async function join(tx: Tx, userId: string, invitation: { id: string; group_id: string; role: Role; invited_by: string }): Promise<void> {
  if (!(await repo.insertMembership(tx, invitation.group_id, userId, invitation.role))) return;
  await recordEvent(tx, {
    groupId: invitation.group_id,
    actorId: invitation.invited_by,
    type: 'member.added',
    payload: { userId, role: invitation.role, invitationId: invitation.id },
  });
}

/**
 * Applies every invitation of a newly confirmed address, inside the confirmation's transaction.
 * Returns the groups joined.
 */
export async function applyInvitations(tx: Tx, user: User): Promise<string[]> {
  const pending = await invitations.takeInvitationsFor(tx, user.email);
  for (const invitation of pending) await join(tx, user.id, invitation);
  return pending.map((invitation) => invitation.group_id);
}

/** Accepts an invitation addressed to the user's own address; answers with the group joined. */
export async function acceptInvitation(db: Db, bus: Bus, user: User, invitationId: string): Promise<Group> {
  const { groupId, slug } = await db.transaction().execute(async (tx) => {
    const invitation = await invitations.takeInvitationFor(tx, invitationId, user.email);
    if (!invitation) throw notFound('invitation');
    await join(tx, user.id, invitation);
    return { groupId: invitation.group_id, slug: await invitations.groupSlug(tx, invitation.group_id) };
  });
  bus.publish({ type: 'membership.changed', groupId, userId: user.id });
  return getGroup(db, { userId: user.id }, slug);
}

export async function declineInvitation(db: Db, user: User, invitationId: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const invitation = await invitations.takeInvitationFor(tx, invitationId, user.email);
    if (!invitation) throw notFound('invitation');
    await recordEvent(tx, { groupId: invitation.group_id, actorId: user.id, type: 'invitation.declined', payload: { invitationId } });
  });
}

import type { AddMemberBody, CreateGroupBody, Group, Member, Role, UpdateGroupBody, Visibility } from '@draftroom/shared';
import { RESERVED_SLUGS } from '@draftroom/shared';
import * as users from '../auth/repository.ts';
import { normalizeEmail } from '../auth/service.ts';
import type { Db, Executor, Tx } from '../db/database.ts';
import { AppError, conflict, invalidInput, notFound } from '../errors.ts';
import { recordEvent } from '../events/service.ts';
import { notifyRoleChanged } from '../notifications/notify.ts';
import type { Bus } from '../events/bus.ts';
import type { Actor } from '../policies/actor.ts';
import { allowedGroupActions, authorizeCreateGroup, authorizeInGroup, canInGroup } from '../policies/groups.ts';
import * as repo from './repository.ts';

interface GroupRecord {
  id: string;
  slug: string;
  name: string;
  charter: string;
  visibility: Visibility;
  created_at: Date;
  role: Role | null;
  member_count: number;
}

function presentGroup(actor: Actor, row: GroupRecord): Group {
  const context = { visibility: row.visibility, role: row.role };
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    charter: row.charter,
    visibility: row.visibility,
    createdAt: row.created_at.toISOString(),
    memberCount: Number(row.member_count),
    myRole: row.role,
    allowedActions: allowedGroupActions(actor, context),
  };
}

/**
 * Loads a group the actor may read, by slug; one they may not read is not found, exactly as one that
 * does not exist. Callers then authorize their action with `authorizeInGroup`, which narrows `actor`.
 */
export async function loadGroup(db: Executor, actor: Actor, slug: string): Promise<GroupRecord> {
  const row = await repo.findGroupWithRole(db, slug, actor?.userId ?? null);
  if (!row || !canInGroup(actor, 'group.read', row)) throw notFound('group');
  return row;
}

export async function listGroups(db: Db, actor: Actor): Promise<Group[]> {
  const rows = await repo.listVisibleGroups(db, actor?.userId ?? null);
  return rows.map((row) => presentGroup(actor, row));
}

export async function getGroup(db: Db, actor: Actor, slug: string): Promise<Group> {
  return presentGroup(actor, await loadGroup(db, actor, slug));
}

export async function createGroup(db: Db, actor: Actor, input: CreateGroupBody): Promise<Group> {
  authorizeCreateGroup(actor);
  if ((RESERVED_SLUGS as readonly string[]).includes(input.slug)) {
    throw invalidInput('This slug is reserved', [{ path: '/slug', message: 'is reserved' }]);
  }
  return db.transaction().execute(async (tx) => {
    const created = await repo.insertGroup(tx, {
      slug: input.slug,
      name: input.name.trim(),
      charter: input.charter ?? '',
      visibility: input.visibility ?? 'private',
      createdBy: actor.userId,
    });
    if (!created) throw conflict('A group with this slug already exists', [{ path: '/slug', message: 'is taken' }]);
    await repo.insertMembership(tx, created.id, actor.userId, 'chair');
    await recordEvent(tx, {
      groupId: created.id,
      actorId: actor.userId,
      type: 'group.created',
      payload: { slug: input.slug, name: input.name.trim(), visibility: input.visibility ?? 'private' },
    });
    return presentGroup(actor, (await repo.findGroupWithRole(tx, input.slug, actor.userId))!);
  });
}

export async function updateGroup(db: Db, actor: Actor, slug: string, input: UpdateGroupBody): Promise<Group> {
  return db.transaction().execute(async (tx) => {
    const group = await loadGroup(tx, actor, slug);
    authorizeInGroup(actor, 'group.update', group);
    const changes = {
      ...(input.name !== undefined && { name: input.name.trim() }),
      ...(input.charter !== undefined && { charter: input.charter }),
      ...(input.visibility !== undefined && { visibility: input.visibility }),
    };
    await repo.updateGroup(tx, group.id, changes);
    await recordEvent(tx, { groupId: group.id, actorId: actor.userId, type: 'group.updated', payload: { changes } });
    return presentGroup(actor, (await repo.findGroupWithRole(tx, slug, actor.userId))!);
  });
}

function presentMember(row: { id: string; display_name: string; email: string; role: Role; created_at: Date }): Member {
  return { userId: row.id, displayName: row.display_name, email: row.email, role: row.role, joinedAt: row.created_at.toISOString() };
}

export async function listMembers(db: Db, actor: Actor, slug: string): Promise<Member[]> {
  const group = await loadGroup(db, actor, slug);
  authorizeInGroup(actor, 'members.read', group);
  return (await repo.listMembers(db, group.id)).map(presentMember);
}

export async function addMember(db: Db, actor: Actor, slug: string, input: AddMemberBody): Promise<Member> {
  return db.transaction().execute(async (tx) => {
    const group = await loadGroup(tx, actor, slug);
    authorizeInGroup(actor, 'members.manage', group);
    const user = await users.findUserByEmail(tx, normalizeEmail(input.email));
    if (!user) {
      throw new AppError(404, 'not_found', 'No account uses this email; ask them to register first', [{ path: '/email', message: 'has no account' }]);
    }
    if (!(await repo.insertMembership(tx, group.id, user.id, input.role))) {
      throw conflict('This person is already a member', [{ path: '/email', message: 'is already a member' }]);
    }
    await recordEvent(tx, {
      groupId: group.id,
      actorId: actor.userId,
      type: 'member.added',
      payload: { userId: user.id, role: input.role },
    });
    const member = (await repo.listMembers(tx, group.id)).find((m) => m.id === user.id)!;
    return presentMember(member);
  });
}

async function guardLastChair(tx: Tx, groupId: string, userId: string, currentRole: Role): Promise<void> {
  if (currentRole !== 'chair') return;
  const chairs = await repo.lockChairs(tx, groupId);
  if (chairs.length <= 1 && chairs.includes(userId)) {
    throw conflict('A group needs at least one chair: make someone else chair first');
  }
}

export async function changeRole(db: Db, bus: Bus, actor: Actor, slug: string, userId: string, role: Role): Promise<Member> {
  const { member, groupId } = await db.transaction().execute(async (tx) => {
    // One membership change per group at a time (two chairs demoting each other must not both pass),
    // and the caller's own role is checked again once the lock is held.
    const unlocked = await loadGroup(tx, actor, slug);
    authorizeInGroup(actor, 'members.manage', unlocked);
    await repo.lockGroup(tx, unlocked.id);
    const group = await loadGroup(tx, actor, slug);
    authorizeInGroup(actor, 'members.manage', group);
    const membership = await repo.findMembership(tx, group.id, userId);
    if (!membership) throw notFound('member');
    if (membership.role !== role) {
      // The group's chain head before any membership row: every writer to the group's log takes the
      // head first, and some then touch membership rows (foreign keys) — the other order deadlocks.
      await recordEvent(tx, {
        groupId: group.id,
        actorId: actor.userId,
        type: 'member.role_changed',
        payload: { userId, from: membership.role, to: role },
      });
      if (role !== 'chair') await guardLastChair(tx, group.id, userId, membership.role);
      await repo.updateRole(tx, group.id, userId, role);
      await notifyRoleChanged(tx, { groupId: group.id, userId, from: membership.role, to: role }, actor.userId);
    }
    const member = (await repo.listMembers(tx, group.id)).find((m) => m.id === userId)!;
    return { member: presentMember(member), groupId: group.id };
  });
  // After commit: open live-editing sockets of this user re-check what they may do.
  bus.publish({ type: 'membership.changed', groupId, userId });
  return member;
}

/** A chair removes anyone; any member may remove themselves (leave). */
export async function removeMember(db: Db, bus: Bus, actor: Actor, slug: string, userId: string): Promise<void> {
  const groupId = await db.transaction().execute(async (tx) => {
    const leaving = actor?.userId === userId;
    const action = leaving ? 'group.leave' : 'members.manage';
    const unlocked = await loadGroup(tx, actor, slug);
    authorizeInGroup(actor, action, unlocked);
    await repo.lockGroup(tx, unlocked.id);
    const group = await loadGroup(tx, actor, slug);
    authorizeInGroup(actor, action, group);
    const membership = await repo.findMembership(tx, group.id, userId);
    if (!membership) throw notFound('member');
    // The log's head first, then membership rows (see changeRole).
    await recordEvent(tx, {
      groupId: group.id,
      actorId: actor.userId,
      type: leaving ? 'member.left' : 'member.removed',
      payload: { userId, role: membership.role },
    });
    await guardLastChair(tx, group.id, userId, membership.role);
    await repo.deleteMembership(tx, group.id, userId);
    return group.id;
  });
  bus.publish({ type: 'membership.changed', groupId, userId });
}

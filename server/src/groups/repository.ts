import { sql } from 'kysely';
import type { Role } from '@draftroom/shared';
import type { Executor } from '../db/database.ts';
import type { GroupUpdate } from '../db/schema.ts';

const memberCount = sql<number>`(select count(*) from memberships m where m.group_id = groups.id)`;

/** The group and the given user's role in it (null when not a member or anonymous). */
export function findGroupWithRole(db: Executor, slug: string, userId: string | null) {
  return db
    .selectFrom('groups')
    .leftJoin('memberships', (join) => join.onRef('memberships.group_id', '=', 'groups.id').on('memberships.user_id', '=', userId ?? sql<string>`null`))
    .select([
      'groups.id',
      'groups.slug',
      'groups.name',
      'groups.charter',
      'groups.visibility',
      'groups.created_at',
      'memberships.role',
      memberCount.as('member_count'),
    ])
    .where('groups.slug', '=', slug)
    .executeTakeFirst();
}

/** Groups the user belongs to, then public ones; anonymous callers see public groups only. */
export function listVisibleGroups(db: Executor, userId: string | null) {
  return db
    .selectFrom('groups')
    .leftJoin('memberships', (join) => join.onRef('memberships.group_id', '=', 'groups.id').on('memberships.user_id', '=', userId ?? sql<string>`null`))
    .select([
      'groups.id',
      'groups.slug',
      'groups.name',
      'groups.charter',
      'groups.visibility',
      'groups.created_at',
      'memberships.role',
      memberCount.as('member_count'),
    ])
    .where((eb) => eb.or([eb('groups.visibility', '=', 'public'), eb('memberships.user_id', 'is not', null)]))
    .orderBy(sql`memberships.role is null`)
    .orderBy('groups.name')
    .limit(500)
    .execute();
}

export function insertGroup(db: Executor, group: { slug: string; name: string; charter: string; visibility: 'public' | 'private'; createdBy: string }) {
  return db
    .insertInto('groups')
    .values({ slug: group.slug, name: group.name, charter: group.charter, visibility: group.visibility, created_by: group.createdBy })
    .onConflict((oc) => oc.column('slug').doNothing())
    .returning(['id'])
    .executeTakeFirst();
}

export async function updateGroup(db: Executor, groupId: string, changes: GroupUpdate): Promise<void> {
  await db.updateTable('groups').set(changes).where('id', '=', groupId).execute();
}

export function listMembers(db: Executor, groupId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.display_name', 'users.email', 'memberships.role', 'memberships.created_at'])
    .where('memberships.group_id', '=', groupId)
    .orderBy(sql`array_position(array['chair','editor','member','observer'], memberships.role)`)
    .orderBy('users.display_name')
    .execute();
}

export function findMembership(db: Executor, groupId: string, userId: string) {
  return db.selectFrom('memberships').select(['role']).where('group_id', '=', groupId).where('user_id', '=', userId).forNoKeyUpdate().executeTakeFirst();
}

/** Returns false when the user is already a member. */
export async function insertMembership(db: Executor, groupId: string, userId: string, role: Role): Promise<boolean> {
  const row = await db
    .insertInto('memberships')
    .values({ group_id: groupId, user_id: userId, role })
    .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
    .returning(['user_id'])
    .executeTakeFirst();
  return row !== undefined;
}

export async function updateRole(db: Executor, groupId: string, userId: string, role: Role): Promise<void> {
  await db.updateTable('memberships').set({ role }).where('group_id', '=', groupId).where('user_id', '=', userId).execute();
}

export async function deleteMembership(db: Executor, groupId: string, userId: string): Promise<void> {
  await db.deleteFrom('memberships').where('group_id', '=', groupId).where('user_id', '=', userId).execute();
}

/**
 * Serialises membership changes of one group (row lock on the group until the transaction ends). FOR NO
 * KEY UPDATE, not FOR UPDATE: every row inserted with the group's id (an audit event, a comment) takes a
 * key-share lock on it after taking the log's head, and FOR UPDATE would make that a deadlock.
 */
export async function lockGroup(db: Executor, groupId: string): Promise<void> {
  await db.selectFrom('groups').select('id').where('id', '=', groupId).forNoKeyUpdate().execute();
}

/** Locks the group's chair rows, so two concurrent demotions cannot both see "another chair remains". */
export async function lockChairs(db: Executor, groupId: string): Promise<string[]> {
  const rows = await db.selectFrom('memberships').select(['user_id']).where('group_id', '=', groupId).where('role', '=', 'chair').forNoKeyUpdate().execute();
  return rows.map((r) => r.user_id);
}

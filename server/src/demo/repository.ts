import type { Role } from '@draftroom/shared';
import type { Executor } from '../db/database.ts';

// The seed writes into a database it has just found empty, so a conflict would be a bug: these
// inserts throw, where the features' own (auth, groups) skip a taken email or slug and report it.

export function findAnyUser(db: Executor) {
  return db.selectFrom('users').select('id').limit(1).executeTakeFirst();
}

export function insertUser(db: Executor, user: { email: string; displayName: string; passwordHash: string }) {
  return db
    .insertInto('users')
    .values({ email: user.email, display_name: user.displayName, password_hash: user.passwordHash })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export function insertGroup(db: Executor, group: { slug: string; name: string; charter: string; visibility: 'public' | 'private'; createdBy: string }) {
  return db
    .insertInto('groups')
    .values({ slug: group.slug, name: group.name, charter: group.charter, visibility: group.visibility, created_by: group.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function insertMembership(db: Executor, groupId: string, userId: string, role: Role): Promise<void> {
  await db.insertInto('memberships').values({ group_id: groupId, user_id: userId, role }).execute();
}

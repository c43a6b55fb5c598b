import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';

/** Each group's visibility and the user's role in it (null for outsiders, and always for anonymous readers). */
export async function groupContexts(db: Executor, userId: string | null, groupIds: string[]) {
  if (groupIds.length === 0) return [];
  if (userId === null) {
    const rows = await db.selectFrom('groups').select(['id as group_id', 'visibility']).where('id', 'in', groupIds).execute();
    return rows.map((row) => ({ ...row, role: null }));
  }
  return db
    .selectFrom('groups')
    .leftJoin('memberships', (join) => join.onRef('memberships.group_id', '=', 'groups.id').on('memberships.user_id', '=', userId))
    .select(['groups.id as group_id', 'groups.visibility', 'memberships.role'])
    .where('groups.id', 'in', groupIds)
    .execute();
}

export function groupVisibilities(db: Executor, groupIds: string[]) {
  return db.selectFrom('groups').select(['id', 'visibility']).where('id', 'in', groupIds).execute();
}

export function definitionGroups(db: Executor, definitionIds: string[]) {
  return db.selectFrom('definitions').select(['id', 'group_id']).where('id', 'in', definitionIds).execute();
}

export function threads(db: Executor, threadIds: string[]) {
  return db.selectFrom('threads').select(['id', 'definition_id', 'clause_id', 'audience']).where('id', 'in', threadIds).execute();
}

export function commentThreads(db: Executor, commentIds: string[]) {
  return db.selectFrom('comments').select(['id', 'thread_id']).where('id', 'in', commentIds).execute();
}

/** Each ballot's definition, group and turnout (people who voted, counted by person or by secret token). */
export function ballots(db: Executor, ballotIds: string[]) {
  return db
    .selectFrom('ballots')
    .innerJoin('definitions', 'definitions.id', 'ballots.definition_id')
    .select([
      'ballots.id',
      'ballots.definition_id',
      'definitions.group_id',
      sql<number>`(select count(distinct coalesce(v.voter_id::text, v.voter_token)) from ballot_votes v where v.ballot_id = ballots.id)`.as('turnout'),
    ])
    .where('ballots.id', 'in', ballotIds)
    .execute();
}

/** Which of these sessions still exist (a signed-out or revoked one is deleted). */
export async function existingSessions(db: Executor, sessionIds: string[]): Promise<Set<string>> {
  if (sessionIds.length === 0) return new Set();
  const rows = await db.selectFrom('sessions').select('id').where('id', 'in', sessionIds).execute();
  return new Set(rows.map((row) => row.id));
}

/** Reviews with their definition and the reviewed system's developer account. */
export function reviews(db: Executor, reviewIds: string[]) {
  return db
    .selectFrom('reviews')
    .innerJoin('checklists', 'checklists.id', 'reviews.checklist_id')
    .innerJoin('conformance_systems', 'conformance_systems.id', 'reviews.system_id')
    .select(['reviews.id', 'checklists.definition_id', 'conformance_systems.developer_user_id'])
    .where('reviews.id', 'in', reviewIds)
    .execute();
}

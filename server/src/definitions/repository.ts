import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { DefinitionStatus } from '../db/schema.ts';

const definitionColumns = [
  'definitions.id',
  'definitions.slug',
  'definitions.title',
  'definitions.status',
  'definitions.created_at',
  'definitions.updated_at',
  'definitions.comment_deadline',
  'definitions.group_id',
  'groups.slug as group_slug',
  'groups.visibility',
] as const;

/** A definition with its group's visibility and the user's role in that group. */
export function findDefinitionWithRole(db: Executor, definitionId: string, userId: string | null) {
  return db
    .selectFrom('definitions')
    .innerJoin('groups', 'groups.id', 'definitions.group_id')
    .leftJoin('memberships', (join) => join.onRef('memberships.group_id', '=', 'groups.id').on('memberships.user_id', '=', userId ?? sql<string>`null`))
    .select([...definitionColumns, 'memberships.role'])
    .where('definitions.id', '=', definitionId)
    .executeTakeFirst();
}

export async function findGroupId(db: Executor, definitionId: string): Promise<string> {
  return (await db.selectFrom('definitions').select('group_id').where('id', '=', definitionId).executeTakeFirstOrThrow()).group_id;
}

export function listDefinitions(db: Executor, groupId: string) {
  return db
    .selectFrom('definitions')
    .innerJoin('groups', 'groups.id', 'definitions.group_id')
    .select(definitionColumns)
    .where('definitions.group_id', '=', groupId)
    .orderBy('definitions.created_at', 'desc')
    .execute();
}

/** Returns undefined when the slug is already used in this group. `id`: chosen by the caller (an import writes the text under it first). */
export function insertDefinition(db: Executor, definition: { id?: string; groupId: string; slug: string; title: string; createdBy: string }) {
  return db
    .insertInto('definitions')
    .values({
      ...(definition.id && { id: definition.id }),
      group_id: definition.groupId,
      slug: definition.slug,
      title: definition.title,
      created_by: definition.createdBy,
    })
    .onConflict((oc) => oc.columns(['group_id', 'slug']).doNothing())
    .returning('id')
    .executeTakeFirst();
}

export async function updateDefinition(
  db: Executor,
  definitionId: string,
  changes: { title?: string; status?: DefinitionStatus; comment_deadline?: Date | null },
): Promise<void> {
  await db
    .updateTable('definitions')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', definitionId)
    .execute();
}

export function listClauses(db: Executor, definitionId: string) {
  return db
    .selectFrom('clauses')
    .select(['clause_id', 'kind', 'position', 'text', 'markdown'])
    .where('definition_id', '=', definitionId)
    .orderBy('position')
    .execute();
}

/** Definitions whose public comment period ends after `from` and no later than `to` (for reminders). */
export function commentPeriodsClosingBetween(db: Executor, from: Date, to: Date) {
  return db
    .selectFrom('definitions')
    .innerJoin('groups', 'groups.id', 'definitions.group_id')
    .select(['definitions.id', 'definitions.group_id', 'groups.visibility', 'definitions.comment_deadline'])
    .where('definitions.status', '=', 'public-comment')
    .where('definitions.comment_deadline', '>', from)
    .where('definitions.comment_deadline', '<=', to)
    .execute();
}

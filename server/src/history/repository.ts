import type { Executor } from '../db/database.ts';

/** Every stored update of a definition, archived and live, oldest first, with author and time. */
export function allUpdates(db: Executor, definitionId: string) {
  const archived = db.selectFrom('doc_update_archive').select(['id', 'update', 'user_id', 'created_at']).where('definition_id', '=', definitionId);
  const live = db.selectFrom('doc_updates').select(['id', 'update', 'user_id', 'created_at']).where('definition_id', '=', definitionId);
  return archived.unionAll(live).orderBy('id').execute();
}

export function clientOwners(db: Executor, definitionId: string) {
  return db.selectFrom('doc_client_ids').select(['client_id', 'user_id']).where('definition_id', '=', definitionId).execute();
}

export function userNames(db: Executor, userIds: string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', userIds).execute();
}

export function versionMilestones(db: Executor, definitionId: string) {
  return db
    .selectFrom('versions')
    .select(['label', 'published_at', 'published_by'])
    .where('definition_id', '=', definitionId)
    .orderBy('published_at')
    .execute();
}

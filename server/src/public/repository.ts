import { sql } from 'kysely';
import type { Visibility } from '@draftroom/shared';
import type { Executor } from '../db/database.ts';

/**
 * Groups of the given visibilities (the caller passes those whose published versions anyone reads),
 * the most recently active first: the newest of its creation and its latest publication.
 */
export function listGroups(db: Executor, visibilities: readonly Visibility[], limit: number) {
  const lastPublished = sql<Date | null>`(select max(v.published_at) from versions v join definitions d on d.id = v.definition_id where d.group_id = groups.id)`;
  return db
    .selectFrom('groups')
    .select([
      'groups.slug',
      'groups.name',
      sql<string>`left(groups.charter, 280)`.as('charter'),
      sql<number>`(select count(*) from memberships m where m.group_id = groups.id)`.as('member_count'),
      sql<number>`(select count(*) from definitions d where d.group_id = groups.id)`.as('definition_count'),
    ])
    .where('groups.visibility', 'in', [...visibilities])
    .orderBy(sql`greatest(groups.created_at, ${lastPublished})`, 'desc')
    .orderBy('groups.name')
    .limit(limit)
    .execute();
}

export interface PublishedFilter {
  /** Only groups of these visibilities (the front door), or only this group (a group page). */
  where: { visibilities: readonly Visibility[] } | { groupId: string };
  /** Only definitions in public comment whose deadline has not passed. */
  openForComment?: boolean;
  order: 'deadline' | 'published' | 'title';
  limit: number;
}

/** Definitions that have a published version, each with its latest one and its group. */
export function listPublishedDefinitions(db: Executor, filter: PublishedFilter) {
  let query = db
    .selectFrom('definitions')
    .innerJoin('groups', 'groups.id', 'definitions.group_id')
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('versions')
          .select(['versions.label', 'versions.published_at'])
          .whereRef('versions.definition_id', '=', 'definitions.id')
          .orderBy('versions.published_at', 'desc')
          .limit(1)
          .as('latest'),
      (join) => join.onTrue(),
    )
    .select([
      'definitions.id',
      'definitions.title',
      'definitions.status',
      'definitions.comment_deadline',
      'groups.slug as group_slug',
      'groups.name as group_name',
      'groups.visibility',
      'latest.label',
      'latest.published_at',
    ]);
  const where = filter.where;
  query = 'groupId' in where ? query.where('groups.id', '=', where.groupId) : query.where('groups.visibility', 'in', [...where.visibilities]);
  if (filter.openForComment) {
    query = query
      .where('definitions.status', '=', 'public-comment')
      .where((eb) => eb.or([eb('definitions.comment_deadline', 'is', null), eb('definitions.comment_deadline', '>', sql<Date>`now()`)]));
  }
  if (filter.order === 'deadline') query = query.orderBy(sql`definitions.comment_deadline asc nulls last`).orderBy('latest.published_at', 'desc');
  else if (filter.order === 'published') query = query.orderBy('latest.published_at', 'desc');
  else query = query.orderBy('definitions.title');
  return query.orderBy('definitions.id').limit(filter.limit).execute();
}

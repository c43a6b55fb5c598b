import { VISIBILITIES, type PublicOverview, type PublishedDefinition } from '@draftroom/shared';
import { publicPeriod } from '../comments/policy.ts';
import type { Db } from '../db/database.ts';
import { loadGroup } from '../groups/service.ts';
import type { Actor } from '../policies/actor.ts';
import { authorizeOnDefinition, canOnDefinition } from '../policies/definitions.ts';
import * as repo from './repository.ts';

/**
 * The visibilities whose published versions anyone reads, signed in or not — asked of the definition
 * policy with an anonymous actor, so the front door shows exactly what that policy lets the public read.
 */
const READ_BY_ANYONE = VISIBILITIES.filter((visibility) => canOnDefinition(null, 'version.read', { visibility, role: null }));

function presentPublished(row: Awaited<ReturnType<typeof repo.listPublishedDefinitions>>[number]): PublishedDefinition {
  return {
    definitionId: row.id,
    title: row.title,
    status: row.status,
    groupSlug: row.group_slug,
    groupName: row.group_name,
    commentDeadline: row.comment_deadline?.toISOString() ?? null,
    commentsOpen: publicPeriod({ visibility: row.visibility, role: null, definitionStatus: row.status, commentDeadline: row.comment_deadline }),
    latestVersion: { label: row.label, publishedAt: row.published_at.toISOString() },
  };
}

/**
 * What Draftroom shows at its front door: the public groups, the definitions open for public comment
 * and the latest publications. The same for every caller — it holds only what the public reads, so a
 * member sees no more here than a visitor (their own groups are listed by GET /api/groups).
 */
export async function publicOverview(db: Db): Promise<PublicOverview> {
  const where = { visibilities: READ_BY_ANYONE };
  const [groups, open, latest] = await Promise.all([
    repo.listGroups(db, READ_BY_ANYONE, 50),
    repo.listPublishedDefinitions(db, { where, openForComment: true, order: 'deadline', limit: 20 }),
    repo.listPublishedDefinitions(db, { where, order: 'published', limit: 10 }),
  ]);
  return {
    groups: groups.map((group) => ({
      slug: group.slug,
      name: group.name,
      charter: group.charter,
      memberCount: Number(group.member_count),
      definitionCount: Number(group.definition_count),
    })),
    openForComment: open.map(presentPublished),
    latestVersions: latest.map(presentPublished),
  };
}

/** A group's definitions that have a published version, for whoever reads the group's published versions. */
export async function groupPublished(db: Db, actor: Actor, slug: string): Promise<PublishedDefinition[]> {
  const group = await loadGroup(db, actor, slug);
  authorizeOnDefinition(actor, 'version.read', group);
  const rows = await repo.listPublishedDefinitions(db, { where: { groupId: group.id }, order: 'title', limit: 500 });
  return rows.map(presentPublished);
}

import type { InvalidateQueryFilters, QueryClient } from '@tanstack/react-query';
import type { Group } from '@draftroom/shared';
import { queryKeys } from '../api/queryKeys.ts';
import type { LiveEffect, StaleTarget } from './staleQueries.ts';

/** The slugs under which the group with this id is cached (events name groups by id, addresses by slug). */
function groupSlugs(client: QueryClient, groupId: string): Set<string> {
  const slugs = new Set<string>();
  for (const query of client.getQueryCache().findAll({ queryKey: ['group'] })) {
    const [, slug, part] = query.queryKey;
    const data = query.state.data as Group | undefined;
    if (part === 'detail' && typeof slug === 'string' && data?.id === groupId) slugs.add(slug);
  }
  for (const group of client.getQueryData<Group[]>(queryKeys.groups()) ?? []) if (group.id === groupId) slugs.add(group.slug);
  return slugs;
}

function filterFor(client: QueryClient, target: StaleTarget): InvalidateQueryFilters {
  if ('everything' in target) return {};
  if ('key' in target) return { queryKey: target.key };
  const slugs = groupSlugs(client, target.groupId);
  const sections = target.sections;
  return {
    queryKey: ['group'],
    predicate: (query) => slugs.has(query.queryKey[1] as string) && (!sections || sections.includes(query.queryKey[2] as never)),
  };
}

/**
 * A query's first read may be on its way when a change is pushed — answered by the server before the
 * change. TanStack Query restarts a refetch of data already shown, but not a first read: it keeps the
 * read in flight and marks the answer fresh when it lands. Such reads are made again once they land.
 */
function readAgainWhenFirstReadLands(client: QueryClient, filter: InvalidateQueryFilters): void {
  for (const query of client.getQueryCache().findAll(filter)) {
    const inFlight = query.promise;
    if (query.state.data !== undefined || query.state.fetchStatus !== 'fetching' || !inFlight) continue;
    const again = () => void client.invalidateQueries({ queryKey: query.queryKey, exact: true });
    inFlight.then(again, again);
  }
}

/** Reads what the targets name again (only those on screen are fetched now; the rest when next shown). */
export function invalidate(client: QueryClient, targets: StaleTarget[], readBefore?: number): void {
  for (const target of targets) {
    const filter = filterFor(client, target);
    if (readBefore !== undefined) {
      const predicate = filter.predicate;
      filter.predicate = (query) => query.state.dataUpdatedAt < readBefore && (!predicate || predicate(query));
    }
    readAgainWhenFirstReadLands(client, filter);
    void client.invalidateQueries(filter);
  }
}

export function applyLiveEffect(client: QueryClient, effect: LiveEffect): void {
  if (effect.patch) client.setQueryData(queryKeys.inboxCount(), effect.patch.inboxCount);
  invalidate(client, effect.stale);
}

import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { NotificationPage, Thread } from '@draftroom/shared';
import { listAmendments } from './amendments.ts';
import { listDiscussion, listPublicThreads } from './audience.ts';
import { listBallots } from './ballots.ts';
import { ApiError, NETWORK_ERROR, request } from './client.ts';
import { getDefinition, getPublicDefinition, listDefinitions } from './definitions.ts';
import { getModerationLog, listNotifications, type ThreadFilter } from './discussion.ts';
import { type EventFilter, listGroupEvents, verifyGroupEvents } from './events.ts';
import { getGroup, listGroups, listInvitations, listMembers } from './groups.ts';
import { listMyInvitations } from './invitations.ts';
import { queryKeys } from './queryKeys.ts';
import { getBlame, getDiff, getHistory, listVersions } from './versions.ts';

// What each page reads, as TanStack Query options: the key (api/queryKeys.ts) and the request.
// Pages call useQuery(<one of these>); pushed events and mutations invalidate by key prefix.

export const groupQueries = {
  list: () => queryOptions({ queryKey: queryKeys.groups(), queryFn: ({ signal }) => listGroups(signal) }),
  detail: (slug: string) => queryOptions({ queryKey: queryKeys.groupDetail(slug), queryFn: ({ signal }) => getGroup(slug, signal) }),
  members: (slug: string) => queryOptions({ queryKey: queryKeys.groupMembers(slug), queryFn: ({ signal }) => listMembers(slug, signal) }),
  invitations: (slug: string) => queryOptions({ queryKey: queryKeys.groupInvitations(slug), queryFn: ({ signal }) => listInvitations(slug, signal) }),
  definitions: (slug: string) => queryOptions({ queryKey: queryKeys.groupDefinitions(slug), queryFn: ({ signal }) => listDefinitions(slug, signal) }),
  /** The audit log, newest first, a page at a time ("Show older events" fetches the next). */
  events: (slug: string, filter: EventFilter = {}) =>
    infiniteQueryOptions({
      queryKey: [...queryKeys.groupEvents(slug), { kind: filter.kind ?? null, person: filter.person ?? null }],
      queryFn: ({ pageParam, signal }) => listGroupEvents(slug, pageParam, signal, filter),
      initialPageParam: undefined as number | undefined,
      getNextPageParam: (page) => page.nextBefore ?? undefined,
    }),
  verification: (slug: string) => queryOptions({ queryKey: queryKeys.groupVerification(slug), queryFn: ({ signal }) => verifyGroupEvents(slug, signal) }),
};

export const definitionQueries = {
  detail: (id: string) => queryOptions({ queryKey: queryKeys.definitionDetail(id), queryFn: ({ signal }) => getDefinition(id, signal) }),
  /** The latest published version, or an older one by its label (its key under the latest's, so both go stale together). */
  public: (id: string, version?: string) =>
    queryOptions({
      queryKey: version === undefined ? queryKeys.publicDefinition(id) : [...queryKeys.publicDefinition(id), version],
      queryFn: ({ signal }) => getPublicDefinition(id, signal, version),
    }),
  threads: (id: string, filter: ThreadFilter) =>
    queryOptions({ queryKey: queryKeys.threadList(id, filter), queryFn: ({ signal }) => listDiscussion(id, filter, signal) }),
  publicThreads: (id: string, clauseId: string) =>
    queryOptions({
      queryKey: queryKeys.threadList(id, { clauseId, audience: 'public' }),
      queryFn: ({ signal }): Promise<Thread[]> => listPublicThreads(id, clauseId, signal),
    }),
  moderation: (id: string) => queryOptions({ queryKey: queryKeys.moderation(id), queryFn: ({ signal }) => getModerationLog(id, signal) }),
  amendments: (id: string) => queryOptions({ queryKey: queryKeys.amendments(id), queryFn: ({ signal }) => listAmendments(id, signal) }),
  ballots: (id: string) => queryOptions({ queryKey: queryKeys.ballots(id), queryFn: ({ signal }) => listBallots(id, signal) }),
  versions: (id: string) => queryOptions({ queryKey: queryKeys.versions(id), queryFn: ({ signal }) => listVersions(id, signal) }),
  diff: (id: string, from: string, to: string) =>
    queryOptions({ queryKey: queryKeys.diff(id, from, to), queryFn: ({ signal }) => getDiff(id, from, to, signal) }),
  /** Edits and versions, newest first, a page at a time ("Show older" fetches the next). */
  history: (id: string, clauseId: string | undefined, limit: number) =>
    infiniteQueryOptions({
      queryKey: queryKeys.history(id, clauseId, limit),
      queryFn: ({ pageParam, signal }) => getHistory(id, { clauseId, cursor: pageParam, limit }, signal),
      initialPageParam: undefined as number | undefined,
      getNextPageParam: (page) => page.nextCursor ?? undefined,
    }),
  blame: (id: string, clauseId: string) => queryOptions({ queryKey: queryKeys.blame(id, clauseId), queryFn: ({ signal }) => getBlame(id, clauseId, signal) }),
};

export const inboxQueries = {
  /** Only the unread count (one notification fetched); pushed `inbox.changed` events patch it in place. */
  count: () =>
    queryOptions({
      queryKey: queryKeys.inboxCount(),
      queryFn: async ({ signal }) => (await request<NotificationPage>('GET', '/api/notifications', { query: { limit: 1 }, signal })).unread,
    }),
  list: () => queryOptions({ queryKey: queryKeys.inboxList(), queryFn: ({ signal }) => listNotifications(signal) }),
  invitations: () => queryOptions({ queryKey: queryKeys.myInvitations(), queryFn: ({ signal }) => listMyInvitations(signal) }),
};

export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, NETWORK_ERROR, error instanceof Error ? error.message : String(error));
}

/** Whether a failed read means the thing is gone for this reader (not a passing failure). */
export function isGone(error: ApiError): boolean {
  return error.status === 401 || error.status === 403 || error.status === 404;
}

export type QueryView<T> = { status: 'loading' } | { status: 'error'; error: ApiError; retry(): void } | { status: 'ready'; data: T };

/**
 * What a page shows for a query. A failed *background* refetch keeps the data on screen, unless the
 * failure says the thing is gone for this reader (removed from the group, made private: 401, 403,
 * 404) — then the page says so instead of showing what it may no longer read.
 */
export function viewOf<T>(query: { data: T | undefined; error: Error | null; refetch(): unknown }): QueryView<T> {
  const retry = () => void query.refetch();
  if (query.error) {
    const error = asApiError(query.error);
    if (query.data === undefined || isGone(error)) return { status: 'error', error, retry };
  }
  if (query.data === undefined) return { status: 'loading' };
  return { status: 'ready', data: query.data };
}

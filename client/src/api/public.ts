import { queryOptions } from '@tanstack/react-query';
import type { PublicOverview, PublishedDefinition, PublishedDefinitionList } from '@draftroom/shared';
import { request } from './client.ts';
import { queryKeys } from './queryKeys.ts';

/** The front door: public groups, what is open for public comment, the latest publications (anyone). */
export function getPublicOverview(signal?: AbortSignal): Promise<PublicOverview> {
  return request<PublicOverview>('GET', '/api/public/overview', { signal });
}

/** A group's definitions that have a published version, each with its latest (anyone who reads the group). */
export async function listPublished(slug: string, signal?: AbortSignal): Promise<PublishedDefinition[]> {
  return (await request<PublishedDefinitionList>('GET', `/api/groups/${encodeURIComponent(slug)}/published`, { signal })).definitions;
}

export const publicQueries = {
  overview: () => queryOptions({ queryKey: queryKeys.publicOverview(), queryFn: ({ signal }) => getPublicOverview(signal) }),
  published: (slug: string) => queryOptions({ queryKey: queryKeys.groupPublished(slug), queryFn: ({ signal }) => listPublished(slug, signal) }),
};

import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { SearchKind, SearchResults } from '@draftroom/shared';
import { request } from './client.ts';
import { queryKeys } from './queryKeys.ts';

export interface SearchParams {
  q: string;
  kind?: SearchKind;
  group?: string;
  definition?: string;
  page?: number;
}

export function search(params: SearchParams, signal?: AbortSignal): Promise<SearchResults> {
  return request<SearchResults>('GET', '/api/search', { query: { ...params }, signal });
}

export const searchQueries = {
  // The previous page of results stays on screen while the next one loads.
  results: (params: SearchParams) =>
    queryOptions({ queryKey: queryKeys.search(params), queryFn: ({ signal }) => search(params, signal), placeholderData: keepPreviousData }),
};

import type { ChainVerification, EventKind, EventPage } from '@draftroom/shared';
import { request } from './client.ts';

const eventsPath = (slug: string) => `/api/groups/${encodeURIComponent(slug)}/events`;

export interface EventFilter {
  kind?: EventKind;
  person?: string;
}

/** One page of the group's audit log, newest first; pass the previous page's nextBefore for older events. */
export function listGroupEvents(slug: string, before?: number, signal?: AbortSignal, filter: EventFilter = {}): Promise<EventPage> {
  return request<EventPage>('GET', eventsPath(slug), { query: { before, kind: filter.kind, person: filter.person }, signal });
}

export function verifyGroupEvents(slug: string, signal?: AbortSignal): Promise<ChainVerification> {
  return request<ChainVerification>('GET', `${eventsPath(slug)}/verify`, { signal });
}

import { queryOptions } from '@tanstack/react-query';
import type { DecideDispositionBody, Disposition, DispositionQuery, DispositionRegister, RaiseObjectionBody, RespondDispositionBody } from '@draftroom/shared';
import { request } from './client.ts';
import { queryKeys } from './queryKeys.ts';

const definitionPath = (id: string) => `/api/definitions/${encodeURIComponent(id)}`;
const dispositionPath = (id: string) => `/api/dispositions/${encodeURIComponent(id)}`;

/**
 * The disposition register of a definition, with its counts: every item for members, the public
 * comments' items for whoever reads the published versions.
 */
export function getDispositionRegister(definitionId: string, filter: DispositionQuery = {}, signal?: AbortSignal): Promise<DispositionRegister> {
  return request<DispositionRegister>('GET', `${definitionPath(definitionId)}/dispositions`, { query: { ...filter }, signal });
}

/** A formal objection to a clause, or (without `clauseId`) to the whole definition (chairs, editors, members). */
export function raiseObjection(definitionId: string, body: RaiseObjectionBody): Promise<Disposition> {
  return request<Disposition>('POST', `${definitionPath(definitionId)}/objections`, { body });
}

export function getDisposition(id: string, signal?: AbortSignal): Promise<Disposition> {
  return request<Disposition>('GET', dispositionPath(id), { signal });
}

/** Disposes of an item, or changes its disposition (chairs); a new disposition clears the commenter's answer. */
export function decideDisposition(id: string, body: DecideDispositionBody): Promise<Disposition> {
  return request<Disposition>('PUT', `${dispositionPath(id)}/disposition`, { body });
}

/** Whether the disposition satisfies whoever raised the item (only they answer, once there is one). */
export function respondToDisposition(id: string, body: RespondDispositionBody): Promise<Disposition> {
  return request<Disposition>('PUT', `${dispositionPath(id)}/response`, { body });
}

/** What the public register lists: the public comments' items (to members viewing it too, as the public page shows public comments only). */
export const PUBLIC_COMMENTS: DispositionQuery = { source: 'public_comment' };

export const dispositionQueries = {
  register: (definitionId: string, filter: DispositionQuery = {}) =>
    queryOptions({
      queryKey: queryKeys.dispositionRegister(definitionId, filter),
      queryFn: ({ signal }) => getDispositionRegister(definitionId, filter, signal),
    }),
};

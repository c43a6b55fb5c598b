import { queryOptions } from '@tanstack/react-query';
import type { EndorseBody, Endorsement, EndorsementList } from '@draftroom/shared';
import { request } from './client.ts';
import { queryKeys } from './queryKeys.ts';

const endorsementsPath = (definitionId: string, label: string) =>
  `/api/definitions/${encodeURIComponent(definitionId)}/versions/${encodeURIComponent(label)}/endorsements`;
const endorsementPath = (id: string) => `/api/endorsements/${encodeURIComponent(id)}`;

/** Who endorses a published version, who withdrew, the counts, and the caller's own endorsement. */
export function listEndorsements(definitionId: string, label: string, signal?: AbortSignal): Promise<EndorsementList> {
  return request<EndorsementList>('GET', endorsementsPath(definitionId, label), { signal });
}

/** Endorses the version (signed in); 409 when the caller already does, or when an address is given and the server sends no mail. */
export function endorse(definitionId: string, label: string, body: EndorseBody): Promise<Endorsement> {
  return request<Endorsement>('POST', endorsementsPath(definitionId, label), { body });
}

/** Withdraws the caller's endorsement; it stays on the record with its date and reason. */
export function withdrawEndorsement(id: string, reason: string): Promise<Endorsement> {
  return request<Endorsement>('POST', `${endorsementPath(id)}/withdraw`, { body: reason ? { reason } : {} });
}

/** A chair vouches for an organisation's endorsement, saying how. */
export function verifyEndorsement(id: string, note: string): Promise<Endorsement> {
  return request<Endorsement>('POST', `${endorsementPath(id)}/verify`, { body: { note } });
}

/** The link mailed to an organisation's address (`/endorsements/confirm#token=…`). */
export function confirmEndorsement(token: string): Promise<Endorsement> {
  return request<Endorsement>('POST', '/api/endorsements/confirm', { body: { token } });
}

export const endorsementQueries = {
  list: (definitionId: string, label: string) =>
    queryOptions({ queryKey: queryKeys.endorsements(definitionId, label), queryFn: ({ signal }) => listEndorsements(definitionId, label, signal) }),
};

import type { Amendment, AmendmentList } from '@draftroom/shared';
import { request } from './client.ts';

const definitionPath = (id: string) => `/api/definitions/${encodeURIComponent(id)}`;
const amendmentPath = (id: string) => `/api/amendments/${encodeURIComponent(id)}`;

export async function listAmendments(definitionId: string, signal?: AbortSignal): Promise<Amendment[]> {
  return (await request<AmendmentList>('GET', `${definitionPath(definitionId)}/amendments`, { signal })).amendments;
}

/**
 * A proposal is the clause's ProseMirror JSON (`content`, formatting kept) or, from scripts, plain `text`;
 * `baseContent` is the clause as it read when the suggestion was started.
 */
export type ProposeAmendmentInput = { clauseId: string; rationale: string; baseContent?: object } & ({ content: object } | { text: string });

export function proposeAmendment(definitionId: string, body: ProposeAmendmentInput): Promise<Amendment> {
  return request<Amendment>('POST', `${definitionPath(definitionId)}/amendments`, { body });
}

export function acceptAmendment(id: string): Promise<Amendment> {
  return request<Amendment>('POST', `${amendmentPath(id)}/accept`);
}

export function rejectAmendment(id: string, reason: string): Promise<Amendment> {
  return request<Amendment>('POST', `${amendmentPath(id)}/reject`, { body: { reason } });
}

export function withdrawAmendment(id: string): Promise<Amendment> {
  return request<Amendment>('POST', `${amendmentPath(id)}/withdraw`);
}

/** Accept or reject several suggestions at once, all or nothing (rejecting needs a reason). */
export async function decideAmendments(definitionId: string, body: { action: 'accept' | 'reject'; ids: string[]; reason?: string }): Promise<Amendment[]> {
  return (await request<AmendmentList>('POST', `${definitionPath(definitionId)}/amendments/decide`, { body })).amendments;
}

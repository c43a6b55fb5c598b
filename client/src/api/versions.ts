import type { Blame, Clause, DefinitionDiff, HistoryPage, PublishVersionBody, Version, VersionDetail, VersionList } from '@draftroom/shared';
import { request } from './client.ts';

const definitionPath = (id: string) => `/api/definitions/${encodeURIComponent(id)}`;

/** The value the diff endpoint takes for the live draft (never a version label: the server reserves it). */
export const CURRENT_DRAFT = 'current';

/** Published versions, newest first. */
export async function listVersions(definitionId: string, signal?: AbortSignal): Promise<Version[]> {
  return (await request<VersionList>('GET', `${definitionPath(definitionId)}/versions`, { signal })).versions;
}

export function publishVersion(definitionId: string, body: PublishVersionBody): Promise<VersionDetail> {
  return request<VersionDetail>('POST', `${definitionPath(definitionId)}/versions`, { body });
}

/** Where the browser downloads a version as Markdown (the server sends it as an attachment). */
export function versionMarkdownUrl(definitionId: string, label: string): string {
  return `${definitionPath(definitionId)}/versions/${encodeURIComponent(label)}?format=md`;
}

/** Clause-by-clause changes from one version to another, or to the live draft (`to` = CURRENT_DRAFT). */
export function getDiff(definitionId: string, from: string, to: string, signal?: AbortSignal): Promise<DefinitionDiff> {
  return request<DefinitionDiff>('GET', `${definitionPath(definitionId)}/diff`, { query: { from, to }, signal });
}

/** One page of edits and version milestones, newest first; of one clause when clauseId is given. */
export function getHistory(
  definitionId: string,
  options: { clauseId?: string; cursor?: number; limit?: number } = {},
  signal?: AbortSignal,
): Promise<HistoryPage> {
  const { clauseId, cursor, limit } = options;
  return request<HistoryPage>('GET', `${definitionPath(definitionId)}/history`, { query: { clause: clauseId, cursor, limit }, signal });
}

export function getBlame(definitionId: string, clauseId: string, signal?: AbortSignal): Promise<Blame> {
  return request<Blame>('GET', `${definitionPath(definitionId)}/blame`, { query: { clause: clauseId }, signal });
}

/** Puts one clause's text from a version back into the live draft, as a new edit by the caller. */
export function restoreClause(definitionId: string, clauseId: string, version: string): Promise<Clause> {
  return request<Clause>('POST', `${definitionPath(definitionId)}/clauses/${encodeURIComponent(clauseId)}/restore`, { body: { version } });
}

/** Resets the whole live draft to a version (chairs). */
export function resetDefinition(definitionId: string, version: string): Promise<void> {
  return request<void>('POST', `${definitionPath(definitionId)}/restore`, { body: { version } });
}

import { queryOptions, useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { AddGlossaryTermBody, LanguageReportSchema } from '@draftroom/shared';
import type { Static } from 'typebox';
import { request } from './client.ts';
import { queryKeys } from './queryKeys.ts';

/** The draft's requirement-language report: defined terms, glossary, marks, whether they are on, and what the reader may change. */
export type LanguageReport = Static<typeof LanguageReportSchema>;

const definitionPath = (id: string) => `/api/definitions/${encodeURIComponent(id)}`;

/** Members read it, like the draft. */
export function getLanguageReport(definitionId: string, signal?: AbortSignal): Promise<LanguageReport> {
  return request<LanguageReport>('GET', `${definitionPath(definitionId)}/language`, { signal });
}

/** Turns the marks on or off for the definition (chairs, editors); answers the new report. */
export function setLanguageChecks(definitionId: string, enabled: boolean): Promise<LanguageReport> {
  return request<LanguageReport>('PUT', `${definitionPath(definitionId)}/language`, { body: { enabled } });
}

/** Keeps a term in the glossary with its defining clause (chairs, editors); 409 when the glossary has it, however written. */
export function addGlossaryTerm(definitionId: string, body: AddGlossaryTermBody): Promise<LanguageReport> {
  return request<LanguageReport>('POST', `${definitionPath(definitionId)}/glossary`, { body });
}

export function removeGlossaryTerm(definitionId: string, termId: string): Promise<LanguageReport> {
  return request<LanguageReport>('DELETE', `${definitionPath(definitionId)}/glossary/${encodeURIComponent(termId)}`);
}

export const languageQuery = (definitionId: string) =>
  queryOptions({ queryKey: queryKeys.language(definitionId), queryFn: ({ signal }) => getLanguageReport(definitionId, signal) });

/** Every change answers the whole new report: it replaces the cached one (the live hint that follows reads it again). */
export async function storeLanguageReport(client: QueryClient, definitionId: string, report: LanguageReport): Promise<void> {
  // A read that started before the change must not put the old report back.
  await client.cancelQueries({ queryKey: queryKeys.language(definitionId) });
  client.setQueryData(queryKeys.language(definitionId), report);
}

export function useSetLanguageChecks(definitionId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (enabled: boolean) => setLanguageChecks(definitionId, enabled),
    onSuccess: (report) => storeLanguageReport(client, definitionId, report),
  });
}

export function useRemoveGlossaryTerm(definitionId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (termId: string) => removeGlossaryTerm(definitionId, termId),
    onSuccess: (report) => storeLanguageReport(client, definitionId, report),
  });
}

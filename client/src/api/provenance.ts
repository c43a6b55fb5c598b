import { queryOptions } from '@tanstack/react-query';
import type { Provenance } from '@draftroom/shared';
import { request } from './client.ts';
import { queryKeys } from './queryKeys.ts';

/** A stretch of a clause's plain text by character offsets (paragraphs joined by "\n\n", hard breaks "\n"). */
export interface TextRange {
  from: number;
  to: number;
}

/**
 * Why a clause (or a stretch of it) says what it says: who wrote each part, the amendments, ballots
 * and threads on it, and what each published version did to it — of the draft, or as of a published
 * version (its text and authors, the record up to its publication). Members.
 */
export function getProvenance(
  definitionId: string,
  clauseId: string,
  range: TextRange | null,
  version: string | null,
  signal?: AbortSignal,
): Promise<Provenance> {
  return request<Provenance>('GET', `/api/definitions/${encodeURIComponent(definitionId)}/clauses/${encodeURIComponent(clauseId)}/provenance`, {
    query: { from: range?.from, to: range?.to, version: version ?? undefined },
    signal,
  });
}

// In a file of its own rather than api/queries.ts: only the provenance panel (loaded when opened) reads it.
export const provenanceQuery = (definitionId: string, clauseId: string, range: TextRange | null, version: string | null = null) =>
  queryOptions({
    queryKey: queryKeys.provenance(definitionId, clauseId, range, version),
    queryFn: ({ signal }) => getProvenance(definitionId, clauseId, range, version, signal),
  });

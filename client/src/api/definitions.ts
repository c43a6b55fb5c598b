import type { CreateDefinitionBody, Definition, DefinitionDetail, DefinitionList, PublicDefinition, UpdateDefinitionBody } from '@draftroom/shared';
import { request } from './client.ts';

const groupDefinitionsPath = (slug: string) => `/api/groups/${encodeURIComponent(slug)}/definitions`;
const definitionPath = (id: string) => `/api/definitions/${encodeURIComponent(id)}`;

export async function listDefinitions(slug: string, signal?: AbortSignal): Promise<Definition[]> {
  return (await request<DefinitionList>('GET', groupDefinitionsPath(slug), { signal })).definitions;
}

export function createDefinition(slug: string, body: CreateDefinitionBody): Promise<Definition> {
  return request<Definition>('POST', groupDefinitionsPath(slug), { body });
}

/** The definition with its clauses as PostgreSQL mirrors them (a little behind the live text). */
export function getDefinition(id: string, signal?: AbortSignal): Promise<DefinitionDetail> {
  return request<DefinitionDetail>('GET', definitionPath(id), { signal });
}

export function updateDefinition(id: string, body: UpdateDefinitionBody): Promise<Definition> {
  return request<Definition>('PATCH', definitionPath(id), { body });
}

/** The latest published version (or the one labelled `version`) as the public reads it, with the comment period and counts per clause. */
export function getPublicDefinition(id: string, signal?: AbortSignal, version?: string): Promise<PublicDefinition> {
  return request<PublicDefinition>('GET', `${definitionPath(id)}/public`, { signal, ...(version !== undefined && { query: { version } }) });
}

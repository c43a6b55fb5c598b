import type { Definition, DefinitionImportPreview, DraftImport, ImportDefinitionBody, ImportIntoDraftBody } from '@draftroom/shared';
import { request } from './client.ts';

const groupImportPath = (slug: string) => `/api/groups/${encodeURIComponent(slug)}/definitions/import`;
const draftImportPath = (id: string) => `/api/definitions/${encodeURIComponent(id)}/import`;

/** What importing this source would create: its title, clauses and the losses to know of. Writes nothing. */
export function previewDefinitionImport(slug: string, body: Omit<ImportDefinitionBody, 'preview'>): Promise<DefinitionImportPreview> {
  return request<DefinitionImportPreview>('POST', groupImportPath(slug), { body: { ...body, preview: true } });
}

/** Starts a definition with the source's clauses (chairs and editors). */
export function importDefinition(slug: string, body: Omit<ImportDefinitionBody, 'preview'>): Promise<Definition> {
  return request<Definition>('POST', groupImportPath(slug), { body });
}

/** The draft compared with the source, clause by clause; `head` names the draft compared against. Writes nothing. */
export function previewDraftImport(definitionId: string, body: Omit<ImportIntoDraftBody, 'preview' | 'expectedHead'>): Promise<DraftImport> {
  return request<DraftImport>('POST', draftImportPath(definitionId), { body: { ...body, preview: true } });
}

/** Makes the draft read as the source; refused (409) if the draft is no longer the one at `expectedHead`. */
export function applyDraftImport(definitionId: string, body: Omit<ImportIntoDraftBody, 'preview'>): Promise<DraftImport> {
  return request<DraftImport>('POST', draftImportPath(definitionId), { body });
}

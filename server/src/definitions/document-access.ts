import type { DocumentAccess } from '../collab/registry.ts';
import type { Db } from '../db/database.ts';
import { authorizeOnDefinition, canOnDefinition } from '../policies/definitions.ts';
import { findDefinitionWithRole } from './repository.ts';
import { loadDefinition } from './service.ts';

/**
 * Who may open a definition's live document and who may write in it, by the same policy as every REST
 * route. collab/ knows nothing of definitions or roles: app.ts hands it these two functions.
 */
export function definitionDocumentAccess(db: Db): DocumentAccess {
  return {
    async open(actor, definitionId) {
      const definition = await loadDefinition(db, actor, definitionId);
      authorizeOnDefinition(actor, 'draft.read', definition);
      return { groupId: definition.group_id, canWrite: canOnDefinition(actor, 'text.edit', definition) };
    },
    async recheck(userId, definitionId) {
      const row = await findDefinitionWithRole(db, definitionId, userId);
      const actor = { userId };
      const context = row ? { visibility: row.visibility, role: row.role } : { visibility: 'private' as const, role: null };
      return { canRead: canOnDefinition(actor, 'draft.read', context), canWrite: canOnDefinition(actor, 'text.edit', context) };
    },
  };
}

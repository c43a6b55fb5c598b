import { checkLanguage, clauseLabels, type LanguageReport } from '@draftroom/shared';
import type { DocumentRegistry } from '../collab/registry.ts';
import type { Db } from '../db/database.ts';
import { loadDefinition } from '../definitions/service.ts';
import type { Actor } from '../policies/actor.ts';
import { authorizeOnDefinition } from '../policies/definitions.ts';
import { readText } from '../text/edit.ts';

/** The draft's defined terms and its requirement-language marks (members, like the draft). */
export async function languageReport(db: Db, registry: DocumentRegistry, actor: Actor, definitionId: string): Promise<LanguageReport> {
  const definition = await loadDefinition(db, actor, definitionId);
  authorizeOnDefinition(actor, 'draft.read', definition);
  const clauses = await readText({ registry }, definition, (text) => text.clauses());
  const labels = clauseLabels(clauses.map((clause) => clause.kind));
  return checkLanguage(clauses.map((clause, i) => ({ id: clause.id, label: labels[i]!, text: clause.text })));
}

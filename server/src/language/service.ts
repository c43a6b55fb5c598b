import { checkLanguage, clauseLabels, termKey, type AddGlossaryTermBody, type LanguageReport } from '@draftroom/shared';
import type { DocumentRegistry } from '../collab/registry.ts';
import type { Db } from '../db/database.ts';
import { loadDefinition, type DefinitionRecord } from '../definitions/service.ts';
import { conflict, invalidInput, notFound } from '../errors.ts';
import { recordEvent } from '../events/service.ts';
import type { Actor } from '../policies/actor.ts';
import { authorizeOnDefinition, canOnDefinition } from '../policies/definitions.ts';
import { readText } from '../text/edit.ts';
import * as repo from './repository.ts';

export type LanguageView = LanguageReport & { enabled: boolean; allowedActions: 'configure'[] };

/*
 * Requirement language: gentle marks, never a block. The group turns the checks on per definition and
 * keeps a glossary (term → defining clause) beside the definitions the text writes in quotes. Those who
 * write the text (chairs and editors) configure it; every member reads the report, like the draft.
 */

const configures = (actor: Actor, definition: DefinitionRecord) => canOnDefinition(actor, 'text.edit', definition);

/** The draft's defined terms and its requirement-language marks (members, like the draft). */
export async function languageReport(db: Db, registry: DocumentRegistry, actor: Actor, definitionId: string): Promise<LanguageView> {
  const definition = await loadDefinition(db, actor, definitionId);
  authorizeOnDefinition(actor, 'draft.read', definition);
  const [clauses, glossary, enabled] = await Promise.all([
    readText({ registry }, definition, (text) => text.clauses()),
    repo.glossary(db, definitionId),
    repo.isEnabled(db, definitionId),
  ]);
  const labels = clauseLabels(clauses.map((clause) => clause.kind));
  const report = checkLanguage(
    clauses.map((clause, i) => ({ id: clause.id, label: labels[i]!, text: clause.text })),
    500,
    glossary.map((entry) => ({ id: entry.id, term: entry.term, clauseId: entry.clause_id })),
  );
  return { ...report, enabled, allowedActions: configures(actor, definition) ? ['configure'] : [] };
}

function authorizeConfigure(actor: Actor, definition: DefinitionRecord): asserts actor is { userId: string } {
  authorizeOnDefinition(actor, 'text.edit', definition);
}

export async function setLanguageChecks(db: Db, registry: DocumentRegistry, actor: Actor, definitionId: string, enabled: boolean): Promise<LanguageView> {
  const definition = await loadDefinition(db, actor, definitionId);
  authorizeConfigure(actor, definition);
  await db.transaction().execute(async (tx) => {
    if (!(await repo.setEnabled(tx, definitionId, enabled))) return;
    await recordEvent(tx, { groupId: definition.group_id, actorId: actor.userId, type: 'language.checks_changed', payload: { definitionId, enabled } });
  });
  return languageReport(db, registry, actor, definitionId);
}

export async function addGlossaryTerm(
  db: Db,
  registry: DocumentRegistry,
  actor: Actor,
  definitionId: string,
  input: AddGlossaryTermBody,
): Promise<LanguageView> {
  const definition = await loadDefinition(db, actor, definitionId);
  authorizeConfigure(actor, definition);
  if (!(await readText({ registry }, definition, (text) => text.has(input.clauseId)))) throw notFound('clause');
  const term = input.term.trim().replace(/\s+/g, ' ');
  if (!/[\p{L}\p{N}]/u.test(term)) throw invalidInput('A term needs a letter or a digit', [{ path: '/term', message: 'has no letter or digit' }]);
  await db.transaction().execute(async (tx) => {
    const inserted = await repo.insertTerm(tx, { definitionId, term, termKey: termKey(term), clauseId: input.clauseId, createdBy: actor.userId });
    if (!inserted) throw conflict('The glossary has this term already', [{ path: '/term', message: 'is in the glossary' }]);
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: 'glossary.term_added',
      payload: { definitionId, term, clauseId: input.clauseId },
    });
  });
  return languageReport(db, registry, actor, definitionId);
}

export async function removeGlossaryTerm(db: Db, registry: DocumentRegistry, actor: Actor, definitionId: string, termId: string): Promise<LanguageView> {
  const definition = await loadDefinition(db, actor, definitionId);
  authorizeConfigure(actor, definition);
  await db.transaction().execute(async (tx) => {
    const removed = await repo.deleteTerm(tx, definitionId, termId);
    if (!removed) throw notFound('glossary term');
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: 'glossary.term_removed',
      payload: { definitionId, term: removed.term, clauseId: removed.clause_id },
    });
  });
  return languageReport(db, registry, actor, definitionId);
}

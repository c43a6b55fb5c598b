import type { Clause } from '@draftroom/shared';
import type { DocumentRegistry } from '../collab/registry.ts';
import type { Db } from '../db/database.ts';
import { loadDefinition } from '../definitions/service.ts';
import { notFound } from '../errors.ts';
import { recordEvent } from '../events/service.ts';
import type { Actor } from '../policies/actor.ts';
import { authorizeOnDefinition } from '../policies/definitions.ts';
import { editText, type StoredClause } from '../text/edit.ts';
import * as repo from './repository.ts';

async function versionClauses(db: Db, definitionId: string, label: string) {
  const version = await repo.findVersion(db, definitionId, label);
  if (!version) throw notFound(`version ${label}`);
  const clauses: StoredClause[] = (await repo.listVersionClauses(db, version.id)).map((c) => ({
    clauseId: c.clause_id,
    kind: c.kind,
    position: c.position,
    content: c.content,
  }));
  return { version, clauses };
}

/**
 * Puts one clause back as it was in a version — a word-level edit attributed to whoever restores it, in
 * one transaction with its audit event. A clause deleted since comes back with its id, near where it was.
 */
export async function restoreClause(db: Db, registry: DocumentRegistry, actor: Actor, definitionId: string, clauseId: string, label: string): Promise<Clause> {
  const definition = await loadDefinition(db, actor, definitionId);
  authorizeOnDefinition(actor, 'text.edit', definition);
  const { version, clauses } = await versionClauses(db, definitionId, label);
  const stored = clauses.find((c) => c.clauseId === clauseId);
  if (!stored) throw notFound(`clause in version ${label}`);
  return editText({ db, registry }, definition, async (tx, text) => {
    text.restoreClause(actor.userId, stored);
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: 'clause.restored',
      payload: { definitionId, clauseId, versionId: version.id, label },
    });
    return text.clause(clauseId)!;
  });
}

/**
 * Resets the whole definition to a version in one edit and one transaction with its audit event: clauses
 * added since are removed, removed ones come back, texts and kinds are set, and the order is rebuilt
 * (ids move; bodies stay where they are, so comments anchored in them survive).
 */
export async function restoreDefinition(db: Db, registry: DocumentRegistry, actor: Actor, definitionId: string, label: string): Promise<void> {
  const definition = await loadDefinition(db, actor, definitionId);
  authorizeOnDefinition(actor, 'definition.reset', definition);
  const { version, clauses } = await versionClauses(db, definitionId, label);
  await editText({ db, registry }, definition, async (tx, text) => {
    text.restoreAll(actor.userId, clauses);
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: 'definition.restored',
      payload: { definitionId, versionId: version.id, label, clauseCount: clauses.length },
    });
  });
}

import { randomUUID } from 'node:crypto';
import type { Clause, InsertClauseBody, ReplaceClauseBody } from '@draftroom/shared';
import { notFound } from '../errors.ts';
import type { Actor } from '../policies/actor.ts';
import { authorizeOnDefinition } from '../policies/definitions.ts';
import { parseClauseContent } from '../text/content.ts';
import { editText, type TextDeps } from '../text/edit.ts';
import { loadDefinition } from './service.ts';

/**
 * Inserts a clause as a Yjs edit attributed to the caller; everyone connected sees it once it is stored.
 * The answer is read in the same exclusive section as the edit, so a concurrent restore or delete can
 * never make a committed insert answer with an error (a retrying client would duplicate the clause).
 */
export async function insertClauseAsUser(deps: TextDeps, actor: Actor, definitionId: string, input: InsertClauseBody): Promise<Clause> {
  const definition = await loadDefinition(deps.db, actor, definitionId);
  authorizeOnDefinition(actor, 'text.edit', definition);
  const content = parseClauseContent(input);
  const clauseId = randomUUID();
  return editText(deps, definition, async (_tx, text) => {
    text.insertClause(actor.userId, { id: clauseId, kind: input.kind ?? 'clause', position: input.position, content });
    return text.clause(clauseId)!;
  });
}

/** Replaces a clause's text word by word (words that stay keep their authors). */
export async function replaceClauseAsUser(deps: TextDeps, actor: Actor, definitionId: string, clauseId: string, input: ReplaceClauseBody): Promise<Clause> {
  const definition = await loadDefinition(deps.db, actor, definitionId);
  authorizeOnDefinition(actor, 'text.edit', definition);
  const content = parseClauseContent(input);
  return editText(deps, definition, async (_tx, text) => {
    if (!text.replaceClause(actor.userId, clauseId, content)) throw notFound('clause');
    return text.clause(clauseId)!;
  });
}

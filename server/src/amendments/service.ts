import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { BODY_KEY, clausesInOrder, clausesOf, type Amendment, type AmendmentAction, type ProposeAmendmentBody } from '@draftroom/shared';
import { clauseSchema } from '@draftroom/shared/collab-schema';
import { parseClauseContent } from '../collab/clauses.ts';
import type { DocumentRegistry } from '../collab/registry.ts';
import { renderClause } from '../collab/render.ts';
import type { Db } from '../db/database.ts';
import { loadDefinition, type DefinitionRecord } from '../definitions/service.ts';
import { AppError, conflict, forbidden, notFound } from '../errors.ts';
import { recordEvent } from '../events/service.ts';
import type { Actor } from '../policies/actor.ts';
import { canOnDefinition } from '../policies/definitions.ts';
import { wordChanges } from '../versions/diff.ts';
import * as repo from './repository.ts';

type Row = NonNullable<Awaited<ReturnType<typeof repo.findAmendment>>>;

function allowedActions(actor: Actor, definition: DefinitionRecord, row: Row): AmendmentAction[] {
  if (row.status !== 'proposed' || actor === null) return [];
  const context = { visibility: definition.visibility, role: definition.role };
  const actions: AmendmentAction[] = [];
  if (canOnDefinition(actor, 'amendment.decide', context)) actions.push('accept', 'reject');
  if (row.author_id === actor.userId) actions.push('withdraw');
  return actions;
}

function present(actor: Actor, definition: DefinitionRecord, row: Row): Amendment {
  const current = row.current_text ?? null;
  return {
    id: row.id,
    definitionId: row.definition_id,
    clauseId: row.clause_id,
    author: { id: row.author_id, displayName: row.author_name },
    rationale: row.rationale,
    status: row.status,
    baseText: row.base_text,
    proposedText: row.proposed_text,
    proposedMarkdown: row.proposed_markdown,
    currentText: current,
    stale: current !== row.base_text,
    changes: wordChanges(current ?? row.base_text, row.proposed_text),
    decidedBy: row.decided_by ? { id: row.decided_by, displayName: row.decider_name ?? '(unknown)' } : null,
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionReason: row.decision_reason,
    createdAt: row.created_at.toISOString(),
    allowedActions: allowedActions(actor, definition, row),
  };
}

async function loadAmendment(db: Db, actor: Actor, id: string) {
  const row = await repo.findAmendment(db, id);
  if (!row) throw notFound('amendment');
  const definition = await loadDefinition(db, actor, row.definition_id, 'draft.read').catch((error: unknown) => {
    // An amendment in a definition you cannot read does not exist for you.
    if (error instanceof AppError && error.statusCode === 404) throw notFound('amendment');
    throw error;
  });
  return { row, definition };
}

export async function listAmendments(
  db: Db,
  actor: Actor,
  definitionId: string,
  filter: { status?: Amendment['status']; clause?: string },
): Promise<Amendment[]> {
  const definition = await loadDefinition(db, actor, definitionId, 'draft.read');
  const rows = await repo.listAmendments(db, definitionId, filter);
  return rows.map((row) => present(actor, definition, row));
}

export async function getAmendment(db: Db, actor: Actor, id: string): Promise<Amendment> {
  const { row, definition } = await loadAmendment(db, actor, id);
  return present(actor, definition, row);
}

/** Records a proposal against the clause text as it is right now (read from the live document). */
export async function proposeAmendment(
  db: Db,
  registry: DocumentRegistry,
  actor: Actor,
  definitionId: string,
  input: ProposeAmendmentBody,
): Promise<Amendment> {
  const definition = await loadDefinition(db, actor, definitionId, 'amendment.propose');
  const proposed = parseClauseContent(input);
  const baseText = await registry.withDocument(definitionId, definition.group_id, async (document) => {
    await document.whenCommitted();
    const clause = clausesInOrder(document.doc).find((c) => c.id === input.clauseId);
    if (!clause) throw notFound('clause');
    return renderClause(clause.body).text;
  });
  const rendered = renderProposal(proposed.toJSON());
  const id = await db.transaction().execute(async (tx) => {
    const inserted = await repo.insertAmendment(tx, {
      definitionId,
      clauseId: input.clauseId,
      authorId: actor!.userId,
      baseText,
      proposedText: rendered.text,
      proposedMarkdown: rendered.markdown,
      proposedContent: proposed.toJSON(),
      rationale: input.rationale,
    });
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor!.userId,
      type: 'amendment.proposed',
      payload: { definitionId, amendmentId: inserted.id, clauseId: input.clauseId },
    });
    return inserted.id;
  });
  return getAmendment(db, actor, id);
}

function renderProposal(json: unknown): { text: string; markdown: string } {
  // Render through a throwaway Y fragment so proposals read exactly like clause text does.
  const scratch = new Y.Doc();
  const fragment = scratch.getXmlFragment('proposal');
  prosemirrorJSONToYXmlFragment(clauseSchema, json, fragment);
  const rendered = renderClause(fragment);
  scratch.destroy();
  return rendered;
}

/**
 * Accepting applies the proposed text to the live clause as one Yjs transaction attributed to the
 * proposer (under a client id the proposer owns), with the acceptor recorded on the amendment.
 */
export async function acceptAmendment(db: Db, registry: DocumentRegistry, actor: Actor, id: string): Promise<Amendment> {
  const { definition } = await loadAmendment(db, actor, id);
  if (!canOnDefinition(actor, 'amendment.decide', { visibility: definition.visibility, role: definition.role })) {
    throw forbidden('Only chairs and editors accept amendments');
  }
  await db.transaction().execute(async (tx) => {
    const locked = await repo.lockAmendment(tx, id);
    if (!locked) throw notFound('amendment');
    if (locked.status !== 'proposed') throw conflict(`This amendment is already ${locked.status}`);
    await registry.withDocument(definition.id, definition.group_id, async (document) => {
      if (!clausesOf(document.doc).has(locked.clause_id)) throw conflict('The clause was deleted; the amendment cannot be applied');
      await document.applyServerEdit(locked.author_id, (doc) => {
        const body = clausesOf(doc).get(locked.clause_id)!.get(BODY_KEY) as Y.XmlFragment;
        prosemirrorJSONToYXmlFragment(clauseSchema, locked.proposed_content, body);
      });
    });
    await repo.decide(tx, id, { status: 'accepted', by: actor!.userId, reason: null });
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor!.userId,
      type: 'amendment.accepted',
      payload: { definitionId: definition.id, amendmentId: id, clauseId: locked.clause_id, proposerId: locked.author_id },
    });
  });
  return getAmendment(db, actor, id);
}

export async function rejectAmendment(db: Db, actor: Actor, id: string, reason: string): Promise<Amendment> {
  const { definition } = await loadAmendment(db, actor, id);
  if (!canOnDefinition(actor, 'amendment.decide', { visibility: definition.visibility, role: definition.role })) {
    throw forbidden('Only chairs and editors reject amendments');
  }
  await settle(db, actor, id, definition, 'rejected', reason.trim());
  return getAmendment(db, actor, id);
}

export async function withdrawAmendment(db: Db, actor: Actor, id: string): Promise<Amendment> {
  const { row, definition } = await loadAmendment(db, actor, id);
  if (row.author_id !== actor?.userId) throw forbidden('Only the author withdraws an amendment');
  await settle(db, actor, id, definition, 'withdrawn', null);
  return getAmendment(db, actor, id);
}

async function settle(db: Db, actor: Actor, id: string, definition: DefinitionRecord, status: 'rejected' | 'withdrawn', reason: string | null) {
  await db.transaction().execute(async (tx) => {
    const locked = await repo.lockAmendment(tx, id);
    if (!locked) throw notFound('amendment');
    if (locked.status !== 'proposed') throw conflict(`This amendment is already ${locked.status}`);
    await repo.decide(tx, id, { status, by: actor!.userId, reason });
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor!.userId,
      type: `amendment.${status}`,
      payload: { definitionId: definition.id, amendmentId: id, ...(reason && { reason }) },
    });
  });
}

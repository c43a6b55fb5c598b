import type { Amendment, AmendmentAction, ProposeAmendmentBody } from '@draftroom/shared';
import type { DocumentRegistry } from '../collab/registry.ts';
import type { Db, Tx } from '../db/database.ts';
import { loadDefinition, type DefinitionRecord } from '../definitions/service.ts';
import { AppError, conflict, notFound } from '../errors.ts';
import { recordEvent } from '../events/service.ts';
import { notifyAmendmentDecided } from '../notifications/notify.ts';
import type { Actor, SignedIn } from '../policies/actor.ts';
import { authorizeOnDefinition } from '../policies/definitions.ts';
import { parseClauseContent, renderContent, storedMarkdown } from '../text/content.ts';
import { editText, readText, type TextEdit } from '../text/edit.ts';
import { wordChanges } from '../versions/diff.ts';
import * as policy from './policy.ts';
import * as repo from './repository.ts';

type Row = NonNullable<Awaited<ReturnType<typeof repo.findAmendment>>>;

interface AmendmentDeps {
  db: Db;
  registry: DocumentRegistry;
}

function allowedActions(actor: Actor, definition: DefinitionRecord, row: Row): AmendmentAction[] {
  if (row.status !== 'proposed' || actor === null) return [];
  const actions: AmendmentAction[] = [];
  if (policy.canDecideAmendment(actor, definition)) actions.push('accept', 'reject');
  if (policy.canWithdrawAmendment(actor, row.author_id)) actions.push('withdraw');
  return actions;
}

/**
 * `current_text` comes from the clause mirror, which is written in the same transaction as every text
 * change: it is the committed text, never a delayed copy (null: the clause was deleted).
 */
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
    proposedMarkdown: storedMarkdown(row.proposed_content),
    proposedContent: row.proposed_content,
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

/** Loads an amendment and its definition, which the caller then authorizes the action on. */
async function loadAmendment(db: Db, actor: Actor, id: string) {
  const row = await repo.findAmendment(db, id);
  if (!row) throw notFound('amendment');
  const definition = await loadDefinition(db, actor, row.definition_id).catch((error: unknown) => {
    // An amendment in a definition you cannot read does not exist for you.
    if (error instanceof AppError && error.statusCode === 404) throw notFound('amendment');
    throw error;
  });
  return { row, definition };
}

export async function listAmendments(
  deps: AmendmentDeps,
  actor: Actor,
  definitionId: string,
  filter: { status?: Amendment['status']; clause?: string },
): Promise<Amendment[]> {
  const definition = await loadDefinition(deps.db, actor, definitionId);
  authorizeOnDefinition(actor, 'draft.read', definition);
  const rows = await repo.listAmendments(deps.db, definitionId, filter);
  return rows.map((row) => present(actor, definition, row));
}

export async function getAmendment(deps: AmendmentDeps, actor: Actor, id: string): Promise<Amendment> {
  const { row, definition } = await loadAmendment(deps.db, actor, id);
  authorizeOnDefinition(actor, 'draft.read', definition);
  return present(actor, definition, row);
}

/**
 * Records a proposal — rich content in the clause schema, or plain text — against the clause's committed
 * text at this moment.
 */
export async function proposeAmendment(deps: AmendmentDeps, actor: Actor, definitionId: string, input: ProposeAmendmentBody): Promise<Amendment> {
  const definition = await loadDefinition(deps.db, actor, definitionId);
  authorizeOnDefinition(actor, 'amendment.propose', definition);
  const proposed = parseClauseContent(input);
  const startedFrom = input.baseContent === undefined ? null : renderContent(parseBase(input.baseContent)).text;
  const currentText = await readText(deps, definition, (text) => text.clause(input.clauseId)?.text ?? null);
  if (currentText === null) throw notFound('clause');
  // Written against an older text (the clause changed while it was being written): recorded as such.
  const baseText = startedFrom ?? currentText;
  const rendered = renderContent(proposed);
  const id = await deps.db.transaction().execute(async (tx) => {
    const inserted = await repo.insertAmendment(tx, {
      definitionId,
      clauseId: input.clauseId,
      authorId: actor.userId,
      baseText,
      proposedText: rendered.text,
      proposedMarkdown: rendered.markdown,
      proposedContent: proposed.toJSON(),
      rationale: input.rationale,
    });
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: 'amendment.proposed',
      payload: { definitionId, amendmentId: inserted.id, clauseId: input.clauseId },
    });
    return inserted.id;
  });
  return getAmendment(deps, actor, id);
}

/** The text a suggestion started from, checked like a proposal's content; its errors name `baseContent`. */
function parseBase(content: object) {
  try {
    return parseClauseContent({ content });
  } catch (error) {
    if (!(error instanceof AppError) || error.statusCode !== 400) throw error;
    const detail = Array.isArray(error.details) ? (error.details[0] as { message?: string } | undefined)?.message : undefined;
    throw new AppError(400, 'invalid_input', `The text the suggestion started from: ${error.message}`, [
      { path: '/baseContent', message: detail ?? 'is invalid' },
    ]);
  }
}

/**
 * Accepting applies the proposed wording to the live clause as a word-level edit credited to the
 * proposer (words that stay keep their authors and formatting), in one transaction with the decision and
 * its audit event; everyone sees the new text only after all of it is stored.
 */
export async function acceptAmendment(deps: AmendmentDeps, actor: Actor, id: string): Promise<Amendment> {
  const { definition } = await loadAmendment(deps.db, actor, id);
  policy.authorizeAcceptAmendment(actor, definition);
  await editText(deps, definition, async (tx, text) => {
    const locked = await repo.lockAmendment(tx, id);
    if (!locked) throw notFound('amendment');
    if (locked.status !== 'proposed') throw conflict(`This amendment is already ${locked.status}`);
    const content = parseClauseContent({ content: locked.proposed_content });
    if (!text.replaceClause(locked.author_id, locked.clause_id, content)) throw conflict('The clause was deleted; the amendment cannot be applied');
    await repo.decide(tx, id, { status: 'accepted', by: actor.userId, reason: null });
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: 'amendment.accepted',
      payload: { definitionId: definition.id, amendmentId: id, clauseId: locked.clause_id, proposerId: locked.author_id },
    });
    await notifyAmendmentDecided(
      tx,
      { amendmentId: id, groupId: definition.group_id, definitionId: definition.id, clauseId: locked.clause_id, authorId: locked.author_id },
      'accepted',
      actor.userId,
    );
  });
  return getAmendment(deps, actor, id);
}

export async function rejectAmendment(deps: AmendmentDeps, actor: Actor, id: string, reason: string): Promise<Amendment> {
  const { definition } = await loadAmendment(deps.db, actor, id);
  policy.authorizeRejectAmendment(actor, definition);
  await settle(deps.db, actor, id, definition, 'rejected', reason.trim());
  return getAmendment(deps, actor, id);
}

export async function withdrawAmendment(deps: AmendmentDeps, actor: Actor, id: string): Promise<Amendment> {
  const { row, definition } = await loadAmendment(deps.db, actor, id);
  policy.authorizeWithdrawAmendment(actor, definition, row.author_id);
  await settle(deps.db, actor, id, definition, 'withdrawn', null);
  return getAmendment(deps, actor, id);
}

async function settle(db: Db, actor: SignedIn, id: string, definition: DefinitionRecord, status: 'rejected' | 'withdrawn', reason: string | null) {
  await db.transaction().execute(async (tx) => {
    const locked = await repo.lockAmendment(tx, id);
    if (!locked) throw notFound('amendment');
    if (locked.status !== 'proposed') throw conflict(`This amendment is already ${locked.status}`);
    await repo.decide(tx, id, { status, by: actor.userId, reason });
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: `amendment.${status}`,
      payload: { definitionId: definition.id, amendmentId: id, ...(reason && { reason }) },
    });
    if (status === 'rejected') {
      await notifyAmendmentDecided(
        tx,
        { amendmentId: id, groupId: definition.group_id, definitionId: definition.id, clauseId: locked.clause_id, authorId: locked.author_id },
        'rejected',
        actor.userId,
      );
    }
  });
}

/**
 * "Accept all" / "Reject all": several suggestions of one definition decided at once, all or nothing,
 * in one transaction — with the text edits, decisions, audit events and notifications of each. A
 * suggestion accepted in a batch must still apply to the text it was written against: when its clause
 * changed since (by another suggestion of the same batch, or by anyone), the batch is refused with the
 * clause named, nothing decided, and it is accepted on its own after a look.
 */
export async function decideAmendments(
  deps: AmendmentDeps,
  actor: Actor,
  definitionId: string,
  input: { action: 'accept' | 'reject'; ids: string[]; reason?: string | undefined },
): Promise<Amendment[]> {
  const definition = await loadDefinition(deps.db, actor, definitionId);
  if (input.action === 'accept') policy.authorizeAcceptAmendment(actor, definition);
  else policy.authorizeRejectAmendment(actor, definition);
  const signedIn = actor;
  const reason = input.reason?.trim() ?? '';
  if (input.action === 'reject' && reason === '') {
    throw new AppError(400, 'invalid_input', 'Say why the suggestions are rejected', [{ path: '/reason', message: 'is required to reject' }]);
  }
  const decideAll = async (tx: Tx, text: TextEdit | null) => {
    const rows = await repo.lockAmendments(tx, definition.id, input.ids);
    // An id of another definition, or none at all, does not exist here.
    if (rows.length !== input.ids.length) throw notFound('amendment');
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const id of input.ids) {
      const row = byId.get(id)!;
      if (row.status !== 'proposed') throw conflict(`A suggestion in the batch is already ${row.status}; nothing was decided`);
      if (text) {
        const clause = text.clause(row.clause_id);
        if (!clause) throw conflict('A suggestion’s clause was deleted; nothing was decided');
        if (clause.text !== row.base_text) {
          throw conflict(`Clause ${clause.position + 1} changed since a suggestion on it was made; nothing was decided — accept that one on its own`);
        }
        text.replaceClause(row.author_id, row.clause_id, parseClauseContent({ content: row.proposed_content }));
      }
      const status = input.action === 'accept' ? 'accepted' : 'rejected';
      await repo.decide(tx, id, { status, by: signedIn.userId, reason: status === 'rejected' ? reason : null });
      await recordEvent(tx, {
        groupId: definition.group_id,
        actorId: signedIn.userId,
        type: `amendment.${status}`,
        payload: {
          definitionId: definition.id,
          amendmentId: id,
          clauseId: row.clause_id,
          ...(status === 'accepted' ? { proposerId: row.author_id } : { reason }),
        },
      });
      await notifyAmendmentDecided(
        tx,
        { amendmentId: id, groupId: definition.group_id, definitionId: definition.id, clauseId: row.clause_id, authorId: row.author_id },
        status,
        signedIn.userId,
      );
    }
  };
  if (input.action === 'accept') await editText(deps, definition, (tx, text) => decideAll(tx, text));
  else await deps.db.transaction().execute((tx) => decideAll(tx, null));
  return (await repo.listAmendments(deps.db, definition.id, { ids: input.ids })).map((row) => present(actor, definition, row));
}

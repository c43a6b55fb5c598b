import {
  clauseLabelMap,
  type DecideDispositionBody,
  type Disposition,
  type DispositionQuery,
  type DispositionRegister,
  type RaiseObjectionBody,
} from '@draftroom/shared';
import type { DocumentRegistry } from '../collab/registry.ts';
import type { Db, Executor, Tx } from '../db/database.ts';
import { loadDefinition, type DefinitionRecord } from '../definitions/service.ts';
import { AppError, conflict, invalidInput, notFound } from '../errors.ts';
import { recordEvent } from '../events/service.ts';
import { notifyDisposition } from '../notifications/notify.ts';
import type { Actor } from '../policies/actor.ts';
import * as search from '../search/repository.ts';
import { readText } from '../text/edit.ts';
import * as policy from './policy.ts';
import * as repo from './repository.ts';

/*
 * The disposition of comments (W3C's "disposition of comments", for a definition). Items enter the
 * register in the transaction of what raised them — a public thread started, a public ballot closed
 * with Object positions, a formal objection — so an item exists exactly when its comment does. A chair
 * disposes of each; the person who raised it hears of that and may say whether it satisfies them.
 * Every change is an audit event. Setting a definition final asks the chair about what is undisposed.
 */

/** A public thread was started: its opening comment is an item. Called in the thread's transaction. */
export async function raisePublicComment(
  tx: Tx,
  thread: { definitionId: string; groupId: string; threadId: string; commentId: string; clauseId: string; authorId: string; body: string },
): Promise<void> {
  const [item] = await repo.insertItems(tx, [
    {
      definitionId: thread.definitionId,
      source: 'public_comment',
      clauseId: thread.clauseId,
      threadId: thread.threadId,
      commentId: thread.commentId,
      authorId: thread.authorId,
      body: thread.body,
      public: true,
    },
  ]);
  if (item) await recordRaised(tx, thread.groupId, thread.authorId, thread.definitionId, item, 'public_comment', thread.clauseId, thread.threadId);
}

/**
 * A public ballot closed: every voter whose final position is Object has their objection (with the
 * reason they gave) entered as an item. A secret ballot's objections name no one: they stay counts.
 */
export async function raiseBallotObjections(
  tx: Tx,
  ballot: { id: string; definitionId: string; groupId: string; clauseId: string | null },
  objections: { voterId: string; rationale: string }[],
): Promise<void> {
  const inserted = await repo.insertItems(
    tx,
    objections.map((objection) => ({
      definitionId: ballot.definitionId,
      source: 'ballot_objection' as const,
      clauseId: ballot.clauseId,
      ballotId: ballot.id,
      authorId: objection.voterId,
      body: objection.rationale,
      public: false,
    })),
  );
  if (inserted.length === 0) return;
  await recordEvent(tx, {
    groupId: ballot.groupId,
    actorId: null,
    type: 'disposition.raised',
    payload: { definitionId: ballot.definitionId, ballotId: ballot.id, source: 'ballot_objection', numbers: inserted.map((i) => i.number), public: false },
  });
}

async function recordRaised(
  tx: Tx,
  groupId: string,
  actorId: string,
  definitionId: string,
  item: { id: string; number: number },
  source: 'public_comment' | 'formal_objection',
  clauseId: string | null,
  threadId: string | null = null,
): Promise<void> {
  await recordEvent(tx, {
    groupId,
    actorId,
    type: 'disposition.raised',
    payload: {
      definitionId,
      dispositionId: item.id,
      number: item.number,
      source,
      clauseId,
      ...publicThread({ public: threadId !== null, thread_id: threadId }),
    },
  });
}

/** An event about a public comment's item names its public thread: the live channel tells the item's readers by it. */
function publicThread(item: { public: boolean; thread_id: string | null }): { public: boolean; threadId?: string } {
  return { public: item.public, ...(item.public && item.thread_id !== null && { threadId: item.thread_id }) };
}

/** The opening comment of a public thread was edited: an undisposed item follows it (a disposed one keeps what was answered). */
export async function followCommentEdit(tx: Tx, commentId: string, body: string): Promise<void> {
  await repo.followCommentEdit(tx, commentId, body);
}

/** Loads an item and its definition, which the caller then authorizes; an item the actor may not read does not exist. */
async function loadItem(db: Executor, actor: Actor, id: string): Promise<{ item: repo.ItemRow; definition: DefinitionRecord }> {
  const item = await repo.findItem(db, id);
  if (!item) throw notFound('disposition');
  let definition: DefinitionRecord;
  try {
    definition = await loadDefinition(db, actor, item.definition_id);
  } catch (error) {
    if (error instanceof AppError && error.statusCode === 404) throw notFound('disposition');
    throw error;
  }
  if (!policy.canReadItem(actor, definition, item)) throw notFound('disposition');
  return { item, definition };
}

/** Names clauses as the reader's page names them: the draft for members, the latest published version for everyone else. */
async function labelsFor(db: Db, registry: DocumentRegistry, definition: DefinitionRecord, scope: 'all' | 'public'): Promise<Map<string, string>> {
  if (scope === 'all') return clauseLabelMap(await readText({ registry }, definition, (text) => text.clauses()));
  const [latest] = await search.listLatestVersions(db, [definition.id]);
  if (!latest) return new Map();
  return clauseLabelMap((await search.listVersionClauseKinds(db, [latest.id])).map((c) => ({ id: c.clause_id, kind: c.kind })));
}

function present(actor: Actor, definition: DefinitionRecord, row: repo.ItemRow, labels: Map<string, string>): Disposition {
  const member = policy.registerScope(actor, definition) === 'all';
  // A deleted comment is not shown again through the register; a hidden one only to the chair, who moderates (as in its thread).
  const withheld = (row.comment_hidden_at !== null && !policy.canDecide(actor, definition)) || row.comment_deleted_at !== null;
  const actions: Disposition['allowedActions'] = [];
  if (policy.canDecide(actor, definition)) actions.push('decide');
  if (policy.canRespond(actor, definition, row)) actions.push('respond');
  return {
    id: row.id,
    number: row.number,
    definitionId: row.definition_id,
    source: row.source,
    clause: row.clause_id === null ? null : { id: row.clause_id, label: labels.get(row.clause_id) ?? null },
    threadId: row.thread_id,
    ballot: row.ballot_id === null ? null : { id: row.ballot_id, title: row.ballot_title ?? '' },
    author: { id: row.author_id, displayName: row.author_name },
    body: withheld ? null : row.body,
    public: row.public,
    raisedAt: row.raised_at.toISOString(),
    disposition: row.disposition,
    reason: row.reason,
    amendmentId: member ? row.amendment_id : null,
    versionLabel: row.version_label,
    decidedBy: row.decided_by === null ? null : { id: row.decided_by, displayName: row.decider_name ?? '' },
    decidedAt: row.decided_at?.toISOString() ?? null,
    response:
      row.satisfied === null || row.responded_at === null ? null : { satisfied: row.satisfied, note: row.response_note, at: row.responded_at.toISOString() },
    allowedActions: actions,
  };
}

export async function listRegister(
  db: Db,
  registry: DocumentRegistry,
  actor: Actor,
  definitionId: string,
  query: DispositionQuery,
): Promise<DispositionRegister> {
  const definition = await loadDefinition(db, actor, definitionId);
  const scope = policy.registerScope(actor, definition);
  if (scope === null) throw notFound('definition');
  // One read: the counts are of the whole register the reader may see, the items of the filter asked for.
  const all = await repo.listItems(db, definitionId, { publicOnly: scope === 'public' });
  const rows = all.filter(
    (row) =>
      (query.state === undefined || (query.state === 'undisposed') === (row.disposition === null)) &&
      (query.source === undefined || row.source === query.source) &&
      (query.clause === undefined || row.clause_id === query.clause),
  );
  const labels = await labelsFor(db, registry, definition, scope);
  return {
    items: rows.map((row) => present(actor, definition, row, labels)),
    counts: {
      total: all.length,
      undisposed: all.filter((row) => row.disposition === null).length,
      notSatisfied: all.filter((row) => row.satisfied === false).length,
    },
    mayObject: policy.canObject(actor, definition),
  };
}

export async function getItem(db: Db, registry: DocumentRegistry, actor: Actor, id: string): Promise<Disposition> {
  const { item, definition } = await loadItem(db, actor, id);
  const scope = policy.registerScope(actor, definition)!;
  return present(actor, definition, item, await labelsFor(db, registry, definition, scope));
}

export async function raiseObjection(db: Db, registry: DocumentRegistry, actor: Actor, definitionId: string, input: RaiseObjectionBody): Promise<Disposition> {
  const definition = await loadDefinition(db, actor, definitionId);
  policy.authorizeObject(actor, definition);
  if (input.clauseId !== undefined) {
    const clauseId = input.clauseId;
    const inDraft = await readText({ registry }, definition, (text) => text.has(clauseId));
    if (!inDraft) throw notFound('clause');
  }
  const id = await db.transaction().execute(async (tx) => {
    const [item] = await repo.insertItems(tx, [
      {
        definitionId,
        source: 'formal_objection',
        clauseId: input.clauseId ?? null,
        authorId: actor.userId,
        body: input.body.trim(),
        public: false,
      },
    ]);
    await recordRaised(tx, definition.group_id, actor.userId, definitionId, item!, 'formal_objection', input.clauseId ?? null);
    return item!.id;
  });
  return getItem(db, registry, actor, id);
}

/** Checks that what a disposition names exists in this definition and fits it. */
async function checkDecision(db: Executor, definitionId: string, input: DecideDispositionBody): Promise<void> {
  const invalid = (path: string, message: string, summary: string) => invalidInput(summary, [{ path, message }]);
  if (input.amendmentId !== undefined) {
    const amendment = await repo.findAmendment(db, definitionId, input.amendmentId);
    if (!amendment) throw invalid('/amendmentId', 'is not an amendment of this definition', 'The amendment named is not one of this definition');
    if (amendment.status !== 'accepted')
      throw invalid('/amendmentId', `is ${amendment.status}`, 'Only an accepted amendment is a change that addressed a comment');
  }
  if (input.versionLabel !== undefined && !(await repo.versionExists(db, definitionId, input.versionLabel)))
    throw invalid('/versionLabel', 'is not a published version of this definition', 'The version named is not published');
  const namesChange = input.amendmentId !== undefined || input.versionLabel !== undefined;
  if (input.disposition === 'accepted' && !namesChange && input.reason === undefined)
    throw invalid('/reason', 'is required', 'An accepted item names the change that addressed it (an amendment or a version) or says what it was');
  if (input.disposition !== 'accepted' && input.reason === undefined)
    throw invalid('/reason', 'is required', 'Every disposition but a plain acceptance gives its reason');
  if ((input.disposition === 'rejected' || input.disposition === 'out_of_scope') && namesChange)
    throw invalid(input.amendmentId !== undefined ? '/amendmentId' : '/versionLabel', 'names a change', 'A rejected or out-of-scope item made no change');
}

export async function decide(db: Db, registry: DocumentRegistry, actor: Actor, id: string, input: DecideDispositionBody): Promise<Disposition> {
  const { item, definition } = await loadItem(db, actor, id);
  policy.authorizeDecide(actor, definition);
  await checkDecision(db, definition.id, input);
  await db.transaction().execute(async (tx) => {
    const locked = await repo.lockItem(tx, id);
    if (!locked) throw notFound('disposition');
    await repo.decide(tx, id, {
      disposition: input.disposition,
      reason: input.reason?.trim() ?? null,
      amendmentId: input.amendmentId ?? null,
      versionLabel: input.versionLabel ?? null,
      decidedBy: actor.userId,
    });
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: 'disposition.decided',
      payload: {
        definitionId: definition.id,
        dispositionId: id,
        number: item.number,
        disposition: input.disposition,
        ...(locked.disposition !== null && { previous: locked.disposition }),
        reason: input.reason?.trim() ?? null,
        amendmentId: input.amendmentId ?? null,
        versionLabel: input.versionLabel ?? null,
        ...publicThread(item),
      },
    });
    await notifyDisposition(tx, disposalFacts(definition, item), [item.author_id], 'disposition_made', actor.userId, { disposition: input.disposition });
  });
  return getItem(db, registry, actor, id);
}

export async function respond(
  db: Db,
  registry: DocumentRegistry,
  actor: Actor,
  id: string,
  input: { satisfied: boolean; note?: string },
): Promise<Disposition> {
  const { item, definition } = await loadItem(db, actor, id);
  policy.authorizeRespond(actor, definition, item);
  await db.transaction().execute(async (tx) => {
    const locked = await repo.lockItem(tx, id);
    if (!locked) throw notFound('disposition');
    if (locked.disposition === null) throw conflict('The item has no disposition yet to answer');
    await repo.respond(tx, id, { satisfied: input.satisfied, note: input.note?.trim() ?? null });
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: 'disposition.responded',
      payload: { definitionId: definition.id, dispositionId: id, number: item.number, satisfied: input.satisfied, ...publicThread(item) },
    });
    // Whoever disposed of it, and the chairs, hear an answer — the dissatisfied ones especially.
    const deciders = item.decided_by ? [item.decided_by] : [];
    const chairs = (await repo.chairsOf(tx, definition.group_id)).map((c) => c.user_id);
    await notifyDisposition(tx, disposalFacts(definition, item), [...deciders, ...chairs], 'disposition_response', actor.userId, {
      satisfied: input.satisfied,
    });
  });
  return getItem(db, registry, actor, id);
}

function disposalFacts(definition: DefinitionRecord, item: repo.ItemRow) {
  return {
    groupId: definition.group_id,
    definitionId: definition.id,
    dispositionId: item.id,
    number: item.number,
    threadId: item.thread_id,
    clauseId: item.clause_id,
    public: item.public,
  };
}

/**
 * Before a definition is set final: the items nobody has disposed of. The caller refuses (409, listing
 * them) unless the chair acknowledged them; the acknowledgement itself is in the status change's event.
 */
export async function undisposedBeforeFinal(tx: Executor, definitionId: string, acknowledged: boolean): Promise<number[]> {
  const open = await repo.undisposed(tx, definitionId);
  if (open.length > 0 && !acknowledged) {
    const one = open.length === 1;
    throw conflict(
      `${open.length} ${one ? 'item' : 'items'} of the disposition register ${one ? 'has' : 'have'} no disposition yet; dispose of ${one ? 'it' : 'them'} or acknowledge ${one ? 'it' : 'them'} to set the definition final`,
      // Every one of them (a register of more than a thousand undisposed items is named by its first thousand).
      open
        .slice(0, 1000)
        .map((item) => ({ path: `/dispositions/${item.number}`, message: `D-${item.number} (${item.source.replace('_', ' ')}) is undisposed` })),
    );
  }
  return open.map((item) => item.number);
}

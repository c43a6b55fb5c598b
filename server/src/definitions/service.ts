import type { CreateDefinitionBody, Definition, DefinitionDetail, DraftClause, Role, UpdateDefinitionBody, Visibility } from '@draftroom/shared';
import { renderMarkdown } from '../comments/markdown.ts';
import type { Db, Executor } from '../db/database.ts';
import type { DefinitionStatus } from '../db/schema.ts';
import { conflict, notFound } from '../errors.ts';
import { undisposedBeforeFinal } from '../dispositions/service.ts';
import { recordEvent } from '../events/service.ts';
import { loadGroup } from '../groups/service.ts';
import { notifyCommentPeriodOpened } from '../notifications/notify.ts';
import type { Actor } from '../policies/actor.ts';
import { allowedDefinitionActions, authorizeOnDefinition, canSeeDefinition } from '../policies/definitions.ts';
import * as repo from './repository.ts';

export interface DefinitionRecord {
  id: string;
  slug: string;
  title: string;
  status: DefinitionStatus;
  created_at: Date;
  updated_at: Date;
  comment_deadline: Date | null;
  group_id: string;
  group_slug: string;
  visibility: Visibility;
  role: Role | null;
}

export function presentDefinition(actor: Actor, row: DefinitionRecord): Definition {
  return {
    id: row.id,
    groupSlug: row.group_slug,
    slug: row.slug,
    title: row.title,
    status: row.status,
    commentDeadline: row.comment_deadline?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    myRole: row.role,
    allowedActions: allowedDefinitionActions(actor, { visibility: row.visibility, role: row.role }),
  };
}

/**
 * Loads a definition the actor may see; one in a group they may not read is not found, exactly as one
 * that does not exist. Callers then authorize their action with `authorizeOnDefinition` (or their
 * feature's policy), which narrows `actor` to the signed-in user when the action needs a member.
 */
export async function loadDefinition(db: Executor, actor: Actor, definitionId: string): Promise<DefinitionRecord> {
  const row = await repo.findDefinitionWithRole(db, definitionId, actor?.userId ?? null);
  if (!row || !canSeeDefinition(actor, row)) throw notFound('definition');
  return row;
}

export async function listDefinitions(db: Db, actor: Actor, groupSlug: string): Promise<Definition[]> {
  const group = await loadGroup(db, actor, groupSlug);
  const rows = await repo.listDefinitions(db, group.id);
  return rows.map((row) => presentDefinition(actor, { ...row, role: group.role }));
}

export async function createDefinition(db: Db, actor: Actor, groupSlug: string, input: CreateDefinitionBody): Promise<Definition> {
  return db.transaction().execute(async (tx) => {
    const group = await loadGroup(tx, actor, groupSlug);
    authorizeOnDefinition(actor, 'definition.create', group);
    const created = await repo.insertDefinition(tx, { groupId: group.id, slug: input.slug, title: input.title.trim(), createdBy: actor.userId });
    if (!created) throw conflict('This group already has a definition with this slug', [{ path: '/slug', message: 'is taken' }]);
    await recordEvent(tx, {
      groupId: group.id,
      actorId: actor.userId,
      type: 'definition.created',
      payload: { definitionId: created.id, slug: input.slug, title: input.title.trim() },
    });
    const row = await loadDefinition(tx, actor, created.id);
    authorizeOnDefinition(actor, 'draft.read', row);
    return presentDefinition(actor, row);
  });
}

export function presentClauses(rows: Awaited<ReturnType<typeof repo.listClauses>>): DraftClause[] {
  return rows.map((row) => ({
    id: row.clause_id,
    kind: row.kind,
    position: row.position,
    text: row.text,
    markdown: row.markdown,
    // Shown at once while the editor loads; the Markdown escapes what people typed, the renderer raw HTML.
    html: row.kind === 'clause' ? renderMarkdown(row.markdown) : '',
  }));
}

export async function getDefinition(db: Db, actor: Actor, definitionId: string): Promise<DefinitionDetail> {
  const row = await loadDefinition(db, actor, definitionId);
  authorizeOnDefinition(actor, 'draft.read', row);
  return { ...presentDefinition(actor, row), clauses: presentClauses(await repo.listClauses(db, definitionId)) };
}

export async function updateDefinition(db: Db, actor: Actor, definitionId: string, input: UpdateDefinitionBody): Promise<Definition> {
  return db.transaction().execute(async (tx) => {
    let row = await loadDefinition(tx, actor, definitionId);
    authorizeOnDefinition(actor, 'draft.read', row);
    if (input.title !== undefined) authorizeOnDefinition(actor, 'definition.rename', row);
    if (input.status !== undefined || input.commentDeadline !== undefined) authorizeOnDefinition(actor, 'definition.setStatus', row);
    const deadline = input.commentDeadline === undefined ? undefined : input.commentDeadline === null ? null : new Date(input.commentDeadline);
    const changes = {
      ...(input.title !== undefined && input.title.trim() !== row.title && { title: input.title.trim() }),
      ...(input.status !== undefined && input.status !== row.status && { status: input.status }),
      ...(deadline !== undefined && deadline?.getTime() !== row.comment_deadline?.getTime() && { comment_deadline: deadline }),
    };
    // The record is final only with every comment and objection answered — or the chair saying they saw what is not.
    const undisposed = changes.status === 'final' ? await undisposedBeforeFinal(tx, definitionId, input.acknowledgeUndisposed === true) : [];
    if (Object.keys(changes).length > 0) {
      await repo.updateDefinition(tx, definitionId, changes);
      await recordEvent(tx, {
        groupId: row.group_id,
        actorId: actor.userId,
        type: changes.status ? 'definition.status_changed' : changes.title ? 'definition.renamed' : 'definition.deadline_changed',
        payload: { definitionId, changes, ...(changes.status && { from: row.status }), ...(undisposed.length > 0 && { undisposedAcknowledged: undisposed }) },
      });
      if (changes.status === 'public-comment') {
        const deadline = changes.comment_deadline !== undefined ? changes.comment_deadline : row.comment_deadline;
        await notifyCommentPeriodOpened(tx, { groupId: row.group_id, definitionId, deadline }, actor.userId);
      }
      row = await loadDefinition(tx, actor, definitionId);
      authorizeOnDefinition(actor, 'draft.read', row);
    }
    return presentDefinition(actor, row);
  });
}

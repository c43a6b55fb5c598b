import type { Clause, CreateDefinitionBody, Definition, DefinitionDetail, Role, UpdateDefinitionBody, Visibility } from '@draftroom/shared';
import type { Db, Executor } from '../db/database.ts';
import type { DefinitionStatus } from '../db/schema.ts';
import { conflict, notFound } from '../errors.ts';
import { recordEvent } from '../events/service.ts';
import { loadAuthorized as loadGroup } from '../groups/service.ts';
import type { Actor } from '../policies/actor.ts';
import { allowedDefinitionActions, authorizeOnDefinition, type DefinitionPolicyAction } from '../policies/definitions.ts';
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

/** Loads a definition and checks the action; definitions of unreadable groups do not exist to the caller. */
export async function loadDefinition(db: Executor, actor: Actor, definitionId: string, action: DefinitionPolicyAction): Promise<DefinitionRecord> {
  const row = await repo.findDefinitionWithRole(db, definitionId, actor?.userId ?? null);
  if (!row) throw notFound('definition');
  authorizeOnDefinition(actor, action, { visibility: row.visibility, role: row.role });
  return row;
}

export async function listDefinitions(db: Db, actor: Actor, groupSlug: string): Promise<Definition[]> {
  const group = await loadGroup(db, actor, groupSlug, 'group.read');
  const rows = await repo.listDefinitions(db, group.id);
  return rows.map((row) => presentDefinition(actor, { ...row, role: group.role }));
}

export async function createDefinition(db: Db, actor: Actor, groupSlug: string, input: CreateDefinitionBody): Promise<Definition> {
  return db.transaction().execute(async (tx) => {
    const group = await loadGroup(tx, actor, groupSlug, 'group.read');
    authorizeOnDefinition(actor, 'definition.create', { visibility: group.visibility, role: group.role });
    const created = await repo.insertDefinition(tx, { groupId: group.id, slug: input.slug, title: input.title.trim(), createdBy: actor!.userId });
    if (!created) throw conflict('This group already has a definition with this slug', [{ path: '/slug', message: 'is taken' }]);
    await recordEvent(tx, {
      groupId: group.id,
      actorId: actor!.userId,
      type: 'definition.created',
      payload: { definitionId: created.id, slug: input.slug, title: input.title.trim() },
    });
    return presentDefinition(actor, (await loadDefinition(tx, actor, created.id, 'draft.read'))!);
  });
}

export function presentClauses(rows: Awaited<ReturnType<typeof repo.listClauses>>): Clause[] {
  return rows.map((row) => ({ id: row.clause_id, kind: row.kind, position: row.position, text: row.text, markdown: row.markdown }));
}

export async function getDefinition(db: Db, actor: Actor, definitionId: string): Promise<DefinitionDetail> {
  const row = await loadDefinition(db, actor, definitionId, 'draft.read');
  return { ...presentDefinition(actor, row), clauses: presentClauses(await repo.listClauses(db, definitionId)) };
}

export async function updateDefinition(db: Db, actor: Actor, definitionId: string, input: UpdateDefinitionBody): Promise<Definition> {
  return db.transaction().execute(async (tx) => {
    let row = await loadDefinition(tx, actor, definitionId, 'draft.read');
    const context = { visibility: row.visibility, role: row.role };
    if (input.title !== undefined) authorizeOnDefinition(actor, 'definition.rename', context);
    if (input.status !== undefined || input.commentDeadline !== undefined) authorizeOnDefinition(actor, 'definition.setStatus', context);
    const deadline = input.commentDeadline === undefined ? undefined : input.commentDeadline === null ? null : new Date(input.commentDeadline);
    const changes = {
      ...(input.title !== undefined && input.title.trim() !== row.title && { title: input.title.trim() }),
      ...(input.status !== undefined && input.status !== row.status && { status: input.status }),
      ...(deadline !== undefined && deadline?.getTime() !== row.comment_deadline?.getTime() && { comment_deadline: deadline }),
    };
    if (Object.keys(changes).length > 0) {
      await repo.updateDefinition(tx, definitionId, changes);
      await recordEvent(tx, {
        groupId: row.group_id,
        actorId: actor!.userId,
        type: changes.status ? 'definition.status_changed' : changes.title ? 'definition.renamed' : 'definition.deadline_changed',
        payload: { definitionId, changes, ...(changes.status && { from: row.status }) },
      });
      row = await loadDefinition(tx, actor, definitionId, 'draft.read');
    }
    return presentDefinition(actor, row);
  });
}

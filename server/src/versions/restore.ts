import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { BODY_KEY, KIND_KEY, clausesOf, deleteClause, insertClause, orderOf, type Clause } from '@draftroom/shared';
import { clauseSchema } from '@draftroom/shared/collab-schema';
import type { DocumentRegistry } from '../collab/registry.ts';
import { renderClause } from '../collab/render.ts';
import type { Db } from '../db/database.ts';
import { loadDefinition } from '../definitions/service.ts';
import { notFound } from '../errors.ts';
import { recordEvent } from '../events/service.ts';
import type { Actor } from '../policies/actor.ts';
import * as repo from './repository.ts';

async function versionClauses(db: Db, definitionId: string, label: string) {
  const version = await repo.findVersion(db, definitionId, label);
  if (!version) throw notFound(`version ${label}`);
  return { version, clauses: await repo.listVersionClauses(db, version.id) };
}

/** Makes a clause body equal to the stored ProseMirror JSON with a minimal Yjs change. */
function setBody(doc: Y.Doc, clauseId: string, kind: 'heading' | 'clause', content: unknown, position: number): void {
  let entry = clausesOf(doc).get(clauseId);
  if (!entry) {
    insertClause(doc, clauseId, kind, position);
    entry = clausesOf(doc).get(clauseId)!;
  }
  if (entry.get(KIND_KEY) !== kind) entry.set(KIND_KEY, kind);
  prosemirrorJSONToYXmlFragment(clauseSchema, content, entry.get(BODY_KEY) as Y.XmlFragment);
}

/**
 * Puts one clause back as it was in a version — a new edit attributed to whoever restores it. A clause
 * deleted since comes back with its id, near where it was.
 */
export async function restoreClause(
  db: Db,
  registry: DocumentRegistry,
  actor: Actor,
  definitionId: string,
  clauseId: string,
  label: string,
): Promise<Clause> {
  const definition = await loadDefinition(db, actor, definitionId, 'text.edit');
  const { version, clauses } = await versionClauses(db, definitionId, label);
  const stored = clauses.find((c) => c.clause_id === clauseId);
  if (!stored) throw notFound(`clause in version ${label}`);
  const clause = await registry.withDocument(definitionId, definition.group_id, async (document) => {
    await document.applyServerEdit(actor!.userId, (doc) => {
      doc.transact(() => setBody(doc, clauseId, stored.kind, stored.content, stored.position));
    });
    const order = orderOf(document.doc).toArray();
    const body = clausesOf(document.doc).get(clauseId)!.get(BODY_KEY) as Y.XmlFragment;
    return { id: clauseId, kind: stored.kind, position: order.indexOf(clauseId), ...renderClause(body) };
  });
  await db.transaction().execute((tx) =>
    recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor!.userId,
      type: 'clause.restored',
      payload: { definitionId, clauseId, versionId: version.id, label },
    }),
  );
  return clause;
}

/**
 * Resets the whole definition to a version, clause by clause, in one Yjs transaction: clauses added
 * since are removed, removed ones come back, texts and kinds are set, and the order is rebuilt (ids
 * move; bodies stay where they are, so comments anchored in them survive).
 */
export async function restoreDefinition(
  db: Db,
  registry: DocumentRegistry,
  actor: Actor,
  definitionId: string,
  label: string,
): Promise<void> {
  const definition = await loadDefinition(db, actor, definitionId, 'definition.reset');
  const { version, clauses } = await versionClauses(db, definitionId, label);
  await registry.withDocument(definitionId, definition.group_id, (document) =>
    document.applyServerEdit(actor!.userId, (doc) => {
      doc.transact(() => {
        const wanted = new Set(clauses.map((c) => c.clause_id));
        for (const id of orderOf(doc).toArray()) if (!wanted.has(id)) deleteClause(doc, id);
        for (const stored of clauses) setBody(doc, stored.clause_id, stored.kind, stored.content, stored.position);
        const order = orderOf(doc);
        const target = clauses.map((c) => c.clause_id);
        if (order.toArray().join() !== target.join()) {
          order.delete(0, order.length);
          order.insert(0, target);
        }
      });
    }),
  );
  await db.transaction().execute((tx) =>
    recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor!.userId,
      type: 'definition.restored',
      payload: { definitionId, versionId: version.id, label, clauseCount: clauses.length },
    }),
  );
}

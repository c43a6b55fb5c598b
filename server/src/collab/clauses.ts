import { randomUUID } from 'node:crypto';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { clausesInOrder, clausesOf, insertClause, type Clause, type InsertClauseBody, type ReplaceClauseBody } from '@draftroom/shared';
import { clauseSchema, isSafeHref } from '@draftroom/shared/collab-schema';
import type { Db } from '../db/database.ts';
import { loadDefinition } from '../definitions/service.ts';
import { invalidInput, notFound } from '../errors.ts';
import type { Actor } from '../policies/actor.ts';
import type { DocumentRegistry } from './registry.ts';
import { renderClause } from './render.ts';

/** Plain text → clause JSON: blank lines separate paragraphs, single newlines are hard breaks. */
export function textToClauseJson(text: string): object {
  const paragraphs = text.replace(/\r\n?/g, '\n').trim().split(/\n{2,}/).filter((p) => p.length > 0);
  return {
    type: 'doc',
    content: paragraphs.map((paragraph) => ({
      type: 'paragraph',
      content: paragraph.split('\n').flatMap((line, i) => [
        ...(i > 0 ? [{ type: 'hardBreak' }] : []),
        ...(line.length > 0 ? [{ type: 'text', text: line }] : []),
      ]),
    })),
  };
}

/** Validates client-supplied clause JSON against the shared schema; unsafe links are refused. */
export function parseClauseContent(input: { text?: string; content?: object }): ProseMirrorNode {
  if (input.text !== undefined && input.content !== undefined) {
    throw invalidInput('Send either text or content, not both', [{ path: '/content', message: 'must not be sent with text' }]);
  }
  const json = input.content ?? textToClauseJson(input.text ?? '');
  let node: ProseMirrorNode;
  try {
    node = clauseSchema.nodeFromJSON(json);
    node.check();
  } catch (error) {
    throw invalidInput('The content does not fit the clause schema', [
      { path: '/content', message: error instanceof Error ? error.message.slice(0, 200) : 'is invalid' },
    ]);
  }
  if (node.type.name !== 'doc') throw invalidInput('The content must be a doc node', [{ path: '/content/type', message: 'must be doc' }]);
  node.descendants((child) => {
    for (const mark of child.marks) {
      if (mark.type.name === 'link' && !isSafeHref(String(mark.attrs.href))) {
        throw invalidInput('Links must be http, https or mailto', [{ path: '/content', message: 'has an unsafe link' }]);
      }
    }
  });
  return node;
}

function presentClause(doc: Y.Doc, clauseId: string): Clause {
  const clauses = clausesInOrder(doc);
  const position = clauses.findIndex((c) => c.id === clauseId);
  const clause = clauses[position]!;
  return { id: clauseId, kind: clause.kind, position, ...renderClause(clause.body) };
}

/** Inserts a clause as a Yjs transaction attributed to the caller; everyone connected sees it at once. */
export async function insertClauseAsUser(
  db: Db,
  registry: DocumentRegistry,
  actor: Actor,
  definitionId: string,
  input: InsertClauseBody,
): Promise<Clause> {
  const definition = await loadDefinition(db, actor, definitionId, 'text.edit');
  const content = parseClauseContent(input);
  const clauseId = randomUUID();
  return registry.withDocument(definitionId, definition.group_id, async (document) => {
    await document.applyServerEdit(actor!.userId, (doc) => {
      doc.transact(() => {
        const body = insertClause(doc, clauseId, input.kind ?? 'clause', input.position);
        prosemirrorJSONToYXmlFragment(clauseSchema, content.toJSON(), body);
      });
    });
    return presentClause(document.doc, clauseId);
  });
}

/** Replaces a clause's text with a minimal diff (what did not change keeps its authorship). */
export async function replaceClauseAsUser(
  db: Db,
  registry: DocumentRegistry,
  actor: Actor,
  definitionId: string,
  clauseId: string,
  input: ReplaceClauseBody,
): Promise<Clause> {
  const definition = await loadDefinition(db, actor, definitionId, 'text.edit');
  const content = parseClauseContent(input);
  return registry.withDocument(definitionId, definition.group_id, async (document) => {
    if (!clausesInOrder(document.doc).some((c) => c.id === clauseId)) throw notFound('clause');
    await document.applyServerEdit(actor!.userId, (doc) => {
      const body = clausesOf(doc).get(clauseId)!.get('body') as Y.XmlFragment;
      prosemirrorJSONToYXmlFragment(clauseSchema, content.toJSON(), body);
    });
    return presentClause(document.doc, clauseId);
  });
}

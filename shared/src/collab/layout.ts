import * as Y from 'yjs';

/**
 * The Y.Doc layout of a definition (a public contract):
 *   doc.getArray('order')   clause ids in reading order
 *   doc.getMap('clauses')   id → Y.Map { kind: 'heading' | 'clause', body: Y.XmlFragment }
 * Reordering moves ids; bodies never move.
 */
export const ORDER_KEY = 'order';
export const CLAUSES_KEY = 'clauses';
export const BODY_KEY = 'body';
export const KIND_KEY = 'kind';

export type ClauseKindValue = 'heading' | 'clause';

export function orderOf(doc: Y.Doc): Y.Array<string> {
  return doc.getArray<string>(ORDER_KEY);
}

export function clausesOf(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(CLAUSES_KEY);
}

export interface ClauseEntry {
  id: string;
  kind: ClauseKindValue;
  body: Y.XmlFragment;
}

/** Clauses in reading order; ids in `order` without a clause map entry (or duplicates) are skipped. */
export function clausesInOrder(doc: Y.Doc): ClauseEntry[] {
  const clauses = clausesOf(doc);
  const seen = new Set<string>();
  const out: ClauseEntry[] = [];
  for (const id of orderOf(doc).toArray()) {
    if (typeof id !== 'string' || seen.has(id)) continue;
    const entry = clauses.get(id);
    if (!(entry instanceof Y.Map)) continue;
    const body = entry.get(BODY_KEY);
    if (!(body instanceof Y.XmlFragment)) continue;
    seen.add(id);
    out.push({ id, kind: entry.get(KIND_KEY) === 'heading' ? 'heading' : 'clause', body });
  }
  return out;
}

/** Adds an empty clause at `index` (end when omitted) and returns its body, inside one transaction. */
export function insertClause(doc: Y.Doc, id: string, kind: ClauseKindValue, index?: number): Y.XmlFragment {
  const entry = new Y.Map<unknown>();
  const body = new Y.XmlFragment();
  doc.transact(() => {
    entry.set(KIND_KEY, kind);
    entry.set(BODY_KEY, body);
    clausesOf(doc).set(id, entry);
    const order = orderOf(doc);
    order.insert(Math.max(0, Math.min(index ?? order.length, order.length)), [id]);
  });
  return body;
}

/** Moves a clause id to `toIndex` (in the order without it); the body is untouched. */
export function moveClause(doc: Y.Doc, id: string, toIndex: number): void {
  doc.transact(() => {
    const order = orderOf(doc);
    const from = order.toArray().indexOf(id);
    if (from < 0) return;
    order.delete(from, 1);
    order.insert(Math.max(0, Math.min(toIndex, order.length)), [id]);
  });
}

export function deleteClause(doc: Y.Doc, id: string): void {
  doc.transact(() => {
    const order = orderOf(doc);
    const ids = order.toArray();
    for (let i = ids.length - 1; i >= 0; i--) if (ids[i] === id) order.delete(i, 1);
    clausesOf(doc).delete(id);
  });
}

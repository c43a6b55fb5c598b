import * as Y from 'yjs';
import { BODY_KEY, CLAUSES_KEY, ORDER_KEY } from '@draftroom/shared';
import { renderClause } from './render.ts';

/** What one stored update did to each clause it touched. */
export interface ReplayStep {
  /** Index of the update in the list replayed. */
  index: number;
  /** Text and Markdown (its formatting) after the update; null: not in the text. */
  changes: { clauseId: string; text: string | null; markdown: string | null; positionBefore: number; positionAfter: number }[];
}

function clauseIdOf(type: Y.AbstractType<unknown>, clauses: Y.Map<unknown>): string | null {
  let current: Y.AbstractType<unknown> | null = type;
  while (current) {
    const item = current._item;
    if (!item) return null;
    if (item.parent === clauses) return item.parentSub;
    current = item.parent as Y.AbstractType<unknown>;
  }
  return null;
}

/**
 * Replays stored updates in order into a document without garbage collection and reports, per update
 * that changed any clause, each touched clause's text after it (null: not in the text) and its position
 * before and after (-1: absent). History is built from this; the Y.Doc never leaves this module.
 */
export function* replayUpdates(updates: Uint8Array[]): Generator<ReplayStep> {
  const doc = new Y.Doc({ gc: false });
  try {
    const clauses = doc.getMap(CLAUSES_KEY);
    const order = doc.getArray<string>(ORDER_KEY);
    let positions = new Map<string, number>();
    const renderedOf = (id: string): { text: string; markdown: string } | null => {
      const entry = clauses.get(id);
      if (!(entry instanceof Y.Map) || !positions.has(id)) return null;
      const body = entry.get(BODY_KEY);
      return body instanceof Y.XmlFragment ? renderClause(body) : null;
    };
    for (const [index, update] of updates.entries()) {
      const touched = new Set<string>();
      const onTransaction = (transaction: Y.Transaction) => {
        for (const [type, keys] of transaction.changed) {
          const changed = type as unknown;
          if (changed === clauses) {
            for (const key of keys) if (key) touched.add(key);
            continue;
          }
          if (changed === order) continue;
          const id = clauseIdOf(type as Y.AbstractType<unknown>, clauses);
          if (id) touched.add(id);
        }
      };
      const before = positions;
      doc.on('afterTransaction', onTransaction);
      try {
        Y.applyUpdate(doc, update);
      } finally {
        doc.off('afterTransaction', onTransaction);
      }
      positions = new Map(order.toArray().map((id, i) => [id, i]));
      for (const id of new Set([...before.keys(), ...positions.keys()])) if (before.get(id) !== positions.get(id)) touched.add(id);
      if (touched.size === 0) continue;
      yield {
        index,
        changes: [...touched].map((clauseId) => {
          const rendered = renderedOf(clauseId);
          return {
            clauseId,
            text: rendered?.text ?? null,
            markdown: rendered?.markdown ?? null,
            positionBefore: before.get(clauseId) ?? -1,
            positionAfter: positions.get(clauseId) ?? -1,
          };
        }),
      };
    }
  } finally {
    doc.destroy();
  }
}

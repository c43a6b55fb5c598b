import type * as Y from 'yjs';
import { CLAUSES_KEY, ORDER_KEY, clausesInOrder } from '@draftroom/shared';
import { renderClause } from './render.ts';

/**
 * The `clauses` table holds every clause's text and Markdown for queries (listings, ballots, votes,
 * search). It is written in the same transaction as the updates that change it, so it is never a
 * delayed copy: what it says is what the committed document says.
 */
export interface MirrorChanges {
  /** Clauses whose text or kind changed, rendered as they are now (in reading order or not). */
  clauses: { clauseId: string; position: number; kind: 'heading' | 'clause'; text: string; markdown: string }[];
  /** The whole reading order, when it changed (rows not in it are removed). */
  order: string[] | null;
}

function clauseIdOf(type: Y.AbstractType<unknown>, clauses: Y.AbstractType<unknown>): string | null {
  let current: Y.AbstractType<unknown> | null = type;
  for (let depth = 0; current && depth < 100; depth++) {
    const item: Y.Item | null = current._item;
    if (!item) return null;
    if (item.parent === clauses) return item.parentSub;
    current = item.parent as Y.AbstractType<unknown>;
  }
  return null;
}

/** Collects which clauses transactions with the given origins touched, until they are taken. */
export class MirrorTracker {
  private touched = new Set<string>();
  private orderChanged = false;
  private readonly listener: (transaction: Y.Transaction) => void;

  constructor(
    private readonly doc: Y.Doc,
    origins: readonly unknown[],
  ) {
    const clauses = doc.getMap(CLAUSES_KEY) as Y.AbstractType<unknown>;
    const order = doc.getArray(ORDER_KEY) as Y.AbstractType<unknown>;
    this.listener = (transaction) => {
      if (!origins.includes(transaction.origin)) return;
      for (const [type, keys] of transaction.changed) {
        const changed = type as Y.AbstractType<unknown>;
        if (changed === clauses) {
          for (const key of keys) if (key) this.touched.add(key);
        } else if (changed === order) {
          this.orderChanged = true;
        } else {
          const id = clauseIdOf(changed, clauses);
          if (id) this.touched.add(id);
        }
      }
    };
    doc.on('afterTransaction', this.listener);
  }

  get pending(): boolean {
    return this.touched.size > 0 || this.orderChanged;
  }

  /** Renders what changed since the last take, from the document as it is at this moment. */
  take(): MirrorChanges | null {
    if (!this.pending) return null;
    const inOrder = clausesInOrder(this.doc);
    const positions = new Map(inOrder.map((clause, position) => [clause.id, position]));
    const clauses: MirrorChanges['clauses'] = [];
    for (const clause of inOrder) {
      if (!this.touched.has(clause.id)) continue;
      clauses.push({ clauseId: clause.id, position: positions.get(clause.id)!, kind: clause.kind, ...renderClause(clause.body) });
    }
    // A touched clause no longer in reading order is removed; the order tells the table which.
    const removedSome = [...this.touched].some((id) => !positions.has(id));
    const changes = { clauses, order: this.orderChanged || removedSome ? inOrder.map((clause) => clause.id) : null };
    this.touched = new Set();
    this.orderChanged = false;
    return changes;
  }

  /** Puts back changes whose commit failed, so the next take renders them again. */
  restore(changes: MirrorChanges): void {
    for (const clause of changes.clauses) this.touched.add(clause.clauseId);
    if (changes.order) this.orderChanged = true;
  }

  /** Everything, as on a first load. */
  all(): MirrorChanges {
    this.touched = new Set();
    this.orderChanged = false;
    const inOrder = clausesInOrder(this.doc);
    return {
      clauses: inOrder.map((clause, position) => ({ clauseId: clause.id, position, kind: clause.kind, ...renderClause(clause.body) })),
      order: inOrder.map((clause) => clause.id),
    };
  }

  destroy(): void {
    this.doc.off('afterTransaction', this.listener);
  }
}

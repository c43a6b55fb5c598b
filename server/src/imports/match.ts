import { createHash } from 'node:crypto';
import { diffArrays } from 'diff';
import type { ClauseKind } from '@draftroom/shared';

export interface ClauseShape {
  kind: ClauseKind;
  markdown: string;
}

/**
 * Which clause of the draft each imported clause continues, so that it keeps that clause's id — and
 * with it its threads, amendments, ballots and history. Null: a new clause.
 *
 *   1. Clauses identical in kind and Markdown, in the longest common subsequence of both texts, are
 *      the same clauses (unchanged).
 *   2. An identical clause found elsewhere in the draft is that clause, moved.
 *   3. Between two clauses matched in step 1, the clauses left on either side are paired by position
 *      within their kind: the first heading left in the draft with the first heading left in the
 *      import, and so on; these are the same clauses reworded (modified). What is left over is
 *      removed from the draft, or added from the import.
 *
 * A clause is never matched across kinds, and no draft clause is matched twice.
 */
export function matchClauses(draft: readonly (ClauseShape & { id: string })[], incoming: readonly ClauseShape[]): (string | null)[] {
  const key = (clause: ClauseShape) => `${clause.kind}\u0000${clause.markdown}`;
  const matched: (number | null)[] = incoming.map(() => null);
  const taken = new Set<number>();
  /** Pairs of positions (draft, incoming) matched in step 1, in order. */
  const anchors: [number, number][] = [];
  let d = 0;
  let n = 0;
  for (const part of diffArrays(draft.map(key), incoming.map(key))) {
    const count = part.value.length;
    if (part.added) n += count;
    else if (part.removed) d += count;
    else {
      for (let k = 0; k < count; k++) {
        matched[n + k] = d + k;
        taken.add(d + k);
        anchors.push([d + k, n + k]);
      }
      d += count;
      n += count;
    }
  }

  const unmatched = new Map<string, number[]>();
  draft.forEach((clause, i) => {
    if (taken.has(i)) return;
    const list = unmatched.get(key(clause));
    if (list) list.push(i);
    else unmatched.set(key(clause), [i]);
  });
  incoming.forEach((clause, j) => {
    if (matched[j] !== null) return;
    const i = unmatched.get(key(clause))?.shift();
    if (i === undefined) return;
    matched[j] = i;
    taken.add(i);
  });

  const bounds: [number, number][] = [[-1, -1], ...anchors, [draft.length, incoming.length]];
  for (let b = 1; b < bounds.length; b++) {
    const [draftFrom, incomingFrom] = bounds[b - 1]!;
    const [draftTo, incomingTo] = bounds[b]!;
    for (const kind of ['heading', 'clause'] as const) {
      const left: number[] = [];
      for (let i = draftFrom + 1; i < draftTo; i++) if (!taken.has(i) && draft[i]!.kind === kind) left.push(i);
      let next = 0;
      for (let j = incomingFrom + 1; j < incomingTo && next < left.length; j++) {
        if (matched[j] !== null || incoming[j]!.kind !== kind) continue;
        const i = left[next++]!;
        matched[j] = i;
        taken.add(i);
      }
    }
  }
  return matched.map((i) => (i === null ? null : draft[i]!.id));
}

/** What a preview was made against: the draft's clauses (ids, kinds, Markdown) in reading order, hashed. */
export function draftHead(clauses: readonly (ClauseShape & { id: string })[]): string {
  return createHash('sha256')
    .update(JSON.stringify(clauses.map((clause) => [clause.id, clause.kind, clause.markdown])))
    .digest('hex');
}

import { diffArrays, diffWords } from 'diff';
import type { ClauseDiff, DefinitionDiff, WordChange } from '@draftroom/shared';
import { describeFormatting } from '../text/formatting.ts';

export interface ClauseSnapshot {
  id: string;
  kind: 'heading' | 'clause';
  text: string;
  /** Formatting lives here: a clause whose words stay but whose emphasis or links change is modified. */
  markdown?: string;
}

export function wordChanges(from: string, to: string): WordChange[] {
  return diffWords(from, to).map((part) => ({
    kind: part.added ? 'insert' : part.removed ? 'delete' : 'equal',
    text: part.value,
  }));
}

/**
 * Compares two texts of a definition clause by clause (by clause id, never by position). Clauses kept
 * in their relative order by the longest common subsequence are "unchanged" or "modified"; other
 * surviving clauses are "moved" (textChanged says whether their text changed too).
 */
export function diffDefinitions(fromLabel: string, toLabel: string, from: ClauseSnapshot[], to: ClauseSnapshot[]): DefinitionDiff {
  const fromIndex = new Map(from.map((c, i) => [c.id, i]));
  const toIndex = new Map(to.map((c, i) => [c.id, i]));
  const fromCommon = from.filter((c) => toIndex.has(c.id)).map((c) => c.id);
  const toCommon = to.filter((c) => fromIndex.has(c.id)).map((c) => c.id);
  const stayed = new Set<string>();
  for (const part of diffArrays(fromCommon, toCommon)) {
    if (!part.added && !part.removed) for (const id of part.value) stayed.add(id);
  }

  const entry = (id: string): ClauseDiff => {
    const before = fromIndex.has(id) ? from[fromIndex.get(id)!]! : null;
    const after = toIndex.has(id) ? to[toIndex.get(id)!]! : null;
    const wordsChanged = before !== null && after !== null && before.text !== after.text;
    const formattingChanged = before !== null && after !== null && !wordsChanged && (before.markdown ?? before.text) !== (after.markdown ?? after.text);
    const textChanged = wordsChanged || formattingChanged;
    const formatting = before?.markdown !== undefined && after?.markdown !== undefined ? describeFormatting(before.markdown, after.markdown) : [];
    const status: ClauseDiff['status'] =
      before === null ? 'added' : after === null ? 'removed' : !stayed.has(id) ? 'moved' : textChanged ? 'modified' : 'unchanged';
    return {
      clauseId: id,
      status,
      textChanged,
      kind: (after ?? before)!.kind,
      fromPosition: fromIndex.get(id) ?? null,
      toPosition: toIndex.get(id) ?? null,
      fromText: before?.text ?? null,
      toText: after?.text ?? null,
      // A formatting-only change is shown on the Markdown, where the markup is visible.
      changes: wordsChanged ? wordChanges(before!.text, after!.text) : formattingChanged ? wordChanges(before!.markdown!, after!.markdown!) : [],
      ...(formatting.length > 0 && { formatting }),
    };
  };

  // Walk the newer order; a removed clause goes right after the clause that preceded it before.
  const removedAfter = new Map<string | null, string[]>();
  let previousSurvivor: string | null = null;
  for (const clause of from) {
    if (toIndex.has(clause.id)) previousSurvivor = clause.id;
    else removedAfter.set(previousSurvivor, [...(removedAfter.get(previousSurvivor) ?? []), clause.id]);
  }
  const clauses: ClauseDiff[] = (removedAfter.get(null) ?? []).map(entry);
  for (const clause of to) {
    clauses.push(entry(clause.id));
    for (const removed of removedAfter.get(clause.id) ?? []) clauses.push(entry(removed));
  }

  const summary = { added: 0, removed: 0, moved: 0, modified: 0, unchanged: 0 };
  for (const clause of clauses) summary[clause.status] += 1;
  return { from: fromLabel, to: toLabel, summary, clauses };
}

import { clauseLabelMap, type ClauseDiff, type DefinitionDiff } from '@draftroom/shared';

/** Each side's labels, numbered as that side's text numbers its clauses. */
export function sideLabels(diff: DefinitionDiff): { before: Map<string, string>; after: Map<string, string> } {
  const side = (position: 'fromPosition' | 'toPosition') =>
    clauseLabelMap(
      diff.clauses
        .filter((clause) => clause[position] !== null)
        .sort((a, b) => a[position]! - b[position]!)
        .map((clause) => ({ id: clause.clauseId, kind: clause.kind })),
    );
  return { before: side('fromPosition'), after: side('toPosition') };
}

/** "Clause 2" in the newer text, or for a removed clause its name in the older one. */
export function labelsOf(diff: DefinitionDiff): Map<string, string> {
  const { before, after } = sideLabels(diff);
  const names = new Map<string, string>();
  for (const clause of diff.clauses) names.set(clause.clauseId, after.get(clause.clauseId) ?? `${before.get(clause.clauseId)} (removed)`);
  return names;
}

/**
 * Where a moved clause went, by the labels people read on either side (positions would count the
 * headings too). A clause can move past headings only and keep its number.
 */
export function movedText(before: string, after: string): string {
  return before === after ? `Moved; still ${after.toLowerCase()}.` : `Moved from ${before.toLowerCase()} to ${after.toLowerCase()}.`;
}

export function summaryText(summary: DefinitionDiff['summary']): string {
  const parts = (['modified', 'added', 'removed', 'moved', 'unchanged'] as const).map((status) => `${summary[status]} ${status}`);
  return parts.join(', ');
}

/** Unchanged clauses folded in runs, so the changes stand out and the context is one click away. */
export type Block = { type: 'clause'; clause: ClauseDiff } | { type: 'unchanged'; clauses: ClauseDiff[] };

export function blocksOf(clauses: ClauseDiff[]): Block[] {
  const blocks: Block[] = [];
  for (const clause of clauses) {
    const last = blocks.at(-1);
    if (clause.status !== 'unchanged') blocks.push({ type: 'clause', clause });
    else if (last?.type === 'unchanged') last.clauses.push(clause);
    else blocks.push({ type: 'unchanged', clauses: [clause] });
  }
  return blocks;
}

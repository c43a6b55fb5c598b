import type { ClauseDiff, DefinitionDiff } from '@draftroom/shared';
import { clauseLabels } from '../definitions/labels.ts';

/** "Clause 2" in the newer text, or for a removed clause its name in the older one. */
export function labelsOf(diff: DefinitionDiff): Map<string, string> {
  const names = new Map<string, string>();
  const side = (position: 'fromPosition' | 'toPosition') => {
    const present = diff.clauses.filter((clause) => clause[position] !== null).sort((a, b) => a[position]! - b[position]!);
    const labels = clauseLabels(present.map((clause) => clause.kind));
    return new Map(present.map((clause, index) => [clause.clauseId, labels[index]!]));
  };
  const before = side('fromPosition');
  const after = side('toPosition');
  for (const clause of diff.clauses) names.set(clause.clauseId, after.get(clause.clauseId) ?? `${before.get(clause.clauseId)} (removed)`);
  return names;
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

import type { ClauseKind } from '../schemas/definitions.ts';

/*
 * The one way clauses are numbered, wherever people read a clause's name: the editor, every page, the
 * exports, ballots, threads. Two numberings that disagree ("Clause 4" in the editor, "clause 7" in the
 * decision record) make a record point at the wrong text, so nothing else may count clauses.
 */

/** "Heading 1", "Clause 3": headings and clauses are counted separately, in reading order. */
export function clauseLabels(kinds: readonly ClauseKind[]): string[] {
  let headings = 0;
  let clauses = 0;
  return kinds.map((kind) => (kind === 'heading' ? `Heading ${++headings}` : `Clause ${++clauses}`));
}

/** Each clause's label by its id, for clauses given in reading order. */
export function clauseLabelMap(clauses: readonly { id: string; kind: ClauseKind }[]): Map<string, string> {
  const labels = clauseLabels(clauses.map((clause) => clause.kind));
  return new Map(clauses.map((clause, index) => [clause.id, labels[index]!]));
}

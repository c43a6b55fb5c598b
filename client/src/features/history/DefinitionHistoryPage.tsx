import { useMemo } from 'react';
import { useDefinition } from '../definitions/DefinitionPage.tsx';
import { clauseLabels } from '../definitions/labels.ts';
import { HistoryList } from './HistoryList.tsx';

/** Everything that happened to the text, newest first, with the published versions as milestones. */
export function DefinitionHistoryPage() {
  const { definition } = useDefinition();
  const names = useMemo(() => {
    const labels = clauseLabels(definition.clauses.map((clause) => clause.kind));
    return new Map(definition.clauses.map((clause, index) => [clause.id, labels[index]!]));
  }, [definition.clauses]);
  return (
    <section aria-labelledby="history-heading" className="card">
      <h2 id="history-heading">History</h2>
      <HistoryList definitionId={definition.id} clauseNames={names} />
    </section>
  );
}

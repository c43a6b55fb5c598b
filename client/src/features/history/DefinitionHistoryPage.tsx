import { useMemo } from 'react';
import { clauseLabelMap } from '@draftroom/shared';
import { useDefinition } from '../definitions/DefinitionPage.tsx';
import { HistoryList } from './HistoryList.tsx';

/** Everything that happened to the text, newest first, with the published versions as milestones. */
export function DefinitionHistoryPage() {
  const { definition } = useDefinition();
  const names = useMemo(() => clauseLabelMap(definition.clauses), [definition.clauses]);
  return (
    <section aria-labelledby="history-heading" className="card">
      <h2 id="history-heading">History</h2>
      <HistoryList definitionId={definition.id} clauseNames={names} />
    </section>
  );
}

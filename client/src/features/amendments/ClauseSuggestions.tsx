import type { Amendment } from '@draftroom/shared';
import { AmendmentView, useStoreAmendment } from './AmendmentView.tsx';

/**
 * The wordings proposed for one clause, shown at the clause: their changes to it and, for chairs and
 * editors, Accept and Reject in place — the same amendments, decisions and record as the Amendments tab.
 */
export function ClauseSuggestions(props: {
  definitionId: string;
  amendments: Amendment[];
  /** "clause 3", as the clause's actions name it. */
  clauseLabel: string;
  currentMarkdown: string | undefined;
  onAnnounce(message: string): void;
}) {
  const store = useStoreAmendment(props.definitionId);
  return (
    <ul className="amendment-list clause-suggestions">
      {props.amendments.map((amendment) => (
        <li key={amendment.id}>
          <AmendmentView
            amendment={amendment}
            clauseLabel={props.clauseLabel}
            currentMarkdown={props.currentMarkdown}
            onChanged={store}
            onAnnounce={props.onAnnounce}
            selectable={false}
            selected={false}
            onSelect={() => undefined}
          />
        </li>
      ))}
    </ul>
  );
}

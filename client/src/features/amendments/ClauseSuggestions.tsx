import { useEffect, useState } from 'react';
import type { Editor } from '@tiptap/react';
import type { Amendment } from '@draftroom/shared';
import { AmendmentView, useStoreAmendment } from './AmendmentView.tsx';
import { clauseFromContent } from './ClauseDocument.tsx';
import { previewKey, proposalPreview } from './suggestionMarks.ts';

/**
 * The wordings proposed for one clause, shown at the clause: their changes to it and, for chairs and
 * editors, Accept and Reject in place — the same amendments, decisions and record as the Amendments tab.
 * One of them at a time is also shown in the clause's text itself, as a suggestion: the words it would
 * take out struck through, the words it would put in underlined beside them.
 */
export function ClauseSuggestions(props: {
  definitionId: string;
  amendments: Amendment[];
  /** "clause 3", as the clause's actions name it. */
  clauseLabel: string;
  currentMarkdown: string | undefined;
  onAnnounce(message: string): void;
  /** The clause's live editor, where the chosen suggestion is shown. */
  editor: Editor | null;
}) {
  const store = useStoreAmendment(props.definitionId);
  const { editor, amendments } = props;
  const [shownId, setShownId] = useState<string | null>(() => amendments[0]?.id ?? null);
  const shown = amendments.find((amendment) => amendment.id === shownId) ?? null;

  useEffect(() => {
    if (!editor || editor.isDestroyed || !shown) return;
    const proposal = clauseFromContent(shown.proposedContent);
    if (!proposal) return;
    editor.registerPlugin(proposalPreview(proposal, { name: shown.author.displayName }));
    return () => {
      if (!editor.isDestroyed) editor.unregisterPlugin(previewKey);
    };
  }, [editor, shown]);

  return (
    <ul className="amendment-list clause-suggestions">
      {amendments.map((amendment) => (
        <li key={amendment.id}>
          <AmendmentView
            amendment={amendment}
            clauseLabel={props.clauseLabel}
            currentMarkdown={props.currentMarkdown}
            onChanged={store}
            onAnnounce={props.onAnnounce}
            extraAction={
              editor && (
                <button
                  type="button"
                  className="button button-small button-quiet"
                  aria-pressed={amendment.id === shownId}
                  onClick={() => setShownId(amendment.id === shownId ? null : amendment.id)}
                >
                  Show in the text
                  <span className="visually-hidden">
                    {' '}
                    {amendment.author.displayName}’s wording for {props.clauseLabel}
                  </span>
                </button>
              )
            }
          />
        </li>
      ))}
    </ul>
  );
}

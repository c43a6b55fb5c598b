import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { clauseLabels, type Amendment } from '@draftroom/shared';
import { definitionQueries, viewOf } from '../../api/queries.ts';
import { StatusMessage } from '../../forms/fields.tsx';
import { useLinkedTarget } from '../../layout/useLinkedTarget.ts';
import { BallotDialog } from '../decisions/BallotDialog.tsx';
import { canManageBallots } from '../decisions/labels.ts';
import { useDefinition } from '../definitions/DefinitionPage.tsx';
import { definitionPath } from '../definitions/paths.ts';
import { BatchDecision } from './BatchDecision.tsx';
import { AmendmentView, useStoreAmendment } from './AmendmentView.tsx';

/** Proposed wordings for clauses, each as changes to the clause as it reads now, with the decisions. */
export function AmendmentsPage() {
  const { definition } = useDefinition();
  // Proposals and decisions by anyone arrive over the live channel.
  const amendments = viewOf(useQuery(definitionQueries.amendments(definition.id)));
  // `?amendment=ID` (a notification's link) scrolls to that amendment once it is listed.
  const linked = useSearchParams()[0].get('amendment');
  useLinkedTarget(linked ? `amendment-card-${linked}` : null);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  // Clause texts as committed when the page loaded: enough to name the clause and compare formatting.
  const labels = clauseLabels(definition.clauses.map((clause) => clause.kind));
  const clauseLabel = new Map(definition.clauses.map((clause, index) => [clause.id, labels[index]!.toLowerCase()]));
  const clauseMarkdown = new Map(definition.clauses.map((clause) => [clause.id, clause.markdown]));
  const canBallot = canManageBallots(definition);
  const navigate = useNavigate();
  // Proposed wordings chosen for a ballot: all of one clause, since a ballot chooses one clause's text.
  const [selection, setSelection] = useState<{ clauseId: string; ids: string[] } | null>(null);
  const [startingBallot, setStartingBallot] = useState(false);
  const ballotButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  useEffect(() => {
    if (!startingBallot && returnFocus.current) ballotButton.current?.focus();
    returnFocus.current = false;
  }, [startingBallot]);

  function toggle(amendment: Amendment, chosen: boolean) {
    if (!chosen) {
      const ids = (selection?.ids ?? []).filter((id) => id !== amendment.id);
      setSelection(ids.length > 0 && selection ? { clauseId: selection.clauseId, ids } : null);
      return;
    }
    if (selection && selection.clauseId !== amendment.clauseId) {
      setAnnouncement(`A ballot chooses among wordings of one clause: the selection now holds ${clauseLabel.get(amendment.clauseId) ?? 'this clause'} only.`);
      setSelection({ clauseId: amendment.clauseId, ids: [amendment.id] });
      return;
    }
    setSelection({ clauseId: amendment.clauseId, ids: [...(selection?.ids ?? []), amendment.id] });
  }

  const replace = useStoreAmendment(definition.id);

  return (
    <section aria-labelledby="amendments-heading">
      <div className="section-bar">
        <h2 id="amendments-heading">Amendments</h2>
      </div>
      <p className="muted">Suggest changes from a clause on the Text tab: its menu, or Suggesting mode.</p>
      <StatusMessage message={announcement} />
      {canBallot && (
        <div className="ballot-selection" role="group" aria-label="Ballot on proposed wordings">
          <p className="muted">
            {selection
              ? `${selection.ids.length === 1 ? '1 wording' : `${selection.ids.length} wordings`} of ${clauseLabel.get(selection.clauseId) ?? 'a clause'} selected; the ballot also offers its current text.`
              : 'Select proposed wordings of one clause to put them to a ballot against its current text.'}
          </p>
          <button
            ref={ballotButton}
            type="button"
            className="button button-small"
            aria-haspopup="dialog"
            aria-disabled={!selection || selection.ids.length > 8 || undefined}
            onClick={() => selection && selection.ids.length <= 8 && setStartingBallot(true)}
          >
            Ballot on these
          </button>
          {selection && selection.ids.length > 8 && <p className="field-error">A ballot offers at most 8 proposed wordings.</p>}
        </div>
      )}
      {startingBallot && selection && (
        <BallotDialog
          definition={definition}
          initialSubject={{ kind: 'amendments', clauseId: selection.clauseId, amendmentIds: selection.ids }}
          onClose={() => {
            returnFocus.current = true;
            setStartingBallot(false);
          }}
          onSaved={(ballot) => navigate(`${definitionPath(definition.groupSlug, definition.id)}/decisions?ballot=${encodeURIComponent(ballot.id)}`)}
        />
      )}
      {amendments.status === 'ready' && <BatchDecision definitionId={definition.id} amendments={amendments.data} onDone={setAnnouncement} />}
      {amendments.status === 'loading' && <p className="muted">Loading the amendments…</p>}
      {amendments.status === 'error' && (
        <div role="alert" className="alert alert-error">
          <p>{amendments.error.message}</p>
          <button type="button" className="button" onClick={amendments.retry}>
            Try again
          </button>
        </div>
      )}
      {amendments.status === 'ready' &&
        (amendments.data.length === 0 ? (
          <p className="empty">No wording has been proposed yet.</p>
        ) : (
          <ul className="amendment-list" aria-label="Amendments">
            {amendments.data.map((amendment) => {
              return (
                <li key={amendment.id}>
                  <AmendmentView
                    amendment={amendment}
                    clauseLabel={clauseLabel.get(amendment.clauseId) ?? 'a deleted clause'}
                    currentMarkdown={clauseMarkdown.get(amendment.clauseId)}
                    onChanged={replace}
                    onAnnounce={setAnnouncement}
                    selectable={canBallot && amendment.status === 'proposed'}
                    selected={selection?.ids.includes(amendment.id) ?? false}
                    onSelect={(chosen) => toggle(amendment, chosen)}
                  />
                </li>
              );
            })}
          </ul>
        ))}
    </section>
  );
}

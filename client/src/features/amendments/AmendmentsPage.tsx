import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { clauseLabels, type Amendment } from '@draftroom/shared';
import { ApiError } from '../../api/client.ts';
import { acceptAmendment, rejectAmendment, withdrawAmendment } from '../../api/amendments.ts';
import { definitionQueries, viewOf } from '../../api/queries.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { StatusMessage } from '../../forms/fields.tsx';
import { ConfirmDialog } from '../../layout/ConfirmDialog.tsx';
import { useLinkedTarget } from '../../layout/useLinkedTarget.ts';
import { BallotDialog } from '../decisions/BallotDialog.tsx';
import { canManageBallots } from '../decisions/labels.ts';
import { useDefinition } from '../definitions/DefinitionPage.tsx';
import { definitionPath } from '../definitions/paths.ts';
import { When } from '../history/When.tsx';
import { WordChanges } from '../history/WordChanges.tsx';
import { BatchDecision } from './BatchDecision.tsx';
import { ClauseDocument, clauseFromContent, hasFormatting } from './ClauseDocument.tsx';

const STATUS_LABELS: Record<Amendment['status'], string> = { proposed: 'Proposed', accepted: 'Accepted', rejected: 'Rejected', withdrawn: 'Withdrawn' };

/** Proposed wordings for clauses, each as changes to the clause as it reads now, with the decisions. */
export function AmendmentsPage() {
  const { definition } = useDefinition();
  // Proposals and decisions by anyone arrive over the live channel.
  const amendments = viewOf(useQuery(definitionQueries.amendments(definition.id)));
  // `?amendment=ID` (a notification's link) scrolls to that amendment once it is listed.
  const linked = useSearchParams()[0].get('amendment');
  useLinkedTarget(linked ? `amendment-card-${linked}` : null);
  const client = useQueryClient();
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

  function replace(updated: Amendment) {
    client.setQueryData<Amendment[]>(queryKeys.amendments(definition.id), (list) => list?.map((existing) => (existing.id === updated.id ? updated : existing)));
    // A decision also shows in ballots offering the wording, and an accepted one changes the text.
    void client.invalidateQueries({ queryKey: queryKeys.ballots(definition.id) });
    if (updated.status === 'accepted') void client.invalidateQueries({ queryKey: queryKeys.definitionDetail(definition.id) });
  }

  return (
    <section aria-labelledby="amendments-heading">
      <div className="section-bar">
        <h2 id="amendments-heading">Amendments</h2>
      </div>
      <p className="muted">Propose a wording from a clause on the Text tab.</p>
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

function AmendmentView(props: {
  amendment: Amendment;
  clauseLabel: string;
  /** The clause's Markdown as the page last loaded it, to tell a change of formatting alone. */
  currentMarkdown: string | undefined;
  onChanged(amendment: Amendment): void;
  onAnnounce(message: string): void;
  /** Chairs pick proposed wordings for a ballot. */
  selectable: boolean;
  selected: boolean;
  onSelect(chosen: boolean): void;
}) {
  const { amendment, clauseLabel } = props;
  const [rejecting, setRejecting] = useState(false);
  const [accepting, setAccepting] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const headingId = `amendment-${amendment.id}`;
  const formatting = useProposedFormatting(amendment, props.currentMarkdown);
  const can = (action: Amendment['allowedActions'][number]) => amendment.allowedActions.includes(action);

  async function act(work: () => Promise<Amendment>, message: string) {
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      props.onChanged(await work());
      props.onAnnounce(message);
      setRejecting(false);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'Something went wrong. Try again.');
    } finally {
      setPending(false);
    }
  }

  return (
    <article id={`amendment-card-${amendment.id}`} tabIndex={-1} className={`amendment amendment-${amendment.status}`} aria-labelledby={headingId}>
      <h3 id={headingId} className="amendment-title">
        {amendment.author.displayName}’s wording for {clauseLabel}
      </h3>
      <p className="amendment-meta">
        <span className={`badge badge-amendment-${amendment.status}`}>{STATUS_LABELS[amendment.status]}</span>
        {amendment.stale && amendment.status === 'proposed' && <span className="badge badge-stale">The clause changed since this was proposed</span>}{' '}
        <When at={amendment.createdAt} />
      </p>
      {!formatting.formattingOnly && <WordChanges changes={amendment.changes} />}
      {formatting.doc && (
        <div className="amendment-formatted">
          <p className="amendment-formatted-label">
            {formatting.formattingOnly ? 'The same words, formatted differently:' : 'As it would read, with its formatting:'}
          </p>
          <ClauseDocument doc={formatting.doc} />
        </div>
      )}
      {props.selectable && (
        <p className="checkbox amendment-select">
          <input type="checkbox" id={`${headingId}-select`} checked={props.selected} onChange={(event) => props.onSelect(event.target.checked)} />
          <label htmlFor={`${headingId}-select`}>
            Select
            <span className="visually-hidden">
              {' '}
              {amendment.author.displayName}’s wording for {clauseLabel}
            </span>{' '}
            for a ballot
          </label>
        </p>
      )}
      {amendment.rationale && <p className="amendment-rationale">{amendment.rationale}</p>}
      {amendment.decidedBy && (
        <p className="muted">
          {STATUS_LABELS[amendment.status]} by {amendment.decidedBy.displayName}
          {amendment.decisionReason ? `: ${amendment.decisionReason}` : '.'}
        </p>
      )}
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <div className="amendment-actions">
        {can('accept') && (
          <button
            type="button"
            className="button button-small button-primary"
            aria-disabled={pending || undefined}
            onClick={() => !pending && setAccepting(true)}
          >
            Accept<span className="visually-hidden"> the wording for {clauseLabel}</span>
          </button>
        )}
        {can('reject') && (
          <button type="button" className="button button-small" aria-expanded={rejecting} onClick={() => setRejecting(!rejecting)}>
            Reject<span className="visually-hidden"> the wording for {clauseLabel}</span>
          </button>
        )}
        {can('withdraw') && (
          <button
            type="button"
            className="button button-small button-quiet"
            aria-disabled={pending || undefined}
            onClick={() => act(() => withdrawAmendment(amendment.id), 'Your proposal was withdrawn.')}
          >
            Withdraw<span className="visually-hidden"> the wording for {clauseLabel}</span>
          </button>
        )}
      </div>
      {accepting && (
        <ConfirmDialog
          title={`Accept ${amendment.author.displayName}’s wording for ${clauseLabel}?`}
          confirmLabel="Accept the wording"
          onConfirm={() => {
            setAccepting(false);
            void act(() => acceptAmendment(amendment.id), `The wording for ${clauseLabel} was accepted.`);
          }}
          onCancel={() => setAccepting(false)}
        >
          <p>
            {clauseLabel.charAt(0).toUpperCase() + clauseLabel.slice(1)} will read as proposed, as an edit by you; the words it keeps keep their authors. The
            decision is recorded in the group’s activity log.
          </p>
        </ConfirmDialog>
      )}
      {rejecting && (
        <form
          className="comment-form"
          aria-label="Reason for rejecting"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (!reason.trim()) {
              setError('Reason is required');
              return;
            }
            void act(() => rejectAmendment(amendment.id, reason.trim()), `The wording for ${clauseLabel} was rejected.`);
          }}
        >
          <label>
            Reason for rejecting
            <textarea value={reason} onChange={(event) => setReason(event.target.value)} rows={3} maxLength={20_000} autoFocus />
          </label>
          <div className="form-actions">
            <button type="submit" className="button button-small button-danger">
              Reject wording
            </button>
            <button type="button" className="button button-small" onClick={() => setRejecting(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </article>
  );
}

/**
 * The word changes show words only. When the wording has formatting (bold, italic, code, links, lists)
 * it is also shown as it would read; when only its formatting differs from the clause's, it is shown
 * that way instead of word changes that would show no change.
 */
function useProposedFormatting(amendment: Amendment, currentMarkdown: string | undefined) {
  // Content that does not fit the schema (none should) leaves the word changes to say it all.
  const doc = useMemo(() => clauseFromContent(amendment.proposedContent), [amendment.proposedContent]);
  const formattingOnly =
    doc !== null &&
    amendment.status === 'proposed' &&
    currentMarkdown !== undefined &&
    currentMarkdown !== amendment.proposedMarkdown &&
    amendment.changes.every((change) => change.kind === 'equal');
  return { doc: doc && (formattingOnly || hasFormatting(doc)) ? doc : null, formattingOnly };
}

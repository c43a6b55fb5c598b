import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useMemo, useState } from 'react';
import type { Amendment } from '@draftroom/shared';
import { acceptAmendment, rejectAmendment, withdrawAmendment } from '../../api/amendments.ts';
import { ApiError } from '../../api/client.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { ConfirmDialog } from '../../layout/ConfirmDialog.tsx';
import { When } from '../history/When.tsx';
import { WordChanges } from '../history/WordChanges.tsx';
import { ClauseDocument, clauseFromContent, hasFormatting } from './ClauseDocument.tsx';

const STATUS_LABELS: Record<Amendment['status'], string> = { proposed: 'Proposed', accepted: 'Accepted', rejected: 'Rejected', withdrawn: 'Withdrawn' };

/** Puts a decided (or withdrawn) amendment in the cached list, and marks what the decision changes as stale. */
export function useStoreAmendment(definitionId: string): (updated: Amendment) => void {
  const client = useQueryClient();
  return (updated) => {
    client.setQueryData<Amendment[]>(queryKeys.amendments(definitionId), (list) => list?.map((existing) => (existing.id === updated.id ? updated : existing)));
    // A decision also shows in ballots offering the wording, and an accepted one changes the text.
    void client.invalidateQueries({ queryKey: queryKeys.ballots(definitionId) });
    if (updated.status === 'accepted') void client.invalidateQueries({ queryKey: queryKeys.definitionDetail(definitionId) });
  };
}

/** One proposed wording: its changes to the clause, its formatting, the decision, and the actions the viewer may take. */
export function AmendmentView(props: {
  amendment: Amendment;
  clauseLabel: string;
  /** The clause's Markdown as the page last loaded it, to tell a change of formatting alone. */
  currentMarkdown: string | undefined;
  onChanged(amendment: Amendment): void;
  onAnnounce(message: string): void;
  /** Chairs pick proposed wordings for a ballot (on the Amendments tab). */
  selectable?: boolean;
  selected?: boolean;
  onSelect?(chosen: boolean): void;
  /** One more action beside the decisions (at the clause: show it in the text). */
  extraAction?: ReactNode;
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
          <input type="checkbox" id={`${headingId}-select`} checked={props.selected ?? false} onChange={(event) => props.onSelect?.(event.target.checked)} />
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
        {props.extraAction}
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
          {amendment.stale && (
            <p>
              <strong>The clause changed since this was proposed.</strong> Accepting it also takes out what was changed since: the changes shown are against the
              clause as it reads now.
            </p>
          )}
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

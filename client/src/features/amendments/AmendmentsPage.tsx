import { useState } from 'react';
import type { Amendment } from '@draftroom/shared';
import { ApiError } from '../../api/client.ts';
import { acceptAmendment, listAmendments, rejectAmendment, withdrawAmendment } from '../../api/amendments.ts';
import { useResource } from '../../api/useResource.ts';
import { StatusMessage } from '../../forms/fields.tsx';
import { useDefinition } from '../definitions/DefinitionPage.tsx';
import { clauseLabels } from '../definitions/labels.ts';
import { When } from '../history/When.tsx';
import { WordChanges } from '../history/WordChanges.tsx';

const STATUS_LABELS: Record<Amendment['status'], string> = { proposed: 'Proposed', accepted: 'Accepted', rejected: 'Rejected', withdrawn: 'Withdrawn' };

/** Proposed wordings for clauses, each as changes to the clause as it reads now, with the decisions. */
export function AmendmentsPage() {
  const { definition } = useDefinition();
  const amendments = useResource((signal) => listAmendments(definition.id, signal), [definition.id]);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  // The mirror of the live text may lag a little; good enough to name the clause.
  const labels = clauseLabels(definition.clauses.map((clause) => clause.kind));
  const clauseLabel = new Map(definition.clauses.map((clause, index) => [clause.id, labels[index]!.toLowerCase()]));

  function replace(updated: Amendment) {
    if (amendments.status !== 'ready') return amendments.reload();
    amendments.setData(amendments.data.map((existing) => (existing.id === updated.id ? updated : existing)));
  }

  return (
    <section aria-labelledby="amendments-heading">
      <div className="section-bar">
        <h2 id="amendments-heading">Amendments</h2>
        <button type="button" className="button button-small" onClick={amendments.reload}>
          Refresh<span className="visually-hidden"> the amendments</span>
        </button>
      </div>
      <p className="muted">Propose a wording from a clause on the Text tab.</p>
      <StatusMessage message={announcement} />
      {amendments.status === 'loading' && <p className="muted">Loading the amendments…</p>}
      {amendments.status === 'error' && (
        <div role="alert" className="alert alert-error">
          <p>{amendments.error.message}</p>
          <button type="button" className="button" onClick={amendments.reload}>
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
                  <AmendmentView amendment={amendment} clauseLabel={clauseLabel.get(amendment.clauseId) ?? 'a deleted clause'} onChanged={replace} onAnnounce={setAnnouncement} />
                </li>
              );
            })}
          </ul>
        ))}
    </section>
  );
}

function AmendmentView(props: { amendment: Amendment; clauseLabel: string; onChanged(amendment: Amendment): void; onAnnounce(message: string): void }) {
  const { amendment, clauseLabel } = props;
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const headingId = `amendment-${amendment.id}`;
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
    <article className={`amendment amendment-${amendment.status}`} aria-labelledby={headingId}>
      <h3 id={headingId} className="amendment-title">
        {amendment.author.displayName}’s wording for {clauseLabel}
      </h3>
      <p className="amendment-meta">
        <span className={`badge badge-amendment-${amendment.status}`}>{STATUS_LABELS[amendment.status]}</span>
        {amendment.stale && amendment.status === 'proposed' && <span className="badge badge-stale">The clause changed since this was proposed</span>}{' '}
        <When at={amendment.createdAt} />
      </p>
      <WordChanges changes={amendment.changes} />
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
          <button type="button" className="button button-small button-primary" aria-disabled={pending || undefined} onClick={() => act(() => acceptAmendment(amendment.id), `The wording for ${clauseLabel} was accepted.`)}>
            Accept<span className="visually-hidden"> the wording for {clauseLabel}</span>
          </button>
        )}
        {can('reject') && (
          <button type="button" className="button button-small" aria-expanded={rejecting} onClick={() => setRejecting(!rejecting)}>
            Reject<span className="visually-hidden"> the wording for {clauseLabel}</span>
          </button>
        )}
        {can('withdraw') && (
          <button type="button" className="button button-small button-quiet" aria-disabled={pending || undefined} onClick={() => act(() => withdrawAmendment(amendment.id), 'Your proposal was withdrawn.')}>
            Withdraw<span className="visually-hidden"> the wording for {clauseLabel}</span>
          </button>
        )}
      </div>
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

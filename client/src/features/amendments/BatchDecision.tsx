import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { Amendment } from '@draftroom/shared';
import { decideAmendments } from '../../api/amendments.ts';
import { ApiError } from '../../api/client.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { ConfirmDialog } from '../../layout/ConfirmDialog.tsx';
import './amendments.css';

/**
 * "Accept all" and "Reject all" for the proposed wordings a chair or editor may decide: one request,
 * all or nothing. Accepting asks for a confirmation first; rejecting asks for the one reason given to
 * each author. A refusal (two wordings of one clause, a clause changed since) says why and decides nothing.
 */
export function BatchDecision({ definitionId, amendments, onDone }: { definitionId: string; amendments: Amendment[]; onDone(message: string): void }) {
  const decidable = amendments.filter((amendment) => amendment.status === 'proposed' && amendment.allowedActions.includes('accept'));
  const [step, setStep] = useState<'idle' | 'accept' | 'reject'>('idle');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const client = useQueryClient();
  const reasonId = useId();
  if (decidable.length < 2) return null;
  const count = `${decidable.length} proposed wordings`;

  async function decide(action: 'accept' | 'reject') {
    if (busy) return;
    if (action === 'reject' && reason.trim() === '') {
      setError('Say why they are rejected: each author is told.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const decided = await decideAmendments(definitionId, { action, ids: decidable.map((a) => a.id), ...(action === 'reject' && { reason: reason.trim() }) });
      const byId = new Map(decided.map((amendment) => [amendment.id, amendment]));
      client.setQueryData<Amendment[]>(queryKeys.amendments(definitionId), (list) => list?.map((existing) => byId.get(existing.id) ?? existing));
      void client.invalidateQueries({ queryKey: queryKeys.ballots(definitionId) });
      if (action === 'accept') void client.invalidateQueries({ queryKey: queryKeys.definitionDetail(definitionId) });
      setStep('idle');
      setReason('');
      onDone(action === 'accept' ? `All ${count} accepted.` : `All ${count} rejected.`);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'Could not decide them. Try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="batch-decision" role="group" aria-label="Decide all proposed wordings">
      {(step === 'idle' || step === 'accept') && (
        <>
          <button type="button" className="button button-small" onClick={() => setStep('accept')}>
            Accept all {decidable.length}…
          </button>{' '}
          <button type="button" className="button button-small button-quiet" onClick={() => setStep('reject')}>
            Reject all {decidable.length}…
          </button>
        </>
      )}
      {step === 'accept' && (
        <ConfirmDialog
          title={`Accept all ${count}?`}
          confirmLabel={`Yes, accept all ${decidable.length}`}
          onConfirm={() => {
            setStep('idle');
            void decide('accept');
          }}
          onCancel={() => setStep('idle')}
        >
          <p>Each becomes its clause's text, credited to its author; nothing is decided if one of them no longer applies.</p>
        </ConfirmDialog>
      )}
      {step === 'reject' && (
        <>
          <label htmlFor={reasonId}>Why are they rejected? Each author is told.</label>
          <textarea id={reasonId} value={reason} maxLength={20_000} rows={2} onChange={(event) => setReason(event.target.value)} />
          <button type="button" className="button button-small button-danger" aria-disabled={busy || undefined} onClick={() => void decide('reject')}>
            {busy ? 'Rejecting…' : `Reject all ${decidable.length}`}
          </button>{' '}
          <button type="button" className="button button-small button-quiet" onClick={() => setStep('idle')}>
            Cancel
          </button>
        </>
      )}
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

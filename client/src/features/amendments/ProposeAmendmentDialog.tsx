import { useEffect, useRef, useState } from 'react';
import { proposeAmendment } from '../../api/amendments.ts';
import { FormAlert, SubmitButton, TextAreaField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';

/**
 * Proposing a new wording for one clause, in a modal <dialog> like publishing a version: it starts
 * from the clause as it reads now. Chairs and editors accept or reject it on the Amendments tab.
 */
export function ProposeAmendmentDialog(props: { definitionId: string; clauseId: string; clauseLabel: string; currentText: string; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [proposed, setProposed] = useState(false);
  const form = useApiForm({ text: { label: 'Proposed wording' }, rationale: { label: 'Rationale' } });

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  const submit = form.onSubmit(async ({ text, rationale }) => {
    await proposeAmendment(props.definitionId, { clauseId: props.clauseId, text: text.trim(), rationale: rationale.trim() });
    setProposed(true);
  });

  const lower = props.clauseLabel.toLowerCase();
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="propose-heading" onClose={props.onClose}>
      <h2 id="propose-heading">Propose a wording for {lower}</h2>
      {proposed ? (
        <>
          <p role="status">Your proposal was sent. It is listed on the Amendments tab.</p>
          <div className="form-actions">
            <button type="button" className="button button-primary" autoFocus onClick={props.onClose}>
              Close
            </button>
          </div>
        </>
      ) : (
        <form className="form" onSubmit={submit} noValidate>
          <FormAlert message={form.formError} />
          <TextAreaField {...form.field('text')} defaultValue={props.currentText} required rows={6} maxLength={100_000} autoFocus hint="The whole clause as you would have it read." />
          <TextAreaField {...form.field('rationale')} rows={3} maxLength={20_000} hint="Why this wording is better; shown with the proposal." />
          <div className="form-actions">
            <SubmitButton pending={form.pending} pendingText="Sending…">
              Send proposal
            </SubmitButton>
            <button type="button" className="button" onClick={props.onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { VERSION_LABEL_PATTERN, type VersionDetail } from '@draftroom/shared';
import { dispositionQueries } from '../../api/dispositions.ts';
import { publishVersion } from '../../api/versions.ts';
import { FormAlert, SubmitButton, TextAreaField, TextField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';
import { dispositionsPath } from '../definitions/paths.ts';

export const LABEL_HINT = 'Like 0.1, 1.0-RC1 or 2025-03-draft: letters, digits, dots, hyphens, plus signs and underscores, up to 40.';

/**
 * Publishing a version, in a modal <dialog>: the browser keeps the focus inside it and closes it on
 * Escape; the caller gets the focus back on the button that opened it.
 */
export function PublishDialog({
  groupSlug,
  definitionId,
  onPublished,
  onClose,
}: {
  groupSlug: string;
  definitionId: string;
  onPublished(version: VersionDetail): void;
  onClose(): void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const form = useApiForm({
    label: { label: 'Label', pattern: VERSION_LABEL_PATTERN, patternMessage: `Label is not in the expected form. ${LABEL_HINT}` },
    notes: { label: 'Release notes' },
  });

  useEffect(() => {
    const element = dialog.current;
    // No close() on unmount: removing the element ends the modal state, and a close event would
    // come back as onClose (and under StrictMode's double effects, close the dialog at once).
    if (element && !element.open) element.showModal();
  }, []);

  const submit = form.onSubmit(async ({ label, notes }, formElement) => {
    const version = await publishVersion(definitionId, { label: label.trim(), notes: notes.trim() });
    formElement.reset();
    onPublished(version);
  });

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="publish-heading"
      // Escape closes a modal dialog by itself; the state follows.
      onClose={onClose}
    >
      <h2 id="publish-heading">Publish a version</h2>
      <p className="muted">The current text becomes a named version that can no longer change.</p>
      <UndisposedNote groupSlug={groupSlug} definitionId={definitionId} />
      <form className="form" onSubmit={submit} noValidate>
        <FormAlert message={form.formError} />
        <TextField {...form.field('label')} hint={LABEL_HINT} required maxLength={40} autoComplete="off" autoFocus />
        <TextAreaField {...form.field('notes')} hint="What changed and why; shown with the version." rows={6} maxLength={20_000} />
        <div className="form-actions">
          <SubmitButton pending={form.pending} pendingText="Publishing…">
            Publish version
          </SubmitButton>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** A reminder, never a barrier: comments and objections still waiting for a disposition. */
function UndisposedNote({ groupSlug, definitionId }: { groupSlug: string; definitionId: string }) {
  const undisposed = useQuery(dispositionQueries.register(definitionId)).data?.counts.undisposed ?? 0;
  if (undisposed === 0) return null;
  return (
    <p className="publish-undisposed">
      <Link to={`${dispositionsPath(groupSlug, definitionId)}?state=undisposed`}>
        {undisposed === 1 ? '1 item of the disposition register is undisposed' : `${undisposed} items of the disposition register are undisposed`}
      </Link>
      . You may publish anyway.
    </p>
  );
}

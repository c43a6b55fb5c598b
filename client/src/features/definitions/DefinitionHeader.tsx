import { useEffect, useId, useRef, useState } from 'react';
import { ROLE_LABELS, type Definition, type DefinitionDetail, type DefinitionStatus } from '@draftroom/shared';
import { updateDefinition } from '../../api/definitions.ts';
import { FormAlert, StatusMessage, SubmitButton, TextField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';
import { PageHeading } from '../../layout/PageHeading.tsx';
import { useGroupAction } from '../groups/useGroupAction.ts';
import { STATUS_LABELS, STATUS_OPTIONS } from './labels.ts';

/** Title (renamed inline by chairs and editors) and status (changed by chairs). */
export function DefinitionHeader({ definition, onUpdated }: { definition: DefinitionDetail; onUpdated(updated: Definition): void }) {
  const can = (action: Definition['allowedActions'][number]) => definition.allowedActions.includes(action);
  const [renaming, setRenaming] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const renameButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (!renaming && returnFocus.current) renameButton.current?.focus();
    returnFocus.current = false;
  }, [renaming]);

  const closeRename = (message: string | null) => {
    returnFocus.current = true;
    setRenaming(false);
    setDone(message);
  };

  return (
    <header className="definition-header">
      <PageHeading title={definition.title}>{definition.title}</PageHeading>
      <StatusMessage message={done} />
      {renaming ? (
        <RenameForm definition={definition} onRenamed={(updated) => (onUpdated(updated), closeRename('The title has been changed.'))} onCancel={() => closeRename(null)} />
      ) : (
        can('definition.rename') && (
          <button ref={renameButton} type="button" className="button button-small" onClick={() => setRenaming(true)}>
            Rename<span className="visually-hidden"> the definition</span>
          </button>
        )
      )}
      <div className="group-meta definition-meta">
        {can('definition.setStatus') ? (
          <StatusForm definition={definition} onUpdated={onUpdated} />
        ) : (
          <span>
            Status: <span className={`badge badge-status-${definition.status}`}>{STATUS_LABELS[definition.status]}</span>
          </span>
        )}
        {definition.myRole && (
          <span>
            Your role: <strong>{ROLE_LABELS[definition.myRole]}</strong>
          </span>
        )}
        <span className="slug">/{definition.slug}</span>
      </div>
    </header>
  );
}

function RenameForm({ definition, onRenamed, onCancel }: { definition: Definition; onRenamed(updated: Definition): void; onCancel(): void }) {
  const form = useApiForm({ title: { label: 'Title' } });
  const formElement = useRef<HTMLFormElement>(null);
  useEffect(() => formElement.current?.querySelector<HTMLInputElement>('input[name="title"]')?.select(), []);

  const submit = form.onSubmit(async ({ title }) => {
    onRenamed(await updateDefinition(definition.id, { title: title.trim() }));
  });

  return (
    <form ref={formElement} className="form form-inline rename-form" onSubmit={submit} noValidate onKeyDown={(event) => event.key === 'Escape' && onCancel()}>
      <FormAlert message={form.formError} />
      <TextField {...form.field('title')} defaultValue={definition.title} required maxLength={200} autoComplete="off" />
      <div className="form-actions">
        <SubmitButton pending={form.pending} pendingText="Saving…">
          Save title
        </SubmitButton>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function StatusForm({ definition, onUpdated }: { definition: Definition; onUpdated(updated: Definition): void }) {
  const selectId = useId();
  const [status, setStatus] = useState<DefinitionStatus>(definition.status);
  const action = useGroupAction();
  useEffect(() => setStatus(definition.status), [definition.status]);

  return (
    <form
      className="member-role status-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (action.pending || status === definition.status) return;
        void action.run(
          () => updateDefinition(definition.id, { status }),
          (updated) => {
            onUpdated(updated);
            return `The status is now ${STATUS_LABELS[updated.status]}.`;
          },
        );
      }}
    >
      <label htmlFor={selectId}>Status</label>
      <select id={selectId} value={status} onChange={(event) => setStatus(event.target.value as DefinitionStatus)}>
        {STATUS_OPTIONS.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <button type="submit" className="button button-small" aria-disabled={action.pending || status === definition.status || undefined}>
        Change status
      </button>
      <StatusMessage message={action.status} />
      <FormAlert message={action.error} />
    </form>
  );
}

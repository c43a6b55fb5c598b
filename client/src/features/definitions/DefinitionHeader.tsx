import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ROLE_LABELS, type Definition, type DefinitionDetail, type DefinitionStatus, type ErrorDetail, type UpdateDefinitionBody } from '@draftroom/shared';
import { ApiError } from '../../api/client.ts';
import { updateDefinition } from '../../api/definitions.ts';
import { FormAlert, StatusMessage, SubmitButton, TextField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';
import { PageHeading } from '../../layout/PageHeading.tsx';
import { fromLocalInput, toLocalInput } from '../decisions/labels.ts';
import { useGroupAction } from '../groups/useGroupAction.ts';
import { utcText, When } from '../history/When.tsx';
import { STATUS_LABELS, STATUS_OPTIONS } from './labels.ts';
import { dispositionsPath, publicDefinitionPath } from './paths.ts';

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
      <div className="definition-title-row">
        <PageHeading title={definition.title}>{definition.title}</PageHeading>
        {!renaming && can('definition.rename') && (
          <button ref={renameButton} type="button" className="button button-small button-quiet" onClick={() => setRenaming(true)}>
            Rename<span className="visually-hidden"> the definition</span>
          </button>
        )}
      </div>
      <StatusMessage message={done} />
      {renaming && (
        <RenameForm
          definition={definition}
          onRenamed={(updated) => {
            onUpdated(updated);
            closeRename('The title has been changed.');
          }}
          onCancel={() => closeRename(null)}
        />
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
      {definition.status === 'public-comment' && (
        <p className="definition-comment-period">
          {definition.commentDeadline ? (
            <>
              Comments close at <When at={definition.commentDeadline} />.
            </>
          ) : (
            'The public comment period has no deadline.'
          )}{' '}
          <Link to={publicDefinitionPath(definition.groupSlug, definition.id)}>Public view</Link>
        </p>
      )}
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

/** The deadline a datetime-local value means, as the API takes it: '' is no deadline, undefined is not a moment. */
function deadlineFrom(value: string): string | null | undefined {
  if (value.trim() === '') return null;
  return fromLocalInput(value)?.toISOString();
}

/** The items a refusal to set the definition final names as undisposed (409 with `/dispositions/N` details); null for any other error. */
function undisposedIn(error: unknown): ErrorDetail[] | null {
  if (!(error instanceof ApiError) || error.status !== 409 || error.code !== 'conflict') return null;
  const items = error.fieldDetails.filter((detail) => detail.path.startsWith('/dispositions/'));
  return items.length > 0 ? items : null;
}

function StatusForm({ definition, onUpdated }: { definition: Definition; onUpdated(updated: Definition): void }) {
  const selectId = useId();
  const [status, setStatus] = useState<DefinitionStatus>(definition.status);
  // Setting it final was refused over items of the disposition register nobody has disposed of yet.
  const [undisposed, setUndisposed] = useState<ErrorDetail[] | null>(null);
  const initialDeadline = definition.commentDeadline ? toLocalInput(new Date(definition.commentDeadline)) : '';
  const [deadline, setDeadline] = useState(initialDeadline);
  const [deadlineError, setDeadlineError] = useState<string | undefined>(undefined);
  const action = useGroupAction();
  useEffect(() => setStatus(definition.status), [definition.status]);
  useEffect(() => setDeadline(initialDeadline), [definition.commentDeadline]);
  useEffect(() => setUndisposed(null), [status]);

  const withDeadline = status === 'public-comment';
  const wanted = withDeadline ? deadlineFrom(deadline) : undefined;
  const current = definition.commentDeadline;
  const deadlineChanged =
    withDeadline &&
    wanted !== undefined &&
    (wanted === null || current === null ? wanted !== current : new Date(current).getTime() !== new Date(wanted).getTime());
  const unchanged = status === definition.status && !deadlineChanged && !(withDeadline && wanted === undefined);

  function send(body: UpdateDefinitionBody) {
    setUndisposed(null);
    void action.run(
      async () => {
        try {
          return await updateDefinition(definition.id, body);
        } catch (error) {
          setUndisposed(undisposedIn(error));
          throw error;
        }
      },
      (updated) => {
        onUpdated(updated);
        const sentences: string[] = [];
        if (body.status) sentences.push(`The status is now ${STATUS_LABELS[updated.status]}.`);
        if (body.commentDeadline !== undefined) {
          sentences.push(updated.commentDeadline ? `Comments close at ${utcText(updated.commentDeadline)}.` : 'The comment period has no deadline.');
        }
        return sentences.join(' ');
      },
    );
  }

  return (
    <form
      className="member-role status-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (action.pending || unchanged) return;
        if (withDeadline && wanted === undefined) {
          setDeadlineError('Enter a complete date and time, or leave the field empty for no deadline');
          event.currentTarget.querySelector<HTMLInputElement>('input[name="commentDeadline"]')?.focus();
          return;
        }
        setDeadlineError(undefined);
        const body: UpdateDefinitionBody = {
          ...(status !== definition.status && { status }),
          ...(deadlineChanged && { commentDeadline: wanted }),
        };
        send(body);
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
      {withDeadline && (
        <TextField
          label="Comments close at"
          name="commentDeadline"
          type="datetime-local"
          className="deadline-field"
          value={deadline}
          onChange={(event) => {
            setDeadline(event.target.value);
            setDeadlineError(undefined);
          }}
          error={deadlineError}
          hint={(() => {
            const at = deadlineFrom(deadline);
            if (at === null) return 'Optional, in your time zone. Empty: comments stay open with no deadline.';
            if (at === undefined) return 'Optional, in your time zone.';
            return (
              <>
                In your time zone. That is <When at={at} />.
              </>
            );
          })()}
        />
      )}
      <button type="submit" className="button button-small" aria-disabled={action.pending || unchanged || undefined}>
        {status === definition.status && withDeadline ? 'Save deadline' : 'Change status'}
      </button>
      <StatusMessage message={action.status} />
      {/* A refusal over undisposed items is explained, with what to do, in its own panel. */}
      <FormAlert message={undisposed ? null : action.error} />
      {undisposed && (
        <UndisposedItems
          items={undisposed}
          tab={`${dispositionsPath(definition.groupSlug, definition.id)}?state=undisposed`}
          pending={action.pending}
          onAcknowledge={() => send({ status: 'final', acknowledgeUndisposed: true })}
        />
      )}
    </form>
  );
}

/**
 * What stands between the definition and final: the items of the disposition register nobody has
 * disposed of (as the server listed them). The chair disposes of them first, or sets it final anyway
 * — an acknowledgement the audit log keeps.
 */
function UndisposedItems({ items, tab, pending, onAcknowledge }: { items: ErrorDetail[]; tab: string; pending: boolean; onAcknowledge(): void }) {
  const n = items.length;
  const headingId = useId();
  return (
    <section className="undisposed-items" aria-labelledby={headingId}>
      <h2 id={headingId} className="undisposed-items-title">
        Undisposed items of the disposition register
      </h2>
      <p role="alert">
        The definition is not final yet: {n === 1 ? '1 item of the disposition register has' : `${n} items of the disposition register have`} no disposition.
      </p>
      <ul>
        {items.map((item) => (
          <li key={item.path}>{item.message}</li>
        ))}
      </ul>
      <p>
        <Link to={tab}>Dispose of {n === 1 ? 'it' : 'them'} on the Dispositions tab</Link>, or set the definition final with {n === 1 ? 'it' : 'them'} on the
        record as undisposed.
      </p>
      <button type="button" className="button button-small" aria-disabled={pending || undefined} onClick={() => !pending && onAcknowledge()}>
        Set final anyway — acknowledge {n} undisposed {n === 1 ? 'item' : 'items'}
      </button>
    </section>
  );
}

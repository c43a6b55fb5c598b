import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef } from 'react';
import type { Disposition } from '@draftroom/shared';
import { respondToDisposition } from '../../api/dispositions.ts';
import { FormAlert, RadioGroupField, SubmitButton, TextAreaField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';
import { itemName } from './labels.ts';
import { storeDisposition } from './dispositionCache.ts';
import { useDisclosure } from './useDisclosure.ts';

const ANSWERS = [
  { value: 'yes', label: 'Satisfied', description: 'The disposition answers what I raised.' },
  { value: 'no', label: 'Not satisfied', description: 'It does not; the note says why.' },
] as const;

/**
 * Whoever raised an item says whether its disposition satisfies them: at once while they have not
 * answered, behind "Change your answer" once they have (a new disposition asks them again).
 */
export function RespondPanel({ item, onAnswered }: { item: Disposition; onAnswered(message: string): void }) {
  const disclosure = useDisclosure(item.response === null);
  const formId = useId();
  // Not answered yet (or asked again by a new disposition): the question is simply there.
  return (
    <div className="disposition-action">
      {disclosure.open || item.response === null ? (
        <RespondForm
          id={formId}
          item={item}
          // Opened by the reader (not shown at once): it takes the focus, and Cancel closes it again.
          focusOnMount={item.response !== null}
          onCancel={item.response !== null ? disclosure.close : null}
          onAnswered={(answered) => {
            disclosure.close();
            onAnswered(`Your answer on ${itemName(item)} is recorded: ${answered.response?.satisfied ? 'satisfied' : 'not satisfied'}.`);
          }}
        />
      ) : (
        <button ref={disclosure.button} type="button" className="button button-small" aria-expanded={false} onClick={disclosure.show}>
          Change your answer<span className="visually-hidden"> on {itemName(item)}</span>
        </button>
      )}
    </div>
  );
}

function RespondForm({
  id,
  item,
  focusOnMount,
  onCancel,
  onAnswered,
}: {
  id: string;
  item: Disposition;
  focusOnMount: boolean;
  onCancel: (() => void) | null;
  onAnswered(item: Disposition): void;
}) {
  const form = useApiForm({ satisfied: { label: 'Your answer' }, note: { label: 'Note' } });
  const client = useQueryClient();
  const element = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (focusOnMount) element.current?.querySelector('input')?.focus();
  }, [focusOnMount]);

  const submit = form.onSubmit(
    async (values) => {
      const answered = await respondToDisposition(item.id, {
        satisfied: values.satisfied === 'yes',
        ...(values.note.trim() !== '' && { note: values.note.trim() }),
      });
      storeDisposition(client, answered);
      onAnswered(answered);
    },
    (values) => (values.satisfied === '' ? { satisfied: 'Say whether the disposition satisfies you' } : {}),
  );

  const previous = item.response === null ? undefined : item.response.satisfied ? 'yes' : 'no';
  return (
    <form
      ref={element}
      id={id}
      className="form disposition-form"
      aria-labelledby={`${id}-title`}
      onSubmit={submit}
      noValidate
      onKeyDown={(event) => event.key === 'Escape' && onCancel?.()}
    >
      <h4 id={`${id}-title`} className="disposition-form-title">
        Your answer on {itemName(item)}
      </h4>
      <FormAlert message={form.formError} />
      <RadioGroupField {...form.field('satisfied')} label="Does this disposition satisfy you?" options={ANSWERS} defaultValue={previous} />
      <TextAreaField
        {...form.field('note')}
        label="Note (optional)"
        hint={`Why, or what would satisfy you. The group reads it${item.public ? ', and so does the public' : ''}.`}
        defaultValue={item.response?.note ?? ''}
        rows={3}
        maxLength={5_000}
      />
      <div className="form-actions">
        <SubmitButton pending={form.pending} pendingText="Sending…">
          Send your answer
        </SubmitButton>
        {onCancel && (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

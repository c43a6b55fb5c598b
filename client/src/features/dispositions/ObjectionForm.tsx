import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { clauseLabels, type DefinitionDetail, type Disposition } from '@draftroom/shared';
import { raiseObjection } from '../../api/dispositions.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { FormAlert, SelectField, SubmitButton, TextAreaField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';
import { excerpt } from './labels.ts';

/**
 * A formal objection (members who may propose): to one clause of the draft, or to the whole definition.
 * It enters the register as an item a chair disposes of, like a public comment.
 */
export function ObjectionForm({ definition, onRaised, onCancel }: { definition: DefinitionDetail; onRaised(item: Disposition): void; onCancel(): void }) {
  const form = useApiForm({ clauseId: { label: 'Objection to' }, body: { label: 'Your objection' } });
  const client = useQueryClient();
  const element = useRef<HTMLFormElement>(null);
  useEffect(() => element.current?.querySelector('select')?.focus(), []);
  const labels = clauseLabels(definition.clauses.map((clause) => clause.kind));
  const options = [
    { value: '', label: 'The whole definition' },
    ...definition.clauses.map((clause, index) => ({ value: clause.id, label: `${labels[index]}: ${excerpt(clause.text, 50) || '(empty)'}` })),
  ];

  const submit = form.onSubmit(async (values) => {
    const raised = await raiseObjection(definition.id, { ...(values.clauseId !== '' && { clauseId: values.clauseId }), body: values.body.trim() });
    void client.invalidateQueries({ queryKey: queryKeys.dispositions(definition.id) });
    onRaised(raised);
  });

  return (
    <form
      ref={element}
      className="form card disposition-objection"
      aria-labelledby="objection-title"
      onSubmit={submit}
      noValidate
      onKeyDown={(event) => event.key === 'Escape' && onCancel()}
    >
      <h3 id="objection-title">Raise a formal objection</h3>
      <p className="muted">
        A formal objection is on the record: a chair disposes of it with a reason, and you say whether that satisfies you. Members of the group read it.
      </p>
      <FormAlert message={form.formError} />
      <SelectField {...form.field('clauseId')} options={options} defaultValue="" />
      <TextAreaField {...form.field('body')} hint="What you object to, and what would resolve it." rows={5} maxLength={20_000} required />
      <div className="form-actions">
        <SubmitButton pending={form.pending} pendingText="Raising…">
          Raise the objection
        </SubmitButton>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import {
  clauseLabelMap,
  DISPOSITION_LABELS,
  type DecideDispositionBody,
  type DefinitionDetail,
  type Disposition,
  type DispositionKind,
} from '@draftroom/shared';
import { decideDisposition } from '../../api/dispositions.ts';
import { definitionQueries } from '../../api/queries.ts';
import { FormAlert, SelectField, SubmitButton, TextAreaField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';
import { utcText } from '../history/When.tsx';
import { DISPOSITION_OPTIONS, excerpt, itemName } from './labels.ts';
import { storeDisposition } from './dispositionCache.ts';
import { useDisclosure } from './useDisclosure.ts';

/** Dispositions that made no change to the text: they name neither a version nor an amendment. */
const NO_CHANGE: readonly string[] = ['rejected', 'out_of_scope'];

/** A chair disposes of an item (or changes its disposition) with the form behind this button. */
export function DecidePanel({ item, definition, onDecided }: { item: Disposition; definition: DefinitionDetail; onDecided(message: string): void }) {
  const disclosure = useDisclosure();
  const formId = useId();
  const name = itemName(item);
  const title = item.disposition === null ? `Dispose of ${name}` : `Change the disposition of ${name}`;
  return (
    <div className="disposition-action">
      {!disclosure.open && (
        <button
          ref={disclosure.button}
          type="button"
          className={`button button-small${item.disposition === null ? ' button-primary' : ''}`}
          aria-expanded={false}
          onClick={disclosure.show}
        >
          {title}
        </button>
      )}
      {disclosure.open && (
        <DecideForm
          id={formId}
          title={title}
          item={item}
          definition={definition}
          onCancel={disclosure.close}
          onDecided={(decided) => {
            disclosure.close();
            onDecided(`${name}: ${DISPOSITION_LABELS[decided.disposition!].toLowerCase()}. ${decided.author.displayName} will hear of it.`);
          }}
        />
      )}
    </div>
  );
}

function DecideForm({
  id,
  title,
  item,
  definition,
  onCancel,
  onDecided,
}: {
  id: string;
  title: string;
  item: Disposition;
  definition: DefinitionDetail;
  onCancel(): void;
  onDecided(item: Disposition): void;
}) {
  const form = useApiForm({
    disposition: { label: 'Disposition' },
    reason: { label: 'Reason' },
    versionLabel: { label: 'Version' },
    amendmentId: { label: 'Amendment' },
  });
  const client = useQueryClient();
  const element = useRef<HTMLFormElement>(null);
  const [disposition, setDisposition] = useState<string>(item.disposition ?? '');
  // Controlled: the versions and amendments may arrive after the form opens, and the current choice must hold.
  const [versionLabel, setVersionLabel] = useState(item.versionLabel ?? '');
  const [amendmentId, setAmendmentId] = useState(item.amendmentId ?? '');
  const versions = useQuery(definitionQueries.versions(definition.id)).data ?? [];
  const amendments = useQuery(definitionQueries.amendments(definition.id)).data ?? [];
  useEffect(() => element.current?.querySelector('select')?.focus(), []);

  // The change that addressed it: an accepted amendment of the item's clause (of any clause, for the whole definition).
  const labels = clauseLabelMap(definition.clauses);
  const accepted = amendments.filter((amendment) => amendment.status === 'accepted' && (item.clause === null || amendment.clauseId === item.clause.id));
  const amendmentOptions = [
    { value: '', label: 'None' },
    ...accepted.map((amendment) => ({
      value: amendment.id,
      label: `${item.clause === null ? `${labels.get(amendment.clauseId) ?? 'A former clause'}: ` : ''}“${excerpt(amendment.proposedText, 50)}” by ${amendment.author.displayName}${amendment.decidedAt ? `, accepted ${utcText(amendment.decidedAt)}` : ''}`,
    })),
  ];
  const versionOptions = [{ value: '', label: 'None' }, ...versions.map((version) => ({ value: version.label, label: `Version ${version.label}` }))];
  const makesChange = !NO_CHANGE.includes(disposition);

  const submit = form.onSubmit(
    async (values) => {
      const body: DecideDispositionBody = {
        disposition: values.disposition as DispositionKind,
        ...(values.reason.trim() !== '' && { reason: values.reason.trim() }),
        ...(makesChange && values.versionLabel !== '' && { versionLabel: values.versionLabel }),
        ...(makesChange && values.amendmentId !== '' && { amendmentId: values.amendmentId }),
      };
      const decided = await decideDisposition(item.id, body);
      storeDisposition(client, decided);
      onDecided(decided);
    },
    // Whether a reason is needed depends on what the change names: the server says (next to the field).
    (values) => (values.disposition === '' ? { disposition: 'Choose a disposition' } : {}),
  );

  return (
    <form
      ref={element}
      id={id}
      className="form disposition-form"
      aria-labelledby={`${id}-title`}
      onSubmit={submit}
      noValidate
      onKeyDown={(event) => event.key === 'Escape' && onCancel()}
    >
      <h4 id={`${id}-title`} className="disposition-form-title">
        {title}
      </h4>
      <FormAlert message={form.formError} />
      <SelectField
        {...form.field('disposition')}
        options={[{ value: '', label: 'Choose a disposition' }, ...DISPOSITION_OPTIONS]}
        value={disposition}
        onChange={(event) => setDisposition(event.target.value)}
      />
      <TextAreaField
        {...form.field('reason')}
        hint={
          disposition === 'accepted'
            ? 'Optional when a version or an amendment below names the change; otherwise say what was done.'
            : `Required. ${item.author.displayName} reads it${item.public ? ', and so does the public' : ''}.`
        }
        defaultValue={item.reason ?? ''}
        rows={4}
        maxLength={10_000}
      />
      {makesChange && (
        <div className="form-row form-row-even">
          <SelectField
            {...form.field('versionLabel')}
            label="In version (optional)"
            hint="The published version that carries the change."
            options={versionOptions}
            value={versionLabel}
            onChange={(event) => setVersionLabel(event.target.value)}
          />
          <SelectField
            {...form.field('amendmentId')}
            label="By the accepted amendment (optional)"
            hint={item.clause === null ? 'Accepted amendments of any clause.' : `Accepted amendments of ${item.clause.label?.toLowerCase() ?? 'the clause'}.`}
            options={amendmentOptions}
            value={amendmentId}
            onChange={(event) => setAmendmentId(event.target.value)}
          />
        </div>
      )}
      <div className="form-actions">
        <SubmitButton pending={form.pending} pendingText="Saving…">
          Save the disposition
        </SubmitButton>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

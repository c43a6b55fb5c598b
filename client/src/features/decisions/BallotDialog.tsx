import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import {
  clauseLabels,
  MATRIX_LIMITS,
  ROLE_LABELS,
  ROLES,
  type Ballot,
  type BallotKind,
  type BallotRules,
  type BallotSubject,
  type DefinitionDetail,
  type Role,
} from '@draftroom/shared';
import { createBallot, updateBallot } from '../../api/ballots.ts';
import { ApiError } from '../../api/client.ts';
import { definitionQueries, viewOf } from '../../api/queries.ts';
import { FieldError, FormAlert, SelectField, SubmitButton, TextAreaField, TextField } from '../../forms/fields.tsx';
import { describeDetail, formErrorMessage } from '../../forms/messages.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { When } from '../history/When.tsx';
import {
  DEFAULT_ELIGIBLE_ROLES,
  DEFAULT_MATRIX_COLUMNS,
  DEFAULT_MATRIX_ROWS,
  fromLocalInput,
  KIND_HINTS,
  KIND_LABELS,
  subjectInWords,
  toLocalInput,
} from './labels.ts';

type SubjectKind = BallotSubject['kind'];
type FieldName = 'title' | 'subject' | 'roles' | 'quorum' | 'threshold' | 'closesAt' | 'options' | 'rows' | 'columns';

const FIELD_LABELS: Record<FieldName, string> = {
  title: 'Title',
  subject: 'Subject',
  roles: 'Who may vote',
  quorum: 'Quorum',
  threshold: 'Threshold',
  closesAt: 'Closes at',
  options: 'Options',
  rows: 'Rows',
  columns: 'Columns',
};

/** Which field a server detail's JSON pointer belongs to (`/rules/closesAt` → closesAt). */
function fieldOfPath(path: string): FieldName | null {
  const [first, second] = path.split('/').slice(1);
  if (first === 'title') return 'title';
  if (first === 'subject') return second === 'rows' ? 'rows' : second === 'columns' ? 'columns' : 'subject';
  if (first !== 'rules') return null;
  switch (second) {
    case 'eligibleRoles':
      return 'roles';
    case 'quorum':
    case 'threshold':
    case 'closesAt':
    case 'options':
      return second;
    default:
      return null;
  }
}

const SUBJECT_KIND_OPTIONS: { value: SubjectKind; label: string }[] = [
  { value: 'clause', label: 'A clause' },
  { value: 'amendments', label: 'Proposed wordings of a clause' },
  { value: 'version', label: 'A published version' },
  { value: 'matrix', label: 'A component matrix' },
];

/** A percentage field's text from a share (0.6667 → "66.67"). */
const asPercent = (share: number) => String(Math.round(share * 10000) / 100);

interface BallotDialogProps {
  definition: DefinitionDetail;
  /** Editing a draft: its subject stays, its title and rules change. */
  existing?: Ballot;
  /** What a new ballot is about when it is started from somewhere (a clause, amendments, a version). */
  initialSubject?: BallotSubject;
  /** Names clauses; by default from the definition's stored clauses (a little behind the live text). */
  clauseLabelOf?: (clauseId: string) => string | null;
  onSaved(ballot: Ballot): void;
  onClose(): void;
}

/**
 * Drafting a ballot, or changing a draft, in a modal <dialog>: the question, who votes and by which
 * rules. Nothing is decided here; the chair opens the draft for voting afterwards.
 */
export function BallotDialog({ definition, existing, initialSubject, onSaved, onClose, ...props }: BallotDialogProps) {
  const { signedOut } = useSession();
  const dialog = useRef<HTMLDialogElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const headingId = useId();
  const labels = clauseLabels(definition.clauses.map((clause) => clause.kind));
  const clauseLabelOf =
    props.clauseLabelOf ??
    ((clauseId: string) => {
      const index = definition.clauses.findIndex((clause) => clause.id === clauseId);
      return index < 0 ? null : labels[index]!;
    });
  const textClauses = definition.clauses.flatMap((clause, index) => (clause.kind === 'clause' ? [{ ...clause, label: labels[index]! }] : []));

  const start = existing?.subject ?? initialSubject;
  const rules = existing?.rules;
  const [title, setTitle] = useState(existing?.title ?? '');
  const [subjectKind, setSubjectKind] = useState<SubjectKind>(start?.kind ?? 'clause');
  const [clauseId, setClauseId] = useState(start && 'clauseId' in start ? start.clauseId : (textClauses[0]?.id ?? ''));
  const [amendmentIds, setAmendmentIds] = useState<string[]>(start?.kind === 'amendments' ? start.amendmentIds : []);
  const [versionLabel, setVersionLabel] = useState(start?.kind === 'version' ? start.label : '');
  const [rows, setRows] = useState<string[]>(start?.kind === 'matrix' ? start.rows : DEFAULT_MATRIX_ROWS);
  const [columns, setColumns] = useState<string[]>(start?.kind === 'matrix' ? start.columns : DEFAULT_MATRIX_COLUMNS);
  const [kind, setKind] = useState<BallotKind>(rules?.kind ?? 'binding');
  const [roles, setRoles] = useState<Role[]>(rules?.eligibleRoles ?? DEFAULT_ELIGIBLE_ROLES);
  const [quorum, setQuorum] = useState(rules ? asPercent(rules.quorum) : '50');
  const [threshold, setThreshold] = useState(rules ? asPercent(rules.threshold) : '66.67');
  const [blocking, setBlocking] = useState(rules?.blockingObjectionFails ?? false);
  const [secret, setSecret] = useState(rules?.secret ?? false);
  const [resultsLive, setResultsLive] = useState(rules?.resultsVisibility === 'live');
  const [countUnsure, setCountUnsure] = useState(rules?.countUnsure ?? true);
  const [closesAt, setClosesAt] = useState(() => toLocalInput(rules ? new Date(rules.closesAt) : new Date(Date.now() + 7 * 24 * 3600 * 1000)));
  const [options, setOptions] = useState((rules?.options ?? []).join('\n'));
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const ids = useId();
  const fieldId = (name: string) => `${ids}-${name}`;

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  // Focus the first field in error once its message is on screen, so it is read out with it.
  useEffect(() => {
    const first = Object.keys(errors)[0];
    if (!first) return;
    formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
  }, [errors]);

  const fixedSubject = existing !== undefined || initialSubject !== undefined;
  const canHaveOptions = subjectKind === 'clause' || subjectKind === 'version';
  const closing = fromLocalInput(closesAt);

  function subject(): BallotSubject | string {
    switch (subjectKind) {
      case 'clause':
        return clauseId ? { kind: 'clause', clauseId } : 'Choose a clause';
      case 'amendments':
        if (!clauseId) return 'Choose a clause';
        return amendmentIds.length > 0 ? { kind: 'amendments', clauseId, amendmentIds } : 'Choose at least one proposed wording';
      case 'version':
        return versionLabel ? { kind: 'version', label: versionLabel } : 'Choose a version';
      case 'matrix':
        return { kind: 'matrix', rows: rows.map((row) => row.trim()), columns: columns.map((column) => column.trim()) };
    }
  }

  function check(): { problems: Partial<Record<FieldName, string>>; body: { title: string; subject: BallotSubject | string; rules: BallotRules } } {
    const problems: Partial<Record<FieldName, string>> = {};
    if (!title.trim()) problems.title = 'Title is required';
    const chosen = subject();
    if (typeof chosen === 'string') problems.subject = chosen;
    if (typeof chosen === 'object' && chosen.kind === 'matrix') {
      const blankOrTwice = (list: string[]) => list.some((label, index) => !label || list.indexOf(label) !== index);
      if (blankOrTwice(chosen.rows)) problems.rows = 'Every row needs a name, each name once';
      if (blankOrTwice(chosen.columns)) problems.columns = 'Every column needs a name, each name once';
    }
    if (roles.length === 0) problems.roles = 'Choose at least one role';
    const share = (text: string, field: 'quorum' | 'threshold') => {
      const value = Number(text);
      if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 100)
        problems[field] = `${FIELD_LABELS[field]} must be a percentage from 0 to 100`;
      return Math.round(value * 100) / 10000;
    };
    const optionList = options
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    if (canHaveOptions && optionList.length === 1) problems.options = 'Give at least two options, or none for Yes / No objection / Object';
    if (canHaveOptions && new Set(optionList).size !== optionList.length) problems.options = 'Each option once';
    if (!closing) problems.closesAt = 'Closes at is required';
    else if (closing.getTime() <= Date.now()) problems.closesAt = 'Closes at must be in the future';
    const ruleSet: BallotRules = {
      kind,
      eligibleRoles: roles,
      quorum: share(quorum, 'quorum'),
      threshold: share(threshold, 'threshold'),
      blockingObjectionFails: blocking,
      secret,
      resultsVisibility: resultsLive ? 'live' : 'after_close',
      closesAt: closing ? closing.toISOString() : '',
      ...(canHaveOptions && optionList.length >= 2 && { options: optionList }),
      ...(subjectKind === 'matrix' && { countUnsure }),
    };
    return { problems, body: { title: title.trim(), subject: chosen, rules: ruleSet } };
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const { problems, body } = check();
    setFormError(null);
    if (Object.keys(problems).length > 0 || typeof body.subject === 'string') {
      setErrors(problems);
      return;
    }
    setPending(true);
    try {
      const saved = existing
        ? await updateBallot(existing.id, { title: body.title, rules: body.rules })
        : await createBallot(definition.id, { title: body.title, subject: body.subject, rules: body.rules });
      setErrors({});
      onSaved(saved);
    } catch (failure) {
      if (!(failure instanceof ApiError)) {
        setFormError('Something went wrong in this page. Reload it and try again.');
        return;
      }
      if (failure.status === 401) signedOut('expired');
      const mapped: Partial<Record<FieldName, string>> = {};
      const unmatched: string[] = [];
      for (const detail of failure.fieldDetails) {
        const field = fieldOfPath(detail.path);
        if (field)
          mapped[field] ??=
            failure.code !== 'invalid_input' && failure.fieldDetails.length === 1
              ? failure.message
              : describeDetail(detail.message, { label: FIELD_LABELS[field] });
        else unmatched.push(`${detail.path} ${detail.message}`.trim());
      }
      setFormError(Object.keys(mapped).length === 0 ? formErrorMessage(failure) : unmatched.length > 0 ? unmatched.join('; ') : null);
      setErrors(mapped);
    } finally {
      setPending(false);
    }
  }

  const heading = existing
    ? `Edit the draft ballot “${existing.title}”`
    : initialSubject
      ? `Start a ballot on ${subjectInWords(initialSubject, clauseLabelOf).replace(/^./, (c) => c.toLowerCase())}`
      : 'New ballot';

  return (
    <dialog ref={dialog} className="dialog ballot-dialog" aria-labelledby={headingId} onClose={onClose}>
      <h2 id={headingId}>{heading}</h2>
      <p className="muted">This saves a draft. Nobody can vote until you open it; its rules are fixed from then on.</p>
      <form ref={formRef} className="form" onSubmit={(event) => void submit(event)} noValidate>
        <FormAlert message={formError} />
        <TextField
          label="Title"
          name="title"
          data-field="title"
          value={title}
          onChange={(event) => setTitle(event.target.value)}
          error={errors.title}
          hint="The question, as voters will see it."
          required
          maxLength={200}
          autoComplete="off"
          autoFocus
        />

        {fixedSubject ? (
          <p className="ballot-subject-fixed">
            <strong>Subject:</strong> {subjectInWords(existing?.subject ?? initialSubject!, clauseLabelOf)}
          </p>
        ) : (
          <fieldset className="field ballot-subject">
            <legend>Subject</legend>
            <SelectField
              label="What is decided"
              name="subjectKind"
              value={subjectKind}
              options={SUBJECT_KIND_OPTIONS}
              onChange={(event) => {
                setSubjectKind(event.target.value as SubjectKind);
                setErrors({});
              }}
            />
            {(subjectKind === 'clause' || subjectKind === 'amendments') && (
              <SelectField
                label="Clause"
                name="clause"
                data-field="subject"
                value={clauseId}
                error={subjectKind === 'clause' ? errors.subject : undefined}
                options={textClauses.map((clause) => ({ value: clause.id, label: `${clause.label}: ${excerpt(clause.text)}` }))}
                onChange={(event) => {
                  setClauseId(event.target.value);
                  setAmendmentIds([]);
                }}
              />
            )}
            {subjectKind === 'amendments' && clauseId && (
              <AmendmentPicker definitionId={definition.id} clauseId={clauseId} selected={amendmentIds} onChange={setAmendmentIds} error={errors.subject} />
            )}
            {subjectKind === 'version' && <VersionPicker definitionId={definition.id} value={versionLabel} onChange={setVersionLabel} error={errors.subject} />}
            {subjectKind === 'matrix' && (
              <>
                <LabelListField
                  legend="Rows (components)"
                  noun="row"
                  values={rows}
                  onChange={setRows}
                  max={MATRIX_LIMITS.rows}
                  error={errors.rows}
                  field="rows"
                />
                <LabelListField
                  legend="Columns (freedoms)"
                  noun="column"
                  values={columns}
                  onChange={setColumns}
                  max={MATRIX_LIMITS.columns}
                  error={errors.columns}
                  field="columns"
                />
              </>
            )}
          </fieldset>
        )}
        {fixedSubject && errors.subject && (
          <p className="field-error" role="alert">
            {errors.subject}
          </p>
        )}

        <fieldset className="field radio-group">
          <legend>Kind</legend>
          {(Object.keys(KIND_LABELS) as BallotKind[]).map((value) => (
            <div className="radio" key={value}>
              <input
                type="radio"
                id={fieldId(`kind-${value}`)}
                name="kind"
                value={value}
                checked={kind === value}
                onChange={() => setKind(value)}
                aria-describedby={fieldId(`kind-${value}-hint`)}
              />
              <label htmlFor={fieldId(`kind-${value}`)}>{KIND_LABELS[value]}</label>
              <p id={fieldId(`kind-${value}-hint`)} className="radio-description">
                {KIND_HINTS[value]}
              </p>
            </div>
          ))}
        </fieldset>

        <fieldset
          className={`field checkbox-group${errors.roles ? ' field-invalid' : ''}`}
          aria-describedby={errors.roles ? fieldId('roles-error') : undefined}
        >
          <legend>Who may vote</legend>
          {ROLES.map((role, index) => (
            <div className="checkbox" key={role}>
              <input
                type="checkbox"
                id={fieldId(`role-${role}`)}
                {...(index === 0 && { 'data-field': 'roles' })}
                checked={roles.includes(role)}
                onChange={(event) => setRoles(event.target.checked ? ROLES.filter((r) => r === role || roles.includes(r)) : roles.filter((r) => r !== role))}
              />
              <label htmlFor={fieldId(`role-${role}`)}>{ROLE_LABELS[role]}s</label>
            </div>
          ))}
          <FieldError id={fieldId('roles-error')} error={errors.roles} />
        </fieldset>

        <div className="form-row form-row-even">
          <TextField
            label="Quorum (%)"
            name="quorum"
            data-field="quorum"
            type="number"
            inputMode="decimal"
            min={0}
            max={100}
            step="any"
            value={quorum}
            onChange={(event) => setQuorum(event.target.value)}
            error={errors.quorum}
            hint="Share of eligible voters who must take part."
          />
          <TextField
            label="Threshold (%)"
            name="threshold"
            data-field="threshold"
            type="number"
            inputMode="decimal"
            min={0}
            max={100}
            step="any"
            value={threshold}
            onChange={(event) => setThreshold(event.target.value)}
            error={errors.threshold}
            hint={subjectKind === 'matrix' ? 'Share a cell’s verdict needs.' : 'Share of Yes among Yes + Object (or of the winning option) needed.'}
          />
        </div>

        <div className="field checkbox-group">
          <div className="checkbox">
            <input type="checkbox" id={fieldId('blocking')} checked={blocking} onChange={(event) => setBlocking(event.target.checked)} />
            <label htmlFor={fieldId('blocking')}>A blocking objection fails the ballot</label>
          </div>
          <div className="checkbox">
            <input
              type="checkbox"
              id={fieldId('secret')}
              checked={secret}
              onChange={(event) => {
                setSecret(event.target.checked);
                if (event.target.checked) setResultsLive(false);
              }}
              aria-describedby={fieldId('secret-hint')}
            />
            <label htmlFor={fieldId('secret')}>Secret ballot</label>
            <p id={fieldId('secret-hint')} className="radio-description">
              Who voted is always shown; how, only on public ballots. Results come after closing: live counts beside the list of voters would give each vote
              away.
            </p>
          </div>
          {subjectKind === 'matrix' && (
            <div className="checkbox">
              <input type="checkbox" id={fieldId('unsure')} checked={countUnsure} onChange={(event) => setCountUnsure(event.target.checked)} />
              <label htmlFor={fieldId('unsure')}>Unsure marks count in a cell’s total</label>
            </div>
          )}
        </div>

        <fieldset className="field radio-group">
          <legend>Results</legend>
          <div className="radio">
            <input type="radio" id={fieldId('results-after')} name="results" checked={!resultsLive} onChange={() => setResultsLive(false)} />
            <label htmlFor={fieldId('results-after')}>After closing</label>
          </div>
          <div className="radio">
            <input type="radio" id={fieldId('results-live')} name="results" checked={resultsLive} disabled={secret} onChange={() => setResultsLive(true)} />
            <label htmlFor={fieldId('results-live')}>Live while open</label>
          </div>
        </fieldset>

        <TextField
          label="Closes at"
          name="closesAt"
          data-field="closesAt"
          type="datetime-local"
          value={closesAt}
          onChange={(event) => setClosesAt(event.target.value)}
          error={errors.closesAt}
          required
          hint={
            closing ? (
              <>
                In your time zone. That is <When at={closing.toISOString()} />.
              </>
            ) : (
              'In your time zone.'
            )
          }
        />

        {canHaveOptions && (
          <TextAreaField
            label="Options (optional)"
            name="options"
            data-field="options"
            value={options}
            onChange={(event) => setOptions(event.target.value)}
            error={errors.options}
            rows={3}
            hint="One per line, 2 to 10, instead of Yes / No objection / Object. Abstain and Recuse are always offered."
          />
        )}

        <div className="form-actions">
          <SubmitButton pending={pending} pendingText="Saving…">
            {existing ? 'Save changes' : 'Save draft'}
          </SubmitButton>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat || '(empty)';
}

function AmendmentPicker(props: { definitionId: string; clauseId: string; selected: string[]; onChange(ids: string[]): void; error: string | undefined }) {
  const amendments = viewOf(useQuery(definitionQueries.amendments(props.definitionId)));
  const errorId = useId();
  if (amendments.status === 'loading') return <p className="muted">Loading the proposed wordings…</p>;
  if (amendments.status === 'error') return <FormAlert message={amendments.error.message} />;
  const proposed = amendments.data.filter((amendment) => amendment.clauseId === props.clauseId && amendment.status === 'proposed');
  return (
    <fieldset className={`field checkbox-group${props.error ? ' field-invalid' : ''}`} aria-describedby={props.error ? errorId : undefined}>
      <legend>Proposed wordings to choose from (with the current text)</legend>
      {proposed.length === 0 && <p className="muted">This clause has no proposed wording.</p>}
      {proposed.map((amendment, index) => (
        <div className="checkbox" key={amendment.id}>
          <input
            type="checkbox"
            id={`${errorId}-${amendment.id}`}
            {...(index === 0 && { 'data-field': 'subject' })}
            checked={props.selected.includes(amendment.id)}
            onChange={(event) => props.onChange(event.target.checked ? [...props.selected, amendment.id] : props.selected.filter((id) => id !== amendment.id))}
          />
          <label htmlFor={`${errorId}-${amendment.id}`}>
            {amendment.author.displayName}: {excerpt(amendment.proposedText)}
          </label>
        </div>
      ))}
      <FieldError id={errorId} error={props.error} />
    </fieldset>
  );
}

function VersionPicker(props: { definitionId: string; value: string; onChange(label: string): void; error: string | undefined }) {
  const versions = viewOf(useQuery(definitionQueries.versions(props.definitionId)));
  const { onChange, value } = props;
  const first = versions.status === 'ready' ? versions.data[0]?.label : undefined;
  useEffect(() => {
    if (!value && first) onChange(first);
  }, [first, value, onChange]);
  if (versions.status === 'loading') return <p className="muted">Loading the versions…</p>;
  if (versions.status === 'error') return <FormAlert message={versions.error.message} />;
  if (versions.data.length === 0) return <p className="field-error">No version has been published yet.</p>;
  return (
    <SelectField
      label="Version"
      name="version"
      data-field="subject"
      value={value}
      error={props.error}
      options={versions.data.map((version) => ({ value: version.label, label: `Version ${version.label}` }))}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}

/** An editable list of names (matrix rows or columns): rename, remove, add. */
function LabelListField(props: {
  legend: string;
  noun: string;
  values: string[];
  onChange(values: string[]): void;
  max: number;
  error: string | undefined;
  field: FieldName;
}) {
  const { values, onChange, noun } = props;
  const id = useId();
  const inputs = useRef<(HTMLInputElement | null)[]>([]);
  const focusIndex = useRef<number | null>(null);
  useEffect(() => {
    if (focusIndex.current === null) return;
    inputs.current[Math.min(focusIndex.current, values.length - 1)]?.focus();
    focusIndex.current = null;
  }, [values.length]);
  return (
    <fieldset className={`field label-list${props.error ? ' field-invalid' : ''}`} aria-describedby={props.error ? `${id}-error` : undefined}>
      <legend>{props.legend}</legend>
      <ol>
        {values.map((value, index) => (
          <li key={index}>
            <input
              ref={(element) => {
                inputs.current[index] = element;
              }}
              {...(index === 0 && { 'data-field': props.field })}
              aria-label={`${noun.charAt(0).toUpperCase()}${noun.slice(1)} ${index + 1}`}
              value={value}
              maxLength={120}
              onChange={(event) => onChange(values.map((v, i) => (i === index ? event.target.value : v)))}
            />
            <button
              type="button"
              className="button button-small button-quiet"
              aria-disabled={values.length <= 1 || undefined}
              onClick={() => {
                if (values.length <= 1) return;
                focusIndex.current = index;
                onChange(values.filter((_, i) => i !== index));
              }}
            >
              Remove
              <span className="visually-hidden">
                {' '}
                {noun} {value || index + 1}
              </span>
            </button>
          </li>
        ))}
      </ol>
      {values.length < props.max && (
        <button
          type="button"
          className="button button-small"
          onClick={() => {
            focusIndex.current = values.length;
            onChange([...values, '']);
          }}
        >
          Add a {noun}
        </button>
      )}
      <FieldError id={`${id}-error`} error={props.error} />
    </fieldset>
  );
}

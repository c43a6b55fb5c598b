import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { clauseLabelMap, DEFAULT_FREEDOMS, type CreateChecklistBody, type Criterion } from '@draftroom/shared';
import { ApiError } from '../../api/client.ts';
import { createChecklist } from '../../api/conformance.ts';
import { definitionQueries, viewOf } from '../../api/queries.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { useDefinition } from '../definitions/DefinitionPage.tsx';
import type { ChecklistShape } from './labels.ts';
import { ProblemAlert } from './parts.tsx';

interface RowDraft {
  component: string;
  category: string;
  required: boolean[];
  criteria: Criterion[];
}

const emptyRow = (width: number): RowDraft => ({ component: '', category: '', required: Array.from({ length: width }, () => true), criteria: [] });

/** "Use, Study, Modify, Share" → the columns (blank ones dropped). */
const parseFreedoms = (text: string) =>
  text
    .split(',')
    .map((freedom) => freedom.trim())
    .filter(Boolean);

/**
 * Making a version's checklist (chair): its rows taken from a closed component-matrix ballot (each
 * component with the freedoms the group found it Required for), or entered row by row with the words
 * of the version each row's criteria rest on.
 */
export function ChecklistForm({ versionLabel, onCreated }: { versionLabel: string; onCreated(): void }) {
  const { definition } = useDefinition();
  const { signedOut } = useSession();
  const client = useQueryClient();
  const ballots = viewOf(useQuery(definitionQueries.ballots(definition.id)));
  const matrixBallots = ballots.status === 'ready' ? ballots.data.filter((b) => b.subject.kind === 'matrix' && b.status === 'closed') : [];
  const [choice, setChoice] = useState<'ballot' | 'rows' | null>(null);
  const source = choice ?? (matrixBallots.length > 0 ? 'ballot' : 'rows');
  const [ballotId, setBallotId] = useState('');
  const [titleText, setTitleText] = useState('');
  const [freedomText, setFreedomText] = useState(DEFAULT_FREEDOMS.join(', '));
  const [rows, setRows] = useState<RowDraft[]>([emptyRow(DEFAULT_FREEDOMS.length)]);
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);
  const id = useId();
  const freedoms = parseFreedoms(freedomText);
  const clauses = definition.clauses.filter((clause) => clause.kind === 'clause');
  const labels = clauseLabelMap(definition.clauses);

  const changeRow = (index: number, update: (row: RowDraft) => RowDraft) => setRows((current) => current.map((row, i) => (i === index ? update(row) : row)));
  // Rows keep one box per column: a column added is required by default, one removed takes its boxes.
  const setFreedoms = (text: string) => {
    setFreedomText(text);
    const width = Math.max(1, parseFreedoms(text).length);
    setRows((current) => current.map((row) => ({ ...row, required: Array.from({ length: width }, (_, i) => row.required[i] ?? true) })));
  };
  // What the server's details point at (`/rows/0/criteria/0/quote`), named after the rows as typed.
  const shape: ChecklistShape = {
    freedoms,
    rows: rows.map((row, index) => ({
      id: `r${index + 1}`,
      component: row.component.trim() || `Row ${index + 1}`,
      category: row.category,
      required: row.required,
      criteria: row.criteria,
    })),
  };

  async function submit() {
    if (pending) return;
    const title = titleText.trim();
    const body: CreateChecklistBody =
      source === 'ballot'
        ? { versionLabel, fromBallot: ballotId || matrixBallots[0]?.id || '', ...(title && { title }) }
        : {
            versionLabel,
            ...(title && { title }),
            freedoms,
            rows: rows.map((row) => ({
              component: row.component.trim(),
              category: row.category.trim(),
              required: row.required.slice(0, freedoms.length),
              criteria: row.criteria.filter((criterion) => criterion.quote.trim()).map((criterion) => ({ ...criterion, quote: criterion.quote.trim() })),
            })),
          };
    setPending(true);
    setError(null);
    try {
      await createChecklist(definition.id, body);
      await client.invalidateQueries({ queryKey: queryKeys.checklists(definition.id) });
      onCreated();
    } catch (caught) {
      const apiError = caught instanceof ApiError ? caught : new ApiError(0, 'unexpected', 'Something went wrong in this page. Reload it and try again.');
      if (apiError.status === 401 && apiError.code === 'unauthenticated') signedOut('expired');
      setError(apiError);
    } finally {
      setPending(false);
    }
  }

  return (
    <form
      className="form checklist-form"
      aria-labelledby={`${id}-heading`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h4 id={`${id}-heading`}>Make the checklist of version {versionLabel}</h4>
      <p className="muted">
        A checklist says which components a system must make available, and for which freedoms. It applies version {versionLabel} and cannot change once made; a
        new version gets its own.
      </p>
      <fieldset className="field radio-group">
        <legend>Rows</legend>
        <div className="radio">
          <input
            type="radio"
            id={`${id}-ballot`}
            name={`${id}-source`}
            checked={source === 'ballot'}
            disabled={matrixBallots.length === 0}
            aria-describedby={`${id}-ballot-description`}
            onChange={() => setChoice('ballot')}
          />
          <label htmlFor={`${id}-ballot`}>From a closed component-matrix ballot</label>
          <p id={`${id}-ballot-description`} className="radio-description">
            {matrixBallots.length === 0
              ? 'No component-matrix ballot of this definition has closed yet.'
              : 'Each component with the freedoms the group found it Required for.'}
          </p>
        </div>
        <div className="radio">
          <input type="radio" id={`${id}-rows`} name={`${id}-source`} checked={source === 'rows'} onChange={() => setChoice('rows')} />
          <label htmlFor={`${id}-rows`}>Entered row by row</label>
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-title`}>Title (optional)</label>
        <input
          id={`${id}-title`}
          value={titleText}
          onChange={(event) => setTitleText(event.target.value)}
          maxLength={120}
          autoComplete="off"
          placeholder={`${definition.title} ${versionLabel} checklist`}
        />
      </div>

      {source === 'ballot' ? (
        <div className="field">
          <label htmlFor={`${id}-ballot-select`}>Ballot</label>
          <select id={`${id}-ballot-select`} value={ballotId || matrixBallots[0]?.id || ''} onChange={(event) => setBallotId(event.target.value)}>
            {matrixBallots.map((ballot) => (
              <option key={ballot.id} value={ballot.id}>
                {ballot.title}
              </option>
            ))}
          </select>
        </div>
      ) : (
        <>
          <div className="field">
            <label htmlFor={`${id}-freedoms`}>Freedoms (the columns), separated by commas</label>
            <input id={`${id}-freedoms`} value={freedomText} onChange={(event) => setFreedoms(event.target.value)} autoComplete="off" />
          </div>
          <ol className="checklist-rows">
            {rows.map((row, index) => {
              const name = row.component.trim() || `row ${index + 1}`;
              return (
                <li key={index} className="checklist-row card">
                  <fieldset className="checklist-row-fields">
                    <legend>Row {index + 1}</legend>
                    <div className="form-row form-row-even">
                      <div className="field">
                        <label htmlFor={`${id}-r${index}-component`}>Component</label>
                        <input
                          id={`${id}-r${index}-component`}
                          value={row.component}
                          maxLength={120}
                          autoComplete="off"
                          onChange={(event) => changeRow(index, (r) => ({ ...r, component: event.target.value }))}
                        />
                      </div>
                      <div className="field">
                        <label htmlFor={`${id}-r${index}-category`}>Category</label>
                        <input
                          id={`${id}-r${index}-category`}
                          value={row.category}
                          maxLength={120}
                          autoComplete="off"
                          placeholder="Data information, Code, Model…"
                          onChange={(event) => changeRow(index, (r) => ({ ...r, category: event.target.value }))}
                        />
                      </div>
                    </div>
                    <fieldset className="field checkbox-group checklist-required">
                      <legend>Required for</legend>
                      {freedoms.map((freedom, f) => (
                        <div key={f} className="checkbox">
                          <input
                            type="checkbox"
                            id={`${id}-r${index}-f${f}`}
                            checked={row.required[f] ?? true}
                            onChange={(event) =>
                              changeRow(index, (r) => ({ ...r, required: r.required.map((value, i) => (i === f ? event.target.checked : value)) }))
                            }
                          />
                          <label htmlFor={`${id}-r${index}-f${f}`}>
                            {freedom}
                            <span className="visually-hidden"> ({name})</span>
                          </label>
                        </div>
                      ))}
                    </fieldset>
                    {row.criteria.map((criterion, c) => (
                      <div key={c} className="checklist-criterion" role="group" aria-label={`Criterion ${c + 1} of ${name}`}>
                        <div className="field">
                          <label htmlFor={`${id}-r${index}-c${c}-clause`}>Clause</label>
                          <select
                            id={`${id}-r${index}-c${c}-clause`}
                            value={criterion.clauseId}
                            onChange={(event) =>
                              changeRow(index, (r) => ({ ...r, criteria: r.criteria.map((x, i) => (i === c ? { ...x, clauseId: event.target.value } : x)) }))
                            }
                          >
                            {clauses.map((clause) => (
                              <option key={clause.id} value={clause.id}>
                                {labels.get(clause.id)}: {clause.text.slice(0, 60)}
                                {clause.text.length > 60 ? '…' : ''}
                              </option>
                            ))}
                          </select>
                        </div>
                        <div className="field">
                          <label htmlFor={`${id}-r${index}-c${c}-quote`}>Quoted words (exactly as in version {versionLabel})</label>
                          <textarea
                            id={`${id}-r${index}-c${c}-quote`}
                            rows={2}
                            maxLength={2000}
                            value={criterion.quote}
                            onChange={(event) =>
                              changeRow(index, (r) => ({ ...r, criteria: r.criteria.map((x, i) => (i === c ? { ...x, quote: event.target.value } : x)) }))
                            }
                          />
                        </div>
                        <button
                          type="button"
                          className="button button-small button-quiet button-quiet-danger"
                          onClick={() => changeRow(index, (r) => ({ ...r, criteria: r.criteria.filter((_, i) => i !== c) }))}
                        >
                          Remove criterion
                          <span className="visually-hidden">
                            {' '}
                            {c + 1} of {name}
                          </span>
                        </button>
                      </div>
                    ))}
                    <div className="form-actions">
                      {clauses.length > 0 && row.criteria.length < 10 && (
                        <button
                          type="button"
                          className="button button-small"
                          onClick={() => changeRow(index, (r) => ({ ...r, criteria: [...r.criteria, { clauseId: clauses[0]!.id, quote: '' }] }))}
                        >
                          Quote a clause<span className="visually-hidden"> for {name}</span>
                        </button>
                      )}
                      {rows.length > 1 && (
                        <button
                          type="button"
                          className="button button-small button-quiet button-quiet-danger"
                          onClick={() => setRows((current) => current.filter((_, i) => i !== index))}
                        >
                          Remove {name}
                        </button>
                      )}
                    </div>
                  </fieldset>
                </li>
              );
            })}
          </ol>
          <div>
            <button
              type="button"
              className="button button-small"
              aria-disabled={rows.length >= 60 || undefined}
              onClick={() => rows.length < 60 && setRows((current) => [...current, emptyRow(Math.max(1, freedoms.length))])}
            >
              Add a component
            </button>
          </div>
        </>
      )}
      <ProblemAlert error={error} checklist={source === 'rows' ? shape : null} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" aria-disabled={pending || undefined}>
          {pending ? 'Making the checklist…' : `Make the checklist of version ${versionLabel}`}
        </button>
      </div>
    </form>
  );
}

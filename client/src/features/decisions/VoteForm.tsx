import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { MATRIX_MARKS, MATRIX_POSITION, type Ballot, type MatrixMark } from '@draftroom/shared';
import { ApiError } from '../../api/client.ts';
import { FieldError } from '../../forms/fields.tsx';
import { mapApiError } from '../../forms/messages.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { MARK_LABELS, positionLabel } from './labels.ts';
import { MatrixTable } from './MatrixTable.tsx';
import type { useVote } from './useVote.ts';

type Cell = MatrixMark | '';
type VoteField = 'position' | 'rationale' | 'marks';
const VOTE_FIELDS = { position: { label: 'Your vote' }, rationale: { label: 'Reason' }, marks: { label: 'Your marks' } };

function emptyGrid(ballot: Ballot): Cell[][] {
  if (ballot.subject.kind !== 'matrix') return [];
  const { rows, columns } = ballot.subject;
  const previous = ballot.myVote?.marks ?? null;
  return rows.map((_, r) => columns.map((_, c) => previous?.[r]?.[c] ?? ''));
}

/**
 * Casting or changing one's vote: a position (or option) with a reason, or, on a component matrix, a
 * mark for every cell. The server judges; its field errors (a reason missing with Object) show here,
 * anything else in the ballot's panel (`onFailed`), which stays when this form goes (the ballot closed).
 */
export function VoteForm({
  ballot,
  vote,
  onVoted,
  onFailed,
  Sub,
}: {
  ballot: Ballot;
  vote: ReturnType<typeof useVote>;
  onVoted(ballot: Ballot, message: string): void;
  onFailed(message: string | null): void;
  Sub: 'h4' | 'h5';
}) {
  const { signedOut } = useSession();
  const format = ballot.format;
  const options = ballot.options;
  const ids = useId();
  const [position, setPosition] = useState(ballot.myVote?.position ?? '');
  const [rationale, setRationale] = useState(ballot.myVote?.rationale ?? '');
  const [marks, setMarks] = useState<Cell[][]>(() => emptyGrid(ballot));
  const [errors, setErrors] = useState<Partial<Record<VoteField, string>>>({});
  const pending = vote.isPending;
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    const first = (['position', 'marks', 'rationale'] as const).find((field) => errors[field]);
    if (first) formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
  }, [errors]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const problems: Partial<Record<VoteField, string>> = {};
    if (!position) problems.position = 'Choose how you vote';
    const marking = format === 'matrix' && position === MATRIX_POSITION;
    const blank = marks.flat().filter((cell) => cell === '').length;
    if (marking && blank > 0) problems.marks = `Mark every cell: ${blank === 1 ? '1 is' : `${blank} are`} still empty`;
    onFailed(null);
    if (Object.keys(problems).length > 0) {
      setErrors(problems);
      return;
    }
    try {
      // Shown in the panel at once (useVote), taken back if the server refuses it.
      const updated = await vote.mutateAsync({
        position,
        ...(rationale.trim() && { rationale: rationale.trim() }),
        ...(marking && { marks: marks as MatrixMark[][] }),
      });
      setErrors({});
      onVoted(updated, `Your vote was recorded: ${positionLabel(ballot, position)}.`);
    } catch (failure) {
      if (!(failure instanceof ApiError)) {
        onFailed('Your vote was not recorded: something went wrong in this page. Reload it and try again.');
        return;
      }
      if (failure.status === 401) signedOut('expired');
      const mapped = mapApiError(failure, VOTE_FIELDS);
      onFailed(mapped.formError ? `Your vote was not recorded: ${mapped.formError}` : null);
      setErrors(mapped.fieldErrors);
    }
  }

  const legendId = `${ids}-legend`;
  const positionErrorId = `${ids}-position-error`;
  const rationaleId = `${ids}-rationale`;
  const objecting = position === 'object';
  return (
    <form ref={formRef} className="ballot-vote" aria-label={`Vote on ${ballot.title}`} noValidate onSubmit={(event) => void submit(event)}>
      <Sub>{ballot.myVote ? 'Change your vote' : 'Vote'}</Sub>
      <fieldset className={`field radio-group${errors.position ? ' field-invalid' : ''}`} aria-describedby={errors.position ? positionErrorId : undefined}>
        <legend id={legendId}>Your vote</legend>
        {options.map((option, index) => {
          const optionId = `${ids}-option-${option.id}`;
          return (
            <div className="radio" key={option.id}>
              <input
                type="radio"
                id={optionId}
                name={`${ids}-position`}
                value={option.id}
                {...(index === 0 && { 'data-field': 'position' })}
                checked={position === option.id}
                onChange={() => {
                  setPosition(option.id);
                  setErrors({});
                }}
              />
              <label htmlFor={optionId}>{option.label}</label>
            </div>
          );
        })}
        <FieldError id={positionErrorId} error={errors.position} />
      </fieldset>

      {format === 'matrix' && position === MATRIX_POSITION && ballot.subject.kind === 'matrix' && (
        <MatrixGrid rows={ballot.subject.rows} columns={ballot.subject.columns} marks={marks} onChange={setMarks} error={errors.marks} />
      )}

      <div className={`field${errors.rationale ? ' field-invalid' : ''}`}>
        <label htmlFor={rationaleId}>Reason{format === 'positions' ? (objecting ? ' (required with Object)' : ' (optional)') : ' (optional)'}</label>
        <p id={`${rationaleId}-hint`} className="field-hint">
          {format === 'positions' ? 'An objection blocks, so it needs a reason. ' : ''}
          {ballot.rules.secret ? 'Secret ballot: your reason is kept with your vote, not shown to others.' : 'Shown with your vote once results are visible.'}
        </p>
        <textarea
          id={rationaleId}
          data-field="rationale"
          value={rationale}
          rows={3}
          maxLength={10_000}
          aria-invalid={errors.rationale ? true : undefined}
          aria-describedby={`${rationaleId}-hint${errors.rationale ? ` ${rationaleId}-error` : ''}`}
          onChange={(event) => setRationale(event.target.value)}
        />
        <FieldError id={`${rationaleId}-error`} error={errors.rationale} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-small button-primary" aria-disabled={pending || undefined}>
          {pending ? 'Sending…' : ballot.myVote ? 'Change my vote' : 'Cast my vote'}
        </button>
      </div>
    </form>
  );
}

/**
 * The component matrix as a grid of selects, one per cell, each named "Training data — Use": Tab moves
 * from cell to cell, the arrow keys choose a mark.
 */
function MatrixGrid(props: { rows: string[]; columns: string[]; marks: Cell[][]; onChange(marks: Cell[][]): void; error: string | undefined }) {
  const { rows, columns, marks, onChange } = props;
  const errorId = useId();
  const set = (r: number, c: number, value: Cell) => onChange(marks.map((row, ri) => (ri === r ? row.map((cell, ci) => (ci === c ? value : cell)) : row)));
  const fillEmpty = (value: MatrixMark) => onChange(marks.map((row) => row.map((cell) => cell || value)));
  return (
    <div className={`field matrix-vote${props.error ? ' field-invalid' : ''}`}>
      <MatrixTable
        className="matrix-grid"
        caption="Your marks: is each component required for each freedom?"
        rows={rows}
        columns={columns}
        describedBy={props.error ? errorId : undefined}
        cell={(r, c, row, column) => {
          const value = marks[r]?.[c] ?? '';
          return (
            <td key={column} className={value ? `mark mark-${value}` : 'mark mark-empty'}>
              <select
                aria-label={`${row} — ${column}`}
                {...(r === 0 && c === 0 && { 'data-field': 'marks' })}
                aria-invalid={props.error && !value ? true : undefined}
                value={value}
                onChange={(event) => set(r, c, event.target.value as Cell)}
              >
                <option value="">Not marked</option>
                {MATRIX_MARKS.map((mark) => (
                  <option key={mark} value={mark}>
                    {MARK_LABELS[mark]}
                  </option>
                ))}
              </select>
            </td>
          );
        }}
      />
      <div className="form-actions">
        <button type="button" className="button button-small button-quiet" onClick={() => fillEmpty('unsure')}>
          Mark the empty cells Unsure
        </button>
      </div>
      <FieldError id={errorId} error={props.error} />
    </div>
  );
}

import { useId, useRef, useState } from 'react';
import type { Evidence, Review, SheetRow, Verdict } from '@draftroom/shared';
import { saveSheet, submitSheet } from '../../api/conformance.ts';
import { StatusMessage } from '../../forms/fields.tsx';
import { ConfirmDialog } from '../../layout/ConfirmDialog.tsx';
import { ConformanceGrid, NotApplicableNote } from './ConformanceGrid.tsx';
import {
  cellKey,
  cellKeyOfPath,
  EVIDENCE_KIND_LABELS,
  EVIDENCE_TEXT_LABELS,
  fullSheet,
  unmarkedCount,
  VERDICT_LABELS,
  VERDICT_ORDER,
  verdictIn,
  type ChecklistShape,
} from './labels.ts';
import { EvidenceList, ProblemAlert, VerdictTag } from './parts.tsx';
import { useReviewAction } from './reviewActions.ts';

const EVIDENCE_KINDS = Object.keys(EVIDENCE_KIND_LABELS) as Evidence['kind'][];

/**
 * The assigned reviewer's sheet while marking: a choice per required cell, evidence and a note per
 * component. Saved as often as they like; submitted once, after which it can no longer change.
 */
export function MarkingSheet({ review, checklist, mine }: { review: Review; checklist: ChecklistShape; mine: SheetRow[] | null }) {
  const [sheet, setSheet] = useState<SheetRow[]>(() => fullSheet(checklist.rows, mine));
  const [dirty, setDirty] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const action = useReviewAction();
  const formId = useId();
  const submitButton = useRef<HTMLButtonElement>(null);

  const details = action.error?.fieldDetails ?? [];
  const invalidPaths = new Set(details.map((detail) => detail.path));
  // A refused submit names cells by row id, a refused save by position: both come back to a cell here.
  const invalidCells = new Set(
    details.flatMap((detail) => {
      const byId = cellKeyOfPath(detail.path);
      if (byId) return [byId];
      const byIndex = /^\/rows\/(\d+)\/verdicts\/(\d+)$/.exec(detail.path);
      const row = byIndex ? checklist.rows[Number(byIndex[1])] : undefined;
      return row ? [cellKey(row.id, Number(byIndex![2]))] : [];
    }),
  );
  const left = unmarkedCount(checklist.rows, sheet);

  const change = (index: number, update: (row: SheetRow) => SheetRow) => {
    setSheet((current) => current.map((row, i) => (i === index ? update(row) : row)));
    setDirty(true);
    setAnnouncement(null);
  };
  const setVerdict = (rowId: string, freedom: number, verdict: Verdict | null) =>
    change(
      sheet.findIndex((row) => row.rowId === rowId),
      (row) => ({ ...row, verdicts: row.verdicts.map((v, f) => (f === freedom ? verdict : v)) }),
    );
  const toSend = () => ({
    rows: sheet.map((row) => ({
      ...row,
      evidence: row.evidence.map((item) => ({ kind: item.kind, url: item.url?.trim() ? item.url.trim() : null, text: item.text.trim() })),
    })),
  });

  async function save() {
    const saved = await action.run(() => saveSheet(review.id, toSend()));
    if (saved) {
      setDirty(false);
      setAnnouncement('Your marks are saved. Nobody else sees them until every reviewer has submitted.');
    }
  }

  async function submit() {
    const done = await action.run(async () => {
      await saveSheet(review.id, toSend());
      return submitSheet(review.id);
    });
    if (done) setDirty(false);
    else submitButton.current?.focus();
  }

  return (
    <form
      className="marking-sheet"
      // The server checks the URLs and says which; the browser's own bubbles would name none of the components.
      noValidate
      aria-labelledby={`${formId}-heading`}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <h3 id={`${formId}-heading`}>Your marks</h3>
      <p className="muted">
        For each cell, does the system’s licence or publication allow this freedom for this component? Give your evidence per component. Save as you go; submit
        when every cell is marked.
      </p>
      <ConformanceGrid
        checklist={checklist}
        label="Your marks (scrolls sideways)"
        caption={`Mark every cell: ${left === 0 ? 'all marked' : `${left} still to mark`}`}
        className="grid-marking"
        cellClass={(row, freedom) => {
          const verdict = verdictIn(sheet, row.id, freedom);
          return `${verdict ? `mark-${verdict}` : 'mark-none'}${invalidCells.has(cellKey(row.id, freedom)) ? ' grid-cell-invalid' : ''}`;
        }}
        cell={(row, freedom) => {
          const id = `${formId}-${row.id}-${freedom}`;
          return (
            <>
              <label htmlFor={id} className="visually-hidden">
                {row.component} — {checklist.freedoms[freedom]}
              </label>
              <select
                id={id}
                value={verdictIn(sheet, row.id, freedom) ?? ''}
                aria-invalid={invalidCells.has(cellKey(row.id, freedom)) || undefined}
                onChange={(event) => setVerdict(row.id, freedom, (event.target.value || null) as Verdict | null)}
              >
                <option value="">Not marked</option>
                {VERDICT_ORDER.map((verdict) => (
                  <option key={verdict} value={verdict}>
                    {VERDICT_LABELS[verdict]}
                  </option>
                ))}
              </select>
            </>
          );
        }}
      />
      <NotApplicableNote />

      <h4 className="sheet-evidence-heading">Evidence and notes</h4>
      <div className="sheet-components">
        {checklist.rows.map((row, index) => {
          const sheetRow = sheet[index]!;
          return (
            <fieldset key={row.id} className="sheet-component">
              <legend>
                {row.component}
                {row.category && <span className="grid-category"> · {row.category}</span>}
              </legend>
              {sheetRow.evidence.length === 0 && <p className="muted evidence-none">No evidence yet.</p>}
              {sheetRow.evidence.map((item, e) => (
                <EvidenceEditor
                  key={e}
                  item={item}
                  name={`Evidence ${e + 1} for ${row.component}`}
                  idBase={`${formId}-${row.id}-e${e}`}
                  invalidUrl={invalidPaths.has(`/rows/${index}/evidence/${e}/url`)}
                  invalidText={invalidPaths.has(`/rows/${index}/evidence/${e}/text`)}
                  onChange={(next) => change(index, (r) => ({ ...r, evidence: r.evidence.map((x, i) => (i === e ? next : x)) }))}
                  onRemove={() => change(index, (r) => ({ ...r, evidence: r.evidence.filter((_, i) => i !== e) }))}
                />
              ))}
              <button
                type="button"
                className="button button-small"
                aria-disabled={sheetRow.evidence.length >= 20 || undefined}
                onClick={() => {
                  if (sheetRow.evidence.length < 20) change(index, (r) => ({ ...r, evidence: [...r.evidence, { kind: 'licence', url: null, text: '' }] }));
                }}
              >
                Add evidence<span className="visually-hidden"> for {row.component}</span>
              </button>
              <div className="field">
                <label htmlFor={`${formId}-${row.id}-note`}>Note on {row.component}</label>
                <textarea
                  id={`${formId}-${row.id}-note`}
                  rows={2}
                  maxLength={4000}
                  value={sheetRow.note}
                  onChange={(event) => change(index, (r) => ({ ...r, note: event.target.value }))}
                />
              </div>
            </fieldset>
          );
        })}
      </div>

      <ProblemAlert
        error={action.error}
        checklist={checklist}
        intro={action.error?.status === 409 && invalidCells.size > 0 ? 'Mark every required cell before submitting. Not marked yet:' : undefined}
      />
      <StatusMessage message={announcement} />
      <div className="form-actions sheet-actions">
        <button type="submit" className="button" aria-disabled={action.pending || undefined}>
          {action.pending ? 'Saving…' : 'Save my marks'}
        </button>
        <button
          ref={submitButton}
          type="button"
          className="button button-primary"
          aria-haspopup="dialog"
          aria-disabled={action.pending || undefined}
          onClick={() => !action.pending && setConfirming(true)}
        >
          Submit my marks
        </button>
        {dirty && <span className="muted">Unsaved changes</span>}
      </div>
      {confirming && (
        <ConfirmDialog
          title="Submit your marks?"
          confirmLabel="Submit my marks"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void submit();
          }}
        >
          <p>
            Once submitted, your marks and evidence can no longer change.
            {left > 0 && ` ${left === 1 ? 'One cell is' : `${left} cells are`} still not marked: the server will refuse until every cell is.`}
          </p>
          <p>They stay hidden until every reviewer has submitted; then everyone’s marks are shown side by side.</p>
        </ConfirmDialog>
      )}
    </form>
  );
}

function EvidenceEditor(props: {
  item: Evidence;
  name: string;
  idBase: string;
  invalidUrl: boolean;
  invalidText: boolean;
  onChange(item: Evidence): void;
  onRemove(): void;
}) {
  const { item, idBase } = props;
  const urlRequired = item.kind === 'url' || item.kind === 'document';
  return (
    <div className="evidence-item" role="group" aria-label={props.name}>
      <div className="field evidence-kind-field">
        <label htmlFor={`${idBase}-kind`}>Kind</label>
        <select id={`${idBase}-kind`} value={item.kind} onChange={(event) => props.onChange({ ...item, kind: event.target.value as Evidence['kind'] })}>
          {EVIDENCE_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {EVIDENCE_KIND_LABELS[kind]}
            </option>
          ))}
        </select>
      </div>
      <div className={`field${props.invalidUrl ? ' field-invalid' : ''}`}>
        <label htmlFor={`${idBase}-url`}>URL{urlRequired ? '' : ' (optional)'}</label>
        <input
          id={`${idBase}-url`}
          type="url"
          inputMode="url"
          placeholder="https://"
          maxLength={2000}
          value={item.url ?? ''}
          aria-invalid={props.invalidUrl || undefined}
          onChange={(event) => props.onChange({ ...item, url: event.target.value })}
        />
      </div>
      <div className={`field${props.invalidText ? ' field-invalid' : ''}`}>
        <label htmlFor={`${idBase}-text`}>{EVIDENCE_TEXT_LABELS[item.kind]}</label>
        <input
          id={`${idBase}-text`}
          maxLength={4000}
          value={item.text}
          aria-invalid={props.invalidText || undefined}
          onChange={(event) => props.onChange({ ...item, text: event.target.value })}
        />
      </div>
      <button type="button" className="button button-small button-quiet button-quiet-danger evidence-remove" onClick={props.onRemove}>
        Remove<span className="visually-hidden"> {props.name.toLowerCase()}</span>
      </button>
    </div>
  );
}

/** A reviewer's own marks once submitted, while the others are still marking. */
export function SubmittedMarks({ review, checklist, sheet }: { review: Review; checklist: ChecklistShape; sheet: SheetRow[] | null }) {
  const waiting = review.reviewers.filter((reviewer) => reviewer.submittedAt === null).map((reviewer) => reviewer.person.displayName);
  return (
    <section className="submitted-marks" aria-labelledby="submitted-heading">
      <h3 id="submitted-heading">Your submitted marks</h3>
      <p>
        You have submitted. {waiting.length > 0 && `Waiting for ${waiting.join(', ')}; `}everyone’s marks are shown together once all reviewers have submitted.
      </p>
      <ConformanceGrid
        checklist={checklist}
        label="Your submitted marks (scrolls sideways)"
        caption="Your marks, as submitted"
        cellClass={(row, freedom) => {
          const verdict = verdictIn(sheet, row.id, freedom);
          return verdict ? `mark-${verdict}` : 'mark-none';
        }}
        cell={(row, freedom) => <VerdictTag verdict={verdictIn(sheet, row.id, freedom)} />}
      />
      <NotApplicableNote />
      <h4>Your evidence</h4>
      <dl className="evidence-by-component">
        {checklist.rows.map((row) => {
          const mine = sheet?.find((r) => r.rowId === row.id);
          return (
            <div key={row.id}>
              <dt>{row.component}</dt>
              <dd>
                <EvidenceList evidence={mine?.evidence ?? []} note={mine?.note ?? ''} />
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}

/** What everyone but the marking reviewers sees: the cells to mark, no marks. */
export function BlindGrid({ review, checklist }: { review: Review; checklist: ChecklistShape }) {
  return (
    <section className="blind-grid" aria-labelledby="blind-heading">
      <h3 id="blind-heading">Checklist</h3>
      <ConformanceGrid
        checklist={checklist}
        label="Checklist of this review (scrolls sideways)"
        caption={`${review.reviewers.length} reviewers mark each cell; the marks are hidden until all have submitted`}
        cell={() => <span className="muted grid-hidden">Hidden</span>}
      />
      <NotApplicableNote />
    </section>
  );
}

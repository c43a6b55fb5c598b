import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import type { Disagreement, Review, Verdict } from '@draftroom/shared';
import { closeReview, resolveCell } from '../../api/conformance.ts';
import { FormAlert, StatusMessage, SubmitButton, TextAreaField, TextField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';
import { ConfirmDialog } from '../../layout/ConfirmDialog.tsx';
import { ConformanceGrid, NotApplicableNote } from './ConformanceGrid.tsx';
import { type ChecklistShape, cellKey, cellKeyOfPath, cellName, requiredCells, VERDICT_LABELS, VERDICT_ORDER, verdictIn } from './labels.ts';
import { ProblemAlert, VerdictTag } from './parts.tsx';
import { storeReview, useReviewAction } from './reviewActions.ts';
import { DissentList, EvidenceByComponent } from './ReviewRecord.tsx';

/** Whether the reviewers marked a cell differently (a settled agreed cell is in the list too, with one verdict). */
export const isSplit = (disagreement: Pick<Disagreement, 'verdicts'>) => new Set(disagreement.verdicts.map((v) => v.verdict)).size > 1;

/** Where the settle form of a cell is, for links to it. */
const settleId = (rowId: string, freedom: number) => `settle-${rowId}-${freedom}`;

/**
 * Every reviewer has submitted: all verdicts side by side, the cells they disagree on marked; the chair
 * settles those (and may qualify any cell that does not allow with a condition), then closes.
 */
export function RevealedReview({ review, checklist }: { review: Review; checklist: ChecklistShape }) {
  const canResolve = review.allowed.includes('resolve');
  const disagreements = review.disagreements ?? [];
  const find = (rowId: string, freedom: number) => disagreements.find((d) => d.rowId === rowId && d.freedom === freedom) ?? null;
  const split = disagreements.filter(isSplit);
  const open = split.filter((d) => d.resolution === null).length;

  return (
    <>
      <section className="revealed" aria-labelledby="revealed-heading">
        <h3 id="revealed-heading">Every reviewer’s verdicts</h3>
        <p>
          {split.length === 0
            ? 'The reviewers agree on every cell.'
            : `The reviewers disagree on ${split.length === 1 ? 'one cell' : `${split.length} cells`}${open > 0 ? `; ${open} still to settle by the chair` : ', all settled by the chair'}.`}
        </p>
        <ConformanceGrid
          checklist={checklist}
          label="Every reviewer’s verdicts (scrolls sideways)"
          caption="Verdicts side by side; cells the reviewers disagree on are marked “Disagree”"
          className="grid-side-by-side"
          cellClass={(row, freedom) => {
            const disagreement = find(row.id, freedom);
            return disagreement && isSplit(disagreement) ? `grid-disagree${disagreement.resolution ? ' grid-settled' : ''}` : '';
          }}
          cell={(row, freedom) => {
            const disagreement = find(row.id, freedom);
            return (
              <>
                {disagreement && isSplit(disagreement) && <span className="cell-flag">Disagree</span>}
                <ul className="cell-verdicts">
                  {review.reviewers.map((reviewer) => (
                    <li key={reviewer.person.id}>
                      <span className="cell-reviewer">{reviewer.person.displayName}</span> <VerdictTag verdict={verdictIn(reviewer.sheet, row.id, freedom)} />
                    </li>
                  ))}
                </ul>
                {disagreement?.resolution && (
                  <p className="cell-resolution">
                    Settled: <VerdictTag verdict={disagreement.resolution.verdict} />
                  </p>
                )}
                {canResolve && disagreement && (
                  <a className="cell-settle-link" href={`#${settleId(row.id, freedom)}`}>
                    {disagreement.resolution ? 'Change' : 'Settle'}
                    <span className="visually-hidden"> {cellName(checklist, row.id, freedom)}</span>
                  </a>
                )}
              </>
            );
          }}
        />
        <NotApplicableNote />
      </section>

      {canResolve && <SettleCells review={review} checklist={checklist} />}
      {review.allowed.includes('close') && <CloseReview review={review} checklist={checklist} />}
      {!canResolve && split.length > 0 && <DissentList checklist={checklist} dissent={split} />}
      <EvidenceByComponent
        checklist={checklist}
        cited={review.reviewers.flatMap((reviewer) =>
          (reviewer.sheet ?? []).map((row) => ({ rowId: row.rowId, who: reviewer.person.displayName, evidence: row.evidence, note: row.note })),
        )}
      />
    </>
  );
}

/** The cells a chair settles: each disagreement, then every agreed cell that does not allow (to add what would cure it). */
function SettleCells({ review, checklist }: { review: Review; checklist: ChecklistShape }) {
  const disagreements = review.disagreements ?? [];
  const split = disagreements.filter(isSplit);
  const listed = new Set(split.map((d) => cellKey(d.rowId, d.freedom)));
  const sheets = review.reviewers.map((reviewer) => reviewer.sheet);
  const qualifiable = requiredCells(checklist.rows).flatMap((cell) => {
    if (listed.has(cellKey(cell.rowId, cell.freedom))) return [];
    const verdict = verdictIn(sheets[0] ?? null, cell.rowId, cell.freedom);
    if (verdict === null || verdict === 'allows') return [];
    const resolution = disagreements.find((d) => d.rowId === cell.rowId && d.freedom === cell.freedom)?.resolution ?? null;
    return [{ ...cell, agreed: verdict, resolution }];
  });

  return (
    <section className="settle" aria-labelledby="settle-heading">
      <h3 id="settle-heading">Settle the cells</h3>
      <p className="muted">
        Your reason is recorded and published with the review. For a verdict other than Allows, say what would cure it: under a rule that calls it curable, the
        review is “Conformant if…” that condition is met.
      </p>
      {split.length > 0 && <h4>Disagreements</h4>}
      {split.map((d) => (
        <SettleForm
          key={cellKey(d.rowId, d.freedom)}
          review={review}
          checklist={checklist}
          rowId={d.rowId}
          freedom={d.freedom}
          recap={d.verdicts.map((v) => ({ who: v.reviewer.displayName, verdict: v.verdict }))}
          initialVerdict={d.resolution?.verdict ?? null}
          resolution={d.resolution}
        />
      ))}
      {qualifiable.length > 0 && (
        <>
          <h4>Agreed cells that do not allow</h4>
          <p className="muted">The reviewers agree; add a condition if a change of licence or publication would cure it.</p>
          {qualifiable.map((cell) => (
            <SettleForm
              key={cellKey(cell.rowId, cell.freedom)}
              review={review}
              checklist={checklist}
              rowId={cell.rowId}
              freedom={cell.freedom}
              recap={[{ who: 'All reviewers', verdict: cell.agreed }]}
              initialVerdict={cell.resolution?.verdict ?? cell.agreed}
              resolution={cell.resolution}
            />
          ))}
        </>
      )}
      {split.length === 0 && qualifiable.length === 0 && <p>Nothing to settle: every reviewer found every cell allows.</p>}
    </section>
  );
}

function SettleForm(props: {
  review: Review;
  checklist: ChecklistShape;
  rowId: string;
  freedom: number;
  recap: { who: string; verdict: Verdict | null }[];
  initialVerdict: Verdict | null;
  resolution: Disagreement['resolution'];
}) {
  const { review, checklist, rowId, freedom, resolution } = props;
  const client = useQueryClient();
  const name = cellName(checklist, rowId, freedom);
  const headingId = useId();
  const [verdict, setVerdict] = useState<Verdict | ''>(props.initialVerdict ?? '');
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const form = useApiForm({
    verdict: { label: 'Verdict' },
    reason: { label: 'Reason' },
    condition: { label: 'Condition' },
  });
  const curable = verdict !== '' && verdict !== 'allows' && (review.rule.curable as string[]).includes(verdict);

  return (
    <form
      id={settleId(rowId, freedom)}
      tabIndex={-1}
      className={`settle-form card${resolution ? ' settle-form-done' : ''}`}
      aria-labelledby={headingId}
      noValidate
      onSubmit={form.onSubmit(
        async (values) => {
          const updated = await resolveCell(review.id, {
            rowId,
            freedom,
            verdict: values.verdict as Verdict,
            reason: values.reason.trim(),
            ...(values.verdict !== 'allows' && { condition: values.condition.trim() || null }),
          });
          storeReview(client, updated);
          setAnnouncement(`${name} settled as ${VERDICT_LABELS[values.verdict as Verdict]}.`);
        },
        (values) => (values.verdict ? {} : { verdict: 'Choose a verdict' }),
      )}
    >
      <h5 id={headingId} className="settle-title">
        <span className="visually-hidden">Settle </span>
        {name}
      </h5>
      <p className="settle-recap">
        {props.recap.map((entry, index) => (
          <span key={index}>
            {index > 0 && ' · '}
            {entry.who}: <VerdictTag verdict={entry.verdict} />
          </span>
        ))}
      </p>
      {resolution && (
        <p className="settle-current">
          Settled as <VerdictTag verdict={resolution.verdict} /> by {resolution.by.displayName}: {resolution.reason}
          {resolution.condition && <> Condition: {resolution.condition}</>}
        </p>
      )}
      <div className="settle-fields">
        <div className={`field${form.fieldErrors.verdict ? ' field-invalid' : ''}`}>
          <label htmlFor={`${headingId}-verdict`}>Verdict</label>
          <select
            id={`${headingId}-verdict`}
            name="verdict"
            value={verdict}
            aria-invalid={form.fieldErrors.verdict ? true : undefined}
            aria-describedby={form.fieldErrors.verdict ? `${headingId}-verdict-error` : undefined}
            onChange={(event) => setVerdict(event.target.value as Verdict | '')}
          >
            <option value="">Choose…</option>
            {VERDICT_ORDER.map((v) => (
              <option key={v} value={v}>
                {VERDICT_LABELS[v]}
              </option>
            ))}
          </select>
          {form.fieldErrors.verdict && (
            <p id={`${headingId}-verdict-error`} className="field-error">
              {form.fieldErrors.verdict}
            </p>
          )}
        </div>
        <TextAreaField
          {...form.field('reason')}
          label="Reason (published with the review)"
          required
          maxLength={4000}
          rows={2}
          defaultValue={resolution?.reason ?? ''}
        />
        {verdict !== '' && verdict !== 'allows' && (
          <TextField
            {...form.field('condition')}
            label="Condition: what would cure it"
            maxLength={1000}
            defaultValue={resolution?.condition ?? ''}
            hint={
              curable
                ? `This review’s rule lets a change cure ${VERDICT_LABELS[verdict]}: without a condition it cannot close. E.g. “The weights are released under an OSI-approved licence”.`
                : `This review’s rule does not let a change cure ${VERDICT_LABELS[verdict]}: the review will be Not conformant; a condition is recorded all the same.`
            }
          />
        )}
      </div>
      <FormAlert message={form.formError} />
      <StatusMessage message={announcement} />
      <div className="form-actions">
        <SubmitButton pending={form.pending} pendingText="Saving…">
          {resolution ? 'Change how it is settled' : 'Settle'}
          <span className="visually-hidden"> {name}</span>
        </SubmitButton>
      </div>
    </form>
  );
}

/** Closing (chair): the outcome follows from the rule; a refusal lists the cells still in the way, each a link to its form. */
function CloseReview({ review, checklist }: { review: Review; checklist: ChecklistShape }) {
  const [confirming, setConfirming] = useState(false);
  const action = useReviewAction();
  const button = useRef<HTMLButtonElement>(null);
  const blocking = new Set((action.error?.fieldDetails ?? []).map((detail) => cellKeyOfPath(detail.path)).filter(Boolean));
  return (
    <section className="close-review card card-quiet" aria-labelledby="close-heading">
      <h3 id="close-heading">Close the review</h3>
      <p>
        The outcome follows from the rule fixed when the review opened. Once closed, the review enters the public register of version {review.version.label} and
        can no longer change.
      </p>
      <button
        ref={button}
        type="button"
        className="button button-primary"
        aria-haspopup="dialog"
        aria-disabled={action.pending || undefined}
        onClick={() => !action.pending && setConfirming(true)}
      >
        {action.pending ? 'Closing…' : 'Close the review'}
      </button>
      <ProblemAlert error={action.error} checklist={checklist} />
      {blocking.size > 0 && (
        <p className="close-links">
          Go to:{' '}
          {[...blocking].map((key, index) => {
            const [rowId, freedom] = key!.split('/');
            return (
              <span key={key}>
                {index > 0 && ', '}
                <a href={`#${settleId(rowId!, Number(freedom))}`}>{cellName(checklist, rowId!, Number(freedom))}</a>
              </span>
            );
          })}
        </p>
      )}
      {confirming && (
        <ConfirmDialog
          title="Close the review?"
          confirmLabel="Close the review"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void action
              .run(() => closeReview(review.id))
              .then((closed) => {
                if (!closed) button.current?.focus();
              });
          }}
        >
          <p>Its outcome is computed now, under its rule, and published in the register. Nothing in it can change afterwards.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

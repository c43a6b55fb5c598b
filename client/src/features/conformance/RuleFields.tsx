import { useId } from 'react';
import { CURABLE_VERDICTS, type CurableVerdict, VERDICT_LABELS } from './labels.ts';

/** The rule a review is decided by, as boxes: which verdicts a change of licence can cure. */
export function RuleFields({ curable, onChange }: { curable: readonly CurableVerdict[]; onChange(curable: CurableVerdict[]): void }) {
  const id = useId();
  return (
    <fieldset className="field checkbox-group rule-fields" aria-describedby={`${id}-hint`}>
      <legend>A licence change can cure</legend>
      <p id={`${id}-hint`} className="field-hint">
        A system whose only cells other than Allows carry these verdicts is “Conformant if…” the conditions the chair records are met. Any other verdict makes
        it Not conformant. Fixed when the review opens.
      </p>
      {CURABLE_VERDICTS.map((verdict) => (
        <div key={verdict} className="checkbox">
          <input
            type="checkbox"
            id={`${id}-${verdict}`}
            checked={curable.includes(verdict)}
            onChange={(event) => onChange(CURABLE_VERDICTS.filter((v) => (v === verdict ? event.target.checked : curable.includes(v))))}
          />
          <label htmlFor={`${id}-${verdict}`}>{VERDICT_LABELS[verdict]}</label>
        </div>
      ))}
    </fieldset>
  );
}

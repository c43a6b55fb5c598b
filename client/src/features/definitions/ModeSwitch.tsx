import { useEffect } from 'react';

/**
 * Editing or suggesting, as in a shared document. Writers choose between changing the text and
 * suggesting changes; members, who cannot change it, between reading and suggesting. The suggestion
 * editor's code is fetched as soon as suggesting is chosen, so the first click in a clause is quick.
 * Without `onChange` it is drawn inert, in its place, while the editor loads (StaticText).
 */
export function ModeSwitch({ canWrite, suggesting, onChange }: { canWrite: boolean; suggesting: boolean; onChange?(suggesting: boolean): void }) {
  useEffect(() => {
    if (suggesting) void import('../amendments/SuggestionComposer.tsx');
  }, [suggesting]);
  return (
    <div className="mode-switch" role="group" aria-labelledby="mode-switch-label">
      <span id="mode-switch-label" className="mode-switch-label">
        Mode
      </span>
      <button type="button" className="mode-switch-option" aria-pressed={!suggesting} disabled={!onChange} onClick={() => onChange?.(false)}>
        {canWrite ? 'Editing' : 'Reading'}
      </button>
      <button type="button" className="mode-switch-option" aria-pressed={suggesting} disabled={!onChange} onClick={() => onChange?.(true)}>
        Suggesting
      </button>
      {suggesting && <span className="mode-switch-hint">Click in a clause to suggest changes to it.</span>}
    </div>
  );
}

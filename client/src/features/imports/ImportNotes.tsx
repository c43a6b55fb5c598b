import type { ImportWarning } from '@draftroom/shared';

/** What the import could not keep as it was (with the line), and what it recognised and left out. */
export function ImportNotes({ warnings, stripped }: { warnings: readonly ImportWarning[]; stripped: readonly string[] }) {
  return (
    <>
      {warnings.length > 0 && (
        <section className="import-warnings" aria-labelledby="import-warnings-heading">
          <h3 id="import-warnings-heading">
            {warnings.length === 1 ? 'One thing could not be kept as it was' : `${warnings.length} things could not be kept as they were`}
          </h3>
          <ul>
            {warnings.map((warning, index) => (
              <li key={index}>
                {warning.line !== undefined && <span className="import-line">Line {warning.line}: </span>}
                {warning.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      {stripped.length > 0 && (
        <details className="import-stripped">
          <summary>Left out on purpose ({stripped.length})</summary>
          <ul>
            {stripped.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}

import { useQuery } from '@tanstack/react-query';
import type { BlameRun } from '@draftroom/shared';
import { definitionQueries, viewOf } from '../../api/queries.ts';
import { utcText } from './When.tsx';

/** Colour classes for authors (styles/history.css); beyond eight, colours repeat but names still show. */
const AUTHOR_COLORS = 8;

/** Who wrote which words of a clause: each run coloured by its author, with a legend; read-only. */
export function BlameView({ definitionId, clauseId, label }: { definitionId: string; clauseId: string; label: string }) {
  const blame = viewOf(useQuery(definitionQueries.blame(definitionId, clauseId)));
  if (blame.status === 'loading') return <p role="status">Loading who wrote what…</p>;
  if (blame.status === 'error') {
    return (
      <div role="alert" className="alert alert-error">
        <p>{blame.error.message}</p>
        <button type="button" className="button button-small" onClick={blame.retry}>
          Try again
        </button>
      </div>
    );
  }

  // Authors numbered in order of first appearance, so the colours read from the top.
  const authors: { id: string; displayName: string }[] = [];
  const indexOf = new Map<string, number>();
  for (const run of blame.data.runs) {
    if (run.author && !indexOf.has(run.author.id)) {
      indexOf.set(run.author.id, authors.length);
      authors.push(run.author);
    }
  }
  if (blame.data.runs.length === 0) return <p className="empty">This clause has no text yet.</p>;

  const describe = (run: BlameRun) => `${run.author!.displayName}${run.at ? `, ${utcText(run.at)}` : ''}`;
  return (
    <div className="blame">
      <ul className="blame-legend" aria-label={`Authors of ${label.toLowerCase()}`}>
        {authors.map((author, index) => (
          <li key={author.id} className={`blame-author blame-author-${index % AUTHOR_COLORS}`}>
            <span className="blame-swatch" aria-hidden="true" />
            {author.displayName}
          </li>
        ))}
      </ul>
      <p className="blame-text">
        {blame.data.runs.map((run, index) =>
          run.author ? (
            <span key={index}>
              <mark
                className={`blame-run blame-author-${indexOf.get(run.author.id)! % AUTHOR_COLORS}`}
                data-author={run.author.displayName}
                data-who={describe(run)}
                title={describe(run)}
                // Focusable so that keyboard users get the name too (shown on focus, see history.css).
                tabIndex={0}
              >
                {run.text}
              </mark>
              <span className="visually-hidden"> (by {describe(run)}) </span>
            </span>
          ) : (
            <span key={index}>{run.text}</span>
          ),
        )}
      </p>
    </div>
  );
}

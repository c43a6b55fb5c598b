import { useQuery } from '@tanstack/react-query';
import type { BlameRun } from '@draftroom/shared';
import { definitionQueries, viewOf } from '../../api/queries.ts';
import { utcText } from './When.tsx';

/** Colour classes for authors (styles/history.css); beyond eight, colours repeat but names still show. */
export const AUTHOR_COLORS = 8;

type Author = NonNullable<BlameRun['author']>;

/** The authors of some runs in order of first appearance, so that colours (and numbers) read from the top. */
export function authorsOf(runs: readonly BlameRun[]): { authors: Author[]; indexOf: Map<string, number> } {
  const authors: Author[] = [];
  const indexOf = new Map<string, number>();
  for (const run of runs) {
    if (run.author && !indexOf.has(run.author.id)) {
      indexOf.set(run.author.id, authors.length);
      authors.push(run.author);
    }
  }
  return { authors, indexOf };
}

/**
 * The text with each run marked by its author: coloured, named on hover and focus, and named in words
 * for screen readers. `numbered` also puts the author's number (as in a numbered list of the authors)
 * after each run, for readers who cannot tell the colours apart.
 */
export function BlameText({ runs, numbered = false }: { runs: readonly BlameRun[]; numbered?: boolean }) {
  const { indexOf } = authorsOf(runs);
  const describe = (run: BlameRun) => `${run.author!.displayName}${run.at ? `, ${utcText(run.at)}` : ''}`;
  return (
    <p className="blame-text">
      {runs.map((run, index) => {
        if (!run.author) return <span key={index}>{run.text}</span>;
        const number = indexOf.get(run.author.id)!;
        return (
          <span key={index}>
            <mark
              className={`blame-run blame-author-${number % AUTHOR_COLORS}`}
              data-author={run.author.displayName}
              data-who={describe(run)}
              title={describe(run)}
              // Focusable so that keyboard users get the name too (shown on focus, see history.css).
              tabIndex={0}
            >
              {run.text}
            </mark>
            {numbered && (
              <sup className="blame-number" aria-hidden="true">
                {number + 1}
              </sup>
            )}
            <span className="visually-hidden"> (by {describe(run)}) </span>
          </span>
        );
      })}
    </p>
  );
}

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

  const { authors } = authorsOf(blame.data.runs);
  if (blame.data.runs.length === 0) return <p className="empty">This clause has no text yet.</p>;

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
      <BlameText runs={blame.data.runs} />
    </div>
  );
}

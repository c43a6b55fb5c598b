import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { HistoryClauseChange, HistoryEntry } from '@draftroom/shared';
import { ApiError } from '../../api/client.ts';
import { definitionQueries, viewOf } from '../../api/queries.ts';
import { FormAlert } from '../../forms/fields.tsx';
import { formErrorMessage } from '../../forms/messages.ts';
import { utcText, When } from './When.tsx';
import { WordChanges } from './WordChanges.tsx';

const CHANGE_LABELS: Record<HistoryClauseChange['change'], string> = {
  created: 'created',
  deleted: 'deleted',
  edited: 'edited',
  formatted: 'reformatted',
  moved: 'moved',
};

interface HistoryListProps {
  definitionId: string;
  /** Only this clause's history; the whole definition's when absent. */
  clauseId?: string;
  /** Names for clause ids ("Clause 2"), for the whole definition's history. */
  clauseNames?: ReadonlyMap<string, string>;
  /** Entries per page. */
  limit?: number;
}

/** Edits (who, when, which words) and published versions as milestones, newest first, a page at a time. */
export function HistoryList({ definitionId, clauseId, clauseNames, limit = 20 }: HistoryListProps) {
  const query = useInfiniteQuery(definitionQueries.history(definitionId, clauseId, limit));
  const pages = viewOf(query);
  const [olderError, setOlderError] = useState<string | null>(null);
  const focusIndex = useRef<number | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const entries: HistoryEntry[] = pages.status === 'ready' ? pages.data.pages.flatMap((page) => page.entries) : [];

  // After "Show older", reading continues at the first of the older entries.
  useEffect(() => {
    if (focusIndex.current === null || focusIndex.current >= entries.length) return;
    list.current?.querySelector<HTMLElement>(`[data-index="${focusIndex.current}"]`)?.focus();
    focusIndex.current = null;
  }, [entries.length]);

  if (pages.status === 'loading') return <p role="status">Loading the history…</p>;
  if (pages.status === 'error') {
    return (
      <div role="alert" className="alert alert-error">
        <p>{pages.error.message}</p>
        <button type="button" className="button button-small" onClick={pages.retry}>
          Try again
        </button>
      </div>
    );
  }

  const loadingOlder = query.isFetchingNextPage;
  const hasOlder = query.hasNextPage;

  async function loadOlder() {
    if (loadingOlder || !hasOlder) return;
    setOlderError(null);
    focusIndex.current = entries.length;
    const result = await query.fetchNextPage();
    if (result.isFetchNextPageError) {
      focusIndex.current = null;
      setOlderError(result.error instanceof ApiError ? formErrorMessage(result.error) : 'Could not load older history.');
    }
  }

  return (
    <div className="history">
      {entries.length === 0 ? (
        <p className="empty">No edits yet.</p>
      ) : (
        <ol className="history-list" ref={list}>
          {entries.map((entry, index) => (
            <li key={index} data-index={index} tabIndex={-1} className={entry.type === 'version' ? 'history-milestone' : 'history-entry'}>
              {entry.type === 'version' ? (
                <p>
                  <span className="badge history-badge">Version {entry.label}</span> published
                  {entry.author && (
                    <>
                      {' '}
                      by <strong>{entry.author.displayName}</strong>
                    </>
                  )}{' '}
                  on <When at={entry.at} />
                </p>
              ) : (
                <EditEntry entry={entry} clauseNames={clauseId ? undefined : clauseNames} />
              )}
            </li>
          ))}
        </ol>
      )}
      <FormAlert message={olderError} />
      {hasOlder && (
        <button type="button" className="button button-small" onClick={() => void loadOlder()} aria-disabled={loadingOlder || undefined}>
          {loadingOlder ? 'Loading…' : 'Show older'}
        </button>
      )}
    </div>
  );
}

function EditEntry({ entry, clauseNames }: { entry: Extract<HistoryEntry, { type: 'edit' }>; clauseNames: ReadonlyMap<string, string> | undefined }) {
  const sameMinute = utcText(entry.from) === utcText(entry.to);
  return (
    <>
      <p className="history-who">
        <strong>{entry.author?.displayName ?? 'Someone'}</strong> edited{' '}
        {sameMinute ? (
          <>
            on <When at={entry.to} />
          </>
        ) : (
          <>
            from <When at={entry.from} /> to <When at={entry.to} />
          </>
        )}
        <span className="muted"> · {entry.updates === 1 ? '1 change' : `${entry.updates} changes`}</span>
      </p>
      <ul className="history-clauses">
        {entry.clauses.map((clause) => (
          <li key={clause.clauseId}>
            {clauseNames ? (
              <span className="history-change">
                {clauseNames.get(clause.clauseId) ?? 'A clause no longer in the text'} {CHANGE_LABELS[clause.change]}
              </span>
            ) : (
              clause.change !== 'edited' && <span className="history-change">Clause {CHANGE_LABELS[clause.change]}</span>
            )}
            {clause.changes.some((change) => change.kind !== 'equal') && <WordChanges changes={clause.changes} />}
            {clause.formatting && clause.formatting.length > 0 && (
              <ul className="history-formatting" aria-label="Formatting changed">
                {clause.formatting.map((description) => (
                  <li key={description}>{description}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Ballot } from '@draftroom/shared';
import { exportUrl, type ExportFormat } from '../../api/ballots.ts';
import { definitionQueries, viewOf } from '../../api/queries.ts';
import { StatusMessage } from '../../forms/fields.tsx';
import { useDefinition } from '../definitions/DefinitionPage.tsx';
import { BallotDialog } from './BallotDialog.tsx';
import { storeBallot } from './ballotCache.ts';
import { BallotView } from './BallotView.tsx';
import { canManageBallots } from './labels.ts';

const GROUPS: { key: string; title: string; empty: string; statuses: Ballot['status'][] }[] = [
  { key: 'open', title: 'Open', empty: 'No ballot is open.', statuses: ['open'] },
  { key: 'drafts', title: 'Drafts', empty: 'No draft.', statuses: ['draft'] },
  { key: 'closed', title: 'Closed and cancelled', empty: 'Nothing has been decided yet.', statuses: ['closed', 'cancelled'] },
];

/** Every ballot of a definition, open ones first; chairs draft new ones here; the record is exported here. */
export function DecisionsPage() {
  const { definition } = useDefinition();
  const ballots = viewOf(useQuery(definitionQueries.ballots(definition.id)));
  const client = useQueryClient();
  const canManage = canManageBallots(definition);
  const [creating, setCreating] = useState(false);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const [searchParams, setSearchParams] = useSearchParams();
  const linkedId = searchParams.get('ballot');
  // A ballot that changed list (opened, closed, cancelled) keeps the focus and its details shown.
  const [moved, setMoved] = useState<{ id: string; serial: number } | null>(null);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const focusId = moved?.id ?? linkedId;
  const newButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (!creating && returnFocus.current) newButton.current?.focus();
    returnFocus.current = false;
  }, [creating]);

  function replace(updated: Ballot) {
    const previous = ballots.status === 'ready' ? ballots.data.find((ballot) => ballot.id === updated.id) : undefined;
    if (previous && previous.status !== updated.status) {
      setMoved((current) => ({ id: updated.id, serial: (current?.serial ?? 0) + 1 }));
      setTouched((current) => new Set([...current, updated.id]));
    }
    storeBallot(client, updated);
  }

  return (
    <section aria-labelledby="decisions-heading" className="decisions">
      <div className="section-bar">
        <h2 id="decisions-heading">Decisions</h2>
        <div className="section-actions">
          {canManage && (
            <button ref={newButton} type="button" className="button button-primary" aria-haspopup="dialog" onClick={() => setCreating(true)}>
              New ballot
            </button>
          )}
        </div>
      </div>
      <StatusMessage message={announcement} />
      {creating && (
        <BallotDialog
          definition={definition}
          onClose={() => {
            returnFocus.current = true;
            setCreating(false);
          }}
          onSaved={(ballot) => {
            setCreating(false);
            replace(ballot);
            setAnnouncement(`Draft ballot “${ballot.title}” saved. Open it for voting when its rules are right.`);
            setSearchParams({ ballot: ballot.id }, { replace: true });
          }}
        />
      )}
      {ballots.status === 'loading' && <p role="status">Loading the ballots…</p>}
      {ballots.status === 'error' && (
        <div role="alert" className="alert alert-error">
          <p>{ballots.error.message}</p>
          <button type="button" className="button" onClick={ballots.retry}>
            Try again
          </button>
        </div>
      )}
      {ballots.status === 'ready' &&
        GROUPS.map((group) => {
          const members = ballots.data.filter((ballot) => group.statuses.includes(ballot.status));
          if (group.key === 'drafts' && members.length === 0) return null;
          return (
            <section key={group.key} className="ballot-group" aria-labelledby={`ballots-${group.key}`}>
              <h3 id={`ballots-${group.key}`} className="ballot-group-title">
                {group.title} <span className="count">({members.length})</span>
              </h3>
              {members.length === 0 ? (
                <p className="empty">{group.empty}</p>
              ) : (
                <ul className="ballot-list">
                  {members.map((ballot) => (
                    <li key={ballot.id}>
                      <BallotView
                        ballot={ballot}
                        definition={definition}
                        onChange={replace}
                        variant="page"
                        defaultExpanded={ballot.id === focusId || touched.has(ballot.id) || ballot.status === 'open' || ballot.status === 'draft'}
                        focusOnMount={ballot.id === focusId}
                        onStatusAnnounce={setAnnouncement}
                      />
                    </li>
                  ))}
                </ul>
              )}
            </section>
          );
        })}
      {/* The decisions first; taking them away (export) is the secondary action, after them. */}
      <ExportLinks definitionId={definition.id} />
    </section>
  );
}

const FORMATS: { format: ExportFormat; name: string }[] = [
  { format: 'md', name: 'Markdown' },
  { format: 'html', name: 'HTML' },
  { format: 'json', name: 'JSON' },
];

/** Downloads of the text with its decision record: the current draft, or a published version. */
function ExportLinks({ definitionId }: { definitionId: string }) {
  const versions = viewOf(useQuery(definitionQueries.versions(definitionId)));
  const [version, setVersion] = useState('');
  const selectId = useId();
  const which = version ? `version ${version}` : 'the current draft';
  return (
    <section className="export card card-quiet" aria-labelledby={`${selectId}-heading`}>
      <h3 id={`${selectId}-heading`}>Export the text and its decisions</h3>
      {versions.status === 'ready' && versions.data.length > 0 && (
        <div className="field export-version">
          <label htmlFor={selectId}>Text to export</label>
          <select id={selectId} value={version} onChange={(event) => setVersion(event.target.value)}>
            <option value="">Current draft</option>
            {versions.data.map((v) => (
              <option key={v.id} value={v.label}>
                Version {v.label}
              </option>
            ))}
          </select>
        </div>
      )}
      <ul className="export-links">
        {FORMATS.map(({ format, name }) => (
          <li key={format}>
            <a className="button button-small" href={exportUrl(definitionId, format, version || undefined)} download>
              Download {name}
              <span className="visually-hidden"> of {which}</span>
            </a>
          </li>
        ))}
      </ul>
      <p className="muted">
        Anyone can recount the ballots of a JSON export and check its audit head: <Link to="/verify">Verify an export</Link>.
      </p>
    </section>
  );
}

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { Version } from '@draftroom/shared';
import { ApiError } from '../../api/client.ts';
import { definitionQueries, viewOf } from '../../api/queries.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { CURRENT_DRAFT, resetDefinition, versionMarkdownUrl } from '../../api/versions.ts';
import { FormAlert, StatusMessage } from '../../forms/fields.tsx';
import { formErrorMessage } from '../../forms/messages.ts';
import { useLinkedTarget } from '../../layout/useLinkedTarget.ts';
import { BallotDialog } from '../decisions/BallotDialog.tsx';
import { canManageBallots } from '../decisions/labels.ts';
import { useDefinition } from '../definitions/DefinitionPage.tsx';
import { definitionPath } from '../definitions/paths.ts';
import { PublishDialog } from './PublishDialog.tsx';
import { When } from './When.tsx';

export const diffPath = (groupSlug: string, definitionId: string, from: string, to: string) =>
  `${definitionPath(groupSlug, definitionId)}/diff?${new URLSearchParams({ from, to }).toString()}`;

/** The published versions with their notes; chairs publish new ones and may reset the draft to one. */
export function VersionsPage() {
  const { definition } = useDefinition();
  // A version published by another chair shows here by itself (live channel).
  const versions = viewOf(useQuery(definitionQueries.versions(definition.id)));
  // `?version=LABEL` (a notification's link) scrolls to that version once it is listed.
  const linked = useSearchParams()[0].get('version');
  useLinkedTarget(linked ? `published-version-${linked}` : null);
  const client = useQueryClient();
  const canPublish = definition.allowedActions.includes('version.publish');
  const [publishing, setPublishing] = useState(false);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const publishButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (!publishing && returnFocus.current) publishButton.current?.focus();
    returnFocus.current = false;
  }, [publishing]);

  const closeDialog = () => {
    returnFocus.current = true;
    setPublishing(false);
  };

  return (
    <section aria-labelledby="versions-heading" className="versions">
      <div className="section-bar">
        <h2 id="versions-heading">Versions</h2>
        <div className="form-actions">
          {/* A new text from a file, shown as changes first; publishing it is the next step. */}
          {definition.allowedActions.includes('text.edit') && (
            <Link to={`${definitionPath(definition.groupSlug, definition.id)}/import`} className="button">
              Replace the draft from a file…
            </Link>
          )}
          {canPublish && (
            <button ref={publishButton} type="button" className="button button-primary" onClick={() => setPublishing(true)} aria-haspopup="dialog">
              Publish a version
            </button>
          )}
        </div>
      </div>
      <StatusMessage message={announcement} />
      {publishing && (
        <PublishDialog
          groupSlug={definition.groupSlug}
          definitionId={definition.id}
          onClose={closeDialog}
          onPublished={(version) => {
            setAnnouncement(`Version ${version.label} published.`);
            void client.invalidateQueries({ queryKey: queryKeys.versions(definition.id) });
            void client.invalidateQueries({ queryKey: queryKeys.publicDefinition(definition.id) });
            closeDialog();
          }}
        />
      )}
      {versions.status === 'loading' && <p role="status">Loading the versions…</p>}
      {versions.status === 'error' && (
        <div role="alert" className="alert alert-error">
          <p>{versions.error.message}</p>
          <button type="button" className="button" onClick={versions.retry}>
            Try again
          </button>
        </div>
      )}
      {versions.status === 'ready' &&
        (versions.data.length === 0 ? (
          <p className="empty">No version has been published yet.</p>
        ) : (
          <ol className="version-list">
            {versions.data.map((version, index) => (
              <VersionItem key={version.id} version={version} previous={versions.data[index + 1] ?? null} onReset={setAnnouncement} />
            ))}
          </ol>
        ))}
    </section>
  );
}

function VersionItem({ version, previous, onReset }: { version: Version; previous: Version | null; onReset(message: string): void }) {
  const { definition } = useDefinition();
  const slug = definition.groupSlug;
  const headingId = `version-${version.id}`;
  return (
    <li id={`published-version-${version.label}`} tabIndex={-1} className="version card" aria-labelledby={headingId}>
      <h3 id={headingId} className="version-label">
        Version {version.label}
      </h3>
      <p className="version-meta">
        Published by <strong>{version.publishedBy.displayName}</strong> on <When at={version.publishedAt} /> ·{' '}
        {version.clauseCount === 1 ? '1 clause' : `${version.clauseCount} clauses`}
      </p>
      {version.notes ? <p className="version-notes">{version.notes}</p> : <p className="muted">No release notes.</p>}
      <ul className="version-links">
        <li>
          <a href={versionMarkdownUrl(definition.id, version.label)} download>
            Download version {version.label} as Markdown
          </a>
        </li>
        <li>
          <Link to={diffPath(slug, definition.id, version.label, CURRENT_DRAFT)}>Compare version {version.label} with the current draft</Link>
        </li>
        {previous && (
          <li>
            <Link to={diffPath(slug, definition.id, previous.label, version.label)}>Changes since version {previous.label}</Link>
          </li>
        )}
      </ul>
      {canManageBallots(definition) && <BallotOnVersion label={version.label} />}
      {definition.allowedActions.includes('definition.reset') && <ResetDefinition label={version.label} onReset={onReset} />}
    </li>
  );
}

/** Drafting a ballot on a whole version (chairs); the draft opens on the Decisions tab. */
function BallotOnVersion({ label }: { label: string }) {
  const { definition } = useDefinition();
  const navigate = useNavigate();
  const [starting, setStarting] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  useEffect(() => {
    if (!starting && returnFocus.current) button.current?.focus();
    returnFocus.current = false;
  }, [starting]);
  return (
    <div className="version-ballot">
      <button ref={button} type="button" className="button button-small" aria-haspopup="dialog" onClick={() => setStarting(true)}>
        Ballot on version {label}
      </button>
      {starting && (
        <BallotDialog
          definition={definition}
          initialSubject={{ kind: 'version', label }}
          onClose={() => {
            returnFocus.current = true;
            setStarting(false);
          }}
          onSaved={(ballot) => navigate(`${definitionPath(definition.groupSlug, definition.id)}/decisions?ballot=${encodeURIComponent(ballot.id)}`)}
        />
      )}
    </div>
  );
}

/** Resetting the whole draft to a version: asked twice, because it replaces everybody's text. */
function ResetDefinition({ label, onReset }: { label: string; onReset(message: string): void }) {
  const { definition } = useDefinition();
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const resetButton = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else if (returnFocus.current) resetButton.current?.focus();
    returnFocus.current = false;
  }, [confirming]);

  async function reset() {
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      await resetDefinition(definition.id, label);
      onReset(`The draft has been reset to version ${label}.`);
      returnFocus.current = true;
      setConfirming(false);
    } catch (caught) {
      setError(caught instanceof ApiError ? formErrorMessage(caught) : 'Could not reset the definition.');
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="version-reset">
      {confirming ? (
        <div className="confirm" role="group" aria-label={`Reset the definition to version ${label}?`}>
          <p>
            Every clause of the live draft becomes what it was in version {label}. The change is recorded in the history, and can be undone by another reset.
          </p>
          <button
            ref={confirmButton}
            type="button"
            className="button button-small button-danger"
            aria-disabled={pending || undefined}
            onClick={() => void reset()}
          >
            {pending ? 'Resetting…' : `Yes, reset to version ${label}`}
          </button>
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              returnFocus.current = true;
              setConfirming(false);
            }}
          >
            Cancel
          </button>
        </div>
      ) : (
        <button ref={resetButton} type="button" className="button button-small button-quiet" onClick={() => setConfirming(true)}>
          Reset the definition to version {label}
        </button>
      )}
      <FormAlert message={error} />
    </div>
  );
}

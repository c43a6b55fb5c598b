import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { DraftImport } from '@draftroom/shared';
import { ApiError } from '../../api/client.ts';
import { applyDraftImport, previewDraftImport } from '../../api/imports.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { FormAlert, StatusMessage } from '../../forms/fields.tsx';
import { formErrorMessage } from '../../forms/messages.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { useDefinition } from '../definitions/DefinitionPage.tsx';
import { definitionPath } from '../definitions/paths.ts';
import { DiffList } from '../history/DiffPage.tsx';
import { summaryText } from '../history/diffModel.ts';
import { PublishDialog } from '../history/PublishDialog.tsx';
import { ImportNotes } from './ImportNotes.tsx';
import type { ChosenSource } from './source.ts';
import { SourcePicker } from './SourcePicker.tsx';
import './imports.css';

/**
 * The draft replaced by a file's text (chairs and editors): the changes are shown clause by clause, as
 * versions are compared, before anything is written; applying checks that the draft is still the one
 * compared; then a chair is offered to publish the result as a version.
 */
export function ReplaceDraftPage() {
  const { definition } = useDefinition();
  const { signedOut } = useSession();
  const client = useQueryClient();
  const [source, setSource] = useState<ChosenSource | null>(null);
  const [result, setResult] = useState<DraftImport | null>(null);
  const [error, setError] = useState<{ message: string; stale: boolean } | null>(null);
  const [pending, setPending] = useState<'preview' | 'apply' | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [published, setPublished] = useState<string | null>(null);
  const asked = useRef(0);
  const done = useRef<HTMLHeadingElement>(null);
  const base = definitionPath(definition.groupSlug, definition.id);

  useEffect(() => {
    if (result?.applied) done.current?.focus();
  }, [result?.applied]);

  async function run(chosen: ChosenSource, apply: DraftImport | null) {
    const ask = ++asked.current;
    setSource(chosen);
    setPending(apply ? 'apply' : 'preview');
    setError(null);
    try {
      const body = { format: chosen.format, source: chosen.text };
      const answer = apply ? await applyDraftImport(definition.id, { ...body, expectedHead: apply.head }) : await previewDraftImport(definition.id, body);
      if (ask !== asked.current) return;
      setResult(answer);
      if (answer.applied) {
        // The draft changed: its text, comparisons, history and everything else read from it.
        void client.invalidateQueries({ queryKey: queryKeys.definition(definition.id) });
      }
    } catch (caught) {
      if (ask !== asked.current) return;
      if (caught instanceof ApiError && caught.status === 401 && caught.code === 'unauthenticated') signedOut('expired');
      const stale = caught instanceof ApiError && caught.status === 409;
      if (!stale) setResult(null);
      setError({
        message: stale
          ? 'Someone changed the draft since this comparison was made. Compare again to see the changes against the draft as it is now.'
          : `${chosen.name ?? 'The pasted text'} cannot be imported: ${caught instanceof ApiError ? formErrorMessage(caught) : 'something went wrong.'}`,
        stale,
      });
    } finally {
      if (ask === asked.current) setPending(null);
    }
  }

  if (!definition.allowedActions.includes('text.edit')) {
    return (
      <section className="import" aria-labelledby="replace-heading">
        <h2 id="replace-heading">Replace the draft from a file</h2>
        <p>Only chairs and editors change the text of the draft.</p>
      </section>
    );
  }

  const changes = result ? result.diff.summary.added + result.diff.summary.removed + result.diff.summary.moved + result.diff.summary.modified : 0;
  return (
    <section className="import" aria-labelledby="replace-heading">
      <h2 id="replace-heading">Replace the draft from a file</h2>
      <p className="muted">
        The draft becomes the file’s text. Clauses the file continues keep their threads, amendments, ballots and history; you see every change before it is
        made, and it is one edit by you.
      </p>
      {!result?.applied && <SourcePicker onChoose={(chosen) => void run(chosen, null)} pending={pending !== null} />}
      {/* Always in the page, so that the comparison's arrival is announced too. */}
      <p role="status" className={pending ? undefined : 'visually-hidden'}>
        {pending === 'apply'
          ? 'Replacing the draft…'
          : pending === 'preview'
            ? `Comparing ${source?.name ?? 'the text'} with the draft…`
            : result && !result.applied
              ? `Compared: ${summaryText(result.diff.summary)}. The changes are shown below.`
              : ''}
      </p>
      <FormAlert message={error?.message ?? null} />
      {error?.stale && source && (
        <button type="button" className="button" onClick={() => void run(source, null)}>
          Compare again
        </button>
      )}
      {result && source && (
        <div className="import-preview">
          {result.applied ? (
            <>
              <h3 ref={done} tabIndex={-1}>
                {changes === 0 ? 'The draft already read as the file: nothing changed' : 'The draft now reads as the file'}
              </h3>
              <StatusMessage message={published ? `Version ${published} published.` : null} />
              {!published && changes > 0 && (
                <div className="import-next">
                  {definition.allowedActions.includes('version.publish') ? (
                    <>
                      <p>Publish it as a version, so that it can be read, compared and voted on as such.</p>
                      <button type="button" className="button button-primary" aria-haspopup="dialog" onClick={() => setPublishing(true)}>
                        Publish a version
                      </button>
                    </>
                  ) : (
                    <p>A chair can now publish it as a version.</p>
                  )}
                </div>
              )}
              <p>
                <Link to={base}>Go to the text</Link> · <Link to={`${base}/versions`}>Versions</Link>
              </p>
            </>
          ) : (
            <h3>
              Changes from {source.name ?? 'the pasted text'}: {summaryText(result.diff.summary)}
            </h3>
          )}
          <ImportNotes warnings={result.warnings} stripped={result.stripped} />
          {result.applied && (
            <p className="diff-summary">
              <strong>Changes made:</strong> {summaryText(result.diff.summary)}.
            </p>
          )}
          <DiffList diff={result.diff} label={result.applied ? 'Changes made' : 'Changes the import would make'} />
          {/* Below the changes: read them, then decide. */}
          {!result.applied &&
            (changes === 0 ? (
              <p className="empty">The draft already reads as this file: there is nothing to change.</p>
            ) : (
              <div className="form-actions">
                <button
                  type="button"
                  className="button button-primary"
                  aria-disabled={pending !== null || undefined}
                  onClick={() => pending === null && void run(source, result)}
                >
                  Replace the draft with these changes
                </button>
              </div>
            ))}
        </div>
      )}
      {publishing && (
        <PublishDialog
          groupSlug={definition.groupSlug}
          definitionId={definition.id}
          onClose={() => setPublishing(false)}
          onPublished={(version) => {
            setPublished(version.label);
            setPublishing(false);
            void client.invalidateQueries({ queryKey: queryKeys.versions(definition.id) });
          }}
        />
      )}
    </section>
  );
}

import type { ReactNode } from 'react';
import { clauseLabels, type DefinitionDetail } from '@draftroom/shared';
import { cleanCommentHtml } from '../discussion/commentHtml.ts';
import { DiscussionFilter } from '../discussion/DiscussionFilter.tsx';
import { ModeSwitch } from './ModeSwitch.tsx';
import { connectionMessage, readOnlyReason } from './labels.ts';

/**
 * The text's own bar: its heading, whether it is saved, who may not write and who else is here. On wide
 * screens it shares the first row with the discussion's head, so no empty band opens above the text.
 */
export function TextHead({
  definition,
  message,
  children,
}: {
  definition: DefinitionDetail;
  message: ReturnType<typeof connectionMessage>;
  children?: ReactNode;
}) {
  return (
    <>
      <div className="live-text-bar">
        <h2 id="text-heading" tabIndex={-1}>
          Text
        </h2>
        <p role="status" aria-live="polite" className={`connection connection-${message.tone}`}>
          {message.text}
        </p>
      </div>
      {!definition.allowedActions.includes('text.edit') && <p className="read-only-reason">{readOnlyReason(definition.myRole)}</p>}
      {children}
    </>
  );
}

/**
 * The text as last committed (from the definition's detail), shown at once while the editor — most of
 * the page's code — loads and the live document syncs; then the live text takes its place, laid out
 * the same. Read-only and busy: nothing here can be edited or lost.
 */
export function StaticText({ definition, head, loading = true }: { definition: DefinitionDetail; head?: ReactNode; loading?: boolean }) {
  const canWrite = definition.allowedActions.includes('text.edit');
  const labels = clauseLabels(definition.clauses.map((clause) => clause.kind));
  return (
    <section aria-labelledby="text-heading" className="live-text">
      <div className="text-with-discussion">
        <div className="text-column">
          <div className="text-column-head">
            {head ?? <TextHead definition={definition} message={connectionMessage({ kind: 'connecting' }, false, canWrite)} />}
            <div className="text-tools">
              {definition.allowedActions.includes('amendment.propose') && <ModeSwitch canWrite={canWrite} suggesting={false} />}
              {/* Where the live text's Language button will be (LiveEditing), inert until then. */}
              {definition.myRole !== null && (
                <button type="button" className="button button-small language-button" disabled>
                  Language
                </button>
              )}
            </div>
            {/* The live text's announcements go here (StatusMessage): the same room, kept empty. */}
            <div className="alert-empty" />
            {definition.clauses.length === 0 && <p className="empty">There is no text yet.</p>}
          </div>
          <ol className="clause-list clause-list-static" aria-label="Clauses" aria-busy={loading || undefined}>
            {definition.clauses.map((clause, index) => (
              <li key={clause.id} className={`clause clause-${clause.kind}`} data-clause-id={clause.id}>
                <div className="clause-label" aria-hidden="true">
                  {labels[index]}
                </div>
                {/* Where the clause's menu will be, so that the text does not move when it comes. */}
                <div className="clause-side" aria-hidden="true">
                  <span className="menu-placeholder" />
                </div>
                <div className="clause-main">
                  <div className="clause-body">
                    {clause.kind === 'heading' ? (
                      <div className={`clause-text clause-text-heading${canWrite ? '' : ' clause-text-readonly'}`} role="heading" aria-level={2}>
                        {clause.text}
                      </div>
                    ) : (
                      <div
                        className={`clause-text${canWrite ? '' : ' clause-text-readonly'}`}
                        // Sanitized on the server, and cleaned once more in an inert document (commentHtml.ts).
                        // biome-ignore lint/security/noDangerouslySetInnerHtml: cleaned just above
                        dangerouslySetInnerHTML={{ __html: cleanCommentHtml(clause.html) }}
                      />
                    )}
                  </div>
                </div>
              </li>
            ))}
          </ol>
        </div>
        {/* The discussion's head as it first shows, so that the text beside it stays put when it comes. */}
        <section aria-labelledby="discussion-heading" className="discussion" aria-busy="true" inert>
          <div className="discussion-head">
            <div className="section-bar">
              <h2 id="discussion-heading">Discussion</h2>
            </div>
            <div className="alert-empty" />
            <DiscussionFilter status="open" mine={false} />
            <p className="muted">Loading the discussion…</p>
          </div>
          <details className="moderation-log">
            <summary>Moderation log</summary>
          </details>
        </section>
      </div>
    </section>
  );
}

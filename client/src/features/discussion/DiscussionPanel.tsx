import { useEffect, useId, useRef, useState } from 'react';
import type { Anchor, Thread } from '@draftroom/shared';
import { listThreads, startThread, type ThreadFilter } from '../../api/discussion.ts';
import { useResource } from '../../api/useResource.ts';
import { StatusMessage } from '../../forms/fields.tsx';
import { ThreadView } from './ThreadView.tsx';

/** A passage someone selected and wants to comment on. */
export interface ThreadDraft {
  clauseId: string;
  /** The selected passage; null for a comment on the whole clause. */
  anchor: Anchor | null;
}

interface DiscussionPanelProps {
  definitionId: string;
  /** "Clause 2" for a clause id; null when the clause no longer exists. */
  labelOf(clauseId: string): string | null;
  draft: ThreadDraft | null;
  onDraftDone(): void;
}

type StatusFilter = 'open' | 'resolved' | 'all';

/** The definition's discussion: threads on its clauses, filtered, and the form for a new one. */
export function DiscussionPanel({ definitionId, labelOf, draft, onDraftDone }: DiscussionPanelProps) {
  const [status, setStatus] = useState<StatusFilter>('open');
  const [mine, setMine] = useState(false);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const filter: ThreadFilter = { ...(status !== 'all' && { status }), mine };
  const threads = useResource((signal) => listThreads(definitionId, filter, signal), [definitionId, status, mine]);
  const filterId = useId();

  function replace(thread: Thread) {
    if (threads.status !== 'ready') return threads.reload();
    threads.setData(threads.data.map((existing) => (existing.id === thread.id ? thread : existing)));
  }

  return (
    <section aria-labelledby="discussion-heading" className="discussion">
      <div className="section-bar">
        <h2 id="discussion-heading" tabIndex={-1}>
          Discussion
        </h2>
        <button type="button" className="button button-small" onClick={threads.reload}>
          Refresh<span className="visually-hidden"> the discussion</span>
        </button>
      </div>
      <StatusMessage message={announcement} />
      {draft && (
        <NewThreadForm
          definitionId={definitionId}
          draft={draft}
          clauseLabel={labelOf(draft.clauseId) ?? 'Clause'}
          onCancel={onDraftDone}
          onStarted={() => {
            onDraftDone();
            setAnnouncement('Comment posted.');
            if (status === 'resolved') setStatus('open');
            else threads.reload();
          }}
        />
      )}
      <fieldset className="discussion-filter">
        <legend>Show</legend>
        {(['open', 'resolved', 'all'] as const).map((value) => (
          <span className="radio" key={value}>
            <input type="radio" id={`${filterId}-${value}`} name={`${filterId}-status`} checked={status === value} onChange={() => setStatus(value)} />
            <label htmlFor={`${filterId}-${value}`}>{value === 'open' ? 'Open' : value === 'resolved' ? 'Resolved' : 'All'}</label>
          </span>
        ))}
        <span className="checkbox">
          <input type="checkbox" id={`${filterId}-mine`} checked={mine} onChange={(event) => setMine(event.target.checked)} />
          <label htmlFor={`${filterId}-mine`}>Only threads I took part in</label>
        </span>
      </fieldset>
      {threads.status === 'loading' && <p className="muted">Loading the discussion…</p>}
      {threads.status === 'error' && (
        <div role="alert" className="alert alert-error">
          <p>{threads.error.message}</p>
          <button type="button" className="button" onClick={threads.reload}>
            Try again
          </button>
        </div>
      )}
      {threads.status === 'ready' &&
        (threads.data.length === 0 ? (
          <p className="empty">{status === 'resolved' ? 'No resolved threads.' : 'No open threads. Select words in a clause to comment on them.'}</p>
        ) : (
          <ul className="thread-list" aria-label="Threads">
            {threads.data.map((thread) => (
              <li key={thread.id}>
                <ThreadView thread={thread} clauseLabel={labelOf(thread.clauseId) ?? 'a deleted clause'} onChanged={replace} onStale={threads.reload} onAnnounce={setAnnouncement} />
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}

function NewThreadForm(props: { definitionId: string; draft: ThreadDraft; clauseLabel: string; onCancel(): void; onStarted(thread: Thread): void }) {
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const id = useId();

  // The person chose to comment: take them to the box, wherever the panel is on the page.
  useEffect(() => {
    textarea.current?.focus();
    textarea.current?.scrollIntoView({ block: 'nearest' });
  }, [props.draft]);

  return (
    <form
      className="comment-form new-thread"
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (pending) return;
        if (!body.trim()) {
          setError('Comment is required');
          textarea.current?.focus();
          return;
        }
        setPending(true);
        setError(null);
        startThread(props.definitionId, { clauseId: props.draft.clauseId, ...(props.draft.anchor && { anchor: props.draft.anchor }), body: body.trim() }).then(
          (thread) => {
            setPending(false);
            props.onStarted(thread);
          },
          (failure: unknown) => {
            setPending(false);
            setError(failure instanceof Error ? failure.message : 'Could not post the comment.');
          },
        );
      }}
    >
      <h3 id={`${id}-title`} className="clause-panel-title">
        New comment on {props.clauseLabel.toLowerCase()}
      </h3>
      {props.draft.anchor ? <blockquote className="thread-quote">{props.draft.anchor.quote}</blockquote> : <p className="muted">On the whole clause.</p>}
      <label htmlFor={`${id}-body`}>Comment</label>
      <p id={`${id}-hint`} className="field-hint">
        Markdown: **bold**, _italic_, [links](https://example.org).
      </p>
      <textarea
        ref={textarea}
        id={`${id}-body`}
        rows={4}
        maxLength={20_000}
        value={body}
        onChange={(event) => setBody(event.target.value)}
        aria-describedby={`${id}-hint`}
        aria-invalid={error ? true : undefined}
      />
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" aria-disabled={pending || undefined}>
          {pending ? 'Posting…' : 'Post comment'}
        </button>
        <button type="button" className="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

import { useEffect, useId, useRef, useState } from 'react';
import type { Anchor, Thread } from '@draftroom/shared';
import { getModerationLog, listThreads, startThread, type ThreadFilter } from '../../api/discussion.ts';
import { listMembers } from '../../api/groups.ts';
import { When } from '../history/When.tsx';
import { insertMention, MembersContext, MentionPicker, mentionsIn, useTypedMention } from './MentionPicker.tsx';
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
  groupSlug: string;
  /** Clause ids in reading order: threads are grouped per clause in that order. */
  clauseOrder: string[];
  /** For each clause, its anchored threads in the order their passages start in the text. */
  passageOrder: Record<string, string[]>;
  /** Every time the loaded threads change (the text highlights their passages). */
  onThreads(threads: Thread[]): void;
  activeThreadId: string | null;
  onActiveThread(threadId: string | null): void;
  /** A request (from a highlight in the text) to put the focus on a thread. */
  threadFocus: { threadId: string; serial: number } | null;
}

type StatusFilter = 'open' | 'resolved' | 'all';

/** The definition's discussion: threads on its clauses, filtered, and the form for a new one. */
export function DiscussionPanel({
  definitionId,
  labelOf,
  draft,
  onDraftDone,
  groupSlug,
  clauseOrder,
  passageOrder,
  onThreads,
  activeThreadId,
  onActiveThread,
  threadFocus,
}: DiscussionPanelProps) {
  const [status, setStatus] = useState<StatusFilter>('open');
  const [mine, setMine] = useState(false);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const filter: ThreadFilter = { ...(status !== 'all' && { status }), mine };
  const threads = useResource((signal) => listThreads(definitionId, filter, signal), [definitionId, status, mine]);
  const filterId = useId();
  const members = useResource((signal) => listMembers(groupSlug, signal).catch(() => []), [groupSlug]);
  const loaded = threads.status === 'ready' ? threads.data : null;
  useEffect(() => {
    if (loaded) onThreads(loaded);
  }, [loaded, onThreads]);
  // Reading order: by clause; within one, threads on the whole clause or on a removed passage first,
  // then those on passages in the order the passages start in the text.
  const rank = (thread: Thread) => (thread.anchor && thread.anchorState === 'ok' ? (passageOrder[thread.clauseId]?.indexOf(thread.id) ?? -1) : -1);
  const byClause = new Map<string, Thread[]>();
  for (const thread of [...(loaded ?? [])].sort((a, b) => rank(a) - rank(b))) {
    const list = byClause.get(thread.clauseId);
    if (list) list.push(thread);
    else byClause.set(thread.clauseId, [thread]);
  }
  // One group per clause, empty ones included: on wide screens each sits in its clause's row.
  const groups = [...clauseOrder, ...[...byClause.keys()].filter((clauseId) => !clauseOrder.includes(clauseId))].map((clauseId) => ({
    clauseId,
    threads: byClause.get(clauseId) ?? [],
  }));
  const newThreadForm = draft && (
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
  );

  function replace(thread: Thread) {
    if (threads.status !== 'ready') return threads.reload();
    threads.setData(threads.data.map((existing) => (existing.id === thread.id ? thread : existing)));
  }

  return (
    <MembersContext.Provider value={members.status === 'ready' ? members.data : []}>
      <section aria-labelledby="discussion-heading" className="discussion">
        <div className="discussion-head">
          <div className="section-bar">
            <h2 id="discussion-heading" tabIndex={-1}>
              Discussion
            </h2>
            <button type="button" className="button button-small" onClick={threads.reload}>
              Refresh<span className="visually-hidden"> the discussion</span>
            </button>
          </div>
          <StatusMessage message={announcement} />
          {newThreadForm}
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
          {threads.status === 'ready' && threads.data.length === 0 && (
            <p className="empty">{status === 'resolved' ? 'No resolved threads.' : 'No open threads. Select words in a clause to comment on them.'}</p>
          )}
        </div>
        {threads.status === 'ready' && threads.data.length > 0 && (
          <ul className="thread-list thread-groups" aria-label="Threads">
            {groups.map((group) => {
              const label = labelOf(group.clauseId) ?? 'A deleted clause';
              const empty = group.threads.length === 0;
              return (
                <li
                  key={group.clauseId}
                  className={`thread-group${empty ? ' thread-group-empty' : ''}`}
                  aria-hidden={empty || undefined}
                  data-clause-id={group.clauseId}
                >
                  {!empty && (
                    <>
                      <p className="thread-group-label">{label}</p>
                      <ul className="thread-list" aria-label={`Threads on ${label.toLowerCase()}`}>
                        {group.threads.map((thread) => (
                          <li key={thread.id}>
                            <ThreadView
                              thread={thread}
                              clauseLabel={labelOf(thread.clauseId) ?? 'a deleted clause'}
                              onChanged={replace}
                              onStale={threads.reload}
                              onAnnounce={setAnnouncement}
                              active={thread.id === activeThreadId}
                              {...(threadFocus?.threadId === thread.id && { focusSerial: threadFocus.serial })}
                              onActivate={() => onActiveThread(thread.id)}
                            />
                          </li>
                        ))}
                      </ul>
                    </>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        <ModerationLogView definitionId={definitionId} />
      </section>
    </MembersContext.Provider>
  );
}

/** Who hid or showed again which comment, and why: a disclosure, loaded each time it opens. */
function ModerationLogView({ definitionId }: { definitionId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="moderation-log" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Moderation log</summary>
      {open && <ModerationEntries definitionId={definitionId} />}
    </details>
  );
}

function ModerationEntries({ definitionId }: { definitionId: string }) {
  const log = useResource((signal) => getModerationLog(definitionId, signal), [definitionId]);
  if (log.status === 'loading') return <p className="muted">Loading the moderation log…</p>;
  if (log.status === 'error')
    return (
      <div role="alert" className="alert alert-error">
        <p>{log.error.message}</p>
        <button type="button" className="button" onClick={log.reload}>
          Try again
        </button>
      </div>
    );
  if (log.data.length === 0) return <p className="empty">No comment has been hidden.</p>;
  return (
    <ul className="moderation-list" aria-label="Moderation actions">
      {log.data.map((entry) => (
        <li key={`${entry.commentId}-${entry.at}-${entry.action}`} className="moderation-entry">
          <strong>{entry.moderator.displayName}</strong> {entry.action === 'hide' ? 'hid a comment' : 'showed a comment again'} <When at={entry.at} />
          {entry.reason && <span className="moderation-reason">: {entry.reason}</span>}
        </li>
      ))}
    </ul>
  );
}

function NewThreadForm(props: { definitionId: string; draft: ThreadDraft; clauseLabel: string; onCancel(): void; onStarted(thread: Thread): void }) {
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const mentioned = useRef(new Map<string, string>());
  const id = useId();
  const typed = useTypedMention(textarea, body, setBody, (member) => mentioned.current.set(member.userId, member.displayName));

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
        startThread(props.definitionId, {
          clauseId: props.draft.clauseId,
          ...(props.draft.anchor && { anchor: props.draft.anchor }),
          body: body.trim(),
          ...(mentionsIn(body, mentioned.current).length > 0 && { mentions: mentionsIn(body, mentioned.current) }),
        }).then(
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
        Markdown: **bold**, _italic_, [links](https://example.org). Type @ to mention a member.
      </p>
      <textarea
        ref={textarea}
        id={`${id}-body`}
        rows={4}
        maxLength={20_000}
        value={body}
        onChange={(event) => {
          setBody(event.target.value);
          typed.track(event.target.value, event.target.selectionStart);
        }}
        aria-describedby={`${id}-hint`}
        aria-invalid={error ? true : undefined}
        {...typed.textareaProps}
      />
      {typed.popup}
      <MentionPicker
        onPick={(member) => {
          mentioned.current.set(member.userId, member.displayName);
          const next = insertMention(textarea.current, body, member.displayName);
          setBody(next.text);
          requestAnimationFrame(() => {
            textarea.current?.focus();
            textarea.current?.setSelectionRange(next.caret, next.caret);
          });
        }}
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

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { Anchor, Thread } from '@draftroom/shared';
import type { ThreadFilter } from '../../api/discussion.ts';
import { definitionQueries, groupQueries, viewOf } from '../../api/queries.ts';
import { When } from '../history/When.tsx';
import { AudienceNote } from './Audience.tsx';
import { DiscussionFilter, type StatusFilter } from './DiscussionFilter.tsx';
import { insertMention, MembersContext, MentionPicker, mentionsIn, useTypedMention } from './MentionPicker.tsx';
import { StatusMessage } from '../../forms/fields.tsx';
import { refreshThreads, storeThread, usePendingThreads, useStartThread } from './threadMutations.ts';
import { PendingThreadView, ThreadView } from './ThreadView.tsx';

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
  /** The thread a link names (`?thread=`): shown and focused once it is loaded, whatever the filter. */
  linkedThreadId?: string | null;
  onLinkedThread?(threadId: string): void;
  /**
   * On phones, a place under each clause for its threads (and a new thread's form): they are shown
   * there, in the text, instead of in a list after it. Absent on wide screens, where the threads sit in
   * a column beside their clauses.
   */
  threadSlots?: Record<string, HTMLElement>;
}

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
  linkedThreadId = null,
  onLinkedThread,
  threadSlots = {},
}: DiscussionPanelProps) {
  const [status, setStatus] = useState<StatusFilter>('open');
  const [mine, setMine] = useState(false);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const filter: ThreadFilter = { ...(status !== 'all' && { status }), mine };
  const client = useQueryClient();
  // Kept up to date by the live channel: a reply or a new thread by anyone shows here by itself.
  const discussion = viewOf(useQuery(definitionQueries.threads(definitionId, filter)));
  // Where a new thread may go: members choose the public during a public comment period.
  const audiences = discussion.status === 'ready' ? discussion.data.audiences : [];
  // Only members read the member list (to mention them); for anyone else it stays empty.
  const members = useQuery(groupQueries.members(groupSlug));
  const loaded = discussion.status === 'ready' ? discussion.data.threads : null;
  // Threads being started (shown at once, marked as sending; gone again if the server refuses).
  const pending = usePendingThreads(definitionId);
  useEffect(() => {
    if (loaded) onThreads(loaded);
  }, [loaded, onThreads]);
  // A linked thread is brought into view once; one that is not among the open threads (resolved) is
  // looked for among all of them.
  const reachedLink = useRef<string | null>(null);
  useEffect(() => {
    if (!linkedThreadId || !loaded || reachedLink.current === linkedThreadId) return;
    if (loaded.some((thread) => thread.id === linkedThreadId)) {
      reachedLink.current = linkedThreadId;
      onLinkedThread?.(linkedThreadId);
    } else if (status !== 'all') {
      setStatus('all');
    }
  }, [linkedThreadId, loaded, status, onLinkedThread]);
  // A passage was deleted from the text (its highlight just went): whether a thread's passage is
  // still there is the server's to say, so the threads are read again — once per such edit, no polling.
  const shownPassages = useRef<Record<string, string[]>>({});
  const anchored = useRef(new Set<string>());
  anchored.current = new Set(loaded?.filter((thread) => thread.anchorState === 'ok').map((thread) => thread.id));
  useEffect(() => {
    const before = shownPassages.current;
    shownPassages.current = passageOrder;
    const lost = Object.entries(before).some(([clauseId, ids]) => ids.some((id) => anchored.current.has(id) && !(passageOrder[clauseId] ?? []).includes(id)));
    if (lost) void refreshThreads(client, definitionId);
  }, [passageOrder, client, definitionId]);
  // Reading order: by clause; within one, threads on the whole clause or on a removed passage first,
  // then those on passages in the order the passages start in the text.
  const rank = (thread: Thread) => (thread.anchor && thread.anchorState === 'ok' ? (passageOrder[thread.clauseId]?.indexOf(thread.id) ?? -1) : -1);
  const byClause = new Map<string, Thread[]>();
  for (const thread of [...(loaded ?? [])].sort((a, b) => rank(a) - rank(b))) {
    const list = byClause.get(thread.clauseId);
    if (list) list.push(thread);
    else byClause.set(thread.clauseId, [thread]);
  }
  const clauseIds = [...new Set([...byClause.keys(), ...pending.map((input) => input.clauseId)])];
  // One group per clause, empty ones included: on wide screens each sits in its clause's row.
  const groups = [...clauseOrder, ...clauseIds.filter((clauseId) => !clauseOrder.includes(clauseId))].map((clauseId) => ({
    clauseId,
    threads: byClause.get(clauseId) ?? [],
    pending: pending.filter((input) => input.clauseId === clauseId),
  }));
  const anything = (loaded?.length ?? 0) + pending.length > 0;
  // A new thread's form opens in its clause's group: beside the clause on wide screens.
  const draftClauseId = draft?.clauseId ?? null;
  const newThreadForm = draft && (
    <NewThreadForm
      definitionId={definitionId}
      draft={draft}
      clauseLabel={labelOf(draft.clauseId) ?? 'Clause'}
      audiences={audiences}
      onCancel={onDraftDone}
      onStarted={() => {
        onDraftDone();
        setAnnouncement('Comment posted.');
        if (status === 'resolved') setStatus('open');
      }}
    />
  );

  const replace = (thread: Thread) => storeThread(client, thread);
  const reread = () => void refreshThreads(client, definitionId);

  /** One clause's threads (and a new thread's form on it): in the column beside the text, or under the clause on phones. */
  const groupContent = (group: (typeof groups)[number], inline: boolean): ReactNode => {
    const label = labelOf(group.clauseId) ?? 'A deleted clause';
    return (
      <>
        {group.clauseId === draftClauseId && newThreadForm}
        {(group.threads.length > 0 || group.pending.length > 0) && (
          <>
            {/* Under its clause the clause needs no naming; in the column it does. */}
            <p className={inline ? 'visually-hidden' : 'thread-group-label'}>{inline ? `Threads on ${label.toLowerCase()}` : label}</p>
            <ul className="thread-list" aria-label={`Threads on ${label.toLowerCase()}`}>
              {group.threads.map((thread) => (
                <li key={thread.id}>
                  <ThreadView
                    thread={thread}
                    clauseLabel={labelOf(thread.clauseId) ?? 'a deleted clause'}
                    onChanged={replace}
                    onStale={reread}
                    onAnnounce={setAnnouncement}
                    active={thread.id === activeThreadId}
                    {...(threadFocus?.threadId === thread.id && { focusSerial: threadFocus.serial })}
                    onActivate={() => onActiveThread(thread.id)}
                  />
                </li>
              ))}
              {group.pending.map((input, index) => (
                <li key={`pending-${index}`}>
                  <PendingThreadView input={input} clauseLabel={label} />
                </li>
              ))}
            </ul>
          </>
        )}
      </>
    );
  };

  return (
    <MembersContext.Provider value={members.data ?? []}>
      <section aria-labelledby="discussion-heading" className="discussion">
        <div className="discussion-head">
          <div className="section-bar">
            <h2 id="discussion-heading" tabIndex={-1}>
              Discussion
            </h2>
          </div>
          <StatusMessage message={announcement} />
          {!loaded && newThreadForm}
          <DiscussionFilter status={status} mine={mine} onStatus={setStatus} onMine={setMine} />
          {discussion.status === 'loading' && <p className="muted">Loading the discussion…</p>}
          {discussion.status === 'error' && (
            <div role="alert" className="alert alert-error">
              <p>{discussion.error.message}</p>
              <button type="button" className="button" onClick={discussion.retry}>
                Try again
              </button>
            </div>
          )}
          {loaded && anything && Object.keys(threadSlots).length > 0 && <p className="muted">Each clause’s threads are under it in the text.</p>}
          {loaded && !anything && (
            <p className="empty">{status === 'resolved' ? 'No resolved threads.' : 'No open threads. Select words in a clause to comment on them.'}</p>
          )}
        </div>
        {loaded && (anything || draftClauseId) && (
          <ul className="thread-list thread-groups" aria-label="Threads">
            {groups.map((group) => {
              const slot = threadSlots[group.clauseId];
              const drafting = group.clauseId === draftClauseId;
              const empty = group.threads.length === 0 && group.pending.length === 0 && !drafting;
              if (slot)
                return empty ? null : createPortal(<div className="thread-group thread-group-inline">{groupContent(group, true)}</div>, slot, group.clauseId);
              return (
                <li
                  key={group.clauseId}
                  className={`thread-group${empty ? ' thread-group-empty' : ''}`}
                  aria-hidden={empty || undefined}
                  data-clause-id={group.clauseId}
                >
                  {groupContent(group, false)}
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
  const log = viewOf(useQuery(definitionQueries.moderation(definitionId)));
  if (log.status === 'loading') return <p className="muted">Loading the moderation log…</p>;
  if (log.status === 'error')
    return (
      <div role="alert" className="alert alert-error">
        <p>{log.error.message}</p>
        <button type="button" className="button" onClick={log.retry}>
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

function NewThreadForm(props: {
  definitionId: string;
  draft: ThreadDraft;
  clauseLabel: string;
  /** Where the thread may go, the default first (empty while the discussion loads: the server decides). */
  audiences: Thread['audience'][];
  onCancel(): void;
  onStarted(thread: Thread): void;
}) {
  const [body, setBody] = useState('');
  const [chosen, setChosen] = useState<Thread['audience'] | null>(null);
  const audience = chosen && props.audiences.includes(chosen) ? chosen : (props.audiences[0] ?? 'internal');
  // Mentions notify members in the internal discussion only.
  const mentionable = audience === 'internal';
  const [error, setError] = useState<string | null>(null);
  const start = useStartThread(props.definitionId);
  const pending = start.isPending;
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
        setError(null);
        start
          .mutateAsync({
            clauseId: props.draft.clauseId,
            ...(props.draft.anchor && { anchor: props.draft.anchor }),
            body: body.trim(),
            audience,
            ...(mentionable && mentionsIn(body, mentioned.current).length > 0 && { mentions: mentionsIn(body, mentioned.current) }),
          })
          .then(
            (thread) => props.onStarted(thread),
            (failure: unknown) => {
              setError(failure instanceof Error ? `Your comment was not posted: ${failure.message}` : 'Your comment was not posted.');
              textarea.current?.focus();
            },
          );
      }}
    >
      <h3 id={`${id}-title`} className="clause-panel-title">
        New comment on {props.clauseLabel.toLowerCase()}
      </h3>
      {props.draft.anchor ? <blockquote className="thread-quote">{props.draft.anchor.quote}</blockquote> : <p className="muted">On the whole clause.</p>}
      {props.audiences.length > 1 && (
        <fieldset className="field radio-group audience-choice">
          <legend>Who reads it</legend>
          {(['internal', 'public'] as const).map((value) => (
            <div className="radio" key={value}>
              <input
                type="radio"
                id={`${id}-${value}`}
                name={`${id}-audience`}
                checked={audience === value}
                onChange={() => setChosen(value)}
                aria-describedby={`${id}-${value}-hint`}
              />
              <label htmlFor={`${id}-${value}`}>{value === 'internal' ? 'Members of the group' : 'Anyone (public)'}</label>
              <p id={`${id}-${value}-hint`} className="radio-description">
                {value === 'internal' ? 'The group’s internal discussion.' : 'Where the public reads, in the public comment record.'}
              </p>
            </div>
          ))}
        </fieldset>
      )}
      <label htmlFor={`${id}-body`}>Comment</label>
      <p id={`${id}-hint`} className="field-hint">
        Markdown: **bold**, _italic_, [links](https://example.org).{mentionable && ' Type @ to mention a member.'}
      </p>
      <AudienceNote id={`${id}-audience-note`} audience={audience} />
      <textarea
        ref={textarea}
        id={`${id}-body`}
        rows={4}
        maxLength={20_000}
        value={body}
        onChange={(event) => {
          setBody(event.target.value);
          if (mentionable) typed.track(event.target.value, event.target.selectionStart);
        }}
        aria-describedby={`${id}-hint ${id}-audience-note`}
        aria-invalid={error ? true : undefined}
        {...(mentionable && typed.textareaProps)}
      />
      {mentionable && typed.popup}
      {mentionable && (
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
      )}
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

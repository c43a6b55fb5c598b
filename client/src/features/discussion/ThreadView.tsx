import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { REACTIONS, type Comment, type CreateThreadBody, type ReplyBody, type Thread } from '@draftroom/shared';
import { publishThread } from '../../api/audience.ts';
import { ApiError } from '../../api/client.ts';
import { deleteComment, editComment, hideComment, setReaction, setThreadStatus, unhideComment } from '../../api/discussion.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { When } from '../history/When.tsx';
import { AudienceNote, PublicBadge } from './Audience.tsx';
import { cleanCommentHtml } from './commentHtml.ts';
import { insertMention, MentionPicker, mentionsIn, useTypedMention } from './MentionPicker.tsx';
import { usePendingReplies, useReply } from './threadMutations.ts';

interface ThreadViewProps {
  thread: Thread;
  clauseLabel: string;
  /** The thread as the server now has it (after a reply, an edit, a resolve…). */
  onChanged(thread: Thread): void;
  /** Something changed that the answer did not carry (a deletion, a reaction): load again. */
  onStale(): void;
  onAnnounce(message: string): void;
  /** This thread is the one in focus: its passage is highlighted more strongly. */
  active?: boolean;
  /** Changes when something (a highlight in the text) asks for this thread to take the focus. */
  focusSerial?: number;
  /** The focus moved into this thread. */
  onActivate?(): void;
}

const REACTION_NAMES: Record<string, string> = { '👍': 'thumbs up', '👎': 'thumbs down', '❤️': 'heart', '🎉': 'party', '😕': 'confused', '👀': 'eyes' };

function messageOf(error: unknown): string {
  return error instanceof ApiError ? error.message : 'Something went wrong. Try again.';
}

/** A small form with one text area: a reply, an edit, a moderator's reason. */
function TextForm(props: {
  label: string;
  submitText: string;
  initial?: string;
  mentionable?: boolean;
  /** Who will read what is written here, said under the box. */
  audience?: Thread['audience'];
  onSubmit(text: string, mentions: string[]): Promise<void>;
  onCancel?: () => void;
  /**
   * Posting is optimistic: the box empties at once (the comment shows in the thread as sending) and
   * gets its text back, with the reason, if the server refuses it.
   */
  optimistic?: boolean;
}) {
  const [text, setText] = useState(props.initial ?? '');
  const mentioned = useRef(new Map<string, string>());
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const typed = useTypedMention(textarea, text, setText, (member) => mentioned.current.set(member.userId, member.displayName));
  const noteId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    if (!text.trim()) {
      setError(`${props.label} is required`);
      return;
    }
    setPending(true);
    setError(null);
    const written = text;
    if (props.optimistic) setText('');
    props.onSubmit(text.trim(), mentionsIn(text, mentioned.current)).then(
      () => {
        setPending(false);
        setText('');
        mentioned.current.clear();
      },
      (failure: unknown) => {
        setPending(false);
        if (props.optimistic) {
          setText((current) => current || written);
          setError(`Not posted: ${messageOf(failure)}`);
          textarea.current?.focus();
        } else setError(messageOf(failure));
      },
    );
  };
  return (
    <form className="comment-form" aria-label={props.label} onSubmit={submit} noValidate>
      <label>
        {props.label}
        <textarea
          ref={textarea}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            if (props.mentionable) typed.track(event.target.value, event.target.selectionStart);
          }}
          rows={3}
          maxLength={20_000}
          aria-invalid={error ? true : undefined}
          autoFocus={props.initial !== undefined || props.onCancel !== undefined}
          {...(props.audience && { 'aria-describedby': noteId })}
          {...(props.mentionable && typed.textareaProps)}
        />
      </label>
      {props.audience && <AudienceNote id={noteId} audience={props.audience} />}
      {props.mentionable && typed.popup}
      {props.mentionable && (
        <MentionPicker
          onPick={(member) => {
            mentioned.current.set(member.userId, member.displayName);
            const next = insertMention(textarea.current, text, member.displayName);
            setText(next.text);
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
        <button type="submit" className="button button-primary button-small" aria-disabled={pending || undefined}>
          {pending ? 'Sending…' : props.submitText}
        </button>
        {props.onCancel && (
          <button type="button" className="button button-small" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

type Mode = { kind: 'reply' | 'edit' | 'hide' | 'delete'; commentId: string } | null;

/** One thread: what it is about, its comments with their actions, and the reply box. */
export function ThreadView({ thread, clauseLabel, onChanged, onStale, onAnnounce, active, focusSerial, onActivate }: ThreadViewProps) {
  const [mode, setMode] = useState<Mode>(null);
  const [confirmPublish, setConfirmPublish] = useState(false);
  const article = useRef<HTMLElement>(null);
  useEffect(() => {
    if (focusSerial === undefined) return;
    article.current?.focus();
    article.current?.scrollIntoView({ block: 'nearest' });
  }, [focusSerial]);
  const [error, setError] = useState<string | null>(null);
  const byId = new Map(thread.comments.map((comment) => [comment.id, comment]));
  const headingId = `thread-${thread.id}`;
  const reply = useReply(thread);
  const sending = usePendingReplies(thread.id);

  async function act(work: () => Promise<void>) {
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(messageOf(failure));
    }
  }

  const resolved = thread.status === 'resolved';
  const isPublic = thread.audience === 'public';
  return (
    <article
      ref={article}
      tabIndex={-1}
      className={`thread thread-${thread.status} thread-${thread.audience}${active ? ' thread-active' : ''}`}
      aria-labelledby={headingId}
      onFocus={() => {
        if (!active) onActivate?.();
      }}
    >
      <h4 id={headingId} className="thread-title">
        {resolved ? 'Resolved thread' : 'Thread'} on {clauseLabel.toLowerCase()}
        {isPublic && (
          <>
            {' '}
            <PublicBadge />
          </>
        )}
        <span className="visually-hidden"> started by {thread.author.displayName}</span>
      </h4>
      {thread.anchor &&
        (thread.anchorState === 'removed' ? (
          <p className="thread-quote thread-quote-removed">
            <span className="badge">The passage was removed</span> <q>{thread.anchor.quote}</q>
          </p>
        ) : (
          <blockquote className="thread-quote">{thread.anchor.quote}</blockquote>
        ))}
      {resolved && thread.resolvedBy && <p className="muted">Resolved by {thread.resolvedBy.displayName}.</p>}
      <ol className="comment-list">
        {thread.comments.map((comment) => (
          <CommentView
            key={comment.id}
            comment={comment}
            parent={comment.replyTo ? byId.get(comment.replyTo) : undefined}
            mode={mode?.commentId === comment.id ? mode.kind : null}
            setMode={(kind) => setMode(kind ? { kind, commentId: comment.id } : null)}
            act={act}
            onChanged={onChanged}
            onStale={onStale}
            onAnnounce={onAnnounce}
            thread={thread}
          />
        ))}
        {sending.map((input, index) => (
          <PendingComment key={index} input={input} parent={input.replyTo ? byId.get(input.replyTo) : undefined} />
        ))}
      </ol>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <div className="thread-actions">
        {thread.allowedActions.includes('resolve') && !resolved && (
          <button
            type="button"
            className="button button-small"
            onClick={() =>
              act(async () => {
                onChanged(await setThreadStatus(thread.id, 'resolved'));
                onAnnounce('Thread resolved.');
              })
            }
          >
            Resolve thread
          </button>
        )}
        {thread.allowedActions.includes('reopen') && resolved && (
          <button
            type="button"
            className="button button-small"
            onClick={() =>
              act(async () => {
                onChanged(await setThreadStatus(thread.id, 'open'));
                onAnnounce('Thread reopened.');
              })
            }
          >
            Reopen thread
          </button>
        )}
        {thread.allowedActions.includes('publish') &&
          (confirmPublish ? (
            <span className="confirm" role="group" aria-label="Publish this thread?">
              <span>Publish this thread? Anyone will be able to read it, every comment in it, as part of the public record. This cannot be undone.</span>
              <button
                type="button"
                className="button button-small button-primary"
                autoFocus
                onClick={() =>
                  act(async () => {
                    onChanged(await publishThread(thread.id));
                    setConfirmPublish(false);
                    onAnnounce('Thread published: anyone can read it.');
                  })
                }
              >
                Yes, publish
              </button>
              <button type="button" className="button button-small" onClick={() => setConfirmPublish(false)}>
                Cancel
              </button>
            </span>
          ) : (
            <button type="button" className="button button-small" onClick={() => setConfirmPublish(true)}>
              Publish thread
            </button>
          ))}
      </div>
      {thread.allowedActions.includes('reply') && (
        <TextForm
          label="Reply to the thread"
          submitText="Reply"
          audience={thread.audience}
          // Mentions are for the group's internal discussion; in a public thread they would notify nobody.
          mentionable={!isPublic}
          optimistic
          onSubmit={async (body, mentions) => {
            await reply.mutateAsync({ body, ...(mentions.length > 0 && { mentions }) });
            onAnnounce('Reply posted.');
          }}
        />
      )}
    </article>
  );
}

interface CommentViewProps {
  thread: Thread;
  comment: Comment;
  parent: Comment | undefined;
  mode: 'reply' | 'edit' | 'hide' | 'delete' | null;
  setMode(kind: 'reply' | 'edit' | 'hide' | 'delete' | null): void;
  act(work: () => Promise<void>): Promise<void>;
  onChanged(thread: Thread): void;
  onStale(): void;
  onAnnounce(message: string): void;
}

function CommentView({ thread, comment, parent, mode, setMode, act, onChanged, onStale, onAnnounce }: CommentViewProps) {
  const can = (action: Comment['allowedActions'][number]) => comment.allowedActions.includes(action);
  const reply = useReply(thread);
  const author = comment.author.displayName;
  return (
    <li className={`comment comment-${comment.state}`}>
      <p className="comment-meta">
        <strong>{author}</strong> <When at={comment.createdAt} />
        {parent && <span className="muted"> · in reply to {parent.author.displayName}</span>}
      </p>
      {comment.state === 'deleted' ? (
        <p className="comment-placeholder">Comment deleted.</p>
      ) : comment.state === 'hidden' && comment.bodyHtml === null ? (
        <p className="comment-placeholder">Hidden by a moderator: {comment.hiddenReason}</p>
      ) : (
        <>
          {comment.state === 'hidden' && <p className="comment-placeholder">Hidden by a moderator: {comment.hiddenReason}</p>}
          {/* Sanitized on the server, and cleaned once more in an inert document (commentHtml.ts). */}
          {/* biome-ignore lint/security/noDangerouslySetInnerHtml: server-sanitized HTML, cleaned again by cleanCommentHtml */}
          <div className="comment-body" dangerouslySetInnerHTML={{ __html: cleanCommentHtml(comment.bodyHtml ?? '') }} />
        </>
      )}
      {comment.editedAt && (
        <details className="comment-history">
          <summary>
            Edited<span className="visually-hidden"> comment by {author}</span> — show earlier text
          </summary>
          <ol>
            {comment.revisions.map((revision, index) => (
              <li key={index}>
                <When at={revision.writtenAt} />
                <p className="comment-revision">{revision.body}</p>
              </li>
            ))}
          </ol>
        </details>
      )}
      {comment.state === 'visible' && (comment.reactions.length > 0 || can('react')) && (
        <div className="reactions" role="group" aria-label={`Reactions to the comment by ${author}`}>
          {REACTIONS.map((emoji) => {
            const reaction = comment.reactions.find((r) => r.emoji === emoji);
            if (!can('react') && !reaction) return null;
            const count = reaction?.count ?? 0;
            return (
              <button
                key={emoji}
                type="button"
                className="button button-small reaction"
                aria-pressed={reaction?.mine ?? false}
                aria-label={`${REACTION_NAMES[emoji]}${count ? `, ${count}` : ''}`}
                aria-disabled={!can('react') || undefined}
                onClick={() =>
                  can('react') &&
                  act(async () => {
                    await setReaction(comment.id, emoji, !(reaction?.mine ?? false));
                    onStale();
                  })
                }
              >
                <span aria-hidden="true">{emoji}</span>
                {count > 0 && <span aria-hidden="true"> {count}</span>}
              </button>
            );
          })}
        </div>
      )}
      <div className="comment-actions">
        {thread.allowedActions.includes('reply') && comment.state === 'visible' && (
          <button
            type="button"
            className="button button-small button-quiet"
            aria-expanded={mode === 'reply'}
            onClick={() => setMode(mode === 'reply' ? null : 'reply')}
          >
            Reply<span className="visually-hidden"> to {author}</span>
          </button>
        )}
        {can('edit') && (
          <button
            type="button"
            className="button button-small button-quiet"
            aria-expanded={mode === 'edit'}
            onClick={() => setMode(mode === 'edit' ? null : 'edit')}
          >
            Edit<span className="visually-hidden"> comment by {author}</span>
          </button>
        )}
        {can('delete') && (
          <button
            type="button"
            className="button button-small button-quiet"
            aria-expanded={mode === 'delete'}
            onClick={() => setMode(mode === 'delete' ? null : 'delete')}
          >
            Delete<span className="visually-hidden"> comment by {author}</span>
          </button>
        )}
        {can('hide') && (
          <button
            type="button"
            className="button button-small button-quiet"
            aria-expanded={mode === 'hide'}
            onClick={() => setMode(mode === 'hide' ? null : 'hide')}
          >
            Hide<span className="visually-hidden"> comment by {author}</span>
          </button>
        )}
        {can('unhide') && (
          <button
            type="button"
            className="button button-small button-quiet"
            onClick={() =>
              act(async () => {
                onChanged(await unhideComment(comment.id));
                onAnnounce('Comment shown again.');
              })
            }
          >
            Show again<span className="visually-hidden"> comment by {author}</span>
          </button>
        )}
      </div>
      {mode === 'reply' && (
        <TextForm
          label={`Reply to ${author}`}
          submitText="Reply"
          audience={thread.audience}
          mentionable={thread.audience === 'internal'}
          optimistic
          onCancel={() => setMode(null)}
          onSubmit={async (body, mentions) => {
            await reply.mutateAsync({ body, replyTo: comment.id, ...(mentions.length > 0 && { mentions }) });
            setMode(null);
            onAnnounce('Reply posted.');
          }}
        />
      )}
      {mode === 'edit' && (
        <TextForm
          label="Edit comment"
          submitText="Save"
          audience={thread.audience}
          initial={comment.body ?? ''}
          onCancel={() => setMode(null)}
          onSubmit={async (body) => {
            onChanged(await editComment(comment.id, body));
            setMode(null);
            onAnnounce('Comment edited.');
          }}
        />
      )}
      {mode === 'hide' && (
        <TextForm
          label="Reason for hiding"
          submitText="Hide comment"
          onCancel={() => setMode(null)}
          onSubmit={async (reason) => {
            onChanged(await hideComment(comment.id, reason));
            setMode(null);
            onAnnounce('Comment hidden.');
          }}
        />
      )}
      {mode === 'delete' && (
        <span className="confirm" role="group" aria-label="Delete this comment?">
          <span>Delete this comment? A placeholder stays in the thread.</span>
          <button
            type="button"
            className="button button-small button-danger"
            autoFocus
            onClick={() =>
              act(async () => {
                await deleteComment(comment.id);
                setMode(null);
                onAnnounce('Comment deleted.');
                onStale();
              })
            }
          >
            Yes, delete
          </button>
          <button type="button" className="button button-small" onClick={() => setMode(null)}>
            Cancel
          </button>
        </span>
      )}
    </li>
  );
}

/** A reply on its way to the server: shown at once, as its author wrote it, until the thread holds it. */
function PendingComment({ input, parent }: { input: ReplyBody; parent: Comment | undefined }) {
  const { user } = useSession();
  return (
    <li className="comment comment-pending" aria-busy="true">
      <p className="comment-meta">
        <strong>{user?.displayName ?? 'You'}</strong> <span className="muted">Sending…</span>
        {parent && <span className="muted"> · in reply to {parent.author.displayName}</span>}
      </p>
      <p className="comment-body comment-body-plain">{input.body}</p>
    </li>
  );
}

/** A thread being started: its first comment, shown at once in its clause's list while it is sent. */
export function PendingThreadView({ input, clauseLabel }: { input: CreateThreadBody; clauseLabel: string }) {
  const { user } = useSession();
  return (
    <article className="thread thread-open thread-pending" aria-busy="true" aria-label={`New thread on ${clauseLabel.toLowerCase()}, sending`}>
      {input.anchor && <blockquote className="thread-quote">{input.anchor.quote}</blockquote>}
      <ol className="comment-list">
        <li className="comment comment-pending">
          <p className="comment-meta">
            <strong>{user?.displayName ?? 'You'}</strong> <span className="muted">Sending…</span>
          </p>
          <p className="comment-body comment-body-plain">{input.body}</p>
        </li>
      </ol>
    </article>
  );
}

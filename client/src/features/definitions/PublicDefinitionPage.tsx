import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { clauseLabels, type PublicDefinition, type Thread } from '@draftroom/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { startThreadFor } from '../../api/audience.ts';
import { dispositionQueries, PUBLIC_COMMENTS } from '../../api/dispositions.ts';
import { definitionQueries, groupQueries, viewOf } from '../../api/queries.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { useLiveTopic } from '../../live/LiveProvider.tsx';
import { FormAlert, StatusMessage, SubmitButton, TextAreaField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';
import { PageHeading } from '../../layout/PageHeading.tsx';
import { Deferred, lazyPart } from '../../layout/lazyPart.tsx';
import { useLinkedTarget } from '../../layout/useLinkedTarget.ts';
import { loginPath } from '../../session/next.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { AUDIENCE_NOTES, PublicBadge } from '../discussion/Audience.tsx';
import { cleanCommentHtml } from '../discussion/commentHtml.ts';
import { When } from '../history/When.tsx';
import { STATUS_LABELS } from './labels.ts';
import { definitionPath, publicDispositionsPath, registerPagePath } from './paths.ts';
import { DefinitionLoadFailure } from './DefinitionLoadFailure.tsx';
import { renderedPlainRange } from './renderedRange.ts';

// Opened from a clause (members): loaded when first opened.
const ProvenancePanel = lazyPart(async () => (await import('./ProvenancePanel.tsx')).ProvenancePanel);

type PublicClause = PublicDefinition['clauses'][number];

/** "0 comments", "1 comment", "2 comments" */
export function commentCount(n: number): string {
  return `${n} ${n === 1 ? 'comment' : 'comments'}`;
}

/**
 * A definition's public face during (and after) its comment period: the latest published version,
 * never the live draft. Anyone who can read the group reads it; signed-in people comment while open.
 * Only public comments are here — the group's internal discussion is neither shown nor counted, to
 * members viewing this page either.
 */
export function PublicDefinitionPage() {
  const { slug, definitionId } = useParams() as { slug: string; definitionId: string };
  const { user } = useSession();
  // `?version=LABEL` reads an older published version (comments are taken on the latest only).
  const [params] = useSearchParams();
  const version = params.get('version') ?? undefined;
  // `?clause=…&thread=…` (a notification's link) opens that clause's comments at that thread.
  const linkedClause = params.get('clause');
  const linkedThread = params.get('thread');
  const query = useQuery(definitionQueries.public(definitionId, version));
  const definition = viewOf(query);
  const { hash } = useLocation();
  const loaded = query.data !== undefined;
  // A link to one clause (`#public-clause-…`, from search) scrolls to it once the text is there.
  useEffect(() => {
    if (loaded && hash.startsWith('#public-clause-')) document.getElementById(hash.slice(1))?.scrollIntoView();
  }, [loaded, hash]);
  // New public comments, the status and the deadline, and newly published versions arrive by themselves.
  useLiveTopic(query.data ? `definition:${query.data.id}` : null);

  if (definition.status === 'loading') {
    return (
      <div className="page">
        <p role="status">Loading the definition…</p>
      </div>
    );
  }
  if (definition.status === 'error') {
    return (
      <DefinitionLoadFailure
        error={definition.error}
        slug={slug}
        notFound={{
          title: 'Nothing published here',
          text: 'There is no published version of a definition at this address, or it belongs to a private group you are not in.',
        }}
        forbiddenTitle="You cannot read this definition"
        reload={definition.retry}
      />
    );
  }

  const current = definition.data;
  const labels = clauseLabels(current.clauses.map((clause) => clause.kind));
  return (
    <div className="page public-definition">
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <ol>
          <li>
            <Link to="/">{user ? 'Groups' : 'Home'}</Link>
          </li>
          <li>
            <Link to={`/groups/${encodeURIComponent(slug)}`}>{slug}</Link>
          </li>
          <li aria-current="page">
            {current.title} (version {current.version.label})
          </li>
        </ol>
      </nav>
      <article aria-labelledby="public-title">
        <header className="definition-header">
          <PageHeading title={current.title}>
            <span id="public-title">{current.title}</span>
          </PageHeading>
          <p className="public-version">
            Version {current.version.label}, published <When at={current.version.publishedAt} />
          </p>
          <PublishedVersions definition={current} />
          <dl className="public-facts">
            <div>
              <dt>Status</dt>
              <dd>
                <span className={`badge badge-status-${current.status}`}>{STATUS_LABELS[current.status]}</span>
              </dd>
            </div>
            <div>
              <dt>Comment deadline</dt>
              <dd>{current.commentDeadline ? <When at={current.commentDeadline} /> : 'None'}</dd>
            </div>
            <div>
              <dt>Register</dt>
              <dd>
                {/* The version applied: AI systems reviewed against it, and who endorses it. */}
                <Link to={registerPagePath(slug, definitionId, current.version.label)}>
                  Systems reviewed against version {current.version.label}, endorsements
                </Link>
              </dd>
            </div>
            <Dispositions slug={slug} definitionId={current.id} />
          </dl>
          <CommentPeriod definition={current} />
        </header>
        <ol className="public-clauses">
          {current.clauses.map((clause, index) => (
            <PublicClauseItem
              key={clause.id}
              definition={current}
              clause={clause}
              label={labels[index]!}
              linkedThreadId={clause.id === linkedClause ? linkedThread : null}
            />
          ))}
        </ol>
        {current.clauses.length === 0 && <p className="empty">This version has no text.</p>}
      </article>
    </div>
  );
}

/** Every published version, the one shown marked; an older one says where the latest is. */
function PublishedVersions({ definition }: { definition: PublicDefinition }) {
  const { pathname } = useLocation();
  if (definition.versions.length < 2) return null;
  const latest = definition.versions[0]!;
  return (
    <>
      {!definition.version.latest && (
        <p className="public-older">
          This is an earlier version. <Link to={pathname}>Read the latest, version {latest.label}</Link>; comments are taken there.
        </p>
      )}
      <nav aria-label="Published versions" className="public-versions">
        <span className="muted">Versions:</span>
        <ul>
          {definition.versions.map((version) => (
            <li key={version.label}>
              {version.label === definition.version.label ? (
                <span aria-current="page">{version.label}</span>
              ) : (
                <Link to={version.label === latest.label ? pathname : `${pathname}?version=${encodeURIComponent(version.label)}`}>{version.label}</Link>
              )}
            </li>
          ))}
        </ul>
      </nav>
    </>
  );
}

/** How the public comments were answered (the public register), once there is a comment to answer. */
function Dispositions({ slug, definitionId }: { slug: string; definitionId: string }) {
  const items = useQuery(dispositionQueries.register(definitionId, PUBLIC_COMMENTS)).data?.items ?? [];
  if (items.length === 0) return null;
  const disposed = items.filter((item) => item.disposition !== null).length;
  return (
    <div>
      <dt>Comments</dt>
      <dd>
        <Link to={publicDispositionsPath(slug, definitionId)}>
          How comments were answered: {disposed} of {items.length} disposed
        </Link>
      </dd>
    </div>
  );
}

/** Whether comments are open, until when, and (for visitors) how to take part. */
function CommentPeriod({ definition }: { definition: PublicDefinition }) {
  const { user } = useSession();
  const location = useLocation();
  const deadline = definition.commentDeadline;
  const ended = deadline !== null && new Date(deadline).getTime() <= Date.now();
  const next = `${location.pathname}${location.search}`;
  return (
    <div className="public-period">
      <p className="public-period-state">
        {definition.commentsOpen ? (
          deadline ? (
            <>
              Comments are open until <When at={deadline} />.
            </>
          ) : (
            'Comments are open.'
          )
        ) : definition.status === 'public-comment' && ended ? (
          'The comment period has ended.'
        ) : definition.status === 'public-comment' ? (
          'Comments are not open to the public.'
        ) : (
          'This definition is not open for public comment.'
        )}
      </p>
      {definition.commentsOpen && definition.version.latest && !user && (
        <p>
          <Link to={loginPath(next)}>Sign in to comment</Link>
          <span className="muted"> — anyone with an account may comment while the period is open.</span>
        </p>
      )}
    </div>
  );
}

function PublicClauseItem({
  definition,
  clause,
  label,
  linkedThreadId,
}: {
  definition: PublicDefinition;
  clause: PublicClause;
  label: string;
  linkedThreadId: string | null;
}) {
  const { user } = useSession();
  const { slug = '' } = useParams();
  // Members read the record behind each clause of a published version (the provenance is theirs, like the draft).
  const member = useQuery({ ...groupQueries.detail(slug), enabled: user !== null && slug !== '' }).data?.myRole != null;
  // The whole clause ({range: null}), or the words selected in its text.
  const [provenance, setProvenance] = useState<{ range: { from: number; to: number } | null } | null>(null);
  const provenanceButton = useRef<HTMLButtonElement>(null);
  const textRef = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState(false);
  // Members may ask about the words they select in the version's text: the button says so while they are selected.
  useEffect(() => {
    if (!member || clause.kind === 'heading') return;
    const update = () => setSelected(selectedRange(textRef.current, clause.text) !== null);
    document.addEventListener('selectionchange', update);
    return () => document.removeEventListener('selectionchange', update);
  }, [member, clause.kind, clause.text]);
  const navigate = useNavigate();
  const [open, setOpen] = useState(linkedThreadId !== null);
  const headingId = `public-clause-${clause.id}`;
  const listId = `public-comments-${clause.id}`;
  const isHeading = clause.kind === 'heading';
  return (
    <li className={`public-clause public-clause-${clause.kind}`}>
      <section aria-labelledby={headingId}>
        {isHeading ? (
          <h2 id={headingId} className="public-heading">
            <span className="visually-hidden">{label}: </span>
            {clause.text}
          </h2>
        ) : (
          <>
            <h2 id={headingId} className="clause-label">
              {label}
            </h2>
            {/* Rendered and sanitized by the server; cleaned again here, as comment bodies are. */}
            {/* biome-ignore lint/security/noDangerouslySetInnerHtml: server-sanitized HTML, cleaned again by cleanCommentHtml */}
            <div ref={textRef} className="public-clause-text" dangerouslySetInnerHTML={{ __html: cleanCommentHtml(clause.html) }} />
          </>
        )}
        {/* Headings take no new comments here; public ones they already have (published by a chair) stay readable. */}
        {(!isHeading || clause.comments > 0) && (
          <div className="public-clause-bar">
            <span className="public-comment-count">{commentCount(clause.comments)}</span>
            <button type="button" className="button button-small" aria-expanded={open} aria-controls={open ? listId : undefined} onClick={() => setOpen(!open)}>
              {open ? 'Hide comments' : 'Show comments'}
              <span className="visually-hidden"> on {label.toLowerCase()}</span>
            </button>
            {member && !isHeading && (
              <button
                ref={provenanceButton}
                type="button"
                className="button button-small"
                // Keep the words selected while the button is pressed.
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => setProvenance({ range: selectedRange(textRef.current, clause.text) })}
              >
                {selected ? 'Provenance of the selection' : 'Provenance'}
                <span className="visually-hidden">
                  {' '}
                  {selected ? 'in' : 'of'} {label.toLowerCase()} in version {definition.version.label}
                </span>
              </button>
            )}
          </div>
        )}
        {provenance && (
          <Deferred>
            <ProvenancePanel
              definitionId={definition.id}
              clauseId={clause.id}
              label={label}
              selection={null}
              range={provenance.range}
              version={definition.version.label}
              // The thread lives in the group's discussion, beside the draft.
              onShowThread={(threadId) => navigate(`${definitionPath(slug, definition.id)}?thread=${encodeURIComponent(threadId)}`)}
              onClose={(restoreFocus) => {
                setProvenance(null);
                if (restoreFocus) provenanceButton.current?.focus();
              }}
            />
          </Deferred>
        )}
        {open && <ClauseComments id={listId} definitionId={definition.id} clauseId={clause.id} label={label} linkedThreadId={linkedThreadId} />}
        {user && definition.commentsOpen && definition.version.latest && !isHeading && (
          <CommentForm definitionId={definition.id} clauseId={clause.id} label={label} onPosted={() => setOpen(true)} />
        )}
      </section>
    </li>
  );
}

/** A clause's public comments, read-only: author, time, and the server's sanitized HTML (cleaned again). */
function ClauseComments({
  id,
  definitionId,
  clauseId,
  label,
  linkedThreadId,
}: {
  id: string;
  definitionId: string;
  clauseId: string;
  label: string;
  linkedThreadId: string | null;
}) {
  const threads = viewOf(useQuery(definitionQueries.publicThreads(definitionId, clauseId)));
  useLinkedTarget(linkedThreadId ? `public-thread-${linkedThreadId}` : null);
  return (
    <div id={id} className="public-comments" role="region" aria-label={`Comments on ${label.toLowerCase()}`}>
      {threads.status === 'loading' && <p role="status">Loading comments…</p>}
      {threads.status === 'error' && (
        <div role="alert" className="alert alert-error">
          <p>{threads.error.message}</p>
          <button type="button" className="button button-small" onClick={threads.retry}>
            Try again
          </button>
        </div>
      )}
      {threads.status === 'ready' &&
        (threads.data.length === 0 ? (
          <p className="empty">No comments yet.</p>
        ) : (
          <ol className="thread-list">
            {threads.data.map((thread) => (
              <li key={thread.id} id={`public-thread-${thread.id}`} tabIndex={-1} className="public-thread">
                <PublicBadge />
                <ThreadComments thread={thread} />
              </li>
            ))}
          </ol>
        ))}
    </div>
  );
}

function ThreadComments({ thread }: { thread: Thread }) {
  const byId = new Map(thread.comments.map((comment) => [comment.id, comment]));
  return (
    <ol className={`comment-list thread thread-${thread.status}`}>
      {thread.comments.map((comment) => {
        const parent = comment.replyTo ? byId.get(comment.replyTo) : undefined;
        return (
          <li key={comment.id} className={`comment comment-${comment.state}`}>
            <p className="comment-meta">
              <strong>{comment.author.displayName}</strong> <When at={comment.createdAt} />
              {parent && <span className="muted"> · in reply to {parent.author.displayName}</span>}
            </p>
            {comment.state === 'deleted' ? (
              <p className="comment-placeholder">Comment deleted.</p>
            ) : comment.bodyHtml === null ? (
              <p className="comment-placeholder">Hidden by a moderator: {comment.hiddenReason}</p>
            ) : (
              // Sanitized on the server, and cleaned once more in an inert document (commentHtml.ts).
              // biome-ignore lint/security/noDangerouslySetInnerHtml: server-sanitized HTML, cleaned again by cleanCommentHtml
              <div className="comment-body" dangerouslySetInnerHTML={{ __html: cleanCommentHtml(comment.bodyHtml) }} />
            )}
          </li>
        );
      })}
    </ol>
  );
}

function CommentForm({ definitionId, clauseId, label, onPosted }: { definitionId: string; clauseId: string; label: string; onPosted(): void }) {
  const form = useApiForm({ body: { label: 'Your comment' } });
  const client = useQueryClient();
  const [done, setDone] = useState<string | null>(null);
  const [body, setBody] = useState('');
  const headingId = `comment-form-${clauseId}`;

  const submit = form.onSubmit(
    async (values) => {
      setDone(null);
      // Written where the public reads, by members too (who would otherwise start an internal thread).
      await startThreadFor(definitionId, { clauseId, body: values.body.trim(), audience: 'public' });
      setBody('');
      setDone('Your comment has been posted.');
      // The clause's comments and the page's counts.
      void client.invalidateQueries({ queryKey: queryKeys.threads(definitionId) });
      void client.invalidateQueries({ queryKey: queryKeys.publicDefinition(definitionId) });
      onPosted();
    },
    (values) => (values.body.trim() === '' ? { body: 'Your comment is required' } : {}),
  );

  return (
    <form className="form public-comment-form" aria-labelledby={headingId} onSubmit={submit} noValidate>
      <h3 id={headingId} className="public-comment-form-title">
        Comment on {label.toLowerCase()}
      </h3>
      <FormAlert message={form.formError} />
      <TextAreaField
        {...form.field('body')}
        hint={AUDIENCE_NOTES.public}
        value={body}
        onChange={(event) => setBody(event.target.value)}
        rows={3}
        maxLength={20_000}
        required
      />
      <div className="form-actions">
        <SubmitButton pending={form.pending} pendingText="Posting…">
          Post comment
        </SubmitButton>
      </div>
      <StatusMessage message={done} />
    </form>
  );
}

/**
 * The reader's selection inside a clause's rendered text, as offsets in the clause's plain text; null
 * when nothing of it is selected, or when the HTML does not read exactly as the clause's text (then the
 * whole clause is asked about rather than the wrong words).
 */
function selectedRange(container: HTMLElement | null, text: string): { from: number; to: number } | null {
  const selection = document.getSelection();
  if (!container || !selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!range.intersectsNode(container)) return null;
  const read = renderedPlainRange(container, range);
  return read.text === text ? read.range : null;
}

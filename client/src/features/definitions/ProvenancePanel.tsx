import { useQuery } from '@tanstack/react-query';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { type MouseEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { Provenance } from '@draftroom/shared';
import { provenanceQuery } from '../../api/provenance.ts';
import { viewOf } from '../../api/queries.ts';
import { KIND_LABELS, OUTCOME_LABELS, percent, STATUS_LABELS } from '../decisions/labels.ts';
import { AUTHOR_COLORS, authorsOf, BlameText } from '../history/BlameView.tsx';
import { When } from '../history/When.tsx';
import { definitionPath } from './paths.ts';
import { plainRange } from './plainRange.ts';
import './provenance.css';

/** The words the reader selected in a clause's editor: the document as it was then, and where. */
export interface ProvenanceSelection {
  doc: ProseMirrorNode;
  from: number;
  to: number;
}

type Amendment = Provenance['amendments'][number];
type Ballot = Provenance['ballots'][number];
type Thread = Provenance['threads'][number];
type Version = Provenance['versions'][number];

const AMENDMENT_STATUS: Record<string, string> = { proposed: 'Open', open: 'Open', accepted: 'Accepted', rejected: 'Rejected', withdrawn: 'Withdrawn' };
const VERSION_CHANGE: Record<Version['change'], string> = {
  added: 'Added',
  changed: 'Changed',
  unchanged: 'Unchanged',
  removed: 'Removed',
  absent: 'Not in it yet',
};

interface ProvenancePanelProps {
  definitionId: string;
  clauseId: string;
  /** "Clause 2". */
  label: string;
  /** A stretch of the clause the reader selected; the whole clause when null. */
  selection: ProvenanceSelection | null;
  /** As of this published version (its text, its authors, the record up to its publication); the draft when absent. */
  version?: string | null;
  /** A stretch given as plain-text offsets already (selected in a version's rendered text, not in an editor). */
  range?: { from: number; to: number } | null;
  /** `restoreFocus`: false when the reader followed a link to a thread, which takes the focus itself. */
  onClose(restoreFocus: boolean): void;
  /** Puts the focus on a thread already shown in the discussion. */
  onShowThread(threadId: string): void;
}

/**
 * Why a clause (or the selected stretch of it) says what it says, in a modal <dialog>: who wrote each
 * part, the amendments proposed on it, the ballots that decided it, the threads raised on it and what
 * each published version did to it. Escape closes it; the clause gets the focus back.
 */
export function ProvenancePanel({
  definitionId,
  clauseId,
  label,
  selection,
  version = null,
  range: given = null,
  onClose,
  onShowThread,
}: ProvenancePanelProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const restoreFocus = useRef(true);
  const headingId = useId();
  const lower = label.toLowerCase();
  // Offsets in the clause's plain text as the editor's document had it when the reader asked.
  const [range] = useState(() => (selection ? plainRange(selection.doc, selection.from, selection.to) : given));
  const provenance = viewOf(useQuery(provenanceQuery(definitionId, clauseId, range, version)));
  const title = `${range ? `Provenance of the selection in ${lower}` : `Provenance of ${lower}`}${version ? ` in version ${version}` : ''}`;

  useEffect(() => {
    const element = dialog.current;
    // No close() on unmount: removing the element ends the modal state (see PublishDialog).
    if (element && !element.open) element.showModal();
    // A long read: the reader starts at its title, not on its first link.
    heading.current?.focus();
  }, []);

  function close(restore: boolean) {
    restoreFocus.current = restore;
    dialog.current?.close();
  }

  return (
    <dialog ref={dialog} className="dialog provenance" aria-labelledby={headingId} onClose={() => onClose(restoreFocus.current)}>
      <div className="provenance-head">
        <h2 id={headingId} ref={heading} tabIndex={-1}>
          {title}
        </h2>
        <button type="button" className="button button-small" onClick={() => close(true)}>
          Close
        </button>
      </div>
      <p className="muted provenance-intro">Who wrote it, what was proposed and decided on it, and what each published version did to it — from the record.</p>
      {provenance.status === 'loading' && <p role="status">Loading the provenance…</p>}
      {provenance.status === 'error' && (
        <div role="alert" className="alert alert-error">
          <p>{provenance.error.message}</p>
          <button type="button" className="button button-small" onClick={provenance.retry}>
            Try again
          </button>
        </div>
      )}
      {provenance.status === 'ready' && (
        <ProvenanceRecord data={provenance.data} definitionId={definitionId} onThread={() => close(false)} onShowThread={onShowThread} />
      )}
    </dialog>
  );
}

interface RecordProps {
  data: Provenance;
  definitionId: string;
  /** A link to a thread was followed: the panel closes. */
  onThread(): void;
  onShowThread(threadId: string): void;
}

function ProvenanceRecord({ data, definitionId, onThread, onShowThread }: RecordProps) {
  const { slug = '' } = useParams();
  const base = definitionPath(slug, definitionId);
  const whole = data.range === null;
  return (
    <>
      {data.range && (
        <figure className="provenance-selection">
          <figcaption>The selection</figcaption>
          <blockquote className="provenance-quote">{data.range.text}</blockquote>
          <p className="muted provenance-note">Who wrote it is told for these words; amendments, ballots and versions are the whole clause’s.</p>
        </figure>
      )}
      <Section title="Who wrote it">
        <Authors data={data} />
      </Section>
      <Section title="Amendments">
        {data.amendments.length === 0 ? (
          <p className="empty">No amendment was proposed on this clause.</p>
        ) : (
          <ol className="provenance-list">
            {data.amendments.map((amendment) => (
              <AmendmentItem key={amendment.id} amendment={amendment} />
            ))}
          </ol>
        )}
      </Section>
      <Section title="Ballots">
        {data.ballots.length === 0 ? (
          <p className="empty">No ballot was held on this clause.</p>
        ) : (
          <ol className="provenance-list">
            {data.ballots.map((ballot) => (
              <BallotItem key={ballot.id} ballot={ballot} href={`${base}/decisions?ballot=${encodeURIComponent(ballot.id)}`} />
            ))}
          </ol>
        )}
      </Section>
      <Section title="Threads">
        {data.threads.length === 0 ? (
          <p className="empty">No thread was started on this clause.</p>
        ) : (
          <ol className="provenance-list">
            {data.threads.map((thread) => (
              <ThreadItem key={thread.id} thread={thread} whole={whole} onThread={onThread} onShowThread={onShowThread} />
            ))}
          </ol>
        )}
      </Section>
      <Section title="Versions">
        {data.versions.length === 0 ? (
          <p className="empty">No version has been published yet.</p>
        ) : (
          <ol className="provenance-list provenance-versions">
            {data.versions.map((version, index) => (
              <VersionItem key={version.label} version={version} previous={data.versions[index - 1] ?? null} base={base} />
            ))}
          </ol>
        )}
      </Section>
    </>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="provenance-section">
      <h3 id={id}>{title}</h3>
      {children}
    </section>
  );
}

function Authors({ data }: { data: Provenance }) {
  if (data.authors.length === 0 || data.text === '') return <p className="empty">This clause has no text yet.</p>;
  // Numbered as the marks in the text are: by first appearance, not by share.
  const { indexOf } = authorsOf(data.authors);
  return (
    <>
      <BlameText runs={data.authors} numbered />
      <ul className="provenance-contributors" aria-label="Contributors">
        {data.contributors.map((contributor) => {
          const index = contributor.person ? indexOf.get(contributor.person.id) : undefined;
          const characters = contributor.characters === 1 ? '1 character' : `${contributor.characters} characters`;
          return (
            <li key={contributor.person?.id ?? 'unknown'} className={index === undefined ? undefined : `blame-author blame-author-${index % AUTHOR_COLORS}`}>
              {index !== undefined && (
                <span className="blame-swatch provenance-number" aria-hidden="true">
                  {index + 1}
                </span>
              )}{' '}
              <strong>{contributor.person?.displayName ?? 'Not attributed'}</strong>
              <span className="muted"> · {characters}</span>
            </li>
          );
        })}
      </ul>
      <p className="muted provenance-note">Characters count letters and signs, not spaces. Point at or tab to a part of the text for who wrote it and when.</p>
    </>
  );
}

function AmendmentItem({ amendment }: { amendment: Amendment }) {
  const status = AMENDMENT_STATUS[amendment.status] ?? amendment.status;
  return (
    <li className="provenance-item">
      <p className="provenance-line">
        <span className={`badge badge-amendment-${amendment.status}`}>{status}</span> Proposed by <strong>{amendment.author.displayName}</strong> on{' '}
        <When at={amendment.createdAt} />
      </p>
      <figure className="provenance-wording">
        <figcaption className="muted">Proposed wording</figcaption>
        <blockquote className="provenance-quote">{amendment.proposedText}</blockquote>
      </figure>
      {amendment.rationale && (
        <p className="provenance-reason">
          <span className="muted">Why: </span>
          {amendment.rationale}
        </p>
      )}
      {amendment.decidedAt ? (
        <p className="provenance-line">
          {status}
          {amendment.decidedBy && (
            <>
              {' '}
              by <strong>{amendment.decidedBy.displayName}</strong>
            </>
          )}{' '}
          on <When at={amendment.decidedAt} />
          {amendment.reason && <>: “{amendment.reason}”</>}
        </p>
      ) : (
        status === 'Open' && <p className="muted provenance-line">Not decided yet.</p>
      )}
    </li>
  );
}

/**
 * "Binding vote; quorum 50% of the eligible voters; needs at least 50% support; public …". The answer
 * does not say whether the ballot chose between wordings, so the threshold is told in general terms;
 * the result says exactly how it was applied.
 */
function rulesInWords(rules: Ballot['rules']): string {
  const parts = [KIND_LABELS[rules.kind as keyof typeof KIND_LABELS] ?? rules.kind];
  parts.push(rules.quorum > 0 ? `quorum ${percent(rules.quorum)} of the eligible voters` : 'no quorum');
  parts.push(rules.kind === 'consensus' ? 'passes unless somebody objects' : `needs at least ${percent(rules.threshold)} support`);
  parts.push(rules.secret ? 'secret (who voted is shown, never how)' : 'public (every vote is shown with the results)');
  return `${parts.join('; ')}.`;
}

function BallotItem({ ballot, href }: { ballot: Ballot; href: string }) {
  const closed = ballot.status === 'closed';
  const { dissent, turnout } = ballot;
  return (
    <li className="provenance-item">
      <h4 className="provenance-item-title">{ballot.title}</h4>
      <p className="provenance-line">
        <span className={`badge badge-ballot-${ballot.status}`}>{STATUS_LABELS[ballot.status as keyof typeof STATUS_LABELS] ?? ballot.status}</span>{' '}
        {ballot.outcome && (
          <span className={`badge badge-outcome-${ballot.outcome}`}>{OUTCOME_LABELS[ballot.outcome as keyof typeof OUTCOME_LABELS] ?? ballot.outcome}</span>
        )}
      </p>
      <dl className="provenance-facts">
        <dt>Rules</dt>
        <dd>{rulesInWords(ballot.rules)}</dd>
        {ballot.openedAt && (
          <>
            <dt>Opened</dt>
            <dd>
              <When at={ballot.openedAt} />
            </dd>
          </>
        )}
        {ballot.closedAt && (
          <>
            <dt>{closed ? 'Closed' : 'Ended'}</dt>
            <dd>
              <When at={ballot.closedAt} />
            </dd>
          </>
        )}
        {turnout && (
          <>
            <dt>Turnout</dt>
            <dd>
              {turnout.voted} of {turnout.eligible} eligible voted
              {turnout.abstained + turnout.recused > 0 && ` (${turnout.abstained} abstained, ${turnout.recused} recused)`}
            </dd>
          </>
        )}
        {ballot.outcome && (
          <>
            <dt>Result</dt>
            <dd>
              {OUTCOME_LABELS[ballot.outcome as keyof typeof OUTCOME_LABELS] ?? ballot.outcome}
              {ballot.decidedBy && ` — ${ballot.decidedBy}`}
            </dd>
          </>
        )}
        {closed && (
          <>
            <dt>Objections</dt>
            <dd>
              {dissent.objections === 0 ? 'None' : dissent.objections}
              {dissent.objections > 0 && dissent.reasons.length === 0 && ballot.rules.secret && ' (a secret ballot: who objected is not shown)'}
            </dd>
          </>
        )}
      </dl>
      {dissent.reasons.length > 0 && (
        <ul className="provenance-objections" aria-label={`Objections to “${ballot.title}”`}>
          {dissent.reasons.map((reason, index) => (
            <li key={index}>
              <strong>{reason.voter}</strong> objected: “{reason.rationale}”
            </li>
          ))}
        </ul>
      )}
      {!closed && ballot.status !== 'cancelled' && <p className="muted provenance-line">Results and objections are counted when it closes.</p>}
      <p className="provenance-line">
        <Link to={href}>
          Open the ballot<span className="visually-hidden"> “{ballot.title}”</span>
        </Link>
      </p>
    </li>
  );
}

interface ThreadItemProps {
  thread: Thread;
  /** About the whole clause: whether a thread quotes the selection is not asked. */
  whole: boolean;
  onThread(): void;
  onShowThread(threadId: string): void;
}

function ThreadItem({ thread, whole, onThread, onShowThread }: ThreadItemProps) {
  const [params] = useSearchParams();
  const resolved = thread.status === 'resolved';
  const comments = thread.comments === 1 ? '1 comment' : `${thread.comments} comments`;
  // The page opens the thread a `?thread=` link names, once per link: following the same link again shows it directly.
  const follow = (event: MouseEvent) => {
    if (params.get('thread') === thread.id) {
      event.preventDefault();
      onShowThread(thread.id);
    }
    onThread();
  };
  return (
    <li className="provenance-item">
      <p className="provenance-line">
        <span className={`badge${resolved ? ' badge-ballot-closed' : ''}`}>{resolved ? 'Resolved' : 'Open'}</span>{' '}
        {thread.audience === 'public' ? <span className="badge badge-public">Public</span> : <span className="badge">Members only</span>}{' '}
        {!whole && thread.inRange !== null && <span className="badge">{thread.inRange ? 'Quotes the selection' : 'Elsewhere in the clause'}</span>}
      </p>
      {thread.quote && <blockquote className="provenance-quote">{thread.quote}</blockquote>}
      <p className="provenance-line">
        Started by <strong>{thread.author.displayName}</strong> on <When at={thread.createdAt} /> · {comments}
      </p>
      {resolved && thread.resolvedAt && (
        <p className="provenance-line">
          Resolved{' '}
          {thread.resolvedBy && (
            <>
              by <strong>{thread.resolvedBy.displayName}</strong>{' '}
            </>
          )}
          on <When at={thread.resolvedAt} />
        </p>
      )}
      <p className="provenance-line">
        <Link to={{ search: `?thread=${encodeURIComponent(thread.id)}` }} onClick={follow}>
          Go to the thread<span className="visually-hidden"> started by {thread.author.displayName}</span>
        </Link>
      </p>
    </li>
  );
}

interface VersionItemProps {
  version: Version;
  previous: Version | null;
  base: string;
}

function VersionItem({ version, previous, base }: VersionItemProps) {
  const shows = version.text !== null && (version.change === 'added' || version.change === 'changed');
  return (
    <li className="provenance-item">
      <p className="provenance-line">
        <Link to={`${base}/versions?version=${encodeURIComponent(version.label)}`}>Version {version.label}</Link>{' '}
        <span className={`badge provenance-change-${version.change}`}>{VERSION_CHANGE[version.change]}</span>
        <span className="muted">
          {' '}
          · published <When at={version.publishedAt} />
        </span>
      </p>
      {shows && (
        <figure className="provenance-wording">
          <figcaption className="muted">Its text in version {version.label}</figcaption>
          <blockquote className="provenance-quote">{version.text}</blockquote>
        </figure>
      )}
      {version.change === 'unchanged' && previous && <p className="muted provenance-line">The same text as in version {previous.label}.</p>}
      {version.change === 'removed' && <p className="muted provenance-line">The clause was no longer in this version.</p>}
      {version.change === 'changed' && previous && (
        <p className="provenance-line">
          <Link to={`${base}/diff?${new URLSearchParams({ from: previous.label, to: version.label }).toString()}`}>Changes since version {previous.label}</Link>
        </p>
      )}
    </li>
  );
}

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { clauseLabelMap, type Ballot, type DefinitionDetail, type MatrixMark } from '@draftroom/shared';
import { acceptAmendment } from '../../api/amendments.ts';
import { cancelBallot, closeBallot, openBallot } from '../../api/ballots.ts';
import { ApiError } from '../../api/client.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { FormAlert, StatusMessage } from '../../forms/fields.tsx';
import { formErrorMessage } from '../../forms/messages.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { When } from '../history/When.tsx';
import { BallotResults } from './BallotResults.tsx';
import { KIND_LABELS, MARK_LABELS, STATUS_LABELS, outcomeBadge, outcomeText, positionLabel, rulesInWords, subjectInWords } from './labels.ts';
import { VoteForm } from './VoteForm.tsx';
import { MatrixTable } from './MatrixTable.tsx';
import { usePendingVote, useVote, withPendingVote } from './useVote.ts';
import { Deferred, lazyPart } from '../../layout/lazyPart.tsx';

// Editing a draft ballot's rules: loaded when first opened, not with every ballot shown.
const BallotDialog = lazyPart(async () => (await import('./BallotDialog.tsx')).BallotDialog);

export interface BallotViewProps {
  ballot: Ballot;
  definition: DefinitionDetail;
  onChange(ballot: Ballot): void;
  /** Beside a clause the subject goes without saying and headings sit one level lower. */
  variant: 'clause' | 'page';
  /** Whether the details (rules, votes, results) start shown; the summary always is. */
  defaultExpanded?: boolean;
  /** Takes the focus to the title once rendered (after following a link to this ballot). */
  focusOnMount?: boolean;
  /**
   * Where to announce a change of status (opened, closed, cancelled), when the ballot then moves to
   * another list and this view, with its own status message, leaves the page.
   */
  onStatusAnnounce?(message: string): void;
}

/** "Adopt clause 1" in a button's hidden text, so that several ballots' buttons stay distinct. */
function Quiet({ children }: { children: string }) {
  return <span className="visually-hidden">{children}</span>;
}

/**
 * One ballot: what it is about, its rules in words, the deadline in UTC and local time, turnout and
 * who voted (always shown, secret ballots too), the viewer's vote and, when visible, the results.
 * Chairs manage it from here; eligible voters vote and change their vote until it closes. Others'
 * votes (the turnout, live results), opening and closing arrive over the live channel.
 */
export function BallotView({ ballot: stored, definition, onChange, variant, defaultExpanded = true, focusOnMount = false, onStatusAnnounce }: BallotViewProps) {
  const { user } = useSession();
  const vote = useVote(stored);
  const sending = usePendingVote(stored.id);
  // My vote shows as soon as I cast it, until the server has it (or refuses it).
  const ballot = sending && user ? withPendingVote(stored, sending, user) : stored;
  const headingId = useId();
  const detailsId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [expanded, setExpanded] = useState(defaultExpanded);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const [voteError, setVoteError] = useState<string | null>(null);
  const labels = clauseLabelMap(definition.clauses);
  const clauseLabelOf = (clauseId: string) => labels.get(clauseId) ?? null;
  const format = ballot.format;
  const H = variant === 'clause' ? 'h4' : 'h3';
  const Sub = variant === 'clause' ? 'h5' : 'h4';

  useEffect(() => {
    if (focusOnMount) {
      heading.current?.focus();
      heading.current?.scrollIntoView({ block: 'start' });
    }
  }, [focusOnMount]);

  // The button pressed (Open voting, Yes, close now) is gone after a change of status: the title takes the
  // focus. Counted, not read off the status: the live channel may have shown the new status before the
  // action's own answer came, and then the status does not change again when it does.
  const [statusChanges, setStatusChanges] = useState(0);
  useEffect(() => {
    if (statusChanges > 0) heading.current?.focus();
  }, [statusChanges]);

  const changed = (updated: Ballot, message: string) => {
    if (updated.status !== ballot.status) setStatusChanges((count) => count + 1);
    if (onStatusAnnounce && updated.status !== ballot.status) onStatusAnnounce(message);
    else setAnnouncement(message);
    onChange(updated);
  };

  return (
    <article className={`ballot ballot-${ballot.status} ballot-${variant}`} aria-labelledby={headingId} data-ballot-id={ballot.id}>
      <div className="ballot-head">
        <H id={headingId} ref={heading} tabIndex={-1} className="ballot-title">
          {variant === 'clause' && <span className="visually-hidden">Ballot: </span>}
          {ballot.title}
        </H>
        <p className="ballot-badges">
          <span className={`badge badge-ballot-${ballot.status}`}>{STATUS_LABELS[ballot.status]}</span>{' '}
          <span className="badge badge-ballot-kind">{KIND_LABELS[ballot.rules.kind]}</span>{' '}
          {ballot.rules.secret && <span className="badge badge-ballot-kind">Secret</span>}{' '}
          {ballot.result && ballot.status === 'closed' && (
            <span className={`badge badge-outcome-${ballot.result.outcome}`}>{outcomeBadge(ballot, ballot.result)}</span>
          )}
        </p>
      </div>
      {variant === 'page' && <p className="ballot-subject-line">{subjectInWords(ballot.subject, clauseLabelOf)}</p>}

      <dl className="ballot-facts">
        <div>
          <dt>{ballot.status === 'closed' ? 'Closed' : ballot.status === 'cancelled' ? 'Cancelled' : 'Closes'}</dt>
          <dd className="ballot-deadline">
            {ballot.status === 'closed' && ballot.closedAt ? (
              <>
                <When at={ballot.closedAt} /> {ballot.closedBy ? `by ${ballot.closedBy.displayName}` : 'at its closing time'}
              </>
            ) : ballot.status === 'cancelled' ? (
              ballot.cancelledReason ? (
                `Reason: ${ballot.cancelledReason}`
              ) : (
                'Cancelled'
              )
            ) : (
              <When at={ballot.rules.closesAt} />
            )}
          </dd>
        </div>
        <div>
          <dt>Turnout</dt>
          <dd className="ballot-turnout">
            {ballot.eligibleCount === null
              ? 'Eligible voters are counted when voting opens'
              : `${ballot.votedCount} of ${ballot.eligibleCount} eligible ${ballot.eligibleCount === 1 ? 'voter has' : 'voters have'} voted`}
          </dd>
        </div>
        <div>
          <dt>Voted</dt>
          <dd className="ballot-voters">{ballot.voters.length === 0 ? 'Nobody yet' : ballot.voters.map((entry) => entry.voter.displayName).join(', ')}</dd>
        </div>
        {ballot.result && (
          <div>
            <dt>{ballot.status === 'closed' ? 'Outcome' : 'Outcome so far'}</dt>
            <dd className="ballot-outcome">
              {outcomeText(ballot, ballot.result)}
              {format === 'choice' && ballot.result.winner !== undefined && (
                <> · {ballot.result.winner ? `Winner: ${positionLabel(ballot, ballot.result.winner)}` : 'No winner'}</>
              )}
            </dd>
          </div>
        )}
      </dl>

      <div className="ballot-bar">
        <button
          type="button"
          className="button button-small button-quiet"
          aria-expanded={expanded}
          aria-controls={detailsId}
          onClick={() => setExpanded(!expanded)}
        >
          {expanded ? 'Hide details' : 'Show details'}
          <Quiet>{` of ${ballot.title}`}</Quiet>
        </button>
      </div>
      <StatusMessage message={announcement} />
      <FormAlert message={voteError} />

      <div id={detailsId} className="ballot-details" hidden={!expanded}>
        <SubjectText ballot={ballot} Sub={Sub} />

        <section className="ballot-rules" aria-label={`Rules of ${ballot.title}`}>
          <Sub>Rules</Sub>
          <p className="ballot-rules-note">
            {ballot.status === 'draft'
              ? 'These rules can still change until the ballot opens.'
              : 'These rules were fixed when voting opened and can no longer change.'}
          </p>
          <ul>
            {rulesInWords(ballot.rules, format).map((sentence) => (
              <li key={sentence}>{sentence}</li>
            ))}
          </ul>
        </section>

        <ManageBallot ballot={ballot} definition={definition} onChanged={changed} />

        {ballot.myVote && (
          <section className="ballot-my-vote" aria-label={`Your vote on ${ballot.title}`}>
            <p>
              <strong>Your vote:</strong> {positionLabel(ballot, ballot.myVote.position)}
              {sending && <span className="muted"> (sending…)</span>}
              {ballot.myVote.castAt && (
                <>
                  , cast <When at={ballot.myVote.castAt} />
                </>
              )}
              {ballot.myVote.outdated && <span className="badge badge-stale"> Cast on an older text</span>}
            </p>
            {ballot.myVote.outdated && <TextSeen text={ballot.myVote.textSeen} />}
            {ballot.myVote.rationale && <p className="ballot-rationale">{ballot.myVote.rationale}</p>}
            {ballot.subject.kind === 'matrix' && ballot.myVote.marks && (
              <MyMarks rows={ballot.subject.rows} columns={ballot.subject.columns} marks={ballot.myVote.marks} />
            )}
            {ballot.myVote.history.length > 0 && (
              <details className="ballot-history">
                <summary>Your earlier votes ({ballot.myVote.history.length})</summary>
                <ol>
                  {ballot.myVote.history.map((earlier, i) => (
                    <li key={i}>
                      {positionLabel(ballot, earlier.position)}
                      {earlier.castAt && (
                        <>
                          , <When at={earlier.castAt} />
                        </>
                      )}
                      {earlier.rationale && `: ${earlier.rationale}`}
                    </li>
                  ))}
                </ol>
              </details>
            )}
          </section>
        )}

        {ballot.allowedActions.includes('vote') && <VoteForm ballot={ballot} vote={vote} onVoted={changed} onFailed={setVoteError} Sub={Sub} />}

        {ballot.result && <BallotResults ballot={ballot} result={ballot.result} Sub={Sub} />}

        {ballot.status === 'closed' && <AcceptWinner ballot={ballot} definition={definition} onAccepted={setAnnouncement} />}

        {ballot.votes.length > 0 && (
          <section className="ballot-votes" aria-label={`How each person voted on ${ballot.title}`}>
            <Sub>How each person voted</Sub>
            <ul>
              {ballot.votes.map((vote) => (
                <li key={vote.voter.id}>
                  <strong>{vote.voter.displayName}</strong>
                  {ballot.subject.kind === 'matrix' && vote.marks ? (
                    <MyMarks
                      rows={ballot.subject.rows}
                      columns={ballot.subject.columns}
                      marks={vote.marks}
                      caption={`Marks of ${vote.voter.displayName}`}
                      className="matrix-voter"
                    />
                  ) : (
                    <>: {positionLabel(ballot, vote.position)}</>
                  )}
                  {vote.outdated && <span className="badge badge-stale"> Cast on an older text</span>}
                  {vote.rationale && <span className="ballot-rationale"> — {vote.rationale}</span>}
                  {vote.outdated && <TextSeen text={vote.textSeen} />}
                  {vote.history.length > 0 && (
                    <span className="muted"> (changed from {vote.history.map((earlier) => positionLabel(ballot, earlier.position)).join(', then ')})</span>
                  )}
                </li>
              ))}
            </ul>
          </section>
        )}
        <p className="muted ballot-created">
          Drafted by {ballot.createdBy.displayName} on <When at={ballot.createdAt} />
          {ballot.openedAt && (
            <>
              ; opened on <When at={ballot.openedAt} />
            </>
          )}
          .
        </p>
      </div>
    </article>
  );
}

/** The grid as the viewer marked it, read-only. */
function MyMarks({
  rows,
  columns,
  marks,
  caption = 'Your marks',
  className = 'matrix-mine',
}: {
  rows: string[];
  columns: string[];
  marks: MatrixMark[][];
  caption?: string;
  className?: string;
}) {
  return (
    <MatrixTable
      className={className}
      caption={caption}
      rows={rows}
      columns={columns}
      cell={(r, c, _row, column) => {
        const mark = marks[r]?.[c];
        return (
          <td key={column} className={mark ? `mark mark-${mark}` : undefined}>
            {mark ? MARK_LABELS[mark] : '—'}
          </td>
        );
      }}
    />
  );
}

function SubjectText({ ballot, Sub }: { ballot: Ballot; Sub: 'h4' | 'h5' }) {
  const format = ballot.format;
  const wordings = format === 'choice' ? ballot.options.filter((option) => option.text !== undefined) : [];
  return (
    <>
      {ballot.textChanged && (
        <p className="ballot-warning" role="note">
          The clause text changed while the ballot was open. Votes cast on an older text are marked.
        </p>
      )}
      {ballot.subjectText !== null && (
        <section className="ballot-subject-text" aria-label={`Text voted on in ${ballot.title}`}>
          <Sub>{ballot.status === 'draft' ? 'The text now' : 'The text when voting opened'}</Sub>
          <blockquote>{ballot.subjectText}</blockquote>
          {ballot.finalText !== null && ballot.finalText !== ballot.subjectText && (
            <>
              <Sub>The text when it closed</Sub>
              <blockquote>{ballot.finalText}</blockquote>
            </>
          )}
        </section>
      )}
      {wordings.length > 0 && (
        <section className="ballot-wordings" aria-label={`Wordings in ${ballot.title}`}>
          <Sub>The wordings</Sub>
          <dl>
            {wordings.map((option) => (
              <div key={option.id}>
                <dt>{option.label}</dt>
                <dd>
                  <blockquote>{option.text}</blockquote>
                </dd>
              </div>
            ))}
          </dl>
        </section>
      )}
    </>
  );
}

/** The chair's controls: edit a draft, open, close, cancel with a reason. */
function ManageBallot({ ballot, definition, onChanged }: { ballot: Ballot; definition: DefinitionDetail; onChanged(ballot: Ballot, message: string): void }) {
  const can = (action: Ballot['allowedActions'][number]) => ballot.allowedActions.includes(action);
  const [editing, setEditing] = useState(false);
  const [confirmingClose, setConfirmingClose] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const reasonId = useId();
  const editButton = useRef<HTMLButtonElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const confirmClose = useRef<HTMLButtonElement>(null);
  const reasonBox = useRef<HTMLTextAreaElement>(null);
  const returnTo = useRef<HTMLButtonElement | null>(null);

  useEffect(() => {
    if (confirmingClose) confirmClose.current?.focus();
  }, [confirmingClose]);
  useEffect(() => {
    if (!editing && !confirmingClose && !cancelling && returnTo.current) returnTo.current.focus();
    returnTo.current = null;
  }, [editing, confirmingClose, cancelling]);

  if (!can('edit') && !can('open') && !can('close') && !can('cancel')) return null;
  const title = ballot.title;

  async function act(work: () => Promise<Ballot>, message: string) {
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      const updated = await work();
      setConfirmingClose(false);
      setCancelling(false);
      onChanged(updated, message);
    } catch (failure) {
      setError(failure instanceof ApiError ? formErrorMessage(failure) : 'Something went wrong. Try again.');
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="ballot-manage" aria-label={`Manage ${title}`}>
      <div className="ballot-actions">
        {can('edit') && (
          <button ref={editButton} type="button" className="button button-small" aria-haspopup="dialog" onClick={() => setEditing(true)}>
            Edit draft<Quiet>{` ${title}`}</Quiet>
          </button>
        )}
        {can('open') && (
          <button
            type="button"
            className="button button-small button-primary"
            aria-disabled={pending || undefined}
            onClick={() => void act(() => openBallot(ballot.id), `Voting is open on “${title}”.`)}
          >
            Open voting<Quiet>{` on ${title}`}</Quiet>
          </button>
        )}
        {can('close') && !confirmingClose && (
          <button ref={closeButton} type="button" className="button button-small" onClick={() => setConfirmingClose(true)}>
            Close voting<Quiet>{` on ${title}`}</Quiet>
          </button>
        )}
        {can('cancel') && !cancelling && (
          <button type="button" className="button button-small button-quiet" onClick={() => setCancelling(true)}>
            Cancel ballot<Quiet>{` ${title}`}</Quiet>
          </button>
        )}
      </div>
      {confirmingClose && (
        <div className="confirm" role="group" aria-label={`Close voting on ${title}?`}>
          <p>Close voting now? The result is computed once and cannot change.</p>
          <button
            ref={confirmClose}
            type="button"
            className="button button-small button-danger"
            aria-disabled={pending || undefined}
            onClick={() => void act(() => closeBallot(ballot.id), `Voting on “${title}” is closed.`)}
          >
            {pending ? 'Closing…' : 'Yes, close now'}
          </button>
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              returnTo.current = closeButton.current;
              setConfirmingClose(false);
            }}
          >
            Keep it open
          </button>
        </div>
      )}
      {cancelling && (
        <form
          className="comment-form ballot-cancel"
          aria-label={`Cancel ${title}`}
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (!reason.trim()) {
              setReasonError('Reason is required');
              reasonBox.current?.focus();
              return;
            }
            setReasonError(null);
            void act(() => cancelBallot(ballot.id, reason.trim()), `“${title}” was cancelled.`);
          }}
        >
          <div className={`field${reasonError ? ' field-invalid' : ''}`}>
            <label htmlFor={reasonId}>Reason for cancelling</label>
            <p id={`${reasonId}-hint`} className="field-hint">
              Recorded with the ballot for everyone to see.
            </p>
            <textarea
              ref={reasonBox}
              id={reasonId}
              value={reason}
              rows={3}
              maxLength={5000}
              autoFocus
              aria-invalid={reasonError ? true : undefined}
              aria-describedby={`${reasonId}-hint${reasonError ? ` ${reasonId}-error` : ''}`}
              onChange={(event) => setReason(event.target.value)}
            />
            {reasonError && (
              <p id={`${reasonId}-error`} className="field-error">
                <span className="visually-hidden">Error: </span>
                {reasonError}
              </p>
            )}
          </div>
          <div className="form-actions">
            <button type="submit" className="button button-small button-danger" aria-disabled={pending || undefined}>
              Cancel the ballot
            </button>
            <button type="button" className="button button-small" onClick={() => setCancelling(false)}>
              Keep it
            </button>
          </div>
        </form>
      )}
      <FormAlert message={error} />
      {editing && (
        <Deferred>
          <BallotDialog
            definition={definition}
            existing={ballot}
            onClose={() => {
              returnTo.current = editButton.current;
              setEditing(false);
            }}
            onSaved={(updated) => {
              returnTo.current = editButton.current;
              setEditing(false);
              onChanged(updated, 'The draft was saved.');
            }}
          />
        </Deferred>
      )}
    </section>
  );
}

/**
 * A closed choice that an amendment won: those who decide amendments (chairs, editors) apply it in one
 * step — the accept endpoint writes it into the clause as the proposer's edit. The ballot itself never
 * changes the text: the decision to apply stays a person's, and is recorded as theirs.
 */
function AcceptWinner({ ballot, definition, onAccepted }: { ballot: Ballot; definition: DefinitionDetail; onAccepted(message: string): void }) {
  const [state, setState] = useState<'idle' | 'pending' | 'done'>('idle');
  const [error, setError] = useState<string | null>(null);
  const client = useQueryClient();
  const winner = ballot.result?.winner;
  if (ballot.subject.kind !== 'amendments' || !winner || !ballot.subject.amendmentIds.includes(winner)) return null;
  if (!definition.allowedActions.includes('amendment.decide')) return null;
  // Only while it can still be accepted (not yet accepted, rejected or withdrawn).
  if (state === 'done' || ballot.options.find((option) => option.id === winner)?.amendmentStatus !== 'proposed') return null;
  const label = positionLabel(ballot, winner);

  async function accept() {
    setState('pending');
    setError(null);
    try {
      await acceptAmendment(winner!);
      setState('done');
      // The wording's status (here and on the Amendments tab) and the clause's text changed.
      void client.invalidateQueries({ queryKey: queryKeys.amendments(definition.id) });
      void client.invalidateQueries({ queryKey: queryKeys.ballots(definition.id) });
      void client.invalidateQueries({ queryKey: queryKeys.definitionDetail(definition.id) });
      onAccepted(`${label} was accepted and applied to the clause.`);
    } catch (failure) {
      setState('idle');
      setError(failure instanceof ApiError ? formErrorMessage(failure) : 'Something went wrong in this page. Reload it and try again.');
    }
  }

  return (
    <div className="ballot-accept-winner">
      <FormAlert message={error} />
      <button
        type="button"
        className="button button-primary"
        aria-disabled={state === 'pending' || undefined}
        onClick={() => state === 'idle' && void accept()}
      >
        Accept the chosen wording<span className="visually-hidden"> ({label})</span>
      </button>
    </div>
  );
}

/** The wording a vote was cast on, when the clause has changed since. */
function TextSeen({ text }: { text: string | null }) {
  if (text === null) return null;
  return (
    <span className="ballot-text-seen">
      {' '}
      (it saw: <q>{text}</q>)
    </span>
  );
}

import type { Ballot, DefinitionDetail } from '@draftroom/shared';
import { BallotView } from './BallotView.tsx';
import { clauseOfSubject } from './labels.ts';

/** How long a closed ballot's result stays beside its clause; the Decisions tab keeps them all. */
const RECENT_MS = 7 * 24 * 3600 * 1000;

/**
 * The ballots to show beside one clause: open ones, drafts the viewer can open, and results of the
 * last week. Cancelled ballots and older results are on the Decisions tab only.
 */
export function ballotsBesideClause(ballots: readonly Ballot[], clauseId: string, now = Date.now()): Ballot[] {
  return ballots.filter((ballot) => {
    if (clauseOfSubject(ballot.subject) !== clauseId) return false;
    if (ballot.status === 'open') return true;
    if (ballot.status === 'draft') return ballot.allowedActions.includes('open');
    return ballot.status === 'closed' && ballot.closedAt !== null && now - new Date(ballot.closedAt).getTime() < RECENT_MS;
  });
}

/** The voting panels beside a clause, like its discussion threads. */
export function ClauseBallots(props: {
  ballots: Ballot[];
  definition: DefinitionDetail;
  clauseLabel: string;
  onChange(ballot: Ballot): void;
  focusBallotId: string | null;
  /** The text's own status message: a cancelled ballot leaves the clause, and its panel with it. */
  onStatusAnnounce(message: string): void;
}) {
  if (props.ballots.length === 0) return null;
  return (
    <section className="clause-ballots" aria-label={`Ballots on ${props.clauseLabel.toLowerCase()}`}>
      <ul>
        {props.ballots.map((ballot) => (
          <li key={ballot.id}>
            <BallotView
              ballot={ballot}
              definition={props.definition}
              onChange={props.onChange}
              variant="clause"
              // Results of the past week start folded: the outcome line says what counts.
              defaultExpanded={ballot.status !== 'closed' || ballot.id === props.focusBallotId}
              focusOnMount={ballot.id === props.focusBallotId}
              onStatusAnnounce={props.onStatusAnnounce}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}

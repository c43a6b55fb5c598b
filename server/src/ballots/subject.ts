import {
  CURRENT_TEXT_OPTION,
  MATRIX_POSITION,
  NEUTRAL_POSITIONS,
  STANDARD_POSITIONS,
  type BallotFormat,
  type BallotRules,
  type BallotSubject,
} from '@draftroom/shared';
import type { Executor } from '../db/database.ts';
import * as repo from './repository.ts';

/** Ballots about a clause's wording (the clause itself, or its amendments) track the clause text. */
export const aboutClauseText = (subject: BallotSubject): subject is Extract<BallotSubject, { clauseId: string }> =>
  subject.kind === 'clause' || subject.kind === 'amendments';

export function ballotFormat(subject: BallotSubject, rules: Pick<BallotRules, 'options'>): BallotFormat {
  if (subject.kind === 'matrix') return 'matrix';
  return subject.kind === 'amendments' || rules.options ? 'choice' : 'positions';
}

/** The id of each custom option, by its place in `rules.options`. */
export const customOptionId = (index: number) => `option-${index + 1}`;

/** Every position a vote on this ballot may take, in display order (labels come from the service). */
export function positionIds(subject: BallotSubject, rules: Pick<BallotRules, 'options'>): string[] {
  switch (ballotFormat(subject, rules)) {
    case 'positions':
      return [...STANDARD_POSITIONS];
    case 'matrix':
      return [MATRIX_POSITION, ...NEUTRAL_POSITIONS];
    case 'choice':
      return subject.kind === 'amendments'
        ? [CURRENT_TEXT_OPTION, ...subject.amendmentIds, ...NEUTRAL_POSITIONS]
        : [...rules.options!.map((_, i) => customOptionId(i)), ...NEUTRAL_POSITIONS];
  }
}

/** The clause text a clause or amendment-choice ballot is about, now; null for other subjects. */
export async function subjectText(db: Executor, definitionId: string, subject: BallotSubject): Promise<string | null> {
  if (!aboutClauseText(subject)) return null;
  return (await repo.clauseText(db, definitionId, subject.clauseId))?.text ?? null;
}

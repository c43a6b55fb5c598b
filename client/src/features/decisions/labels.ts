import {
  MATRIX_POSITION,
  ROLE_LABELS,
  type Ballot,
  type BallotFormat,
  type BallotKind,
  type BallotOutcome,
  type BallotResult,
  type BallotRules,
  type BallotStatus,
  type BallotSubject,
  type CellVerdict,
  type MatrixMark,
  type Role,
} from '@draftroom/shared';

export const KIND_LABELS: Record<BallotKind, string> = {
  advisory: 'Advisory poll',
  binding: 'Binding vote',
  consensus: 'Consensus call',
};

export const KIND_HINTS: Record<BallotKind, string> = {
  advisory: 'Guides the chairs; the result does not bind the group.',
  binding: 'Decides the question by the threshold below.',
  consensus: 'Passes unless somebody objects.',
};

export const STATUS_LABELS: Record<BallotStatus, string> = { draft: 'Draft', open: 'Open', closed: 'Closed', cancelled: 'Cancelled' };

export const OUTCOME_LABELS: Record<BallotOutcome, string> = { passed: 'Passed', failed: 'Failed', no_quorum: 'No quorum', decided: 'Decided' };

/** How many undecided cells an outcome names before it counts the rest. */
const NAMED_UNDECIDED = 5;

/**
 * The outcome in words. A matrix names its undecided cells (the first few, then how many more) ("Decided 9 of 12 cells; undecided:
 * Training data × Study, …") and says plain "Decided" only when every cell is.
 */
export function outcomeText(ballot: Pick<Ballot, 'subject'>, result: Pick<BallotResult, 'outcome' | 'cells'>): string {
  if (ballot.subject.kind !== 'matrix' || !result.cells || result.outcome !== 'decided') return OUTCOME_LABELS[result.outcome];
  const { rows, columns } = ballot.subject;
  const undecided: string[] = [];
  let total = 0;
  for (const [r, row] of rows.entries())
    for (const [c, column] of columns.entries()) {
      total += 1;
      const verdict = result.cells[r]?.[c]?.verdict;
      if (verdict !== 'required' && verdict !== 'not_required') undecided.push(`${row} × ${column}`);
    }
  if (undecided.length === 0) return `Decided: all ${total} cells`;
  // A long list would bury the outcome; the grid beside it marks every undecided cell anyway.
  const named = undecided.slice(0, NAMED_UNDECIDED).join(', ');
  const more = undecided.length - NAMED_UNDECIDED;
  return `Decided ${total - undecided.length} of ${total} cells; undecided: ${named}${more > 0 ? ` and ${more} more (marked in the grid)` : ''}`;
}

/** The outcome as a badge: a matrix with undecided cells is "Partly decided", never plain "Decided". */
export function outcomeBadge(ballot: Pick<Ballot, 'subject'>, result: Pick<BallotResult, 'outcome' | 'cells'>): string {
  const text = outcomeText(ballot, result);
  return text.startsWith('Decided ') && text.includes('undecided') ? 'Partly decided' : OUTCOME_LABELS[result.outcome];
}

export const MARK_LABELS: Record<MatrixMark, string> = { required: 'Required', not_required: 'Not required', unsure: 'Unsure' };

export const VERDICT_LABELS: Record<CellVerdict, string> = {
  required: 'Required',
  not_required: 'Not required',
  undecided: 'Undecided',
  no_quorum: 'No quorum',
};

/** The labels of the standard positions, for a ballot whose response has no `options` yet. */
const STANDARD_LABELS: Record<string, string> = {
  yes: 'Yes',
  no_objection: 'No objection',
  object: 'Object',
  abstain: 'Abstain',
  recuse: 'Recuse',
  [MATRIX_POSITION]: 'Mark the grid',
};

/** What the OSAID process asked about: components × the four freedoms. */
export const DEFAULT_MATRIX_ROWS = ['Training data', 'Data information', 'Code', 'Model parameters'];
export const DEFAULT_MATRIX_COLUMNS = ['Use', 'Study', 'Modify', 'Share'];

export const DEFAULT_ELIGIBLE_ROLES: Role[] = ['chair', 'editor', 'member'];

/** How the ballot is answered; derived from the subject and rules when the server does not say. */
export function positionLabel(ballot: Pick<Ballot, 'options'>, position: string): string {
  return ballot.options.find((option) => option.id === position)?.label ?? STANDARD_LABELS[position] ?? position;
}

/** 0.6667 → "66.67%" */
export function percent(share: number): string {
  return `${Math.round(share * 10000) / 100}%`;
}

/** "chairs, editors and members" */
export function rolesInWords(roles: readonly Role[]): string {
  const names = roles.map((role) => `${ROLE_LABELS[role].toLowerCase()}s`);
  return names.length <= 1 ? (names[0] ?? 'nobody') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The rules as sentences a voter reads before voting (the closing time is shown apart, with both clocks). */
export function rulesInWords(rules: BallotRules, format: BallotFormat): string[] {
  const sentences = [`${KIND_LABELS[rules.kind]}: ${KIND_HINTS[rules.kind].charAt(0).toLowerCase()}${KIND_HINTS[rules.kind].slice(1)}`];
  sentences.push(`Who may vote: ${rolesInWords(rules.eligibleRoles)}.`);
  sentences.push(
    rules.quorum > 0 ? `Quorum: ${percent(rules.quorum)} of the eligible voters must take part (recusals do not count).` : 'No quorum: any turnout counts.',
  );
  if (format === 'positions') {
    if (rules.kind !== 'consensus') sentences.push(`Passes with at least ${percent(rules.threshold)} Yes among Yes and Object votes.`);
    if (rules.kind !== 'consensus' && rules.blockingObjectionFails) sentences.push('A single Object is a blocking objection: it fails the ballot.');
    sentences.push('Object needs a written reason.');
  } else if (format === 'choice') {
    sentences.push(`The option with the most votes wins if it has at least ${percent(rules.threshold)} of the votes for options.`);
  } else {
    sentences.push(`A cell is decided when Required or Not required reaches ${percent(rules.threshold)} of its marks.`);
    sentences.push(rules.countUnsure === false ? 'Unsure marks do not count in a cell’s total.' : 'Unsure marks count in a cell’s total.');
  }
  sentences.push(rules.secret ? 'Secret ballot: who voted is shown, never how.' : 'Public ballot: everyone’s vote is shown with the results.');
  sentences.push(rules.resultsVisibility === 'live' ? 'Results are shown live while it is open.' : 'Results are shown once it closes.');
  return sentences;
}

/** "Clause 3", "A choice between clause 3 and 2 proposed wordings", "Version 0.9", "Component matrix, 4 × 4". */
export function subjectInWords(subject: BallotSubject, clauseLabelOf: (clauseId: string) => string | null): string {
  const clause = (id: string) => clauseLabelOf(id) ?? 'a deleted clause';
  switch (subject.kind) {
    case 'clause':
      return capitalize(clause(subject.clauseId));
    case 'amendments': {
      const count = subject.amendmentIds.length;
      return `A choice between ${clause(subject.clauseId).toLowerCase()} as it reads and ${count === 1 ? '1 proposed wording' : `${count} proposed wordings`}`;
    }
    case 'version':
      return `Version ${subject.label}`;
    case 'matrix':
      return `Component matrix, ${subject.rows.length} × ${subject.columns.length}`;
  }
}

export function subjectKindLabel(subject: BallotSubject): string {
  return { clause: 'Clause', amendments: 'Amendments', version: 'Version', matrix: 'Component matrix' }[subject.kind];
}

/** The clause a ballot is about, if it is about one. */
export function clauseOfSubject(subject: BallotSubject): string | null {
  return subject.kind === 'clause' || subject.kind === 'amendments' ? subject.clauseId : null;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "2025-03-14T10:00" in the viewer's own time zone, for a datetime-local input. */
export function toLocalInput(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** The moment a datetime-local value means (in the viewer's time zone), or null when incomplete. */
export function fromLocalInput(value: string): Date | null {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Whether the viewer drafts, opens, closes and cancels ballots (the server's policy, advertised on the definition). */
export function canManageBallots(definition: { allowedActions: readonly string[] }): boolean {
  return definition.allowedActions.includes('ballot.manage');
}

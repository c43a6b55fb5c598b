import { createHmac } from 'node:crypto';
import {
  computeChoiceResult,
  computeMatrixResult,
  computeResult,
  type MatrixVote,
  CURRENT_TEXT_OPTION,
  MATRIX_POSITION,
  type Ballot,
  type BallotOption,
  type BallotResult,
  type BallotRules,
  type BallotSubject,
  type CreateBallotBody,
  type MatrixMark,
  type StandardPosition,
  type UpdateBallotBody,
  type VoteBody,
  type VoteReceipt,
} from '@draftroom/shared';
import type { Db, Executor } from '../db/database.ts';
import { loadDefinition, type DefinitionRecord } from '../definitions/service.ts';
import * as definitions from '../definitions/repository.ts';
import { AppError, conflict, invalidInput, notFound } from '../errors.ts';
import { raiseBallotObjections } from '../dispositions/service.ts';
import { recordEvent } from '../events/service.ts';
import type { Actor } from '../policies/actor.ts';
import { canSeeDefinition } from '../policies/definitions.ts';
import { type BallotFacts, notifyBallotCancelled, notifyBallotClosed, notifyBallotOpened } from '../notifications/notify.ts';
import * as versions from '../versions/repository.ts';
import * as policy from './policy.ts';
import { presentBallotView } from './presenter.ts';
import * as repo from './repository.ts';

import { aboutClauseText, ballotFormat, positionIds, subjectText } from './subject.ts';
import type { QueuedVote, VoteBatcher } from './votes.ts';

export interface BallotDeps {
  db: Db;
  /** Keys the HMAC that stands in for the voter on secret ballots; it never enters the database. */
  secret: string;
}

const voterToken = (secret: string, ballotId: string, userId: string) => createHmac('sha256', secret).update(`${ballotId}:${userId}`).digest('base64url');

const POSITION_LABELS: Record<StandardPosition, string> = {
  yes: 'Yes',
  no_objection: 'No objection',
  object: 'Object (blocking)',
  abstain: 'Abstain',
  recuse: 'Recuse',
};

/** Every position a vote on this ballot may take, with labels, in display order. */
export async function ballotOptions(
  db: Executor,
  definitionId: string,
  subject: BallotSubject,
  rules: BallotRules,
  clauseText: string | null,
): Promise<BallotOption[]> {
  const ids = positionIds(subject, rules);
  const amendments =
    subject.kind === 'amendments' ? new Map((await repo.amendmentsFor(db, definitionId, subject.amendmentIds)).map((a) => [a.id, a])) : new Map();
  return ids.map((id): BallotOption => {
    if (id in POSITION_LABELS) return { id, label: POSITION_LABELS[id as StandardPosition] };
    // Read as a choice ("Marks in the matrix" or Abstain) and as a record ("Your vote: Marks in the matrix").
    if (id === MATRIX_POSITION) return { id, label: 'Marks in the matrix' };
    if (id === CURRENT_TEXT_OPTION) return { id, label: 'Keep the current text', ...(clauseText !== null && { text: clauseText }) };
    if (subject.kind === 'amendments') {
      const amendment = amendments.get(id);
      return {
        id,
        label: `Amendment ${subject.amendmentIds.indexOf(id) + 1} by ${amendment?.author_name ?? '(unknown)'}`,
        text: amendment?.proposed_text ?? '',
        ...(amendment && { amendmentStatus: amendment.status }),
      };
    }
    return { id, label: rules.options![ids.indexOf(id)]! };
  });
}

/** Subject and rules must fit together; checked when a draft is created or its rules change. */
async function validateDraft(db: Executor, definitionId: string, subject: BallotSubject, rules: BallotRules): Promise<void> {
  const format = ballotFormat(subject, rules);
  const invalid = (path: string, message: string) => invalidInput('These rules do not fit this ballot', [{ path, message }]);
  if (rules.options && (subject.kind === 'amendments' || subject.kind === 'matrix'))
    throw invalid('/rules/options', `cannot be set on a ${subject.kind} ballot (its options come from its subject)`);
  if (format !== 'positions' && rules.kind === 'consensus')
    throw invalid('/rules/kind', 'a consensus call asks for objections: it needs Yes / No objection / Object, not options');
  if (format !== 'positions' && rules.blockingObjectionFails)
    throw invalid('/rules/blockingObjectionFails', 'only ballots with an Object position can have blocking objections');
  if (format !== 'matrix' && rules.countUnsure !== undefined) throw invalid('/rules/countUnsure', 'applies to component-matrix ballots only');
  // Live counts beside a live list of who voted would tell, vote by vote, how each person voted.
  if (rules.secret && rules.resultsVisibility === 'live') throw invalid('/rules/resultsVisibility', 'a secret ballot shows its results only after closing');
  if (aboutClauseText(subject) && (await subjectText(db, definitionId, subject)) === null) throw notFound('clause');
  if (subject.kind === 'amendments') {
    const found = await repo.amendmentsFor(db, definitionId, subject.amendmentIds);
    subject.amendmentIds.forEach((id, i) => {
      const amendment = found.find((a) => a.id === id);
      if (!amendment || amendment.clause_id !== subject.clauseId)
        throw invalidInput('Every amendment must be proposed for this clause', [
          { path: `/subject/amendmentIds/${i}`, message: 'is not an amendment of this clause' },
        ]);
      if (amendment.status !== 'proposed')
        throw invalidInput('Only proposed amendments can be voted on', [{ path: `/subject/amendmentIds/${i}`, message: `is ${amendment.status}` }]);
    });
  }
  if (subject.kind === 'version') {
    if (!(await versions.findVersionId(db, definitionId, subject.label))) throw notFound('version');
  }
}

/** Loads a ballot and its definition, which the caller then authorizes the action on; a ballot you may not see does not exist. */
async function loadBallot(db: Db, actor: Actor, id: string) {
  const row = await repo.findBallot(db, id);
  if (!row) throw notFound('ballot');
  try {
    return { row, definition: await loadDefinition(db, actor, row.definition_id) };
  } catch (error) {
    if (error instanceof AppError && error.statusCode === 404) throw notFound('ballot');
    throw error;
  }
}

export async function createBallot(deps: BallotDeps, actor: Actor, definitionId: string, input: CreateBallotBody): Promise<Ballot> {
  const { db } = deps;
  const definition = await loadDefinition(db, actor, definitionId);
  policy.authorizeManageBallots(actor, definition);
  await validateDraft(db, definitionId, input.subject, input.rules);
  const id = await db.transaction().execute(async (tx) => {
    const ballot = await repo.insertBallot(tx, {
      definitionId,
      title: input.title.trim(),
      subject: input.subject,
      rules: input.rules,
      createdBy: actor.userId,
    });
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: 'ballot.created',
      payload: { definitionId, ballotId: ballot.id, subject: input.subject },
    });
    return ballot.id;
  });
  return getBallot(deps, actor, id);
}

export async function updateBallot(deps: BallotDeps, actor: Actor, id: string, input: UpdateBallotBody): Promise<Ballot> {
  const { row, definition } = await loadBallot(deps.db, actor, id);
  policy.authorizeManageBallots(actor, definition);
  await deps.db.transaction().execute(async (tx) => {
    const locked = await repo.lockBallot(tx, id, 'update');
    // Rules are fixed once voting starts: that is the point of them.
    if (locked?.status !== 'draft') throw conflict('The rules of an opened ballot cannot change; cancel it with a reason instead');
    if (input.rules) await validateDraft(tx, row.definition_id, locked.subject, input.rules);
    await repo.updateDraft(tx, id, { title: input.title?.trim(), rules: input.rules });
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: 'ballot.updated',
      payload: { ballotId: id, definitionId: row.definition_id },
    });
  });
  return getBallot(deps, actor, id);
}

export async function openBallot(deps: BallotDeps, actor: Actor, id: string): Promise<Ballot> {
  const { row, definition } = await loadBallot(deps.db, actor, id);
  policy.authorizeManageBallots(actor, definition);
  await deps.db.transaction().execute(async (tx) => {
    const locked = await repo.lockBallot(tx, id, 'update');
    if (locked?.status !== 'draft') throw conflict(`The ballot is ${locked?.status}, not a draft`);
    const rules = locked.rules;
    if (new Date(rules.closesAt).getTime() <= Date.now()) {
      throw invalidInput('The closing time must be in the future', [{ path: '/rules/closesAt', message: 'is in the past' }]);
    }
    const eligible = (await repo.membersWithRoles(tx, definition.group_id, rules.eligibleRoles)).map((m) => m.user_id);
    const text = await subjectText(tx, row.definition_id, locked.subject);
    await repo.markOpen(tx, id, text, eligible);
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: 'ballot.opened',
      payload: { ballotId: id, definitionId: row.definition_id, rules, eligible: eligible.length, subjectText: text },
    });
    await notifyBallotOpened(tx, ballotFacts(locked, definition.group_id), eligible, actor.userId);
  });
  return getBallot(deps, actor, id);
}

/**
 * Casts or replaces the actor's vote. Everything that cannot change while a ballot is open (access,
 * frozen eligibility, the position fitting the ballot) is checked here; whether the ballot is still
 * open is decided again inside the group commit that writes the vote (votes.ts).
 */
export async function vote(deps: BallotDeps & { votes: VoteBatcher }, actor: Actor, id: string, input: VoteBody): Promise<VoteReceipt> {
  // The common case, from memory: an open ballot and one of its eligible voters. The write re-checks
  // that it is still open and that the voter is still a member.
  const frozen = actor ? await deps.votes.frozenBallot(id) : null;
  if (actor && frozen?.eligible.has(actor.userId) && new Date(frozen.rules.closesAt).getTime() > Date.now()) {
    return deps.votes.submit(queuedVote(deps, actor.userId, frozen.id, frozen.groupId, frozen.subject, frozen.rules, input));
  }
  // Otherwise find out what to tell them (or close a ballot that is past its time first).
  let row = await repo.findBallotForVoter(deps.db, id, actor?.userId ?? null);
  if (!row || !canSeeDefinition(actor, row)) throw notFound('ballot');
  policy.authorizeReadBallots(actor, row);
  const rules = row.rules;
  if (row.status === 'open' && new Date(rules.closesAt).getTime() <= Date.now()) {
    await closeIfDue(deps, id);
    row = (await repo.findBallotForVoter(deps.db, id, actor.userId)) ?? row;
  }
  if (row.status !== 'open') throw conflict(`Voting is not possible: the ballot is ${row.status}`);
  policy.authorizeVote(actor, { eligible: row.eligible_user !== null });
  return deps.votes.submit(queuedVote(deps, actor.userId, id, row.group_id, row.subject, rules, input));
}

/** Checks that the vote fits the ballot (position, reason, marks) and prepares it for writing. */
function queuedVote(
  deps: BallotDeps,
  userId: string,
  ballotId: string,
  groupId: string,
  subject: BallotSubject,
  rules: BallotRules,
  input: VoteBody,
): QueuedVote {
  const allowed = positionIds(subject, rules);
  if (!allowed.includes(input.position)) {
    throw invalidInput('That is not a position on this ballot', [{ path: '/position', message: `must be one of: ${allowed.join(', ')}` }]);
  }
  const rationale = input.rationale?.trim() ?? '';
  if (input.position === 'object' && rationale === '') {
    throw invalidInput('An objection blocks, so it needs a written reason', [{ path: '/rationale', message: 'is required with Object' }]);
  }
  return {
    ballotId,
    groupId,
    actorId: userId,
    voterId: rules.secret ? null : userId,
    voterToken: rules.secret ? voterToken(deps.secret, ballotId, userId) : null,
    position: input.position,
    rationale,
    marks: checkMarks(subject, input),
    aboutClause: aboutClauseText(subject),
  };
}

/** A matrix vote marks every cell (Unsure is the way not to decide); other votes carry no marks. */
function checkMarks(subject: BallotSubject, input: VoteBody): MatrixMark[][] | null {
  if (input.position !== MATRIX_POSITION) {
    if (input.marks !== undefined)
      throw invalidInput('Only a component-matrix vote carries marks', [{ path: '/marks', message: `is only allowed with position "${MATRIX_POSITION}"` }]);
    return null;
  }
  if (subject.kind !== 'matrix')
    throw invalidInput('Only a component-matrix vote carries marks', [{ path: '/position', message: 'is not a position on this ballot' }]);
  const marks = input.marks;
  if (!marks) throw invalidInput('Mark every cell of the matrix', [{ path: '/marks', message: 'is required' }]);
  const shapeError = (path: string) =>
    invalidInput(`Mark every cell: ${subject.rows.length} rows of ${subject.columns.length} columns`, [{ path, message: 'does not match the matrix' }]);
  if (marks.length !== subject.rows.length) throw shapeError('/marks');
  marks.forEach((row, r) => {
    if (row.length !== subject.columns.length) throw shapeError(`/marks/${r}`);
  });
  return marks;
}

/** The result from the current votes; `options` saves reading a choice ballot's options again. */
async function computeCurrent(
  db: Executor,
  id: string,
  definitionId: string,
  subject: BallotSubject,
  rules: BallotRules,
  eligible: number,
  options?: BallotOption[],
): Promise<BallotResult> {
  const current = await repo.currentPositions(db, id);
  switch (ballotFormat(subject, rules)) {
    case 'positions':
      return computeResult(
        rules,
        eligible,
        current.map((v) => v.position as StandardPosition),
      );
    case 'choice': {
      const choices = (options ?? (await ballotOptions(db, definitionId, subject, rules, null))).filter((o) => o.id !== 'abstain' && o.id !== 'recuse');
      return computeChoiceResult(
        rules,
        eligible,
        choices,
        current.map((v) => v.position),
      );
    }
    case 'matrix': {
      const { rows, columns } = subject as Extract<BallotSubject, { kind: 'matrix' }>;
      const votes = current.map(
        (v): MatrixVote => (v.position === MATRIX_POSITION ? { position: 'marks', marks: v.marks! } : { position: v.position as 'abstain' | 'recuse' }),
      );
      return computeMatrixResult(rules, eligible, { rows: rows.length, columns: columns.length }, votes);
    }
  }
}

/** Computes and stores the result once; later calls find it closed. `by` null = closed by time. */
async function closeNow(deps: BallotDeps, id: string, by: string | null, groupId: string | null): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const locked = await repo.lockBallot(tx, id, 'update');
    if (!locked) throw notFound('ballot');
    if (locked.status !== 'open') throw conflict(`The ballot is ${locked.status}`);
    const rules = locked.rules;
    const eligible = await repo.countEligible(tx, id);
    const result = await computeCurrent(tx, id, locked.definition_id, locked.subject, rules, eligible);
    const finalText = await subjectText(tx, locked.definition_id, locked.subject);
    await repo.markClosed(tx, id, by, finalText, result);
    if (rules.secret) await repo.rewriteSecretVotes(tx, id);
    const group = groupId ?? (await definitions.findGroupId(tx, locked.definition_id));
    // A secret ballot's participants enter the audit log here, together and by name, not vote by vote.
    const participants = rules.secret ? { participants: (await participantsOf(tx, deps.secret, id, true)).map((p) => p.userId).sort() } : {};
    await recordEvent(tx, {
      groupId: group,
      actorId: by,
      type: 'ballot.closed',
      payload: { ballotId: id, outcome: result.outcome, decidedBy: result.decidedBy, turnout: result.turnout, ...participants },
    });
    // Each named objection enters the disposition register, to be answered like a comment.
    if (!rules.secret && ballotFormat(locked.subject, rules) === 'positions') {
      const objections = (await repo.finalNamedVotes(tx, [id])).filter((v) => v.position === 'object' && v.voter_id !== null);
      await raiseBallotObjections(
        tx,
        { id, definitionId: locked.definition_id, groupId: group, clauseId: ballotFacts(locked, group).clauseId },
        objections.map((v) => ({ voterId: v.voter_id!, rationale: v.rationale })),
      );
    }
    // Its voters and whoever set it up hear the outcome — and only the outcome.
    const recipients = [...(await repo.eligibleVoters(tx, id)).map((e) => e.user_id), locked.created_by];
    await notifyBallotClosed(tx, ballotFacts(locked, group), recipients, by, result.outcome);
  });
}

/** What a ballot's notifications say about it: never anything about its votes. */
export function ballotFacts(
  ballot: { id: string; definition_id: string; title: string; subject: BallotSubject; rules: BallotRules },
  groupId: string,
): BallotFacts {
  const subject = ballot.subject;
  return {
    ballotId: ballot.id,
    groupId,
    definitionId: ballot.definition_id,
    title: ballot.title,
    closesAt: ballot.rules.closesAt,
    clauseId: subject.kind === 'clause' || subject.kind === 'amendments' ? subject.clauseId : null,
  };
}

async function closeIfDue(deps: BallotDeps, id: string): Promise<void> {
  const row = await repo.findBallot(deps.db, id);
  if (row?.status === 'open' && new Date(row.rules.closesAt).getTime() <= Date.now()) {
    await closeNow(deps, id, null, null).catch((error: unknown) => {
      if (!(error instanceof AppError && error.statusCode === 409)) throw error; // someone else closed it first
    });
  }
}

/** Closes every open ballot past its closing time (run periodically, and lazily on reads). */
export async function closeDueBallots(deps: BallotDeps, now = new Date()): Promise<number> {
  const due = await repo.dueBallots(deps.db, now);
  for (const ballot of due) await closeIfDue(deps, ballot.id);
  return due.length;
}

export async function closeBallot(deps: BallotDeps, actor: Actor, id: string): Promise<Ballot> {
  const { definition } = await loadBallot(deps.db, actor, id);
  policy.authorizeManageBallots(actor, definition);
  await closeNow(deps, id, actor.userId, definition.group_id);
  return getBallot(deps, actor, id);
}

export async function cancelBallot(deps: BallotDeps, actor: Actor, id: string, reason: string): Promise<Ballot> {
  const { definition } = await loadBallot(deps.db, actor, id);
  policy.authorizeManageBallots(actor, definition);
  await deps.db.transaction().execute(async (tx) => {
    const locked = await repo.lockBallot(tx, id, 'update');
    if (locked?.status !== 'draft' && locked?.status !== 'open') throw conflict(`The ballot is already ${locked?.status}`);
    await repo.markCancelled(tx, id, actor.userId, reason.trim());
    if (locked.rules.secret) await repo.rewriteSecretVotes(tx, id);
    await recordEvent(tx, { groupId: definition.group_id, actorId: actor.userId, type: 'ballot.cancelled', payload: { ballotId: id, reason: reason.trim() } });
    // A draft nobody was told of; an open ballot's voters are told it will not decide.
    if (locked.status === 'open') {
      const recipients = (await repo.eligibleVoters(tx, id)).map((e) => e.user_id);
      await notifyBallotCancelled(tx, ballotFacts(locked, definition.group_id), recipients, actor.userId, reason.trim());
    }
  });
  return getBallot(deps, actor, id);
}

export async function listBallots(deps: BallotDeps, actor: Actor, definitionId: string): Promise<Ballot[]> {
  const definition = await loadDefinition(deps.db, actor, definitionId);
  policy.authorizeReadBallots(actor, definition);
  const rows = await repo.listBallots(deps.db, definitionId);
  // The definition is checked once for all of them; only a ballot that is due is read again (after closing it).
  return Promise.all(
    rows.map(async (row) => {
      if (!isDue(row)) return presentBallot(deps, actor, row, definition);
      await closeIfDue(deps, row.id);
      return presentBallot(deps, actor, (await repo.findBallot(deps.db, row.id)) ?? row, definition);
    }),
  );
}

/** Open and past its closing time, and nobody closed it yet. */
function isDue(row: repo.BallotRow): boolean {
  return row.status === 'open' && new Date(row.rules.closesAt).getTime() <= Date.now();
}

/**
 * Who took part. Public ballots: from the participation rows, in order. Secret ballots: the eligible
 * voters whose token appears among the votes, by name and without times — the database alone cannot
 * tell them apart, only the server's key can.
 */
/** Who has voted so far (on a secret ballot, worked out with the key), for reminders. */
export async function participantIds(deps: BallotDeps, id: string, secret: boolean): Promise<Set<string>> {
  return new Set((await participantsOf(deps.db, deps.secret, id, secret)).map((p) => p.userId));
}

async function participantsOf(
  db: Executor,
  key: string,
  id: string,
  secret: boolean,
): Promise<{ userId: string; displayName: string; votedAt: string | null }[]> {
  if (!secret) return (await repo.voters(db, id)).map((p) => ({ userId: p.user_id, displayName: p.display_name, votedAt: p.first_voted_at.toISOString() }));
  const [eligible, tokens] = await Promise.all([repo.eligibleVoters(db, id), repo.voterTokens(db, id)]);
  return eligible.filter((e) => tokens.has(voterToken(key, id, e.user_id))).map((e) => ({ userId: e.user_id, displayName: e.display_name, votedAt: null }));
}

export async function getBallot(deps: BallotDeps, actor: Actor, id: string): Promise<Ballot> {
  let { row, definition } = await loadBallot(deps.db, actor, id);
  policy.authorizeReadBallots(actor, definition);
  // Past its closing time and nobody closed it yet: close it now, then show the result.
  if (isDue(row)) {
    await closeIfDue(deps, id);
    ({ row, definition } = await loadBallot(deps.db, actor, id));
    policy.authorizeReadBallots(actor, definition);
  }
  return presentBallot(deps, actor, row, definition);
}

/**
 * Gathers what a reader may see of a ballot (`definition` is already authorized for them) and hands it
 * to the presenter: everyone's votes only when they are shown (public ballots with visible results),
 * otherwise just the reader's own.
 */
async function presentBallot(deps: BallotDeps, actor: Actor, row: repo.BallotRow, definition: DefinitionRecord): Promise<Ballot> {
  const id = row.id;
  const { rules, subject } = row;
  const resultVisible = row.status === 'closed' || (row.status === 'open' && rules.resultsVisibility === 'live');
  const myIdentity = actor ? (rules.secret ? { voterToken: voterToken(deps.secret, id, actor.userId) } : { voterId: actor.userId }) : null;
  const [votes, participants, currentText, mine] = await Promise.all([
    !rules.secret && resultVisible ? repo.allVotes(deps.db, id) : Promise.resolve([]),
    participantsOf(deps.db, deps.secret, id, rules.secret),
    subjectText(deps.db, row.definition_id, subject),
    myIdentity ? repo.votesOf(deps.db, id, myIdentity) : Promise.resolve([]),
  ]);
  const options = await ballotOptions(deps.db, row.definition_id, subject, rules, row.subject_text ?? currentText);
  let result: BallotResult | null = null;
  if (row.status === 'closed') result = row.result!;
  else if (row.status === 'open' && rules.resultsVisibility === 'live')
    result = await computeCurrent(deps.db, id, row.definition_id, subject, rules, row.eligible_count ?? 0, options);
  const eligible = row.status === 'open' && actor !== null && (await repo.isEligible(deps.db, id, actor.userId)) !== undefined;
  return presentBallotView({
    row,
    options,
    currentText,
    result,
    votes: !rules.secret && resultVisible ? votes : [],
    mine,
    participants,
    canManage: policy.canManageBallots(actor, definition),
    canVote: policy.canVote(actor, { eligible }),
  });
}

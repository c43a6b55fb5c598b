import { createHmac } from 'node:crypto';
import type { Ballot, BallotAction, BallotResult, BallotRules, BallotSubject, CreateBallotBody, StandardPosition, UpdateBallotBody, VoteBody, VoteRecord } from '@draftroom/shared';
import type { Db, Executor } from '../db/database.ts';
import { loadDefinition, type DefinitionRecord } from '../definitions/service.ts';
import { AppError, conflict, forbidden, invalidInput, notFound } from '../errors.ts';
import { recordEvent } from '../events/service.ts';
import type { Actor } from '../policies/actor.ts';
import { canOnDefinition } from '../policies/definitions.ts';
import * as repo from './repository.ts';
import { computeResult } from './rules.ts';

export interface BallotDeps {
  db: Db;
  /** Keys the HMAC that stands in for the voter on secret ballots; it never enters the database. */
  secret: string;
}

const voterToken = (secret: string, ballotId: string, userId: string) => createHmac('sha256', secret).update(`${ballotId}:${userId}`).digest('base64url');

async function subjectText(db: Executor, definitionId: string, subject: BallotSubject): Promise<string | null> {
  if (subject.kind !== 'clause') return null;
  const clause = await db.selectFrom('clauses').select('text').where('definition_id', '=', definitionId).where('clause_id', '=', subject.clauseId).executeTakeFirst();
  return clause?.text ?? null;
}

function requireManage(actor: Actor, definition: DefinitionRecord): void {
  if (!canOnDefinition(actor, 'ballot.manage', { visibility: definition.visibility, role: definition.role })) throw forbidden('Only a chair opens, closes or cancels ballots');
}

async function loadBallot(db: Db, actor: Actor, id: string) {
  const row = await repo.findBallot(db, id);
  if (!row) throw notFound('ballot');
  try {
    return { row, definition: await loadDefinition(db, actor, row.definition_id, 'draft.read') };
  } catch (error) {
    if (error instanceof AppError && error.statusCode === 404) throw notFound('ballot');
    throw error;
  }
}

export async function createBallot(deps: BallotDeps, actor: Actor, definitionId: string, input: CreateBallotBody): Promise<Ballot> {
  const { db } = deps;
  const definition = await loadDefinition(db, actor, definitionId, 'draft.read');
  requireManage(actor, definition);
  if (input.subject.kind === 'clause' && (await subjectText(db, definitionId, input.subject)) === null) throw notFound('clause');
  if (input.subject.kind === 'version') {
    const version = await db.selectFrom('versions').select('id').where('definition_id', '=', definitionId).where('label', '=', input.subject.label).executeTakeFirst();
    if (!version) throw notFound('version');
  }
  const id = await db.transaction().execute(async (tx) => {
    const ballot = await repo.insertBallot(tx, { definitionId, title: input.title.trim(), subject: input.subject, rules: input.rules, createdBy: actor!.userId });
    await recordEvent(tx, { groupId: definition.group_id, actorId: actor!.userId, type: 'ballot.created', payload: { definitionId, ballotId: ballot.id, subject: input.subject } });
    return ballot.id;
  });
  return getBallot(deps, actor, id);
}

export async function updateBallot(deps: BallotDeps, actor: Actor, id: string, input: UpdateBallotBody): Promise<Ballot> {
  const { row, definition } = await loadBallot(deps.db, actor, id);
  requireManage(actor, definition);
  await deps.db.transaction().execute(async (tx) => {
    const locked = await repo.lockBallot(tx, id, 'update');
    // Rules are fixed once voting starts: that is the point of them.
    if (locked?.status !== 'draft') throw conflict('The rules of an opened ballot cannot change; cancel it with a reason instead');
    await repo.updateDraft(tx, id, { title: input.title?.trim(), rules: input.rules });
    await recordEvent(tx, { groupId: definition.group_id, actorId: actor!.userId, type: 'ballot.updated', payload: { ballotId: id, definitionId: row.definition_id } });
  });
  return getBallot(deps, actor, id);
}

export async function openBallot(deps: BallotDeps, actor: Actor, id: string): Promise<Ballot> {
  const { row, definition } = await loadBallot(deps.db, actor, id);
  requireManage(actor, definition);
  await deps.db.transaction().execute(async (tx) => {
    const locked = await repo.lockBallot(tx, id, 'update');
    if (locked?.status !== 'draft') throw conflict(`The ballot is ${locked?.status}, not a draft`);
    const rules = locked.rules as BallotRules;
    if (new Date(rules.closesAt).getTime() <= Date.now()) {
      throw invalidInput('The closing time must be in the future', [{ path: '/rules/closesAt', message: 'is in the past' }]);
    }
    const eligible = (await repo.membersWithRoles(tx, definition.group_id, rules.eligibleRoles)).map((m) => m.user_id);
    const text = await subjectText(tx, row.definition_id, locked.subject as BallotSubject);
    await repo.markOpen(tx, id, text, eligible);
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor!.userId,
      type: 'ballot.opened',
      payload: { ballotId: id, definitionId: row.definition_id, rules, eligible: eligible.length, subjectText: text },
    });
  });
  return getBallot(deps, actor, id);
}

export async function vote(deps: BallotDeps, actor: Actor, id: string, input: VoteBody): Promise<Ballot> {
  const { row, definition } = await loadBallot(deps.db, actor, id);
  await closeIfDue(deps, id);
  const rationale = input.rationale?.trim() ?? '';
  if (input.position === 'object' && rationale === '') {
    throw invalidInput('An objection blocks, so it needs a written reason', [{ path: '/rationale', message: 'is required with Object' }]);
  }
  await deps.db.transaction().execute(async (tx) => {
    const locked = await repo.lockBallot(tx, id, 'share');
    if (!locked) throw notFound('ballot');
    if (locked.status !== 'open') throw conflict(`Voting is not possible: the ballot is ${locked.status}`);
    const rules = locked.rules as BallotRules;
    if (new Date(rules.closesAt).getTime() <= Date.now()) throw conflict('Voting is not possible: the ballot has closed');
    if (!(await repo.isEligible(tx, id, actor!.userId))) throw forbidden('You are not eligible to vote on this ballot');
    const seen = await subjectText(tx, row.definition_id, locked.subject as BallotSubject);
    await repo.recordVote(tx, {
      ballotId: id,
      voterId: rules.secret ? null : actor!.userId,
      voterToken: rules.secret ? voterToken(deps.secret, id, actor!.userId) : null,
      participantId: actor!.userId,
      position: input.position,
      rationale,
      textSeen: seen,
    });
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor!.userId,
      type: 'ballot.voted',
      // How someone voted is recorded only on public ballots.
      payload: rules.secret ? { ballotId: id } : { ballotId: id, position: input.position },
    });
  });
  return getBallot(deps, actor, id);
}

async function computeCurrent(db: Executor, id: string, rules: BallotRules, eligible: number): Promise<BallotResult> {
  const current = await repo.currentPositions(db, id);
  return computeResult(rules, eligible, current.map((v) => v.position as StandardPosition));
}

/** Computes and stores the result once; later calls find it closed. `by` null = closed by time. */
async function closeNow(deps: BallotDeps, id: string, by: string | null, groupId: string | null): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const locked = await repo.lockBallot(tx, id, 'update');
    if (!locked) throw notFound('ballot');
    if (locked.status !== 'open') throw conflict(`The ballot is ${locked.status}`);
    const rules = locked.rules as BallotRules;
    const eligible = (await tx.selectFrom('ballot_eligible').select((eb) => eb.fn.countAll<number>().as('n')).where('ballot_id', '=', id).executeTakeFirstOrThrow()).n;
    const result = await computeCurrent(tx, id, rules, Number(eligible));
    const finalText = await subjectText(tx, locked.definition_id, locked.subject as BallotSubject);
    await repo.markClosed(tx, id, by, finalText, result);
    const group = groupId ?? (await tx.selectFrom('definitions').select('group_id').where('id', '=', locked.definition_id).executeTakeFirstOrThrow()).group_id;
    await recordEvent(tx, { groupId: group, actorId: by, type: 'ballot.closed', payload: { ballotId: id, outcome: result.outcome, decidedBy: result.decidedBy, turnout: result.turnout } });
  });
}

async function closeIfDue(deps: BallotDeps, id: string): Promise<void> {
  const row = await repo.findBallot(deps.db, id);
  if (row?.status === 'open' && new Date((row.rules as BallotRules).closesAt).getTime() <= Date.now()) {
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
  requireManage(actor, definition);
  await closeNow(deps, id, actor!.userId, definition.group_id);
  return getBallot(deps, actor, id);
}

export async function cancelBallot(deps: BallotDeps, actor: Actor, id: string, reason: string): Promise<Ballot> {
  const { definition } = await loadBallot(deps.db, actor, id);
  requireManage(actor, definition);
  await deps.db.transaction().execute(async (tx) => {
    const locked = await repo.lockBallot(tx, id, 'update');
    if (locked?.status !== 'draft' && locked?.status !== 'open') throw conflict(`The ballot is already ${locked?.status}`);
    await repo.markCancelled(tx, id, actor!.userId, reason.trim());
    await recordEvent(tx, { groupId: definition.group_id, actorId: actor!.userId, type: 'ballot.cancelled', payload: { ballotId: id, reason: reason.trim() } });
  });
  return getBallot(deps, actor, id);
}

export async function listBallots(deps: BallotDeps, actor: Actor, definitionId: string): Promise<Ballot[]> {
  await loadDefinition(deps.db, actor, definitionId, 'draft.read');
  const rows = await repo.listBallots(deps.db, definitionId);
  for (const row of rows) if (row.status === 'open') await closeIfDue(deps, row.id);
  return Promise.all(rows.map((row) => getBallot(deps, actor, row.id)));
}

export async function getBallot(deps: BallotDeps, actor: Actor, id: string): Promise<Ballot> {
  await closeIfDue(deps, id);
  const { row, definition } = await loadBallot(deps.db, actor, id);
  const rules = row.rules as BallotRules;
  const subject = row.subject as BallotSubject;
  const resultVisible = row.status === 'closed' || (row.status === 'open' && rules.resultsVisibility === 'live');
  const myIdentity = actor ? (rules.secret ? { voterToken: voterToken(deps.secret, id, actor.userId) } : { voterId: actor.userId }) : null;
  // Everyone's rows only when they are shown (public ballots with visible results); otherwise just mine.
  const [rows, participants, currentText, mineRows] = await Promise.all([
    !rules.secret && resultVisible ? repo.allVotes(deps.db, id) : Promise.resolve([]),
    repo.voters(deps.db, id),
    subjectText(deps.db, row.definition_id, subject),
    myIdentity ? repo.votesOf(deps.db, id, myIdentity) : Promise.resolve([]),
  ]);
  const referenceText = row.status === 'closed' ? row.final_text : currentText;
  const record = (v: (typeof rows)[number]): VoteRecord => ({
    position: v.position as StandardPosition,
    rationale: v.rationale,
    castAt: v.cast_at.toISOString(),
    textSeen: v.text_seen,
    outdated: subject.kind === 'clause' && v.text_seen !== referenceText,
  });
  const byIdentity = new Map<string, (typeof rows)[number][]>();
  for (const v of rows) byIdentity.set(v.voter_id ?? v.voter_token!, [...(byIdentity.get(v.voter_id ?? v.voter_token!) ?? []), v]);

  const mine = mineRows.length > 0 ? mineRows : undefined;
  let result: BallotResult | null = null;
  if (row.status === 'closed') result = row.result as BallotResult;
  else if (row.status === 'open' && rules.resultsVisibility === 'live') result = await computeCurrent(deps.db, id, rules, row.eligible_count ?? 0);

  const context = { visibility: definition.visibility, role: definition.role };
  const manage = canOnDefinition(actor, 'ballot.manage', context);
  const actions: BallotAction[] = [];
  if (manage && row.status === 'draft') actions.push('edit', 'open');
  if (manage && row.status === 'open') actions.push('close');
  if (manage && (row.status === 'draft' || row.status === 'open')) actions.push('cancel');
  if (row.status === 'open' && actor && (await repo.isEligible(deps.db, id, actor.userId))) actions.push('vote');

  return {
    id: row.id,
    definitionId: row.definition_id,
    title: row.title,
    subject,
    rules,
    status: row.status as Ballot['status'],
    subjectText: row.subject_text,
    finalText: row.final_text,
    textChanged: subject.kind === 'clause' && row.subject_text !== null && referenceText !== row.subject_text,
    eligibleCount: row.eligible_count,
    votedCount: participants.length,
    createdBy: { id: row.created_by, displayName: row.creator_name },
    createdAt: row.created_at.toISOString(),
    openedAt: row.opened_at?.toISOString() ?? null,
    closedAt: row.closed_at?.toISOString() ?? null,
    closedBy: row.closed_by ? { id: row.closed_by, displayName: row.closer_name ?? '(unknown)' } : null,
    cancelledReason: row.cancelled_reason,
    result,
    myVote: mine ? { ...record(mine.at(-1)!), history: mine.slice(0, -1).map(record) } : null,
    votes:
      !rules.secret && resultVisible
        ? [...byIdentity.values()].map((list) => ({ ...record(list.at(-1)!), voter: { id: list[0]!.voter_id!, displayName: list[0]!.display_name ?? '(unknown)' }, history: list.slice(0, -1).map(record) }))
        : [],
    voters: participants.map((p) => ({ voter: { id: p.user_id, displayName: p.display_name }, votedAt: p.first_voted_at.toISOString() })),
    allowedActions: actions,
  };
}

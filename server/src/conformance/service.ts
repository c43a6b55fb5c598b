import {
  DEFAULT_CONFORMANCE_RULE,
  DEFAULT_FREEDOMS,
  type Checklist,
  type ChecklistList,
  type ChecklistRow,
  type ConformanceSystem,
  type CreateChecklistBody,
  type CreateSystemBody,
  type Licence,
  type ImportPreview,
  type ImportReviewsBody,
  type OpenReviewBody,
  OUTCOME_LABELS,
  type FinalCell,
  type Register,
  type ResolveCellBody,
  type Review,
  type ReviewCommentBody,
  type SaveSheetBody,
  type SheetRow,
  type SystemList,
  type UpdateSystemBody,
  type Visibility,
} from '@draftroom/shared';
import * as ballots from '../ballots/repository.ts';
import type { Db, Executor, Tx } from '../db/database.ts';
import { loadDefinition } from '../definitions/service.ts';
import { conflict, hiddenAs, invalidInput, notFound } from '../errors.ts';
import { oneLine } from '../text/escape.ts';
import { recordEvent } from '../events/service.ts';
import { notifyReview, type ReviewFacts } from '../notifications/notify.ts';
import type { Actor, SignedIn } from '../policies/actor.ts';
import { authorizeConformance, canOnConformance, type ConformanceContext } from '../policies/conformance.ts';
import * as versions from '../versions/repository.ts';
import { presentChecklist, presentRegisterEntry, presentReview, presentReviewSummary, presentSystem, reviewActions } from './presenter.ts';
import { parseReviewCsv } from './csv.ts';
import * as endorsements from '../endorsements/repository.ts';
import { countEndorsements } from '../endorsements/service.ts';
import * as repo from './repository.ts';
import { cellKey, disagreeingCells, finalCells, outcomeOf, requiredCells, UnresolvedCells, unmarkedCells } from './rules.ts';

// ---------- context ----------

async function groupBySlug(db: Executor, actor: Actor, slug: string) {
  const group = await repo.findGroupBySlug(db, slug, actor?.userId ?? null);
  // A private group does not exist for outsiders; authorizeConformance decides the rest.
  if (!group || (group.visibility !== 'public' && group.role === null)) throw notFound('group');
  return group;
}

async function loadSystem(db: Executor, actor: Actor, id: string) {
  const system = await repo.findSystem(db, id);
  if (!system) throw notFound('system');
  const group = await repo.findGroupById(db, system.group_id, actor?.userId ?? null);
  if (!group || (group.visibility !== 'public' && group.role === null)) throw notFound('system');
  return { system, group };
}

async function loadChecklist(db: Executor, actor: Actor, id: string) {
  const checklist = await repo.findChecklist(db, id);
  if (!checklist) throw notFound('checklist');
  const group = await repo.findGroupById(db, checklist.group_id, actor?.userId ?? null);
  if (!group || (group.visibility !== 'public' && group.role === null)) throw notFound('checklist');
  return { checklist, group };
}

/** A review with everything a policy decision needs; a review the actor may not read does not exist. */
async function loadReview(db: Executor, actor: Actor, id: string) {
  const review = await repo.findReview(db, id);
  if (!review) throw notFound('review');
  const checklist = await repo.findChecklist(db, review.checklist_id);
  if (!checklist) throw notFound('review');
  const group = await repo.findGroupById(db, checklist.group_id, actor?.userId ?? null);
  const reviewers = await repo.listReviewers(db, [review.id]);
  const developer = actor !== null && review.developer_user_id === actor.userId;
  if (!group || (group.visibility !== 'public' && group.role === null && !developer)) throw notFound('review');
  const context: ConformanceContext = {
    visibility: group.visibility,
    role: group.role,
    reviewer: actor !== null && reviewers.some((r) => r.user_id === actor.userId),
    developer,
    responseOpen: review.status !== 'closed' && (review.response_until === null || review.response_until.getTime() > Date.now()),
  };
  return { review, checklist, group, reviewers, context };
}

// ---------- systems ----------

async function developerAccount(db: Executor, email: string | null | undefined): Promise<string | null> {
  if (!email) return null;
  const user = await repo.findUserByEmail(db, email);
  if (!user) throw invalidInput('No account has this e-mail address', [{ path: '/developerEmail', message: 'ask the developer to register first' }]);
  return user.id;
}

/** Trimmed, named (by the SPDX id when no name was given); a licence with neither is refused. */
function tidyLicences(licences: Licence[]): Licence[] {
  return licences.map((licence, i) => {
    const spdx = licence.spdx?.trim() || null;
    const name = licence.name.trim() || spdx;
    if (!name) throw invalidInput('A licence needs an SPDX identifier or a name', [{ path: `/licences/${i}/name`, message: 'empty' }]);
    return { spdx, name, url: licence.url ?? null };
  });
}

export async function listSystems(db: Db, actor: Actor, slug: string): Promise<SystemList> {
  const group = await groupBySlug(db, actor, slug);
  authorizeConformance(actor, 'system.read', group, 'group');
  return {
    systems: (await repo.listSystems(db, group.id)).map(presentSystem),
    allowed: canOnConformance(actor, 'system.manage', group) ? ['manage'] : [],
  };
}

export async function getSystem(db: Db, actor: Actor, id: string): Promise<ConformanceSystem> {
  const { system, group } = await loadSystem(db, actor, id);
  authorizeConformance(actor, 'system.read', group, 'system');
  return presentSystem(system);
}

export async function createSystem(db: Db, actor: Actor, slug: string, body: CreateSystemBody): Promise<ConformanceSystem> {
  return db.transaction().execute(async (tx) => {
    const group = await groupBySlug(tx, actor, slug);
    authorizeConformance(actor, 'system.manage', group, 'group');
    const values = {
      name: oneLine(body.name),
      version: oneLine(body.version ?? ''),
      developer: oneLine(body.developer ?? ''),
      links: body.links ?? [],
      licences: tidyLicences(body.licences ?? []),
      developerUserId: await developerAccount(tx, body.developerEmail),
    };
    const id = await repo.insertSystem(tx, group.id, actor.userId, values);
    if (!id) throw conflict('This group already has a system with this name and version', [{ path: '/name', message: 'is taken' }]);
    await recordEvent(tx, {
      groupId: group.id,
      actorId: actor.userId,
      type: 'system.created',
      payload: { systemId: id, name: values.name, version: values.version, developer: values.developer, licences: values.licences },
    });
    return presentSystem((await repo.findSystem(tx, id))!);
  });
}

export async function updateSystem(db: Db, actor: Actor, id: string, body: UpdateSystemBody): Promise<ConformanceSystem> {
  return db.transaction().execute(async (tx) => {
    const { system, group } = await loadSystem(tx, actor, id);
    authorizeConformance(actor, 'system.manage', group, 'system');
    const values = {
      name: body.name === undefined ? system.name : oneLine(body.name),
      version: body.version === undefined ? system.version : oneLine(body.version),
      developer: body.developer === undefined ? system.developer : oneLine(body.developer),
      links: body.links ?? system.links,
      licences: body.licences ? tidyLicences(body.licences) : system.licences,
      developerUserId: body.developerEmail === undefined ? system.developer_user_id : await developerAccount(tx, body.developerEmail),
    };
    if (!(await repo.updateSystem(tx, id, values)))
      throw conflict('This group already has a system with this name and version', [{ path: '/name', message: 'is taken' }]);
    const changed = Object.keys(body).filter((key) => key !== 'developerEmail');
    await recordEvent(tx, {
      groupId: group.id,
      actorId: actor.userId,
      type: 'system.updated',
      payload: {
        systemId: id,
        changed: body.developerEmail === undefined ? changed : [...changed, 'developerAccount'],
        name: values.name,
        version: values.version,
        licences: values.licences,
      },
    });
    return presentSystem((await repo.findSystem(tx, id))!);
  });
}

export async function deleteSystem(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const { system, group } = await loadSystem(tx, actor, id);
    authorizeConformance(actor, 'system.manage', group, 'system');
    if ((await repo.countReviewsOfSystem(tx, id)) > 0) throw conflict('This system has reviews; they stay on the record, and so does the system');
    await repo.deleteSystem(tx, id);
    await recordEvent(tx, {
      groupId: group.id,
      actorId: actor.userId,
      type: 'system.deleted',
      payload: { systemId: id, name: system.name, version: system.version },
    });
  });
}

// ---------- checklists ----------

export async function listChecklists(db: Db, actor: Actor, definitionId: string): Promise<ChecklistList> {
  const definition = await loadDefinition(db, actor, definitionId);
  authorizeConformance(actor, 'checklist.read', definition, 'definition');
  const allowed = [
    ...(canOnConformance(actor, 'checklist.create', definition) ? ['create'] : []),
    ...(canOnConformance(actor, 'review.open', definition) ? ['open'] : []),
  ];
  return { checklists: (await repo.listChecklists(db, definitionId)).map(presentChecklist), allowed };
}

export async function getChecklist(db: Db, actor: Actor, id: string): Promise<Checklist> {
  const { checklist, group } = await loadChecklist(db, actor, id);
  authorizeConformance(actor, 'checklist.read', group, 'checklist');
  return presentChecklist(checklist);
}

/** Rows from a closed component-matrix ballot: each component with the freedoms it was found Required for. */
async function rowsFromBallot(tx: Tx, definitionId: string, ballotId: string) {
  const ballot = await ballots.findBallot(tx, ballotId);
  if (!ballot || ballot.definition_id !== definitionId)
    throw invalidInput('No such ballot on this definition', [{ path: '/fromBallot', message: 'not found' }]);
  if (ballot.subject.kind !== 'matrix')
    throw invalidInput('Only a component-matrix ballot lists components', [{ path: '/fromBallot', message: `is a ${ballot.subject.kind} ballot` }]);
  const cells = ballot.result?.cells;
  if (ballot.status !== 'closed' || !cells)
    throw conflict('The ballot has not decided yet: a checklist takes its rows from a closed matrix', [
      { path: '/fromBallot', message: `is ${ballot.status}` },
    ]);
  const subject = ballot.subject;
  const rows = subject.rows.flatMap((component, i): Omit<ChecklistRow, 'id'>[] => {
    const required = subject.columns.map((_, j) => cells[i]?.[j]?.verdict === 'required');
    return required.some(Boolean) ? [{ component, category: '', required, criteria: [] }] : [];
  });
  if (rows.length === 0) throw conflict('The ballot found no component Required for any freedom: there is nothing to check');
  return { rows, freedoms: subject.columns, source: { kind: 'ballot' as const, ballotId, ballotTitle: ballot.title } };
}

export async function createChecklist(db: Db, actor: Actor, definitionId: string, body: CreateChecklistBody): Promise<Checklist> {
  return db.transaction().execute(async (tx) => {
    const definition = await loadDefinition(tx, actor, definitionId);
    authorizeConformance(actor, 'checklist.create', definition, 'definition');
    const version = await versions.findVersionId(tx, definitionId, body.versionLabel);
    if (!version) throw notFound('version');
    if ((body.fromBallot === undefined) === (body.rows === undefined))
      throw invalidInput('Give the rows, or the ballot to take them from — one of the two', [{ path: '/rows', message: 'or /fromBallot' }]);

    let rows: Omit<ChecklistRow, 'id'>[];
    let freedoms: string[];
    let source: Checklist['source'];
    if (body.fromBallot !== undefined) {
      if (body.freedoms) throw invalidInput('A checklist from a ballot takes the ballot’s columns', [{ path: '/freedoms', message: 'leave it out' }]);
      ({ rows, freedoms, source } = await rowsFromBallot(tx, definitionId, body.fromBallot));
    } else {
      freedoms = (body.freedoms ?? [...DEFAULT_FREEDOMS]).map((freedom) => freedom.trim());
      source = { kind: 'chair' };
      rows = body.rows!.map((row, i) => {
        const required = row.required ?? freedoms.map(() => true);
        if (required.length !== freedoms.length)
          throw invalidInput('Each row says, per freedom, whether it is required', [
            { path: `/rows/${i}/required`, message: `needs ${freedoms.length} values` },
          ]);
        if (!required.some(Boolean))
          throw invalidInput('A row must be required for at least one freedom', [{ path: `/rows/${i}/required`, message: 'all false' }]);
        return { component: oneLine(row.component), category: oneLine(row.category ?? ''), required, criteria: row.criteria ?? [] };
      });
      const names = rows.map((row) => row.component.toLowerCase());
      const duplicate = names.findIndex((name, i) => names.indexOf(name) !== i);
      if (duplicate >= 0) throw invalidInput('Two rows name the same component', [{ path: `/rows/${duplicate}/component`, message: 'is listed twice' }]);
      // Criteria quote the checklist's version word for word.
      const clauses = new Map((await versions.listVersionClauseTexts(tx, version.id)).map((clause) => [clause.clause_id, clause.text]));
      for (const [i, row] of rows.entries()) {
        for (const [j, criterion] of row.criteria.entries()) {
          const text = clauses.get(criterion.clauseId);
          if (text === undefined)
            throw invalidInput('A criterion quotes a clause this version does not have', [
              { path: `/rows/${i}/criteria/${j}/clauseId`, message: 'not in this version' },
            ]);
          if (!text.includes(criterion.quote))
            throw invalidInput('A criterion must quote its clause word for word', [
              { path: `/rows/${i}/criteria/${j}/quote`, message: 'not found in the clause' },
            ]);
        }
      }
    }
    const title = body.title ? oneLine(body.title) : `${definition.title} ${body.versionLabel} checklist`;
    const numbered: ChecklistRow[] = rows.map((row, i) => ({ id: `r${i + 1}`, ...row }));
    const id = await repo.insertChecklist(tx, { definitionId, versionId: version.id, title, freedoms, rows: numbered, source, createdBy: actor.userId });
    if (!id) throw conflict('This version already has a checklist; a new version gets a new one', [{ path: '/versionLabel', message: 'has a checklist' }]);
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: 'checklist.created',
      payload: { checklistId: id, definitionId, versionLabel: body.versionLabel, title, freedoms, rows: numbered, source },
    });
    return presentChecklist((await repo.findChecklist(tx, id))!);
  });
}

// ---------- reviews ----------

/** What a review's notifications say of it. */
function reviewFacts(
  reviewId: string,
  group: { id: string; visibility: Visibility },
  checklist: repo.ChecklistRecord,
  system: { name: string; version: string; developer_user_id: string | null },
): ReviewFacts {
  return {
    reviewId,
    groupId: group.id,
    visibility: group.visibility,
    definitionId: checklist.definition_id,
    versionId: checklist.version_id,
    versionLabel: checklist.version_label,
    systemName: system.version ? `${system.name} ${system.version}` : system.name,
    developerId: system.developer_user_id,
  };
}

const reviewedSystem = (review: repo.ReviewRecord) => ({
  name: review.system_name,
  version: review.system_version,
  developer_user_id: review.developer_user_id,
});

export async function listReviews(db: Db, actor: Actor, checklistId: string) {
  const { checklist, group } = await loadChecklist(db, actor, checklistId);
  authorizeConformance(actor, 'review.read', group, 'checklist');
  const rows = await repo.listReviews(db, checklist.id);
  const reviewers = await repo.listReviewers(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => presentReviewSummary(row, reviewers));
}

async function reviewView(db: Executor, actor: Actor, id: string): Promise<Review> {
  const { review, checklist, group, reviewers, context } = await loadReview(db, actor, id);
  const mine = reviewers.find((r) => r.user_id === actor?.userId);
  const [resolutions, comments] = await Promise.all([repo.listResolutions(db, [review.id]), repo.listComments(db, [review.id])]);
  return presentReview({
    review,
    checklist,
    group,
    reviewers,
    resolutions,
    comments,
    viewer: actor?.userId ?? null,
    allowed: reviewActions(actor, context, review.status, mine !== undefined && mine.submitted_at !== null),
  });
}

export async function getReview(db: Db, actor: Actor, id: string): Promise<Review> {
  const { context } = await loadReview(db, actor, id);
  authorizeConformance(actor, 'review.read', context, 'review');
  return reviewView(db, actor, id);
}

export async function openReview(db: Db, actor: Actor, checklistId: string, body: OpenReviewBody): Promise<Review> {
  return db.transaction().execute(async (tx) => {
    const { checklist, group } = await loadChecklist(tx, actor, checklistId);
    authorizeConformance(actor, 'review.open', group, 'checklist');
    const system = await repo.findSystem(tx, body.systemId);
    if (!system || system.group_id !== group.id) throw invalidInput('No such system in this group', [{ path: '/systemId', message: 'not in the register' }]);
    const members = new Map((await repo.memberRoles(tx, group.id, body.reviewerIds)).map((m) => [m.user_id, m]));
    body.reviewerIds.forEach((userId, i) => {
      const member = members.get(userId);
      if (!member || member.role === 'observer')
        throw invalidInput('Reviewers are chairs, editors or members of the group', [
          { path: `/reviewerIds/${i}`, message: member ? 'is an observer' : 'is not a member' },
        ]);
    });
    if (system.developer_user_id !== null && body.reviewerIds.includes(system.developer_user_id))
      throw invalidInput('The developer cannot review their own system', [{ path: '/reviewerIds', message: 'includes the developer' }]);
    const responseUntil = body.responseUntil ? new Date(body.responseUntil) : null;
    if (responseUntil && responseUntil.getTime() <= Date.now())
      throw invalidInput('The response period must end in the future', [{ path: '/responseUntil', message: 'is past' }]);
    const rule = body.rule ?? DEFAULT_CONFORMANCE_RULE;
    const id = await repo.insertReview(tx, { checklistId, systemId: system.id, rule, responseUntil, openedBy: actor.userId });
    if (!id) throw conflict('This system already has a review against this checklist', [{ path: '/systemId', message: 'already reviewed' }]);
    await repo.insertReviewers(tx, id, body.reviewerIds);
    await recordEvent(tx, {
      groupId: group.id,
      actorId: actor.userId,
      type: 'review.opened',
      payload: {
        reviewId: id,
        checklistId,
        versionLabel: checklist.version_label,
        system: { id: system.id, name: system.name, version: system.version },
        reviewers: body.reviewerIds,
        rule,
        responseUntil: responseUntil?.toISOString() ?? null,
      },
    });
    const facts = reviewFacts(id, group, checklist, { name: system.name, version: system.version, developer_user_id: system.developer_user_id });
    await notifyReview(tx, facts, body.reviewerIds, 'review_assigned', actor.userId);
    if (facts.developerId)
      await notifyReview(tx, facts, [facts.developerId], 'review_response_invited', actor.userId, {
        details: { responseUntil: responseUntil?.toISOString() ?? null },
      });
    return reviewView(tx, actor, id);
  });
}

function checkSheet(checklist: repo.ChecklistRecord, rows: SheetRow[]): void {
  const byId = new Map(checklist.rows.map((row) => [row.id, row]));
  const seen = new Set<string>();
  rows.forEach((sheetRow, i) => {
    const row = byId.get(sheetRow.rowId);
    if (!row) throw invalidInput('The checklist has no such row', [{ path: `/rows/${i}/rowId`, message: 'unknown' }]);
    if (seen.has(sheetRow.rowId)) throw invalidInput('A row appears twice', [{ path: `/rows/${i}/rowId`, message: 'duplicate' }]);
    seen.add(sheetRow.rowId);
    if (sheetRow.verdicts.length !== checklist.freedoms.length)
      throw invalidInput('Give one verdict (or null) per freedom', [{ path: `/rows/${i}/verdicts`, message: `needs ${checklist.freedoms.length} values` }]);
    sheetRow.verdicts.forEach((verdict, j) => {
      if (verdict !== null && !row.required[j])
        throw invalidInput('This component is not required for this freedom', [{ path: `/rows/${i}/verdicts/${j}`, message: 'must be null' }]);
    });
    sheetRow.evidence.forEach((evidence, j) => {
      if ((evidence.kind === 'url' || evidence.kind === 'document') && !evidence.url)
        throw invalidInput('A link or document needs its address', [{ path: `/rows/${i}/evidence/${j}/url`, message: 'required' }]);
      if (evidence.kind !== 'url' && !evidence.text.trim())
        throw invalidInput('Say what the evidence is', [{ path: `/rows/${i}/evidence/${j}/text`, message: 'empty' }]);
    });
  });
}

export async function saveSheet(db: Db, actor: Actor, id: string, body: SaveSheetBody): Promise<Review> {
  return db.transaction().execute(async (tx) => {
    const { review, checklist, reviewers, context } = await loadReview(tx, actor, id);
    authorizeConformance(actor, 'review.mark', context, 'review');
    await repo.lockReview(tx, id);
    const mine = reviewers.find((r) => r.user_id === actor.userId)!;
    if (review.status !== 'marking' || mine.submitted_at !== null) throw conflict('Your marks are submitted; they can no longer change');
    checkSheet(checklist, body.rows);
    await repo.saveSheet(tx, id, actor.userId, body.rows);
    return reviewView(tx, actor, id);
  });
}

export async function submitSheet(db: Db, actor: Actor, id: string): Promise<Review> {
  return db.transaction().execute(async (tx) => {
    const first = await loadReview(tx, actor, id);
    authorizeConformance(actor, 'review.mark', first.context, 'review');
    await repo.lockReview(tx, id);
    // Read again under the lock: another reviewer may have submitted meanwhile.
    const { review, checklist, reviewers, group } = await loadReview(tx, actor, id);
    const mine = reviewers.find((r) => r.user_id === actor.userId)!;
    if (review.status !== 'marking' || mine.submitted_at !== null) throw conflict('Your marks are already submitted');
    const unmarked = unmarkedCells(checklist.rows, mine.sheet);
    if (unmarked.length > 0)
      throw conflict(
        'Mark every required cell before submitting',
        unmarked.map((cell) => ({
          path: `/rows/${cell.rowId}/verdicts/${cell.freedom}`,
          message: `${rowName(checklist, cell.rowId)} — ${checklist.freedoms[cell.freedom]}: not marked`,
        })),
      );
    const at = new Date();
    await repo.markSubmitted(tx, id, actor.userId, at);
    await recordEvent(tx, { groupId: group.id, actorId: actor.userId, type: 'review.submitted', payload: { reviewId: id, reviewer: actor.userId } });
    const everyone = reviewers.every((r) => r.user_id === actor.userId || r.submitted_at !== null);
    if (everyone) {
      await repo.setStatus(tx, id, 'reconciling');
      const sheets = reviewers.map((r) => r.sheet);
      // The marks are revealed to everyone together, and enter the record at that moment.
      await recordEvent(tx, {
        groupId: group.id,
        actorId: actor.userId,
        type: 'review.revealed',
        payload: {
          reviewId: id,
          sheets: reviewers.map((r) => ({ reviewer: r.user_id, verdicts: r.sheet.map((row) => ({ rowId: row.rowId, verdicts: row.verdicts })) })),
          disagreements: disagreeingCells(checklist.rows, sheets).map(cellKey),
        },
      });
      await notifyReview(
        tx,
        reviewFacts(id, group, checklist, reviewedSystem(review)),
        [...reviewers.map((r) => r.user_id), review.opened_by],
        'review_revealed',
        actor.userId,
        { details: { disagreements: disagreeingCells(checklist.rows, sheets).length } },
      );
    }
    return reviewView(tx, actor, id);
  });
}

const rowName = (checklist: repo.ChecklistRecord, rowId: string) => checklist.rows.find((row) => row.id === rowId)?.component ?? rowId;

export async function resolveCell(db: Db, actor: Actor, id: string, body: ResolveCellBody): Promise<Review> {
  return db.transaction().execute(async (tx) => {
    const { review, checklist, group, context } = await loadReview(tx, actor, id);
    authorizeConformance(actor, 'review.resolve', context, 'review');
    await repo.lockReview(tx, id);
    const current = (await repo.findReview(tx, id))!;
    if (current.status === 'marking') throw conflict('The reviewers have not all submitted: their marks are not known yet');
    if (current.status === 'closed') throw conflict('The review is closed');
    if (!requiredCells(checklist.rows).some((cell) => cell.rowId === body.rowId && cell.freedom === body.freedom))
      throw invalidInput('The checklist does not ask about this cell', [{ path: '/rowId', message: `${body.rowId}/${body.freedom} is not a required cell` }]);
    const condition = body.verdict === 'allows' ? null : body.condition?.trim() || null;
    await repo.upsertResolution(tx, {
      reviewId: id,
      rowId: body.rowId,
      freedom: body.freedom,
      verdict: body.verdict,
      reason: body.reason.trim(),
      condition,
      resolvedBy: actor.userId,
      at: new Date(),
    });
    await recordEvent(tx, {
      groupId: group.id,
      actorId: actor.userId,
      type: 'review.cell_resolved',
      payload: {
        reviewId: review.id,
        rowId: body.rowId,
        component: rowName(checklist, body.rowId),
        freedom: checklist.freedoms[body.freedom],
        verdict: body.verdict,
        reason: body.reason.trim(),
        condition,
      },
    });
    return reviewView(tx, actor, id);
  });
}

export async function commentOnReview(db: Db, actor: Actor, id: string, body: ReviewCommentBody): Promise<Review> {
  return db.transaction().execute(async (tx) => {
    const { review, checklist, group, context } = await loadReview(tx, actor, id);
    authorizeConformance(actor, 'review.comment', context, 'review');
    if (review.status === 'closed') throw conflict('The review is closed');
    const row = checklist.rows.find((r) => r.id === body.rowId);
    if (!row) throw invalidInput('The checklist has no such row', [{ path: '/rowId', message: 'unknown' }]);
    const freedom = body.freedom ?? null;
    if (freedom !== null && !row.required[freedom])
      throw invalidInput('The checklist does not ask about this cell', [{ path: '/freedom', message: 'not required for this row' }]);
    const asDeveloper = context.developer === true && context.role === null;
    const commentId = await repo.insertComment(tx, {
      reviewId: id,
      rowId: body.rowId,
      freedom,
      authorId: (actor as SignedIn).userId,
      asDeveloper,
      body: body.body.trim(),
    });
    await recordEvent(tx, {
      groupId: group.id,
      actorId: (actor as SignedIn).userId,
      type: 'review.commented',
      payload: { reviewId: id, commentId, rowId: body.rowId, freedom, asDeveloper },
    });
    if (asDeveloper) {
      // One notice a day per person, however many cells the developer answers.
      const reviewers = await repo.listReviewers(tx, [id]);
      await notifyReview(
        tx,
        reviewFacts(id, group, checklist, reviewedSystem(review)),
        [...reviewers.map((r) => r.user_id), review.opened_by],
        'review_developer_responded',
        (actor as SignedIn).userId,
        { dedupeKey: `review-response:${id}:${new Date().toISOString().slice(0, 10)}` },
      );
    }
    return reviewView(tx, actor, id);
  });
}

export async function closeReview(db: Db, actor: Actor, id: string): Promise<Review> {
  return db.transaction().execute(async (tx) => {
    const { checklist, group, context } = await loadReview(tx, actor, id);
    authorizeConformance(actor, 'review.close', context, 'review');
    await repo.lockReview(tx, id);
    const review = (await repo.findReview(tx, id))!;
    if (review.status === 'marking') throw conflict('The reviewers have not all submitted');
    if (review.status === 'closed') throw conflict('The review is already closed');
    if (review.response_until && review.response_until.getTime() > Date.now())
      throw conflict(`The developer may respond until ${review.response_until.toISOString()}; the review closes after that`);
    const reviewers = await repo.listReviewers(tx, [id]);
    const resolutions = await repo.listResolutions(tx, [id]);
    const sheets = reviewers.map((r) => r.sheet);
    const unresolved = disagreeingCells(checklist.rows, sheets).filter(
      (cell) => !resolutions.some((resolution) => resolution.row_id === cell.rowId && resolution.freedom === cell.freedom),
    );
    if (unresolved.length > 0)
      throw conflict(
        'Resolve every disagreement first',
        unresolved.map((cell) => ({ path: `/cells/${cellKey(cell)}`, message: `${rowName(checklist, cell.rowId)} — ${checklist.freedoms[cell.freedom]}` })),
      );
    let cells: ReturnType<typeof finalCells>;
    try {
      cells = finalCells(
        checklist.rows,
        sheets,
        resolutions.map((r) => ({ rowId: r.row_id, freedom: r.freedom, verdict: r.verdict, condition: r.condition })),
      );
    } catch (error) {
      if (error instanceof UnresolvedCells) throw conflict('Resolve every disagreement first');
      throw error;
    }
    const { outcome, conditions, uncured } = outcomeOf(review.rule, cells);
    if (uncured.length > 0)
      throw conflict(
        'Say what would cure each cell that keeps the system from conforming (resolve it with a condition)',
        uncured.map((cell) => ({ path: `/cells/${cellKey(cell)}`, message: `${rowName(checklist, cell.rowId)} — ${checklist.freedoms[cell.freedom]}` })),
      );
    const at = new Date();
    await repo.closeReview(tx, id, { closedBy: (actor as SignedIn).userId, at, outcome, conditions, cells });
    await recordEvent(tx, {
      groupId: group.id,
      actorId: (actor as SignedIn).userId,
      type: 'review.closed',
      payload: {
        reviewId: id,
        system: { id: review.system_id, name: review.system_name, version: review.system_version },
        versionLabel: checklist.version_label,
        rule: review.rule,
        outcome,
        conditions,
        cells,
      },
    });
    const facts = reviewFacts(id, group, checklist, reviewedSystem(review));
    await notifyReview(
      tx,
      facts,
      [...reviewers.map((r) => r.user_id), review.opened_by, ...(facts.developerId ? [facts.developerId] : [])],
      'review_closed',
      (actor as SignedIn).userId,
      { details: { outcome } },
    );
    return reviewView(tx, actor, id);
  });
}

// ---------- the public register ----------

/** Every closed review against a published version (public for public groups, members otherwise). */
export async function getRegister(db: Db, actor: Actor, definitionId: string, label: string): Promise<Register> {
  const definition = await loadDefinition(db, actor, definitionId);
  authorizeConformance(actor, 'register.read', definition, 'definition');
  const version = await versions.findVersion(db, definitionId, label);
  if (!version) throw notFound('version');
  const group = await repo.groupName(db, definition.group_id);
  const checklist = await repo.findChecklistForVersion(db, version.id);
  const endorsed = countEndorsements(await endorsements.listForVersion(db, version.id));
  const base = {
    group: { slug: definition.group_slug, name: group.name },
    definition: { id: definition.id, title: definition.title },
    version: { id: version.id, label: version.label, publishedAt: version.published_at.toISOString() },
    endorsements: endorsed,
  };
  if (!checklist) return { ...base, checklist: null, entries: [], counts: { conformant: 0, conditional: 0, not_conformant: 0 }, inProgress: 0 };
  const reviews = await repo.listReviews(db, checklist.id);
  const closed = reviews.filter((review) => review.status === 'closed');
  const ids = closed.map((review) => review.id);
  const [reviewers, resolutions, systems, comments] = await Promise.all([
    repo.listReviewers(db, ids),
    repo.listResolutions(db, ids),
    repo.listSystems(db, definition.group_id),
    repo.listComments(db, ids),
  ]);
  const entries = closed.map((review) =>
    presentRegisterEntry({
      review,
      system: systems.find((s) => s.id === review.system_id)!,
      checklist,
      reviewers,
      resolutions,
      comments: comments.filter((comment) => comment.review_id === review.id),
    }),
  );
  const counts = { conformant: 0, conditional: 0, not_conformant: 0 };
  for (const entry of entries) counts[entry.outcome] += 1;
  return {
    ...base,
    checklist: { id: checklist.id, title: checklist.title, freedoms: checklist.freedoms, rows: checklist.rows },
    entries,
    counts,
    inProgress: reviews.length - closed.length,
  };
}

/** What a badge says: the definition and version, and the outcome of a closed review (else not found). */
export async function badgeFor(db: Db, actor: Actor, reviewId: string): Promise<{ label: string; outcome: NonNullable<repo.ReviewRecord['outcome']> }> {
  const review = await repo.findReview(db, reviewId);
  const checklist = review && (await repo.findChecklist(db, review.checklist_id));
  if (!review || !checklist || review.status !== 'closed' || !review.outcome) throw notFound('review');
  const definition = await hiddenAs(loadDefinition(db, actor, checklist.definition_id), 'review');
  authorizeConformance(actor, 'register.read', definition, 'review');
  return { label: `${definition.title} ${checklist.version_label}`, outcome: review.outcome };
}

// ---------- importing spreadsheet reviews ----------

/**
 * Reviews made elsewhere (OSI's 2024 validation spreadsheets, say), brought in against this checklist
 * as closed, imported reviews: the cells as the spreadsheet marks them, outcomes under the given rule,
 * the reviewers it names and the evidence it cites. Systems it names that the register lacks are
 * added. Without `apply` nothing is written: the answer says what would be. All or nothing — one bad
 * line refuses the whole file, and an outcome the spreadsheet states that its own cells contradict
 * is refused rather than recorded.
 */
export async function importReviews(db: Db, actor: Actor, checklistId: string, body: ImportReviewsBody): Promise<ImportPreview> {
  return db.transaction().execute(async (tx) => {
    const { checklist, group } = await loadChecklist(tx, actor, checklistId);
    authorizeConformance(actor, 'review.open', group, 'checklist');
    const parsed = parseReviewCsv(body.csv, { freedoms: checklist.freedoms, rows: checklist.rows });
    if (!parsed.ok) throw invalidInput('The spreadsheet cannot be imported', parsed.errors);
    const rule = body.rule ?? DEFAULT_CONFORMANCE_RULE;
    const [systems, reviews] = await Promise.all([repo.listSystems(tx, group.id), repo.listReviews(tx, checklist.id)]);
    const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
    const problems: { path: string; message: string }[] = [];
    const plan = parsed.systems.map((imported) => {
      const where = `/line/${imported.lines[0] ?? 0}`;
      const label = `${imported.name} ${imported.version}`.trim();
      const known = systems.find((system) => same(system.name, imported.name) && same(system.version, imported.version)) ?? null;
      if (known && reviews.some((review) => review.system_id === known.id))
        problems.push({ path: where, message: `${label} already has a review against this checklist` });
      // The spreadsheet's conditions are the system's; each cell they would cure carries them.
      const condition = imported.conditions.length > 0 ? imported.conditions.join('; ') : null;
      const cells: FinalCell[] = imported.cells.map((cell) => ({ ...cell, settledBy: 'import', condition: cell.verdict === 'allows' ? null : condition }));
      const { outcome, conditions, uncured } = outcomeOf(rule, cells);
      if (imported.outcome !== null && imported.outcome !== outcome)
        problems.push({
          path: where,
          message: `${label}: the spreadsheet says ${OUTCOME_LABELS[imported.outcome]}, its cells give ${OUTCOME_LABELS[outcome]} under this rule`,
        });
      else if (uncured.length > 0) problems.push({ path: where, message: `${label}: Conformant if… needs its conditions (the Conditions column is empty)` });
      return { imported, known, cells, outcome, conditions };
    });
    if (problems.length > 0) throw conflict('The spreadsheet cannot be imported as it is', problems);

    const summary = (reviewIds: (string | null)[]): ImportPreview['systems'] =>
      plan.map((item, i) => ({
        name: item.imported.name,
        version: item.imported.version,
        known: item.known !== null,
        outcome: item.outcome,
        conditions: item.conditions,
        cells: item.cells,
        reviewers: item.imported.reviewers,
        reviewId: reviewIds[i] ?? null,
      }));
    if (!body.apply) return { applied: false, systems: summary([]) };

    const signedIn = actor as SignedIn;
    const importer = (await repo.memberRoles(tx, group.id, [signedIn.userId]))[0]?.display_name ?? '';
    const at = new Date();
    const ids: string[] = [];
    for (const item of plan) {
      const { imported } = item;
      const systemId =
        item.known?.id ??
        (await repo.insertSystem(tx, group.id, signedIn.userId, {
          name: imported.name,
          version: imported.version,
          developer: imported.developer,
          links: [],
          licences: imported.licences,
          developerUserId: null,
        }));
      if (!systemId) throw conflict(`${imported.name} appears twice in the spreadsheet`);
      if (!item.known)
        await recordEvent(tx, {
          groupId: group.id,
          actorId: signedIn.userId,
          type: 'system.created',
          payload: { systemId, name: imported.name, version: imported.version, developer: imported.developer, licences: imported.licences },
        });
      const reviewId = await repo.insertImportedReview(tx, {
        checklistId,
        systemId,
        rule,
        openedBy: signedIn.userId,
        at,
        outcome: item.outcome,
        conditions: item.conditions,
        cells: item.cells,
        imported: {
          reviewers: imported.reviewers,
          importedBy: signedIn.userId,
          importedByName: importer,
          importedAt: at.toISOString(),
          file: body.file?.trim() || null,
          reviewedOn: imported.closed,
          evidence: imported.evidence,
        },
      });
      if (!reviewId) throw conflict(`${imported.name} appears twice in the spreadsheet`);
      ids.push(reviewId);
      await recordEvent(tx, {
        groupId: group.id,
        actorId: signedIn.userId,
        type: 'review.imported',
        payload: {
          reviewId,
          checklistId,
          versionLabel: checklist.version_label,
          system: { id: systemId, name: imported.name, version: imported.version },
          file: body.file?.trim() || null,
          reviewers: imported.reviewers,
          rule,
          outcome: item.outcome,
          conditions: item.conditions,
          cells: item.cells,
        },
      });
    }
    return { applied: true, systems: summary(ids) };
  });
}

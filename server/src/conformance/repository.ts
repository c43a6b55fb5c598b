import { sql } from 'kysely';
import type { ChecklistRow, ChecklistSource, ConformanceRule, FinalCell, Licence, Outcome, SheetRow, SystemLink, Verdict } from '@draftroom/shared';
import type { Executor } from '../db/database.ts';
import type { ImportedReview } from '../db/schema.ts';

const asJson = (value: unknown) => JSON.stringify(value);

// ---------- groups ----------

/** A group by slug with the user's role in it (null for outsiders and anonymous callers). */
export function findGroupBySlug(db: Executor, slug: string, userId: string | null) {
  return db
    .selectFrom('groups')
    .leftJoin('memberships', (join) => join.onRef('memberships.group_id', '=', 'groups.id').on('memberships.user_id', '=', userId ?? sql<string>`null`))
    .select(['groups.id', 'groups.slug', 'groups.visibility', 'memberships.role'])
    .where('groups.slug', '=', slug)
    .executeTakeFirst();
}

export function findGroupById(db: Executor, groupId: string, userId: string | null) {
  return db
    .selectFrom('groups')
    .leftJoin('memberships', (join) => join.onRef('memberships.group_id', '=', 'groups.id').on('memberships.user_id', '=', userId ?? sql<string>`null`))
    .select(['groups.id', 'groups.slug', 'groups.name', 'groups.visibility', 'memberships.role'])
    .where('groups.id', '=', groupId)
    .executeTakeFirst();
}

export function groupName(db: Executor, groupId: string) {
  return db.selectFrom('groups').select(['name']).where('id', '=', groupId).executeTakeFirstOrThrow();
}

export function memberRoles(db: Executor, groupId: string, userIds: string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['memberships.user_id', 'memberships.role', 'users.display_name'])
    .where('memberships.group_id', '=', groupId)
    .where('memberships.user_id', 'in', userIds)
    .execute();
}

// ---------- systems ----------

const systemColumns = [
  'conformance_systems.id',
  'conformance_systems.group_id',
  'conformance_systems.name',
  'conformance_systems.version',
  'conformance_systems.developer',
  'conformance_systems.links',
  'conformance_systems.licences',
  'conformance_systems.developer_user_id',
  'developer.display_name as developer_name',
  'conformance_systems.created_at',
  'conformance_systems.updated_at',
] as const;

function systems(db: Executor) {
  return db.selectFrom('conformance_systems').leftJoin('users as developer', 'developer.id', 'conformance_systems.developer_user_id').select(systemColumns);
}

export function listSystems(db: Executor, groupId: string) {
  return systems(db)
    .where('conformance_systems.group_id', '=', groupId)
    .orderBy(sql`lower(conformance_systems.name)`)
    .orderBy('conformance_systems.version')
    .execute();
}

export function findSystem(db: Executor, id: string) {
  return systems(db).where('conformance_systems.id', '=', id).executeTakeFirst();
}

export type SystemRow = NonNullable<Awaited<ReturnType<typeof findSystem>>>;

export interface SystemValues {
  name: string;
  version: string;
  developer: string;
  links: SystemLink[];
  licences: Licence[];
  developerUserId: string | null;
}

/** Null when the group already has a system of this name and version. */
export async function insertSystem(db: Executor, groupId: string, createdBy: string, values: SystemValues): Promise<string | null> {
  const row = await db
    .insertInto('conformance_systems')
    .values({
      group_id: groupId,
      name: values.name,
      version: values.version,
      developer: values.developer,
      links: asJson(values.links),
      licences: asJson(values.licences),
      developer_user_id: values.developerUserId,
      created_by: createdBy,
    })
    .onConflict((conflict) => conflict.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** False when another system of the group already has this name and version. */
export async function updateSystem(db: Executor, id: string, values: SystemValues): Promise<boolean> {
  try {
    await db
      .updateTable('conformance_systems')
      .set({
        name: values.name,
        version: values.version,
        developer: values.developer,
        links: asJson(values.links),
        licences: asJson(values.licences),
        developer_user_id: values.developerUserId,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return false;
    throw error;
  }
}

export async function deleteSystem(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('conformance_systems').where('id', '=', id).execute();
}

export async function countReviewsOfSystem(db: Executor, systemId: string): Promise<number> {
  const row = await db
    .selectFrom('reviews')
    .select((e) => e.fn.countAll<string>().as('n'))
    .where('system_id', '=', systemId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findUserByEmail(db: Executor, email: string) {
  return db.selectFrom('users').select(['id', 'display_name']).where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
}

// ---------- checklists ----------

const checklistColumns = [
  'checklists.id',
  'checklists.definition_id',
  'checklists.version_id',
  'versions.label as version_label',
  'checklists.title',
  'checklists.freedoms',
  'checklists.rows',
  'checklists.source',
  'checklists.created_at',
  'checklists.created_by',
  'creator.display_name as creator_name',
  'definitions.group_id',
  'definitions.title as definition_title',
] as const;

function checklists(db: Executor) {
  return db
    .selectFrom('checklists')
    .innerJoin('versions', 'versions.id', 'checklists.version_id')
    .innerJoin('definitions', 'definitions.id', 'checklists.definition_id')
    .innerJoin('users as creator', 'creator.id', 'checklists.created_by')
    .select(checklistColumns);
}

export function listChecklists(db: Executor, definitionId: string) {
  return checklists(db).where('checklists.definition_id', '=', definitionId).orderBy('versions.published_at', 'desc').execute();
}

export function findChecklist(db: Executor, id: string) {
  return checklists(db).where('checklists.id', '=', id).executeTakeFirst();
}

export function findChecklistForVersion(db: Executor, versionId: string) {
  return checklists(db).where('checklists.version_id', '=', versionId).executeTakeFirst();
}

export type ChecklistRecord = NonNullable<Awaited<ReturnType<typeof findChecklist>>>;

/** Null when the version already has a checklist. */
export async function insertChecklist(
  db: Executor,
  values: { definitionId: string; versionId: string; title: string; freedoms: string[]; rows: ChecklistRow[]; source: ChecklistSource; createdBy: string },
): Promise<string | null> {
  const row = await db
    .insertInto('checklists')
    .values({
      definition_id: values.definitionId,
      version_id: values.versionId,
      title: values.title,
      freedoms: asJson(values.freedoms),
      rows: asJson(values.rows),
      source: asJson(values.source),
      created_by: values.createdBy,
    })
    .onConflict((conflict) => conflict.column('version_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

// ---------- reviews ----------

const reviewColumns = [
  'reviews.id',
  'reviews.checklist_id',
  'reviews.system_id',
  'reviews.status',
  'reviews.rule',
  'reviews.response_until',
  'reviews.opened_by',
  'opener.display_name as opener_name',
  'reviews.opened_at',
  'reviews.closed_at',
  'reviews.outcome',
  'reviews.conditions',
  'reviews.cells',
  'reviews.imported',
  'conformance_systems.name as system_name',
  'conformance_systems.version as system_version',
  'conformance_systems.developer as system_developer',
  'conformance_systems.developer_user_id',
] as const;

function reviews(db: Executor) {
  return db
    .selectFrom('reviews')
    .innerJoin('conformance_systems', 'conformance_systems.id', 'reviews.system_id')
    .innerJoin('users as opener', 'opener.id', 'reviews.opened_by')
    .select(reviewColumns);
}

export function findReview(db: Executor, id: string) {
  return reviews(db).where('reviews.id', '=', id).executeTakeFirst();
}

/** The review row, locked until the transaction ends: status changes happen one at a time. */
export async function lockReview(db: Executor, id: string): Promise<void> {
  await db.selectFrom('reviews').select('id').where('id', '=', id).forUpdate().execute();
}

export type ReviewRecord = NonNullable<Awaited<ReturnType<typeof findReview>>>;

export function listReviews(db: Executor, checklistId: string) {
  return reviews(db).where('reviews.checklist_id', '=', checklistId).orderBy(sql`lower(conformance_systems.name)`).execute();
}

export function listReviewsForChecklists(db: Executor, checklistIds: string[]) {
  if (checklistIds.length === 0) return Promise.resolve([]);
  return reviews(db).where('reviews.checklist_id', 'in', checklistIds).orderBy(sql`lower(conformance_systems.name)`).execute();
}

/** Null when this system already has a review against this checklist. */
export async function insertReview(
  db: Executor,
  values: { checklistId: string; systemId: string; rule: ConformanceRule; responseUntil: Date | null; openedBy: string },
): Promise<string | null> {
  const row = await db
    .insertInto('reviews')
    .values({
      checklist_id: values.checklistId,
      system_id: values.systemId,
      rule: asJson(values.rule),
      response_until: values.responseUntil,
      opened_by: values.openedBy,
    })
    .onConflict((conflict) => conflict.constraint('reviews_checklist_system').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** A review imported closed, from a spreadsheet; null when the system already has one against this checklist. */
export async function insertImportedReview(
  db: Executor,
  values: {
    checklistId: string;
    systemId: string;
    rule: ConformanceRule;
    openedBy: string;
    at: Date;
    outcome: Outcome;
    conditions: string[];
    cells: FinalCell[];
    imported: ImportedReview;
  },
): Promise<string | null> {
  const row = await db
    .insertInto('reviews')
    .values({
      checklist_id: values.checklistId,
      system_id: values.systemId,
      rule: asJson(values.rule),
      response_until: null,
      opened_by: values.openedBy,
      opened_at: values.at,
      imported: asJson(values.imported),
    })
    .onConflict((conflict) => conflict.constraint('reviews_checklist_system').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) return null;
  await closeReview(db, row.id, { closedBy: values.openedBy, at: values.at, outcome: values.outcome, conditions: values.conditions, cells: values.cells });
  return row.id;
}

export async function insertReviewers(db: Executor, reviewId: string, userIds: string[]): Promise<void> {
  await db
    .insertInto('review_reviewers')
    .values(userIds.map((userId, position) => ({ review_id: reviewId, user_id: userId, position })))
    .execute();
}

export function listReviewers(db: Executor, reviewIds: string[]) {
  if (reviewIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('review_reviewers')
    .innerJoin('users', 'users.id', 'review_reviewers.user_id')
    .select(['review_reviewers.review_id', 'review_reviewers.user_id', 'users.display_name', 'review_reviewers.sheet', 'review_reviewers.submitted_at'])
    .where('review_reviewers.review_id', 'in', reviewIds)
    .orderBy('review_reviewers.review_id')
    .orderBy('review_reviewers.position')
    .execute();
}

export async function saveSheet(db: Executor, reviewId: string, userId: string, sheet: SheetRow[]): Promise<void> {
  await db
    .updateTable('review_reviewers')
    .set({ sheet: asJson(sheet), updated_at: new Date() })
    .where('review_id', '=', reviewId)
    .where('user_id', '=', userId)
    .execute();
}

export async function markSubmitted(db: Executor, reviewId: string, userId: string, at: Date): Promise<void> {
  await db.updateTable('review_reviewers').set({ submitted_at: at }).where('review_id', '=', reviewId).where('user_id', '=', userId).execute();
}

export async function setStatus(db: Executor, reviewId: string, status: 'reconciling'): Promise<void> {
  await db.updateTable('reviews').set({ status }).where('id', '=', reviewId).execute();
}

export async function closeReview(
  db: Executor,
  reviewId: string,
  values: { closedBy: string; at: Date; outcome: Outcome; conditions: string[]; cells: FinalCell[] },
): Promise<void> {
  await db
    .updateTable('reviews')
    .set({
      status: 'closed',
      closed_by: values.closedBy,
      closed_at: values.at,
      outcome: values.outcome,
      conditions: asJson(values.conditions),
      cells: asJson(values.cells),
    })
    .where('id', '=', reviewId)
    .execute();
}

export function listResolutions(db: Executor, reviewIds: string[]) {
  if (reviewIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('review_resolutions')
    .innerJoin('users', 'users.id', 'review_resolutions.resolved_by')
    .select([
      'review_resolutions.review_id',
      'review_resolutions.row_id',
      'review_resolutions.freedom',
      'review_resolutions.verdict',
      'review_resolutions.reason',
      'review_resolutions.condition',
      'review_resolutions.resolved_by',
      'users.display_name as resolver_name',
      'review_resolutions.resolved_at',
    ])
    .where('review_resolutions.review_id', 'in', reviewIds)
    .execute();
}

export async function upsertResolution(
  db: Executor,
  values: { reviewId: string; rowId: string; freedom: number; verdict: Verdict; reason: string; condition: string | null; resolvedBy: string; at: Date },
): Promise<void> {
  const row = {
    review_id: values.reviewId,
    row_id: values.rowId,
    freedom: values.freedom,
    verdict: values.verdict,
    reason: values.reason,
    condition: values.condition,
    resolved_by: values.resolvedBy,
    resolved_at: values.at,
  };
  await db
    .insertInto('review_resolutions')
    .values(row)
    .onConflict((conflict) =>
      conflict
        .columns(['review_id', 'row_id', 'freedom'])
        .doUpdateSet({ verdict: row.verdict, reason: row.reason, condition: row.condition, resolved_by: row.resolved_by, resolved_at: row.resolved_at }),
    )
    .execute();
}

/** The comments of these reviews, each review's in the order they were written. */
export function listComments(db: Executor, reviewIds: string[]) {
  if (reviewIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('review_comments')
    .innerJoin('users', 'users.id', 'review_comments.author_id')
    .select([
      'review_comments.id',
      'review_comments.review_id',
      'review_comments.row_id',
      'review_comments.freedom',
      'review_comments.author_id',
      'users.display_name as author_name',
      'review_comments.as_developer',
      'review_comments.body',
      'review_comments.created_at',
    ])
    .where('review_comments.review_id', 'in', reviewIds)
    .orderBy('review_comments.created_at')
    .orderBy('review_comments.id')
    .execute();
}

export async function insertComment(
  db: Executor,
  values: { reviewId: string; rowId: string; freedom: number | null; authorId: string; asDeveloper: boolean; body: string },
): Promise<string> {
  const row = await db
    .insertInto('review_comments')
    .values({
      review_id: values.reviewId,
      row_id: values.rowId,
      freedom: values.freedom,
      author_id: values.authorId,
      as_developer: values.asDeveloper,
      body: values.body,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

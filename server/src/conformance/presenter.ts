import type { Checklist, ConformanceSystem, Disagreement, ImportedFrom, RegisterEntry, Review, ReviewStatus, Role, Visibility } from '@draftroom/shared';
import type { ImportedReview } from '../db/schema.ts';
import type { Actor } from '../policies/actor.ts';
import { canOnConformance, type ConformanceContext } from '../policies/conformance.ts';
import { canOnDefinition } from '../policies/definitions.ts';
import type * as repo from './repository.ts';
import { cellKey, disagreeingCells, verdictOf } from './rules.ts';

type ReviewerRow = Awaited<ReturnType<typeof repo.listReviewers>>[number];
type ResolutionRow = Awaited<ReturnType<typeof repo.listResolutions>>[number];
type CommentRow = Awaited<ReturnType<typeof repo.listComments>>[number];

function importedFrom(imported: ImportedReview | null): ImportedFrom | null {
  if (!imported) return null;
  return {
    reviewers: imported.reviewers,
    by: { id: imported.importedBy, displayName: imported.importedByName },
    at: imported.importedAt,
    file: imported.file,
    reviewedOn: imported.reviewedOn,
  };
}

export function presentSystem(row: repo.SystemRow): ConformanceSystem {
  return {
    id: row.id,
    groupId: row.group_id,
    name: row.name,
    version: row.version,
    developer: row.developer,
    links: row.links,
    licences: row.licences,
    developerAccount: row.developer_user_id ? { id: row.developer_user_id, displayName: row.developer_name ?? '' } : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function presentChecklist(row: repo.ChecklistRecord): Checklist {
  return {
    id: row.id,
    definitionId: row.definition_id,
    version: { id: row.version_id, label: row.version_label },
    title: row.title,
    freedoms: row.freedoms,
    rows: row.rows,
    source: row.source,
    createdAt: row.created_at.toISOString(),
    createdBy: { id: row.created_by, displayName: row.creator_name },
  };
}

/** What the caller may do with the review now (the UI shows only these). */
/** What the caller may do with a review now; `submitted`: the caller is a reviewer whose marks are in (they can no longer change). */
export function reviewActions(actor: Actor, context: ConformanceContext, status: ReviewStatus, submitted: boolean): string[] {
  const allowed: string[] = [];
  if (status === 'marking' && !submitted && canOnConformance(actor, 'review.mark', context)) allowed.push('mark');
  if (status !== 'closed' && canOnConformance(actor, 'review.comment', context)) allowed.push('comment');
  if (status === 'reconciling' && canOnConformance(actor, 'review.resolve', context)) allowed.push('resolve', 'close');
  return allowed;
}

export function presentReviewSummary(row: repo.ReviewRecord, reviewers: ReviewerRow[]) {
  return {
    id: row.id,
    system: { id: row.system_id, name: row.system_name, version: row.system_version },
    status: row.status,
    outcome: row.outcome,
    openedAt: row.opened_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
    reviewers: reviewers
      .filter((r) => r.review_id === row.id)
      .map((r) => ({ person: { id: r.user_id, displayName: r.display_name }, submitted: r.submitted_at !== null })),
  };
}

/**
 * A review as `viewer` may see it. While the reviewers mark (status `marking`) each sees only their
 * own sheet and everyone else sees none: who has submitted is known, what anyone marked is not. Once
 * all have submitted, every sheet, the disagreements and the chair's resolutions are shown to all
 * who may read the review.
 */
export function presentReview(input: {
  review: repo.ReviewRecord;
  checklist: repo.ChecklistRecord;
  group: { slug: string; name: string; visibility: Visibility; role: Role | null };
  reviewers: ReviewerRow[];
  resolutions: ResolutionRow[];
  comments: CommentRow[];
  viewer: string | null;
  allowed: string[];
}): Review {
  const { review, checklist, reviewers, resolutions, comments, viewer } = input;
  const revealed = review.status !== 'marking';
  const sheets = reviewers.map((r) => r.sheet);
  // Blind marking covers what reviewers write too: until all have submitted, their comments are their own.
  const reviewerIds = new Set(reviewers.map((r) => r.user_id));
  const sealed = (c: CommentRow) => !revealed && reviewerIds.has(c.author_id) && c.author_id !== viewer;
  let disagreements: Disagreement[] | null = null;
  if (revealed) {
    const disputed = new Set(disagreeingCells(checklist.rows, sheets).map(cellKey));
    for (const resolution of resolutions) disputed.add(cellKey({ rowId: resolution.row_id, freedom: resolution.freedom }));
    const cells = checklist.rows.flatMap((row) =>
      row.required.flatMap((_, freedom) => (disputed.has(cellKey({ rowId: row.id, freedom })) ? [{ rowId: row.id, freedom }] : [])),
    );
    disagreements = cells.map((cell) => {
      const resolution = resolutions.find((r) => r.row_id === cell.rowId && r.freedom === cell.freedom);
      return {
        ...cell,
        verdicts: reviewers.map((r) => ({ reviewer: { id: r.user_id, displayName: r.display_name }, verdict: verdictOf(r.sheet, cell) })),
        resolution: resolution
          ? {
              verdict: resolution.verdict,
              reason: resolution.reason,
              condition: resolution.condition,
              by: { id: resolution.resolved_by, displayName: resolution.resolver_name },
              at: resolution.resolved_at.toISOString(),
            }
          : null,
      };
    });
  }
  return {
    id: review.id,
    checklistId: checklist.id,
    checklist: { title: checklist.title, freedoms: checklist.freedoms, rows: checklist.rows },
    definitionId: checklist.definition_id,
    definition: {
      title: checklist.definition_title,
      groupSlug: input.group.slug,
      groupName: input.group.name,
      visibility: input.group.visibility,
      member: canOnDefinition(input.viewer === null ? null : { userId: input.viewer }, 'draft.read', input.group),
    },
    version: { id: checklist.version_id, label: checklist.version_label },
    system: { id: review.system_id, name: review.system_name, version: review.system_version, developer: review.system_developer },
    status: review.status,
    rule: review.rule,
    reviewers: reviewers.map((r) => ({
      person: { id: r.user_id, displayName: r.display_name },
      submittedAt: r.submitted_at?.toISOString() ?? null,
      sheet: revealed || r.user_id === viewer ? r.sheet : null,
    })),
    responseUntil: review.response_until?.toISOString() ?? null,
    openedAt: review.opened_at.toISOString(),
    openedBy: { id: review.opened_by, displayName: review.opener_name },
    disagreements,
    comments: comments
      .filter((c) => !sealed(c))
      .map((c) => ({
        id: c.id,
        rowId: c.row_id,
        freedom: c.freedom,
        author: { id: c.author_id, displayName: c.author_name },
        asDeveloper: c.as_developer,
        body: c.body,
        createdAt: c.created_at.toISOString(),
      })),
    sealedComments: comments.filter(sealed).length,
    closedAt: review.closed_at?.toISOString() ?? null,
    outcome: review.outcome,
    conditions: review.conditions,
    cells: review.cells,
    importedFrom: importedFrom(review.imported),
    importedEvidence: review.imported?.evidence ?? [],
    allowed: input.allowed,
  };
}

/** A closed review as the public register shows it: the final grid, the evidence, who disagreed and why it was settled. */
export function presentRegisterEntry(input: {
  review: repo.ReviewRecord;
  system: repo.SystemRow;
  checklist: repo.ChecklistRecord;
  reviewers: ReviewerRow[];
  resolutions: ResolutionRow[];
  comments: CommentRow[];
}): RegisterEntry {
  const { review, system, checklist, resolutions } = input;
  const reviewers = input.reviewers.filter((r) => r.review_id === review.id);
  const person = (r: ReviewerRow) => ({ id: r.user_id, displayName: r.display_name });
  const disputed = disagreeingCells(
    checklist.rows,
    reviewers.map((r) => r.sheet),
  );
  return {
    reviewId: review.id,
    system: { id: system.id, name: system.name, version: system.version, developer: system.developer, links: system.links, licences: system.licences },
    outcome: review.outcome!,
    conditions: review.conditions,
    rule: review.rule,
    openedAt: review.opened_at.toISOString(),
    closedAt: review.closed_at!.toISOString(),
    reviewers: reviewers.map(person),
    importedFrom: importedFrom(review.imported),
    cells: review.cells ?? [],
    evidence: [
      ...reviewers.flatMap((r) =>
        r.sheet
          .filter((row) => row.evidence.length > 0 || row.note.trim() !== '')
          .map((row) => ({ rowId: row.rowId, reviewer: person(r), evidence: row.evidence, note: row.note })),
      ),
      ...(review.imported?.evidence ?? []).map((row) => ({ ...row, reviewer: null })),
    ],
    dissent: disputed.flatMap((cell) => {
      const resolution = resolutions.find((r) => r.review_id === review.id && r.row_id === cell.rowId && r.freedom === cell.freedom);
      if (!resolution) return [];
      return [
        {
          ...cell,
          verdicts: reviewers.map((r) => ({ reviewer: person(r), verdict: verdictOf(r.sheet, cell) })),
          resolution: {
            verdict: resolution.verdict,
            reason: resolution.reason,
            condition: resolution.condition,
            by: { id: resolution.resolved_by, displayName: resolution.resolver_name },
            at: resolution.resolved_at.toISOString(),
          },
        },
      ];
    }),
    responses: input.comments
      .filter((c) => c.as_developer)
      .map((c) => ({ rowId: c.row_id, freedom: c.freedom, body: c.body, createdAt: c.created_at.toISOString() })),
  };
}

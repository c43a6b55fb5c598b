import { queryOptions } from '@tanstack/react-query';
import type {
  Checklist,
  ChecklistList,
  ConformanceSystem,
  CreateChecklistBody,
  CreateSystemBody,
  ImportPreview,
  ImportReviewsBody,
  OpenReviewBody,
  Register,
  ResolveCellBody,
  Review,
  ReviewCommentBody,
  ReviewList,
  SaveSheetBody,
  SystemList,
  UpdateSystemBody,
} from '@draftroom/shared';
import type { Static } from 'typebox';
import { request } from './client.ts';
import { queryKeys } from './queryKeys.ts';

/** One line of a checklist's list of reviews: who reviews what, whether they have submitted, the outcome once closed. */
export type ReviewSummary = Static<typeof ReviewList>['reviews'][number];

const groupPath = (slug: string) => `/api/groups/${encodeURIComponent(slug)}`;
const definitionPath = (id: string) => `/api/definitions/${encodeURIComponent(id)}`;
const systemPath = (id: string) => `/api/systems/${encodeURIComponent(id)}`;
const checklistPath = (id: string) => `/api/checklists/${encodeURIComponent(id)}`;
const reviewPath = (id: string) => `/api/reviews/${encodeURIComponent(id)}`;

// ---------- the register of systems (members read; chairs and editors write) ----------

/** The group's systems, and whether the caller may manage them (`allowed`). */
export function listSystems(slug: string, signal?: AbortSignal): Promise<SystemList> {
  return request<SystemList>('GET', `${groupPath(slug)}/systems`, { signal });
}

export function createSystem(slug: string, body: CreateSystemBody): Promise<ConformanceSystem> {
  return request<ConformanceSystem>('POST', `${groupPath(slug)}/systems`, { body });
}

export function getSystem(id: string, signal?: AbortSignal): Promise<ConformanceSystem> {
  return request<ConformanceSystem>('GET', systemPath(id), { signal });
}

export function updateSystem(id: string, body: UpdateSystemBody): Promise<ConformanceSystem> {
  return request<ConformanceSystem>('PATCH', systemPath(id), { body });
}

/** Only a system nobody has reviewed yet can go. */
export function deleteSystem(id: string): Promise<void> {
  return request<void>('DELETE', systemPath(id));
}

// ---------- checklists (one per published version) ----------

/** The checklists of the definition's published versions, newest version first. */
export function listChecklists(definitionId: string, signal?: AbortSignal): Promise<ChecklistList> {
  return request<ChecklistList>('GET', `${definitionPath(definitionId)}/checklists`, { signal });
}

/** Makes a version's checklist (chair): from a closed component-matrix ballot (`fromBallot`) or row by row (`rows`). */
export function createChecklist(definitionId: string, body: CreateChecklistBody): Promise<Checklist> {
  return request<Checklist>('POST', `${definitionPath(definitionId)}/checklists`, { body });
}

export function getChecklist(id: string, signal?: AbortSignal): Promise<Checklist> {
  return request<Checklist>('GET', checklistPath(id), { signal });
}

// ---------- reviews ----------

export async function listReviews(checklistId: string, signal?: AbortSignal): Promise<ReviewSummary[]> {
  return (await request<Static<typeof ReviewList>>('GET', `${checklistPath(checklistId)}/reviews`, { signal })).reviews;
}

/** Opens a review of a system with 2–5 reviewers under a rule fixed from now on (chair). */
export function openReview(checklistId: string, body: OpenReviewBody): Promise<Review> {
  return request<Review>('POST', `${checklistPath(checklistId)}/reviews`, { body });
}

/** Spreadsheet reviews: `apply: false` only says what would be imported; `apply: true` imports them, closed (chair). */
export function importReviews(checklistId: string, body: ImportReviewsBody): Promise<ImportPreview> {
  return request<ImportPreview>('POST', `${checklistPath(checklistId)}/import`, { body });
}

/** A review as the caller may see it: while reviewers mark, each sees only their own sheet. */
export function getReview(id: string, signal?: AbortSignal): Promise<Review> {
  return request<Review>('GET', reviewPath(id), { signal });
}

/** Saves the caller's marks (an assigned reviewer, until they submit). */
export function saveSheet(id: string, body: SaveSheetBody): Promise<Review> {
  return request<Review>('PUT', `${reviewPath(id)}/sheet`, { body });
}

/** Submits the caller's marks; refused (409, the unmarked cells in `details`) while a required cell is unmarked. */
export function submitSheet(id: string): Promise<Review> {
  return request<Review>('POST', `${reviewPath(id)}/submit`);
}

/** Settles a cell with a reason, and for a verdict other than Allows what would cure it (chair). */
export function resolveCell(id: string, body: ResolveCellBody): Promise<Review> {
  return request<Review>('POST', `${reviewPath(id)}/resolutions`, { body });
}

export function commentOnReview(id: string, body: ReviewCommentBody): Promise<Review> {
  return request<Review>('POST', `${reviewPath(id)}/comments`, { body });
}

/** Closes the review (chair); refused (409, the cells in `details`) while a disagreement is unsettled or a condition missing. */
export function closeReview(id: string): Promise<Review> {
  return request<Review>('POST', `${reviewPath(id)}/close`);
}

// ---------- the public register ----------

export function getRegister(definitionId: string, label: string, signal?: AbortSignal): Promise<Register> {
  return request<Register>('GET', registerApiPath(definitionId, label), { signal });
}

export type RegisterFormat = 'json' | 'md' | 'html' | 'csv';

const registerApiPath = (definitionId: string, label: string) => `${definitionPath(definitionId)}/versions/${encodeURIComponent(label)}/register`;

/** Where the browser downloads the register (Markdown, HTML and CSV come as attachments). */
export function registerDownloadUrl(definitionId: string, label: string, format: RegisterFormat): string {
  return `${registerApiPath(definitionId, label)}?format=${format}`;
}

/** The SVG badge of a closed review's outcome, to embed anywhere. */
export function badgeUrl(reviewId: string): string {
  return `${reviewPath(reviewId)}/badge.svg`;
}

// What the conformance pages read, as TanStack Query options (keys in api/queryKeys.ts).
export const conformanceQueries = {
  systems: (slug: string) => queryOptions({ queryKey: queryKeys.groupSystems(slug), queryFn: ({ signal }) => listSystems(slug, signal) }),
  checklists: (definitionId: string) =>
    queryOptions({ queryKey: queryKeys.checklists(definitionId), queryFn: ({ signal }) => listChecklists(definitionId, signal) }),
  checklist: (definitionId: string, checklistId: string) =>
    queryOptions({ queryKey: queryKeys.checklist(definitionId, checklistId), queryFn: ({ signal }) => getChecklist(checklistId, signal) }),
  reviews: (definitionId: string, checklistId: string) =>
    queryOptions({ queryKey: queryKeys.checklistReviews(definitionId, checklistId), queryFn: ({ signal }) => listReviews(checklistId, signal) }),
  review: (definitionId: string, reviewId: string) =>
    queryOptions({ queryKey: queryKeys.review(definitionId, reviewId), queryFn: ({ signal }) => getReview(reviewId, signal) }),
  reviewById: (reviewId: string) => queryOptions({ queryKey: queryKeys.reviewById(reviewId), queryFn: ({ signal }) => getReview(reviewId, signal) }),
  register: (definitionId: string, label: string) =>
    queryOptions({ queryKey: queryKeys.register(definitionId, label), queryFn: ({ signal }) => getRegister(definitionId, label, signal) }),
};

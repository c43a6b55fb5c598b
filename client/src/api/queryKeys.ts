import type { ThreadFilter } from './discussion.ts';

/**
 * Every cached read, keyed by the resource it belongs to. A key's prefix names everything under it —
 * `['definition', id]` is all of one definition, `['definition', id, 'threads']` all of its thread
 * lists whatever their filter — so a pushed event (live/staleQueries.ts) or a mutation makes stale
 * exactly what it touched.
 */
export const queryKeys = {
  /** The groups list of the Groups page (mine and the public ones). */
  groups: () => ['groups'] as const,
  /** Everything read about one group (by its slug, as the address names it). */
  group: (slug: string) => ['group', slug] as const,
  groupDetail: (slug: string) => ['group', slug, 'detail'] as const,
  groupMembers: (slug: string) => ['group', slug, 'members'] as const,
  groupInvitations: (slug: string) => ['group', slug, 'invitations'] as const,
  groupDefinitions: (slug: string) => ['group', slug, 'definitions'] as const,
  groupEvents: (slug: string) => ['group', slug, 'events'] as const,
  groupVerification: (slug: string) => ['group', slug, 'verification'] as const,
  /** The group's definitions that have a published version (its public page). */
  groupPublished: (slug: string) => ['group', slug, 'published'] as const,
  /** The systems the group reviews for conformance. */
  groupSystems: (slug: string) => ['group', slug, 'systems'] as const,

  /** The front door: public groups, open comment periods, latest publications. */
  publicOverview: () => ['public', 'overview'] as const,
  /** One page of search results. */
  search: (params: { q: string; kind?: string; group?: string; definition?: string; page?: number }) =>
    ['search', { q: params.q, kind: params.kind, group: params.group, definition: params.definition, page: params.page ?? 1 }] as const,

  /** Everything read about one definition. */
  definition: (id: string) => ['definition', id] as const,
  definitionDetail: (id: string) => ['definition', id, 'detail'] as const,
  /** The public comment version (latest published version with public comment counts). */
  publicDefinition: (id: string) => ['definition', id, 'public'] as const,
  /** Every thread list of the definition, whatever the filter. */
  threads: (definitionId: string) => ['definition', definitionId, 'threads'] as const,
  threadList: (definitionId: string, filter: ThreadFilter & { audience?: 'internal' | 'public' }) =>
    [
      'definition',
      definitionId,
      'threads',
      { status: filter.status, mine: filter.mine ?? false, clauseId: filter.clauseId, audience: filter.audience },
    ] as const,
  moderation: (definitionId: string) => ['definition', definitionId, 'moderation'] as const,
  amendments: (definitionId: string) => ['definition', definitionId, 'amendments'] as const,
  ballots: (definitionId: string) => ['definition', definitionId, 'ballots'] as const,
  versions: (definitionId: string) => ['definition', definitionId, 'versions'] as const,
  diffs: (definitionId: string) => ['definition', definitionId, 'diff'] as const,
  diff: (definitionId: string, from: string, to: string) => ['definition', definitionId, 'diff', from, to] as const,
  histories: (definitionId: string) => ['definition', definitionId, 'history'] as const,
  history: (definitionId: string, clauseId: string | undefined, limit: number) => ['definition', definitionId, 'history', { clauseId, limit }] as const,
  blames: (definitionId: string) => ['definition', definitionId, 'blame'] as const,
  blame: (definitionId: string, clauseId: string) => ['definition', definitionId, 'blame', clauseId] as const,
  /** Why a clause says what it says (`provenances`: of every clause and stretch). */
  provenances: (definitionId: string) => ['definition', definitionId, 'provenance'] as const,
  provenance: (definitionId: string, clauseId: string, range: { from: number; to: number } | null, version: string | null = null) =>
    ['definition', definitionId, 'provenance', clauseId, range?.from ?? null, range?.to ?? null, version] as const,
  /** The draft's requirement-language report: terms, glossary and marks (one for the whole text). */
  language: (definitionId: string) => ['definition', definitionId, 'language'] as const,
  /** Conformance reviews of the definition's published versions: checklists, their reviews, each review. */
  conformance: (definitionId: string) => ['definition', definitionId, 'conformance'] as const,
  checklists: (definitionId: string) => ['definition', definitionId, 'conformance', 'checklists'] as const,
  checklist: (definitionId: string, checklistId: string) => ['definition', definitionId, 'conformance', 'checklist', checklistId] as const,
  checklistReviews: (definitionId: string, checklistId: string) => ['definition', definitionId, 'conformance', 'checklist', checklistId, 'reviews'] as const,
  review: (definitionId: string, reviewId: string) => ['definition', definitionId, 'conformance', 'review', reviewId] as const,
  /** A review on its own page, before anything says which definition it belongs to (the developer's page). */
  reviewById: (reviewId: string) => ['review', reviewId] as const,
  /** The public register of closed reviews against one published version (`registers`: of every version). */
  register: (definitionId: string, label: string) => ['definition', definitionId, 'register', label] as const,
  registers: (definitionId: string) => ['definition', definitionId, 'register'] as const,
  /** Who endorses one published version (and who withdrew), with counts and the caller's own (`endorsementLists`: every version's). */
  endorsements: (definitionId: string, label: string) => ['definition', definitionId, 'endorsements', label] as const,
  endorsementLists: (definitionId: string) => ['definition', definitionId, 'endorsements'] as const,
  /** The disposition register (`dispositions`: every filtered list of it; the members' tab, the public register, the counts). */
  dispositions: (definitionId: string) => ['definition', definitionId, 'dispositions'] as const,
  dispositionRegister: (definitionId: string, filter: { state?: string; source?: string; clause?: string }) =>
    ['definition', definitionId, 'dispositions', { state: filter.state, source: filter.source, clause: filter.clause }] as const,

  /** My notifications: the count in the navigation, and the inbox page's list. */
  inbox: () => ['inbox'] as const,
  inboxCount: () => ['inbox', 'count'] as const,
  inboxList: () => ['inbox', 'list'] as const,
  /** Invitations addressed to me. */
  myInvitations: () => ['invitations'] as const,
};

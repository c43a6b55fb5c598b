import { clauseLabelMap, SEARCH_KINDS, SEARCH_PAGE_SIZE, type SearchHit, type SearchQuery, type SearchResults } from '@draftroom/shared';
import type { Db } from '../db/database.ts';
import type { Actor } from '../policies/actor.ts';
import { searchAccess } from './policy.ts';
import * as repo from './repository.ts';
import { snippetParts } from './snippet.ts';

/**
 * Full-text search over what the actor may read: live clause text (members), published clause text
 * (whoever reads the group's versions), comments (by their thread's audience), amendments and
 * ballots (members; a ballot's title and subject, never its votes). Filtering happens in SQL with the
 * access keys the policies give (search/policy.ts), so a page is never cut short by rows taken out
 * after it was read; a removed member's access ends with their membership row.
 */
export async function search(db: Db, actor: Actor, query: SearchQuery): Promise<SearchResults> {
  const page = query.page ?? 1;
  const empty = { results: [], page, hasMore: false };
  if ((await repo.queryTermCount(db, query.q)) === 0) return empty;
  const rows = await repo.search(db, {
    text: query.q,
    userId: actor?.userId ?? null,
    kinds: query.kind ? [query.kind] : SEARCH_KINDS,
    access: searchAccess(actor),
    groupSlug: query.group ?? null,
    definitionId: query.definition ?? null,
    // One more than a page: whether there is a next page, without counting every match.
    limit: SEARCH_PAGE_SIZE + 1,
    offset: (page - 1) * SEARCH_PAGE_SIZE,
  });
  const shown = rows.slice(0, SEARCH_PAGE_SIZE);
  const labels = await clauseLabels(db, shown);
  return {
    results: shown.map((row) => present(row, labels(row))),
    page,
    hasMore: rows.length > SEARCH_PAGE_SIZE,
  };
}

function present(row: repo.SearchRow, clauseLabel: string | null): SearchHit {
  return {
    kind: row.kind,
    id: row.id,
    groupSlug: row.group_slug,
    groupName: row.group_name,
    definitionId: row.definition_id,
    definitionTitle: row.definition_title,
    member: row.member,
    clauseId: row.clause_id,
    clauseLabel,
    versionLabel: row.version_label,
    threadId: row.thread_id,
    audience: row.audience,
    title: row.title,
    snippet: snippetParts(row.headline),
    rank: row.rank,
    at: row.at.toISOString(),
  };
}

/**
 * Names each result's clause as the page it links to names it: in the version for a version's
 * clause; in the live draft for members; for anyone else (public comments) in the latest published
 * version — the draft's order is for members only — or not at all when the clause is not in it.
 */
async function clauseLabels(db: Db, rows: repo.SearchRow[]): Promise<(row: repo.SearchRow) => string | null> {
  const draftReaders = rows.filter((row) => row.kind !== 'version' && row.member);
  const outsiders = rows.filter((row) => row.kind !== 'version' && !row.member);
  const latest = await repo.listLatestVersions(db, [...new Set(outsiders.map((row) => row.definition_id))]);
  const latestByDefinition = new Map(latest.map((version) => [version.definition_id, version.id]));
  const versionIds = new Set([...rows.flatMap((row) => (row.version_id ? [row.version_id] : [])), ...latestByDefinition.values()]);
  const [draftClauses, versionClauses] = await Promise.all([
    repo.listClauseKinds(db, [...new Set(draftReaders.map((row) => row.definition_id))]),
    repo.listVersionClauseKinds(db, [...versionIds]),
  ]);
  const draftLabels = labelsBy(draftClauses.map((c) => ({ key: c.definition_id, id: c.clause_id, kind: c.kind })));
  const versionLabels = labelsBy(versionClauses.map((c) => ({ key: c.version_id, id: c.clause_id, kind: c.kind })));
  return (row) => {
    if (row.clause_id === null) return null;
    const labels =
      row.kind === 'version'
        ? versionLabels.get(row.version_id!)
        : row.member
          ? draftLabels.get(row.definition_id)
          : versionLabels.get(latestByDefinition.get(row.definition_id) ?? '');
    return labels?.get(row.clause_id) ?? null;
  };
}

function labelsBy(clauses: { key: string; id: string; kind: 'heading' | 'clause' }[]): Map<string, Map<string, string>> {
  const grouped = new Map<string, { id: string; kind: 'heading' | 'clause' }[]>();
  for (const clause of clauses) {
    const list = grouped.get(clause.key) ?? [];
    list.push(clause);
    grouped.set(clause.key, list);
  }
  return new Map([...grouped].map(([key, list]) => [key, clauseLabelMap(list)]));
}

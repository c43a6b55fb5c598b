import { type RawBuilder, sql } from 'kysely';
import type { SearchKind } from '@draftroom/shared';
import type { Executor } from '../db/database.ts';
import { MARK_END, MARK_START } from './snippet.ts';

/** The text search configuration of the `search` columns (migrations/20261128T1200_search.ts). */
const CONFIG = sql`'english'::regconfig`;

export interface SearchFilter {
  text: string;
  /** The searcher; null for anonymous (no membership matches). */
  userId: string | null;
  kinds: readonly SearchKind[];
  /** Per kind, the `visibility:role[:audience]` keys the searcher may read (search/policy.ts). */
  access: Record<SearchKind, string[]>;
  groupSlug: string | null;
  definitionId: string | null;
  limit: number;
  offset: number;
}

export interface SearchRow {
  kind: SearchKind;
  id: string;
  definition_id: string;
  clause_id: string | null;
  version_id: string | null;
  version_label: string | null;
  thread_id: string | null;
  audience: 'internal' | 'public' | null;
  title: string | null;
  rank: number;
  at: Date;
  group_slug: string;
  group_name: string;
  definition_title: string;
  member: boolean;
  headline: string;
}

/** How many lexemes the query has once parsed: none (only operators, punctuation or stop words) finds nothing. */
export async function queryTermCount(db: Executor, text: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select numnode(websearch_to_tsquery(${CONFIG}, ${text})) as n`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

interface Source {
  /** The table holding the `search` vector, its alias, and the columns the branch reads of it. */
  table: 'clauses' | 'version_clauses' | 'comments' | 'amendments' | 'ballots';
  alias: string;
  keep: string[];
  /** More conditions on the table's own rows. */
  where?: RawBuilder<unknown>;
  /** The joins from the table to its definition, aliased `d`. */
  joins: RawBuilder<unknown>;
  columns: RawBuilder<unknown>;
  /** What the access keys are compared with. */
  accessKey: RawBuilder<unknown>;
}

const ROLE_KEY = sql`g.visibility || ':' || coalesce(m.role, '')`;

/**
 * One branch per kind. The matching rows come first, from the GIN index, ranked there (`offset 0`
 * keeps the planner from folding that subquery into the joins: left to itself it walks every thread
 * and filters their comments one by one, believing few match); then each is joined to its
 * definition, group and the searcher's membership and kept only where the access keys allow. The
 * query is written out in each branch, not read from a CTE, so the planner sees a constant tsquery.
 */
function branch(filter: SearchFilter, kind: SearchKind, source: Source): RawBuilder<unknown> {
  const query = sql`websearch_to_tsquery(${CONFIG}, ${filter.text})`;
  const alias = sql.ref(source.alias);
  const kept = sql.join(source.keep.map((column) => sql.ref(`${source.alias}.${column}`)));
  return sql`select ${sql.lit(kind)}::text as kind, ${source.columns}, ${sql.ref(`${source.alias}.rank`)}
    from (select ${kept}, ts_rank(${sql.ref(`${source.alias}.search`)}, ${query}) as rank
          from ${sql.table(source.table)} ${alias}
          where ${sql.ref(`${source.alias}.search`)} @@ ${query} and ${source.where ?? sql`true`}
          offset 0) ${alias}
      ${source.joins}
      join groups g on g.id = d.group_id
      left join memberships m on m.group_id = g.id and m.user_id = ${filter.userId}::uuid
    where ${source.accessKey} = any(${filter.access[kind]}::text[])
      and (${filter.groupSlug}::text is null or g.slug = ${filter.groupSlug}::text)
      and (${filter.definitionId}::uuid is null or d.id = ${filter.definitionId}::uuid)`;
}

function branches(filter: SearchFilter): RawBuilder<unknown>[] {
  const all: Record<SearchKind, () => RawBuilder<unknown>> = {
    clause: () =>
      branch(filter, 'clause', {
        table: 'clauses',
        alias: 'c',
        keep: ['definition_id', 'clause_id', 'updated_at'],
        joins: sql`join definitions d on d.id = c.definition_id`,
        columns: sql`c.clause_id as id, c.definition_id, c.clause_id, null::uuid as version_id, null::text as version_label, null::uuid as thread_id,
          null::text as audience, null::text as title, c.updated_at as at`,
        accessKey: ROLE_KEY,
      }),
    // A clause matches in every version that has its text: only the latest such version is a result.
    version: () =>
      sql`(select distinct on (found.definition_id, found.clause_id) * from (${branch(filter, 'version', {
        table: 'version_clauses',
        alias: 'vc',
        keep: ['version_id', 'clause_id'],
        joins: sql`join versions v on v.id = vc.version_id join definitions d on d.id = v.definition_id`,
        columns: sql`vc.clause_id as id, v.definition_id, vc.clause_id, v.id as version_id, v.label as version_label, null::uuid as thread_id,
          null::text as audience, null::text as title, v.published_at as at`,
        accessKey: ROLE_KEY,
      })}) found order by found.definition_id, found.clause_id, found.at desc)`,
    // Deleted and hidden comments are found by nobody (their text is not what the thread shows).
    comment: () =>
      branch(filter, 'comment', {
        table: 'comments',
        alias: 'cm',
        keep: ['id', 'thread_id', 'created_at'],
        where: sql`cm.deleted_at is null and cm.hidden_at is null`,
        joins: sql`join threads t on t.id = cm.thread_id join definitions d on d.id = t.definition_id`,
        columns: sql`cm.id, t.definition_id, t.clause_id, null::uuid as version_id, null::text as version_label, t.id as thread_id,
          t.audience, null::text as title, cm.created_at as at`,
        accessKey: sql`${ROLE_KEY} || ':' || t.audience`,
      }),
    amendment: () =>
      branch(filter, 'amendment', {
        table: 'amendments',
        alias: 'a',
        keep: ['id', 'definition_id', 'clause_id', 'created_at'],
        joins: sql`join definitions d on d.id = a.definition_id`,
        columns: sql`a.id, a.definition_id, a.clause_id, null::uuid as version_id, null::text as version_label, null::uuid as thread_id,
          null::text as audience, null::text as title, a.created_at as at`,
        accessKey: ROLE_KEY,
      }),
    ballot: () =>
      branch(filter, 'ballot', {
        table: 'ballots',
        alias: 'b',
        keep: ['id', 'definition_id', 'subject', 'title', 'created_at'],
        joins: sql`join definitions d on d.id = b.definition_id`,
        columns: sql`b.id, b.definition_id, case when b.subject->>'kind' in ('clause', 'amendments') then (b.subject->>'clauseId')::uuid end as clause_id,
          null::uuid as version_id, null::text as version_label, null::uuid as thread_id, null::text as audience, b.title, b.created_at as at`,
        accessKey: ROLE_KEY,
      }),
  };
  return filter.kinds.map((kind) => all[kind]());
}

/**
 * The page of results, best match first (ts_rank; newer first among equals), each with its snippet:
 * ts_headline runs on the page's rows only, over their text with the marker characters taken out, so
 * the markers in its answer are its own.
 */
export async function search(db: Executor, filter: SearchFilter): Promise<SearchRow[]> {
  if (filter.kinds.length === 0) return [];
  const options = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=12, ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "`;
  const { rows } = await sql<SearchRow>`
    with hits as (${sql.join(branches(filter), sql` union all `)}),
    page as (select * from hits order by rank desc, at desc, id limit ${filter.limit} offset ${filter.offset})
    select page.*, g.slug as group_slug, g.name as group_name, d.title as definition_title, m.role is not null as member,
      ts_headline(${CONFIG}, translate(coalesce(source.text, ''), ${`${MARK_START}${MARK_END}`}, ''), q.query, ${options}) as headline
    from page
      cross join (select websearch_to_tsquery(${CONFIG}, ${filter.text}) as query) q
      join definitions d on d.id = page.definition_id
      join groups g on g.id = d.group_id
      left join memberships m on m.group_id = g.id and m.user_id = ${filter.userId}::uuid
      cross join lateral (select case page.kind
        when 'clause' then (select c.text from clauses c where c.definition_id = page.definition_id and c.clause_id = page.id)
        when 'version' then (select vc.text from version_clauses vc where vc.version_id = page.version_id and vc.clause_id = page.id)
        when 'comment' then (select cm.body from comments cm where cm.id = page.id)
        when 'amendment' then (select a.proposed_text || E'\n' || a.rationale from amendments a where a.id = page.id)
        when 'ballot' then (select b.title || E'\n' || coalesce(b.subject_text, '') from ballots b where b.id = page.id)
      end as text) source
    order by page.rank desc, page.at desc, page.id`.execute(db);
  return rows;
}

/** Clause ids and kinds in reading order, for naming clauses the way every page does. */
export function listClauseKinds(db: Executor, definitionIds: readonly string[]) {
  if (definitionIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('clauses')
    .select(['definition_id', 'clause_id', 'kind'])
    .where('definition_id', 'in', [...definitionIds])
    .orderBy('definition_id')
    .orderBy('position')
    .execute();
}

/** A version's clause ids and kinds in reading order. */
export function listVersionClauseKinds(db: Executor, versionIds: readonly string[]) {
  if (versionIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('version_clauses')
    .select(['version_id', 'clause_id', 'kind'])
    .where('version_id', 'in', [...versionIds])
    .orderBy('version_id')
    .orderBy('position')
    .execute();
}

/** The latest published version of each definition (what a non-member reads of it). */
export function listLatestVersions(db: Executor, definitionIds: readonly string[]) {
  if (definitionIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('versions')
    .select(['definition_id', 'id', 'label'])
    .distinctOn('definition_id')
    .where('definition_id', 'in', [...definitionIds])
    .orderBy('definition_id')
    .orderBy('published_at', 'desc')
    .execute();
}

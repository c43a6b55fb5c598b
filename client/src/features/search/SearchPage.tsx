import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { SEARCH_KINDS, SEARCH_PAGE_SIZE, SEARCH_QUERY_MAX, type SearchHit, type SearchKind } from '@draftroom/shared';
import { groupQueries, viewOf } from '../../api/queries.ts';
import { type SearchParams, searchQueries } from '../../api/search.ts';
import { PageHeading } from '../../layout/PageHeading.tsx';
import { VISIBILITY_LABELS } from '../groups/labels.ts';
import { hitPath, KIND_LABELS, KIND_OPTIONS } from './links.ts';
import { Snippet } from './Snippet.tsx';
import './search.css';

function paramsFrom(url: URLSearchParams): SearchParams {
  const kind = url.get('kind');
  const page = Number(url.get('page') ?? '1');
  return {
    q: (url.get('q') ?? '').trim(),
    ...(kind && (SEARCH_KINDS as readonly string[]).includes(kind) && { kind: kind as SearchKind }),
    ...(url.get('group') && { group: url.get('group')! }),
    ...(url.get('definition') && { definition: url.get('definition')! }),
    ...(Number.isInteger(page) && page > 1 && { page }),
  };
}

function addressOf(params: SearchParams): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '' && !(key === 'page' && value === 1)) query.set(key, String(value));
  return `/search?${query}`;
}

/**
 * Search results: what the reader may see of clauses, published versions, comments, amendments and
 * ballots, best match first, with the matched words highlighted; filters by kind and group, and pages.
 */
export function SearchPage() {
  const [url, setUrl] = useSearchParams();
  const params = paramsFrom(url);
  const results = useQuery({ ...searchQueries.results(params), enabled: params.q !== '' });
  const view = viewOf(results);
  const title = params.q ? `Search: ${params.q}` : 'Search';

  return (
    <div className="page search-page">
      <PageHeading title={title}>Search</PageHeading>
      <SearchForm params={params} onSearch={(next) => setUrl(new URLSearchParams(addressOf(next).slice('/search?'.length)))} />
      {params.q === '' ? (
        <p className="empty">Type a few words to search clauses, published versions, comments, amendments and ballots.</p>
      ) : view.status === 'loading' ? (
        <p role="status">Searching…</p>
      ) : view.status === 'error' ? (
        <div role="alert" className="alert alert-error">
          <p>{view.error.message}</p>
          <button type="button" className="button" onClick={view.retry}>
            Try again
          </button>
        </div>
      ) : (
        <section aria-labelledby="results-heading" aria-busy={results.isPlaceholderData}>
          <h2 id="results-heading" className="visually-hidden">
            Results
          </h2>
          <p role="status" className="search-count">
            {view.data.results.length === 0
              ? 'Nothing found.'
              : `Results ${((view.data.page - 1) * SEARCH_PAGE_SIZE + 1).toLocaleString()}–${((view.data.page - 1) * SEARCH_PAGE_SIZE + view.data.results.length).toLocaleString()}${view.data.hasMore ? ', more on the next page' : ''}`}
          </p>
          {view.data.results.length > 0 && (
            <ol className="search-results">
              {view.data.results.map((hit) => (
                <SearchResult key={`${hit.kind}-${hit.id}-${hit.versionLabel ?? ''}`} hit={hit} />
              ))}
            </ol>
          )}
          {(view.data.page > 1 || view.data.hasMore) && (
            <nav aria-label="Result pages" className="search-pages">
              {view.data.page > 1 && <Link to={addressOf({ ...params, page: view.data.page - 1 })}>Previous page</Link>}
              {view.data.hasMore && <Link to={addressOf({ ...params, page: view.data.page + 1 })}>Next page</Link>}
            </nav>
          )}
        </section>
      )}
    </div>
  );
}

function SearchForm({ params, onSearch }: { params: SearchParams; onSearch(params: SearchParams): void }) {
  const [text, setText] = useState(params.q);
  const groups = viewOf(useQuery(groupQueries.list()));
  const ids = { q: useId(), kind: useId(), group: useId() };
  useEffect(() => setText(params.q), [params.q]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const kind = String(form.get('kind') ?? '');
    const group = String(form.get('group') ?? '');
    onSearch({
      q: text.trim(),
      ...(kind && { kind: kind as SearchKind }),
      ...(group && { group }),
      ...(params.definition && { definition: params.definition }),
    });
  };

  return (
    <form className="search-form card" onSubmit={submit} aria-label="Search">
      <div className="field search-form-words">
        <label htmlFor={ids.q}>Words</label>
        <input id={ids.q} type="search" value={text} onChange={(event) => setText(event.target.value)} maxLength={SEARCH_QUERY_MAX} />
        <p className="field-hint">"Quoted words" find a phrase; -word leaves a word out; this or that finds either.</p>
      </div>
      <div className="field">
        <label htmlFor={ids.kind}>Find</label>
        <select id={ids.kind} name="kind" defaultValue={params.kind ?? ''} key={`kind-${params.kind ?? ''}`}>
          {KIND_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.group}>In</label>
        <select id={ids.group} name="group" defaultValue={params.group ?? ''} key={`group-${params.group ?? ''}-${groups.status}`}>
          <option value="">All groups</option>
          {groups.status === 'ready' &&
            groups.data.map((group) => (
              <option key={group.slug} value={group.slug}>
                {group.name}
                {group.myRole ? '' : ` (${VISIBILITY_LABELS[group.visibility].toLowerCase()})`}
              </option>
            ))}
        </select>
      </div>
      <div className="search-form-actions">
        <button type="submit" className="button button-primary">
          Search
        </button>
      </div>
      {params.definition && (
        <p className="search-scope">
          Only in one definition. <Link to={addressOf({ ...params, definition: undefined, page: undefined })}>Search everywhere</Link>
        </p>
      )}
    </form>
  );
}

function SearchResult({ hit }: { hit: SearchHit }) {
  const where = [hit.definitionTitle, hit.clauseLabel].filter(Boolean).join(' · ');
  return (
    <li className="search-result">
      <p className="search-result-kind">
        <span className={`badge badge-search-${hit.kind}`}>{KIND_LABELS[hit.kind]}</span>
        {hit.versionLabel && <span>Version {hit.versionLabel}</span>}
        {hit.audience && <span className={`badge badge-audience-${hit.audience}`}>{hit.audience === 'public' ? 'Public' : 'Internal'}</span>}
        <span className="search-result-group">{hit.groupName}</span>
      </p>
      <h3 className="search-result-title">
        <Link to={hitPath(hit)}>{hit.title ?? where}</Link>
      </h3>
      {hit.title && <p className="search-result-where">{where}</p>}
      <Snippet parts={hit.snippet} />
    </li>
  );
}

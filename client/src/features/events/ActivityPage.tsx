import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { EVENT_KINDS, type AuditEvent, type ChainVerification, type EventKind, type EventPage } from '@draftroom/shared';
import { ApiError } from '../../api/client.ts';
import { groupQueries, viewOf } from '../../api/queries.ts';
import { FormAlert } from '../../forms/fields.tsx';
import { formErrorMessage } from '../../forms/messages.ts';
import { useGroup } from '../groups/GroupLayout.tsx';
import { describeEventParts, type EventPart } from './describeEvent.ts';

const KIND_LABELS: Record<EventKind, string> = {
  threads: 'Threads and comments',
  amendments: 'Amendments',
  ballots: 'Ballots',
  versions: 'Versions and restores',
  definitions: 'Definitions',
  membership: 'Membership',
  group: 'Group settings',
  conformance: 'Conformance reviews',
  dispositions: 'Disposition of comments',
};

function Sentence({ parts }: { parts: EventPart[] }) {
  return (
    <>
      {parts.map((part, i) =>
        typeof part === 'string' ? (
          <span key={i}>{part}</span>
        ) : (
          <Link key={i} to={part.to} className="event-link">
            {part.emphasis ? <em>{part.text}</em> : part.text}
          </Link>
        ),
      )}
    </>
  );
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function shortHash(hash: string | null): string {
  return hash ? hash.slice(0, 12) : '—';
}

function Verification({ result }: { result: ChainVerification }) {
  if (result.ok) {
    return (
      <p className="verification verification-ok">
        <strong>Audit log intact.</strong> All {result.checked} {result.checked === 1 ? 'event matches its' : 'events match their'} hash chain. Latest hash:{' '}
        <code title={result.headHash ?? undefined}>{shortHash(result.headHash)}</code>
      </p>
    );
  }
  const what = result.problem === 'missing' ? 'is missing' : 'has been altered';
  return (
    <p className="verification verification-bad">
      <strong>Audit log does not verify.</strong> Event #{result.firstBadSeq} {what}; {result.checked} events were checked.
    </p>
  );
}

export function ActivityPage() {
  const { group } = useGroup();
  const slug = group.slug;
  // New events arrive over the live channel (the group page follows the group's topic).
  const [searchParams, setSearchParams] = useSearchParams();
  const kindParam = searchParams.get('kind');
  const kind = EVENT_KINDS.find((k) => k === kindParam);
  const person = searchParams.get('person') || undefined;
  const query = useInfiniteQuery(groupQueries.events(slug, { kind, person }));
  const firstPage = viewOf(query);
  const verificationQuery = useQuery(groupQueries.verification(slug));
  const verification = viewOf(verificationQuery);
  const members = useQuery(groupQueries.members(slug));
  const [olderError, setOlderError] = useState<string | null>(null);
  /** The position of the first older event, to continue reading there once it is shown. */
  const focusIndex = useRef<number | null>(null);
  const list = useRef<HTMLOListElement>(null);

  const memberList = members.data ?? null;
  const names = useMemo(() => new Map(memberList?.map((member) => [member.userId, member.displayName])), [memberList]);

  const events: AuditEvent[] = firstPage.status === 'ready' ? firstPage.data.pages.flatMap((page) => page.events) : [];
  const subjects = useMemo(() => {
    const merged: EventPage['subjects'] = { definitions: {}, ballots: {} };
    if (firstPage.status === 'ready')
      for (const page of firstPage.data.pages) {
        Object.assign(merged.definitions, page.subjects?.definitions);
        Object.assign(merged.ballots, page.subjects?.ballots);
      }
    return merged;
  }, [firstPage]);

  function setFilter(key: 'kind' | 'person', value: string) {
    const next = new URLSearchParams(searchParams);
    if (value) next.set(key, value);
    else next.delete(key);
    setSearchParams(next, { replace: true });
  }
  const loadingOlder = query.isFetchingNextPage;

  // After "Show older events", continue reading at the first of them.
  useEffect(() => {
    if (focusIndex.current === null || focusIndex.current >= events.length) return;
    (list.current?.children[focusIndex.current] as HTMLElement | undefined)?.focus();
    focusIndex.current = null;
  }, [events.length]);

  async function loadOlder() {
    if (loadingOlder || !query.hasNextPage) return;
    setOlderError(null);
    focusIndex.current = events.length;
    const result = await query.fetchNextPage();
    if (result.isFetchNextPageError) {
      focusIndex.current = null;
      setOlderError(result.error instanceof ApiError ? formErrorMessage(result.error) : 'Could not load older events.');
    }
  }

  return (
    <div className="activity">
      <section aria-labelledby="verify-heading" className="card">
        <h2 id="verify-heading">Integrity</h2>
        <p className="muted">Every change is recorded in an append-only log; each entry carries the hash of the one before, so any tampering shows.</p>
        <div role="status">
          {verification.status === 'loading' && <p>Checking the hash chain…</p>}
          {verification.status === 'ready' && <Verification result={verification.data} />}
        </div>
        {verification.status === 'error' && (
          <div role="alert" className="alert alert-error">
            {verification.error.message}
          </div>
        )}
        <button type="button" className="button button-small" onClick={() => void verificationQuery.refetch()}>
          Check again
        </button>
      </section>

      <section aria-labelledby="events-heading" className="card">
        <h2 id="events-heading">Activity</h2>
        <div className="activity-filters">
          <label className="activity-filter">
            <span>Kind</span>
            <select value={kind ?? ''} onChange={(e) => setFilter('kind', e.target.value)}>
              <option value="">Everything</option>
              {EVENT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </label>
          <label className="activity-filter">
            <span>Person</span>
            <select value={person ?? ''} onChange={(e) => setFilter('person', e.target.value)}>
              <option value="">Everyone</option>
              {memberList?.map((member) => (
                <option key={member.userId} value={member.userId}>
                  {member.displayName}
                </option>
              ))}
            </select>
          </label>
        </div>
        {firstPage.status === 'loading' && <p role="status">Loading activity…</p>}
        {firstPage.status === 'error' && (
          <div role="alert" className="alert alert-error">
            <p>{firstPage.error.message}</p>
            <button type="button" className="button" onClick={firstPage.retry}>
              Try again
            </button>
          </div>
        )}
        {firstPage.status === 'ready' && (
          <>
            {events.length === 0 ? (
              <p className="empty">{kind || person ? 'Nothing matches these filters.' : 'Nothing has happened yet.'}</p>
            ) : (
              <ol className="event-list" ref={list}>
                {events.map((event) => (
                  <li key={event.seq} className="event" data-seq={event.seq} tabIndex={-1}>
                    <p className="event-text">
                      <Sentence parts={describeEventParts(event, (id) => names.get(id), { slug, subjects })} />
                    </p>
                    <p className="event-meta">
                      <time dateTime={event.occurredAt}>{timeFormat.format(new Date(event.occurredAt))}</time>
                      <span>#{event.seq}</span>
                      <span>
                        hash <code title={event.hash}>{shortHash(event.hash)}</code>
                      </span>
                    </p>
                  </li>
                ))}
              </ol>
            )}
            <FormAlert message={olderError} />
            {query.hasNextPage && (
              <button type="button" className="button" onClick={() => void loadOlder()} aria-disabled={loadingOlder || undefined}>
                {loadingOlder ? 'Loading…' : 'Show older events'}
              </button>
            )}
          </>
        )}
      </section>
    </div>
  );
}

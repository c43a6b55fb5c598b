import { useEffect, useMemo, useRef, useState } from 'react';
import type { AuditEvent, ChainVerification } from '@draftroom/shared';
import { ApiError } from '../../api/client.ts';
import { listGroupEvents, verifyGroupEvents } from '../../api/events.ts';
import { listMembers } from '../../api/groups.ts';
import { useResource } from '../../api/useResource.ts';
import { FormAlert } from '../../forms/fields.tsx';
import { formErrorMessage } from '../../forms/messages.ts';
import { useGroup } from '../groups/GroupLayout.tsx';
import { describeEvent } from './describeEvent.ts';

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
  const firstPage = useResource((signal) => listGroupEvents(slug, undefined, signal), [slug]);
  const verification = useResource((signal) => verifyGroupEvents(slug, signal), [slug]);
  const members = useResource((signal) => listMembers(slug, signal), [slug]);
  const [older, setOlder] = useState<{ events: AuditEvent[]; nextBefore: number | null } | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<string | null>(null);
  const focusSeq = useRef<number | null>(null);
  const list = useRef<HTMLOListElement>(null);

  useEffect(() => setOlder(null), [slug]);

  const memberList = members.status === 'ready' ? members.data : null;
  const names = useMemo(() => new Map(memberList?.map((member) => [member.userId, member.displayName])), [memberList]);

  const events = firstPage.status === 'ready' ? [...firstPage.data.events, ...(older?.events ?? [])] : [];
  const nextBefore = older ? older.nextBefore : firstPage.status === 'ready' ? firstPage.data.nextBefore : null;

  // After "Show older events", continue reading at the first of them.
  useEffect(() => {
    if (focusSeq.current === null) return;
    list.current?.querySelector<HTMLElement>(`[data-seq="${focusSeq.current}"]`)?.focus();
    focusSeq.current = null;
  }, [older]);

  async function loadOlder() {
    if (loadingOlder || nextBefore === null) return;
    setLoadingOlder(true);
    setOlderError(null);
    try {
      const page = await listGroupEvents(slug, nextBefore);
      focusSeq.current = page.events[0]?.seq ?? null;
      setOlder((previous) => ({ events: [...(previous?.events ?? []), ...page.events], nextBefore: page.nextBefore }));
    } catch (error) {
      setOlderError(error instanceof ApiError ? formErrorMessage(error) : 'Could not load older events.');
    } finally {
      setLoadingOlder(false);
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
        <button type="button" className="button button-small" onClick={verification.reload}>
          Check again
        </button>
      </section>

      <section aria-labelledby="events-heading" className="card">
        <h2 id="events-heading">Activity</h2>
        {firstPage.status === 'loading' && <p role="status">Loading activity…</p>}
        {firstPage.status === 'error' && (
          <div role="alert" className="alert alert-error">
            <p>{firstPage.error.message}</p>
            <button type="button" className="button" onClick={firstPage.reload}>
              Try again
            </button>
          </div>
        )}
        {firstPage.status === 'ready' && (
          <>
            {events.length === 0 ? (
              <p className="empty">Nothing has happened yet.</p>
            ) : (
              <ol className="event-list" ref={list}>
                {events.map((event) => (
                  <li key={event.seq} className="event" data-seq={event.seq} tabIndex={-1}>
                    <p className="event-text">{describeEvent(event, (id) => names.get(id))}</p>
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
            {nextBefore !== null && (
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

import { useQueryClient, type InvalidateQueryFilters, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { LIVE_PATH, type Group, type LiveTopic } from '@draftroom/shared';
import { fetchCurrentUser } from '../api/auth.ts';
import { queryKeys } from '../api/queryKeys.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { LiveConnection, type LiveStatus } from './liveConnection.ts';
import { liveEffect, topicTargets, type LiveEffect, type StaleTarget } from './staleQueries.ts';

const LiveContext = createContext<LiveConnection | null>(null);

export function liveUrl(location: Location = window.location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${LIVE_PATH}`;
}

/** The slugs under which the group with this id is cached (events name groups by id, addresses by slug). */
function groupSlugs(client: QueryClient, groupId: string): Set<string> {
  const slugs = new Set<string>();
  for (const query of client.getQueryCache().findAll({ queryKey: ['group'] })) {
    const [, slug, part] = query.queryKey;
    const data = query.state.data as Group | undefined;
    if (part === 'detail' && typeof slug === 'string' && data?.id === groupId) slugs.add(slug);
  }
  for (const group of client.getQueryData<Group[]>(queryKeys.groups()) ?? []) if (group.id === groupId) slugs.add(group.slug);
  return slugs;
}

function filterFor(client: QueryClient, target: StaleTarget): InvalidateQueryFilters {
  if ('everything' in target) return {};
  if ('key' in target) return { queryKey: target.key };
  const slugs = groupSlugs(client, target.groupId);
  const sections = target.sections;
  return {
    queryKey: ['group'],
    predicate: (query) => slugs.has(query.queryKey[1] as string) && (!sections || sections.includes(query.queryKey[2] as never)),
  };
}

/** Reads what the targets name again (only those on screen are fetched now; the rest when next shown). */
export function invalidate(client: QueryClient, targets: StaleTarget[], readBefore?: number): void {
  for (const target of targets) {
    const filter = filterFor(client, target);
    if (readBefore !== undefined) {
      const predicate = filter.predicate;
      filter.predicate = (query) => query.state.dataUpdatedAt < readBefore && (!predicate || predicate(query));
    }
    void client.invalidateQueries(filter);
  }
}

export function applyLiveEffect(client: QueryClient, effect: LiveEffect): void {
  if (effect.patch) client.setQueryData(queryKeys.inboxCount(), effect.patch.inboxCount);
  invalidate(client, effect.stale);
}

/** For the browser tests (and anyone debugging): the socket's state and confirmed topics, on <html>. */
function showStatus(status: LiveStatus, topics: ReadonlySet<string>) {
  document.documentElement.dataset.live = status;
  document.documentElement.dataset.liveTopics = [...topics].sort().join(' ');
}

/**
 * The tab's one live channel (GET /api/live): opened for the signed-in person (or anonymously), and
 * opened again for another one. Pushed events make the cached reads they name stale; pages follow the
 * topics they show with useLiveTopic.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const { user, signedIn, signedOut } = useSession();
  const client = useQueryClient();
  const [connection, setConnection] = useState<LiveConnection | null>(null);
  const userId = user?.id ?? null;
  const session = useRef({ signedIn, signedOut });
  session.current = { signedIn, signedOut };

  useEffect(() => {
    const live = new LiveConnection(liveUrl(), {
      onEvent: (topic, event) => applyLiveEffect(client, liveEffect(topic, event, userId)),
      onSubscribed: (topic, sentAt) => invalidate(client, topicTargets(topic), sentAt),
      onRevoked: (topic) => invalidate(client, topicTargets(topic)),
      onResync: () => void client.invalidateQueries(),
      // The socket's session ended — but this tab may hold a newer one (changing the password ends
      // every session and gives this browser a fresh one): ask who is signed in before signing out.
      onSessionEnded: () => {
        if (!userId) return;
        fetchCurrentUser().then(
          (current) => {
            if (!current) session.current.signedOut('expired');
            else if (current.id !== userId) session.current.signedIn(current);
          },
          () => undefined, // unreachable now: the next reconnect tells again
        );
      },
      onStatus: showStatus,
    });
    const unsubscribeMe = userId ? live.subscribe('me') : null;
    const wake = () => live.wake();
    const interrupt = () => live.interrupt();
    window.addEventListener('online', wake);
    window.addEventListener('offline', interrupt);
    setConnection(live);
    return () => {
      window.removeEventListener('online', wake);
      window.removeEventListener('offline', interrupt);
      unsubscribeMe?.();
      live.close();
    };
  }, [client, userId]);

  return <LiveContext.Provider value={connection}>{children}</LiveContext.Provider>;
}

/** Follows a topic (`definition:<id>`, `group:<id>`) while the calling component is on the page. */
export function useLiveTopic(topic: LiveTopic | null | undefined): void {
  const connection = useContext(LiveContext);
  useEffect(() => {
    if (!connection || !topic) return;
    return connection.subscribe(topic);
  }, [connection, topic]);
}

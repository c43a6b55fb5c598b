import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { LIVE_PATH, type LiveTopic } from '@draftroom/shared';
import { fetchCurrentUser } from '../api/auth.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { LiveConnection, type LiveStatus } from './liveConnection.ts';
import { applyLiveEffect, invalidate } from './invalidate.ts';
import { liveEffect, topicTargets } from './staleQueries.ts';

const LiveContext = createContext<LiveConnection | null>(null);

export function liveUrl(location: Location = window.location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${LIVE_PATH}`;
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
      onResync: () => invalidate(client, [{ everything: true }]),
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

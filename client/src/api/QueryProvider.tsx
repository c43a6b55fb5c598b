import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useSession } from '../session/SessionProvider.tsx';
import { asApiError } from './queries.ts';

/**
 * The one cache of the tab. Reads stay until something says they changed: a pushed event (the live
 * channel invalidates or patches what it names), one's own mutation, or a page opened again (a
 * remounted page reads again, showing the cached answer meanwhile). Nothing polls, and nothing
 * re-reads merely because the window got the focus — the live channel already keeps open pages fresh.
 */
export function createQueryClient(onUnauthenticated: () => void): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      // The session ended while the page was open: the session is told, and the page goes to sign-in.
      onError: (error) => {
        if (asApiError(error).status === 401) onUnauthenticated();
      },
    }),
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        // A passing failure (network, 5xx) is tried again twice; an answer (404, 403, 409…) is final.
        retry: (failures, error) => {
          const { status } = asApiError(error);
          return failures < 2 && (status === 0 || status >= 500);
        },
      },
    },
  });
}

export function QueryProvider({ children }: { children: ReactNode }) {
  const { user, signedOut } = useSession();
  const signedOutRef = useRef(signedOut);
  signedOutRef.current = signedOut;
  const [client] = useState(() => createQueryClient(() => signedOutRef.current('expired')));

  // Another person (signed out, or in as someone else): nothing read for the previous one may show.
  const userId = user?.id ?? null;
  const previousUser = useRef(userId);
  useEffect(() => {
    if (previousUser.current === userId) return;
    previousUser.current = userId;
    void client.resetQueries();
  }, [client, userId]);

  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

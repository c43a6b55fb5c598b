import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { User } from '@draftroom/shared';
import { fetchCurrentUser } from '../api/auth.ts';
import { ApiError, isAbort, NETWORK_ERROR } from '../api/client.ts';

/** Why there is no user: never signed in, signed out on purpose, or the session ended under us. */
export type SignedOutReason = 'anonymous' | 'signed-out' | 'expired';

export interface Session {
  user: User | null;
  signedOutReason: SignedOutReason;
  signedIn(user: User): void;
  signedOut(reason: Exclude<SignedOutReason, 'anonymous'>): void;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SessionProvider>');
  return session;
}

type Loading = { status: 'loading' } | { status: 'failed'; error: ApiError } | { status: 'ready' };

/** Asks the API who is signed in (GET /api/me) once, then keeps the answer up to date. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [loading, setLoading] = useState<Loading>({ status: 'loading' });
  const [user, setUser] = useState<User | null>(null);
  const [signedOutReason, setReason] = useState<SignedOutReason>('anonymous');
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    fetchCurrentUser(controller.signal).then(
      (current) => {
        setUser(current);
        setLoading({ status: 'ready' });
      },
      (error: unknown) => {
        if (isAbort(error)) return;
        setLoading({ status: 'failed', error: error instanceof ApiError ? error : new ApiError(0, NETWORK_ERROR, String(error)) });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  const signedIn = useCallback((next: User) => setUser(next), []);
  const signedOut = useCallback((reason: Exclude<SignedOutReason, 'anonymous'>) => {
    setReason(reason);
    setUser(null);
  }, []);
  const session = useMemo(() => ({ user, signedOutReason, signedIn, signedOut }), [user, signedOutReason, signedIn, signedOut]);

  if (loading.status === 'loading') {
    return (
      <p className="app-loading" role="status">
        Loading Draftroom…
      </p>
    );
  }
  if (loading.status === 'failed') {
    return (
      <div className="app-loading" role="alert">
        <p>{loading.error.message}</p>
        <button
          type="button"
          className="button"
          onClick={() => {
            setLoading({ status: 'loading' });
            setAttempt((n) => n + 1);
          }}
        >
          Try again
        </button>
      </div>
    );
  }
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

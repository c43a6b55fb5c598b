import { Navigate, Outlet, useLocation, useSearchParams } from 'react-router';
import { useSession } from './SessionProvider.tsx';

/** Where to go after signing in: only paths on this site, never `//elsewhere` or a full URL. */
export function safeNext(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

export interface LoginNotice {
  notice?: string;
}

/** Pages for signed-in people: anyone else is sent to the sign-in page, and brought back after. */
export function RequireUser() {
  const { user, signedOutReason } = useSession();
  const location = useLocation();
  if (user) return <Outlet />;
  if (signedOutReason === 'signed-out') {
    return <Navigate to="/login" replace state={{ notice: 'You have signed out.' } satisfies LoginNotice} />;
  }
  const next = `${location.pathname}${location.search}`;
  const to = next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
  const state: LoginNotice = signedOutReason === 'expired' ? { notice: 'Your session has ended. Sign in again to continue.' } : {};
  return <Navigate to={to} replace state={state} />;
}

/** Sign-in and register pages: a signed-in visitor goes on to where they were headed. */
export function GuestOnly() {
  const { user } = useSession();
  const [params] = useSearchParams();
  if (user) return <Navigate to={safeNext(params.get('next'))} replace />;
  return <Outlet />;
}

import { Navigate, Outlet, useLocation, useOutletContext, useSearchParams } from 'react-router';
import { loginPath, safeNext } from './next.ts';
import { useSession } from './SessionProvider.tsx';

export interface LoginNotice {
  notice?: string;
}

/** Pages for signed-in people: anyone else is sent to the sign-in page, and brought back after. */
export function RequireUser() {
  const { user, signedOutReason } = useSession();
  const location = useLocation();
  // Inside a layout (a group's pages), what the layout gives its pages passes through.
  const context = useOutletContext();
  if (user) return <Outlet context={context} />;
  if (signedOutReason === 'signed-out') {
    return <Navigate to="/login" replace state={{ notice: 'You have signed out.' } satisfies LoginNotice} />;
  }
  const to = loginPath(`${location.pathname}${location.search}`);
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

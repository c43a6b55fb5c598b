import type { MouseEvent } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { loginPath } from '../session/next.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { InboxLink } from '../features/inbox/InboxLink.tsx';
import { SearchBox } from '../features/search/SearchBox.tsx';
import { AccountMenu } from './AccountMenu.tsx';

function skipToMain(event: MouseEvent<HTMLAnchorElement>) {
  // Focus the main region itself; following "#main" would also add a hash to the app's URL.
  event.preventDefault();
  const main = document.getElementById('main');
  main?.focus();
  main?.scrollIntoView();
}

export function AppLayout() {
  const { user } = useSession();
  const location = useLocation();
  return (
    <div className="app">
      {/* biome-ignore lint/a11y/useValidAnchor: a real link (it works without script); the handler only keeps the hash out of the URL */}
      <a className="skip-link" href="#main" onClick={skipToMain}>
        Skip to main content
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true" />
            Draftroom
          </Link>
          <SearchBox />
          <nav aria-label="Main" className="site-nav">
            {user ? (
              <>
                <NavLink to="/" end>
                  Groups
                </NavLink>
                <InboxLink />
                <AccountMenu user={user} />
              </>
            ) : (
              <>
                {/* Back to this page after signing in. */}
                <NavLink to={location.pathname === '/login' ? '/login' : loginPath(`${location.pathname}${location.search}`)}>Sign in</NavLink>
                <NavLink to="/register">Register</NavLink>
              </>
            )}
          </nav>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="site-main">
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>
          Draftroom — working groups draft definitions together. <Link to="/verify">Verify an export</Link> · <a href="/api/docs">API documentation</a>
        </p>
      </footer>
    </div>
  );
}

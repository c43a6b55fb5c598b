import { useEffect, useId, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router';
import type { User } from '@draftroom/shared';
import { logout } from '../api/auth.ts';
import { ApiError } from '../api/client.ts';
import { useSession } from '../session/SessionProvider.tsx';

/** The signed-in person's name as a disclosure button, opening "Change password", "Notification settings" and "Sign out". */
export function AccountMenu({ user }: { user: User }) {
  const { signedOut } = useSession();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [signingOut, setSigningOut] = useState(false);
  const panelId = useId();
  const container = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const location = useLocation();

  useEffect(() => setOpen(false), [location.key]);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!container.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        toggle.current?.focus();
      }
    };
    const onFocusOut = (event: FocusEvent) => {
      if (event.relatedTarget instanceof Node && !container.current?.contains(event.relatedTarget)) setOpen(false);
    };
    const element = container.current;
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    element?.addEventListener('focusout', onFocusOut);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
      element?.removeEventListener('focusout', onFocusOut);
    };
  }, [open]);

  // Loaded on demand: the offline store brings Yjs, which pages that do not edit never need.
  async function clearOfflineCopies(userId: string) {
    await (await import('../collab/offlineStore.ts')).clearOfflineCopies(userId);
  }

  async function signOut() {
    if (signingOut) return;
    setSigningOut(true);
    setError(null);
    try {
      await logout();
    } catch (caught) {
      // Already signed out on the server: the goal is reached.
      if (!(caught instanceof ApiError && caught.status === 401)) {
        setError(caught instanceof ApiError ? caught.message : 'Could not sign out. Try again.');
        setSigningOut(false);
        return;
      }
    }
    signedOut('signed-out');
    setSigningOut(false);
    // Then, in the background: a shared computer keeps nothing of this person's unsent edits for the next one.
    void clearOfflineCopies(user.id).catch(() => undefined);
  }

  return (
    <div className="account-menu" ref={container}>
      <button ref={toggle} type="button" className="account-toggle" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((value) => !value)}>
        <span className="visually-hidden">Account: </span>
        <span className="account-name">{user.displayName}</span>
        <span className="chevron" aria-hidden="true" />
      </button>
      <div id={panelId} className="account-panel" hidden={!open}>
        <p className="account-email">{user.email}</p>
        <ul>
          <li>
            <Link to="/account/password">Change password</Link>
          </li>
          <li>
            <Link to="/settings/notifications">Notification settings</Link>
          </li>
          <li>
            <button type="button" className="link-button" onClick={() => void signOut()} aria-disabled={signingOut || undefined}>
              {signingOut ? 'Signing out…' : 'Sign out'}
            </button>
          </li>
        </ul>
        <div role="alert" className={error ? 'alert alert-error' : 'alert-empty'}>
          {error}
        </div>
      </div>
    </div>
  );
}

import { NavLink, useLocation } from 'react-router';
import { listNotifications } from '../../api/discussion.ts';
import { useResource } from '../../api/useResource.ts';

/** "Inbox" in the main navigation, with the number of unread notifications; checked on every page change. */
export function InboxLink() {
  const location = useLocation();
  const page = useResource((signal) => listNotifications(signal), [location.key]);
  const unread = page.status === 'ready' ? page.data.unread : 0;
  return (
    <NavLink to="/inbox" className="inbox-link">
      Inbox
      {unread > 0 && (
        <span className="badge badge-unread">
          {unread}
          <span className="visually-hidden"> unread</span>
        </span>
      )}
    </NavLink>
  );
}

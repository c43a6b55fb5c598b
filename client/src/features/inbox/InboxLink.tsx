import { useQuery } from '@tanstack/react-query';
import { NavLink } from 'react-router';
import { inboxQueries } from '../../api/queries.ts';

/**
 * "Inbox" in the main navigation, with the number of unread notifications. The live channel's
 * `inbox.changed` events carry the new count and patch it in place: no request, no polling.
 */
export function InboxLink() {
  const unread = useQuery({ ...inboxQueries.count(), staleTime: Number.POSITIVE_INFINITY }).data ?? 0;
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

import { useState } from 'react';
import { Link } from 'react-router';
import type { Notification } from '@draftroom/shared';
import { ApiError } from '../../api/client.ts';
import { listNotifications, markNotificationsRead } from '../../api/discussion.ts';
import { useResource } from '../../api/useResource.ts';
import { StatusMessage } from '../../forms/fields.tsx';
import { PageHeading } from '../../layout/PageHeading.tsx';
import { When } from '../history/When.tsx';

function describe(notification: Notification): string {
  const who = notification.actor?.displayName ?? 'Someone';
  switch (notification.kind) {
    case 'mention':
      return `${who} mentioned you in a comment`;
    case 'reply':
      return `${who} replied in a thread you follow`;
    case 'new_thread':
      return `${who} started a thread`;
    case 'resolved':
      return `${who} resolved a thread you follow`;
  }
}

/**
 * The definition page finds the group from the definition itself (it redirects to the right address),
 * so a notification, which names only the definition, can link there through any group segment.
 */
const definitionLink = (definitionId: string) => `/groups/-/definitions/${encodeURIComponent(definitionId)}`;

/** Mentions, replies and decisions on threads, newest first, with marking as read. */
export function InboxPage() {
  const page = useResource((signal) => listNotifications(signal), []);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function mark(body: { all: true } | { ids: number[] }, message: string) {
    setError(null);
    try {
      await markNotificationsRead(body);
      setAnnouncement(message);
      page.reload();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'Something went wrong. Try again.');
    }
  }

  return (
    <div className="page page-narrow">
      <PageHeading title="Inbox">Inbox</PageHeading>
      <StatusMessage message={announcement} />
      {error && (
        <p role="alert" className="alert alert-error">
          {error}
        </p>
      )}
      {page.status === 'loading' && <p role="status">Loading your notifications…</p>}
      {page.status === 'error' && (
        <div role="alert" className="alert alert-error">
          <p>{page.error.message}</p>
          <button type="button" className="button" onClick={page.reload}>
            Try again
          </button>
        </div>
      )}
      {page.status === 'ready' && (
        <>
          <div className="section-bar">
            <p className="inbox-count">{page.data.unread === 0 ? 'Nothing unread.' : `${page.data.unread} unread`}</p>
            {page.data.unread > 0 && (
              <button type="button" className="button button-small" onClick={() => mark({ all: true }, 'All notifications marked as read.')}>
                Mark all as read
              </button>
            )}
          </div>
          {page.data.notifications.length === 0 ? (
            <p className="empty">No notifications yet. Replies to your comments and mentions of you arrive here.</p>
          ) : (
            <ul className="notification-list" aria-label="Notifications">
              {page.data.notifications.map((notification) => (
                <li key={notification.id} className={`notification${notification.read ? '' : ' notification-unread'}`}>
                  <p>
                    {!notification.read && <span className="badge badge-unread">New</span>}{' '}
                    <Link to={definitionLink(notification.definitionId)}>{describe(notification)}</Link>
                  </p>
                  <p className="muted">
                    <When at={notification.createdAt} />
                  </p>
                  {!notification.read && (
                    <button type="button" className="button button-small button-quiet" onClick={() => mark({ ids: [notification.id] }, 'Marked as read.')}>
                      Mark as read<span className="visually-hidden">: {describe(notification)}</span>
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

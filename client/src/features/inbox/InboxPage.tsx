import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { describeNotification, type Notification } from '@draftroom/shared';
import { ApiError } from '../../api/client.ts';
import { markNotificationsRead } from '../../api/discussion.ts';
import { inboxQueries, viewOf } from '../../api/queries.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { StatusMessage } from '../../forms/fields.tsx';
import { PageHeading } from '../../layout/PageHeading.tsx';
import { When } from '../history/When.tsx';
import './inbox.css';

/** Where a notification points, in words: the group, the definition, the clause (as the editor numbers it). */
function whereOf(notification: Notification): string {
  return [notification.group.name, notification.definition?.title, notification.clause && (notification.clause.label ?? 'a clause no longer in the text')]
    .filter(Boolean)
    .join(' · ');
}

/**
 * What concerns me, newest first: each item names the group, the definition and the clause, quotes
 * the comment or passage, and opens the thread, ballot, amendment or version itself. Opening one marks
 * it as read.
 */
export function InboxPage() {
  // New notifications arrive over the live channel (`inbox.changed` on my own topic).
  const page = viewOf(useQuery(inboxQueries.list()));
  const client = useQueryClient();
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function mark(body: { all: true } | { ids: number[] }, message: string | null) {
    setError(null);
    try {
      await markNotificationsRead(body);
      if (message) setAnnouncement(message);
      // The list and the count in the navigation.
      void client.invalidateQueries({ queryKey: queryKeys.inbox() });
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'Something went wrong. Try again.');
    }
  }

  return (
    <div className="page page-narrow">
      <PageHeading title="Inbox">Inbox</PageHeading>
      <p className="inbox-settings-link">
        <Link to="/settings/notifications">Notification settings</Link>
        <span className="muted"> — what you are told of, and what by e-mail</span>
      </p>
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
          <button type="button" className="button" onClick={page.retry}>
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
            <p className="empty">No notifications yet. Mentions, replies, ballots, decisions on your amendments and new versions arrive here.</p>
          ) : (
            <ul className="notification-list" aria-label="Notifications">
              {page.data.notifications.map((notification) => {
                const summary = describeNotification(notification);
                return (
                  <li key={notification.id} className={`notification${notification.read ? '' : ' notification-unread'}`}>
                    <p className="notification-where muted">{whereOf(notification)}</p>
                    <p>
                      {!notification.read && <span className="badge badge-unread">New</span>}{' '}
                      <Link to={notification.link} onClick={() => !notification.read && void mark({ ids: [notification.id] }, null)}>
                        {summary}
                      </Link>
                    </p>
                    {notification.excerpt && <blockquote className="notification-excerpt">{notification.excerpt}</blockquote>}
                    <p className="muted">
                      <When at={notification.createdAt} />
                    </p>
                    {!notification.read && (
                      <button type="button" className="button button-small button-quiet" onClick={() => mark({ ids: [notification.id] }, 'Marked as read.')}>
                        Mark as read<span className="visually-hidden">: {summary}</span>
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import {
  NOTIFICATION_KIND_LABELS,
  NOTIFICATION_KINDS,
  type EmailDelivery,
  type NotificationKind,
  type NotificationKindSetting,
  type NotificationSettings,
} from '@draftroom/shared';
import { ApiError } from '../../api/client.ts';
import { notificationSettingsKey, notificationSettingsQuery, updateNotificationSettings } from '../../api/notifications.ts';
import { viewOf } from '../../api/queries.ts';
import { StatusMessage } from '../../forms/fields.tsx';
import { PageHeading } from '../../layout/PageHeading.tsx';
import './inbox.css';

const EMAIL_LABELS: Record<EmailDelivery, string> = { off: 'No e-mail', immediate: 'E-mail at once', digest: 'In the daily digest' };

/** "07:00 UTC (09:00 your time)" */
function digestTime(hourUtc: number): string {
  const at = new Date(Date.UTC(2000, 0, 1, hourUtc));
  const local = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return `${String(hourUtc).padStart(2, '0')}:00 UTC (${local} your time)`;
}

/**
 * What I am told of, kind by kind: in the app or not at all, and by e-mail never, at once, or in one
 * mail a day. Each change is saved at once (shown at once, taken back if the server refuses).
 */
export function NotificationSettingsPage() {
  const settings = viewOf(useQuery(notificationSettingsQuery()));
  const client = useQueryClient();
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // What was just chosen shows at once (the controls follow it), until the server has answered.
  const [choosing, setChoosing] = useState<Partial<Record<NotificationKind, NotificationKindSetting>>>({});
  // A later choice for the same kind, still on its way, stays shown.
  const settle = (kind: NotificationKind, setting: NotificationKindSetting) =>
    setChoosing((current) => {
      if (current[kind] !== setting) return current;
      const { [kind]: _settled, ...rest } = current;
      return rest;
    });
  const save = useMutation({
    mutationFn: ({ kind, setting }: { kind: NotificationKind; setting: NotificationKindSetting }) => updateNotificationSettings({ kinds: { [kind]: setting } }),
    onError: (failure, { kind, setting }) => {
      settle(kind, setting);
      setError(failure instanceof ApiError ? failure.message : 'Your change was not saved. Try again.');
    },
    onSuccess: (saved, { kind, setting }) => {
      client.setQueryData<NotificationSettings>(notificationSettingsKey, saved);
      settle(kind, setting);
      setAnnouncement(`Saved: ${NOTIFICATION_KIND_LABELS[kind].toLowerCase()}.`);
    },
  });
  const choose = (kind: NotificationKind, setting: NotificationKindSetting) => {
    setError(null);
    setChoosing((current) => ({ ...current, [kind]: setting }));
    save.mutate({ kind, setting });
  };

  return (
    <div className="page page-narrow">
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <ol>
          <li>
            <Link to="/inbox">Inbox</Link>
          </li>
          <li aria-current="page">Notification settings</li>
        </ol>
      </nav>
      <PageHeading title="Notification settings">Notification settings</PageHeading>
      <StatusMessage message={announcement} />
      {error && (
        <p role="alert" className="alert alert-error">
          {error}
        </p>
      )}
      {settings.status === 'loading' && <p role="status">Loading your settings…</p>}
      {settings.status === 'error' && (
        <div role="alert" className="alert alert-error">
          <p>{settings.error.message}</p>
          <button type="button" className="button" onClick={settings.retry}>
            Try again
          </button>
        </div>
      )}
      {settings.status === 'ready' && (
        <>
          <p>
            Your inbox shows what you keep on. By e-mail, at once or gathered into one mail a day, sent at {digestTime(settings.data.digestHourUtc)}. Every mail
            has a link that stops that kind of mail, without signing in.
          </p>
          {!settings.data.emailAvailable && (
            <p className="alert">This server sends no e-mail (no mail server is set up). Your e-mail choices are kept for when it does.</p>
          )}
          <table className="settings-table">
            <caption className="visually-hidden">Notifications by kind</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Notify me</th>
                <th scope="col">By e-mail</th>
              </tr>
            </thead>
            <tbody>
              {NOTIFICATION_KINDS.map((kind) => (
                <SettingRow key={kind} kind={kind} setting={choosing[kind] ?? settings.data.kinds[kind]} onChange={(setting) => choose(kind, setting)} />
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

function SettingRow({
  kind,
  setting,
  onChange,
}: {
  kind: NotificationKind;
  setting: NotificationKindSetting;
  onChange(setting: NotificationKindSetting): void;
}) {
  const id = useId();
  const label = NOTIFICATION_KIND_LABELS[kind];
  return (
    <tr>
      <th scope="row" id={`${id}-label`}>
        {label}
      </th>
      <td>
        <input
          type="checkbox"
          id={`${id}-enabled`}
          aria-labelledby={`${id}-label`}
          checked={setting.enabled}
          onChange={(event) => onChange({ ...setting, enabled: event.target.checked })}
        />
      </td>
      <td>
        <select
          aria-label={`E-mail: ${label}`}
          value={setting.email}
          disabled={!setting.enabled}
          onChange={(event) => onChange({ ...setting, email: event.target.value as EmailDelivery })}
        >
          {(Object.keys(EMAIL_LABELS) as EmailDelivery[]).map((value) => (
            <option key={value} value={value}>
              {EMAIL_LABELS[value]}
            </option>
          ))}
        </select>
      </td>
    </tr>
  );
}

import { queryOptions } from '@tanstack/react-query';
import type { NotificationSettings, UpdateNotificationSettingsBody } from '@draftroom/shared';
import { request } from './client.ts';

const SETTINGS_PATH = '/api/me/notification-settings';

/** My notification settings (one cache entry; the settings page reads and patches it). */
export const notificationSettingsKey = ['me', 'notification-settings'] as const;

export const notificationSettingsQuery = () =>
  queryOptions({
    queryKey: notificationSettingsKey,
    queryFn: ({ signal }) => request<NotificationSettings>('GET', SETTINGS_PATH, { signal }),
  });

/** Changes the kinds given; answers with all of them as they now are. */
export function updateNotificationSettings(body: UpdateNotificationSettingsBody): Promise<NotificationSettings> {
  return request<NotificationSettings>('PUT', SETTINGS_PATH, { body });
}

import {
  NOTIFICATION_KINDS,
  type NotificationKind,
  type NotificationPage,
  type NotificationSettings,
  type UpdateNotificationSettingsBody,
} from '@draftroom/shared';
import type { Db } from '../db/database.ts';
import { effectiveSettings } from './notify.ts';
import { presentNotifications } from './presenter.ts';
import * as repo from './repository.ts';

export async function inbox(db: Db, userId: string, options: { unread?: boolean; before?: number; limit?: number }): Promise<NotificationPage> {
  const limit = options.limit ?? 30;
  const [rows, unread] = await Promise.all([
    repo.listNotifications(db, userId, { unread: options.unread ?? false, before: options.before ?? null, limit }),
    repo.countUnread(db, userId),
  ]);
  return {
    notifications: await presentNotifications(db, rows),
    unread,
    nextBefore: rows.length === limit ? rows.at(-1)!.id : null,
  };
}

export function markRead(db: Db, userId: string, input: { ids?: number[]; all?: boolean }): Promise<void> {
  return repo.markRead(db, userId, input.all ? null : (input.ids ?? []));
}

export interface SettingsContext {
  emailAvailable: boolean;
  digestHourUtc: number;
}

export async function getSettings(db: Db, userId: string, context: SettingsContext): Promise<NotificationSettings> {
  const kinds = (await effectiveSettings(db, [userId])).get(userId)!;
  return { kinds, ...context };
}

/** Saves the kinds given (each whole: on or off, and how by e-mail); the others keep their setting. */
export async function updateSettings(db: Db, userId: string, input: UpdateNotificationSettingsBody, context: SettingsContext): Promise<NotificationSettings> {
  const rows = NOTIFICATION_KINDS.filter((kind) => input.kinds[kind] !== undefined).map((kind: NotificationKind) => ({ kind, ...input.kinds[kind]! }));
  await repo.saveSettings(db, userId, rows);
  return getSettings(db, userId, context);
}

import type { NotificationPage } from '@draftroom/shared';
import type { Db } from '../db/database.ts';
import * as repo from './repository.ts';

export async function inbox(db: Db, userId: string, options: { unread?: boolean; before?: number; limit?: number }): Promise<NotificationPage> {
  const limit = options.limit ?? 30;
  const [rows, unread] = await Promise.all([
    repo.listNotifications(db, userId, { unread: options.unread ?? false, before: options.before ?? null, limit }),
    repo.countUnread(db, userId),
  ]);
  return {
    notifications: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      definitionId: r.definition_id,
      threadId: r.thread_id,
      commentId: r.comment_id,
      actor: r.actor_id ? { id: r.actor_id, displayName: r.display_name ?? '(unknown)' } : null,
      createdAt: r.created_at.toISOString(),
      read: r.read_at !== null,
    })),
    unread,
    nextBefore: rows.length === limit ? rows.at(-1)!.id : null,
  };
}

export function markRead(db: Db, userId: string, input: { ids?: number[]; all?: boolean }): Promise<void> {
  return repo.markRead(db, userId, input.all ? null : (input.ids ?? []));
}

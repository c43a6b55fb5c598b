import type { Executor } from '../db/database.ts';

export function listNotifications(db: Executor, userId: string, options: { unread: boolean; before: number | null; limit: number }) {
  let query = db
    .selectFrom('notifications')
    .leftJoin('users', 'users.id', 'notifications.actor_id')
    .select([
      'notifications.id',
      'notifications.kind',
      'notifications.definition_id',
      'notifications.thread_id',
      'notifications.comment_id',
      'notifications.actor_id',
      'users.display_name',
      'notifications.created_at',
      'notifications.read_at',
    ])
    .where('notifications.user_id', '=', userId)
    .orderBy('notifications.id', 'desc')
    .limit(options.limit);
  if (options.unread) query = query.where('notifications.read_at', 'is', null);
  if (options.before !== null) query = query.where('notifications.id', '<', options.before);
  return query.execute();
}

export async function countUnread(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks the given notifications (or all, with ids = null) of this user as read. */
export async function markRead(db: Executor, userId: string, ids: number[] | null): Promise<void> {
  let update = db.updateTable('notifications').set({ read_at: new Date() }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (ids !== null) {
    if (ids.length === 0) return;
    update = update.where('id', 'in', ids);
  }
  await update.execute();
}

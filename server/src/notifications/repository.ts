import type { ExpressionBuilder } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

/**
 * Whether the notification's thread is one its recipient may still read: a public thread, or one of
 * the internal discussion of a group the recipient is (still) in. Someone who has left a group no
 * longer learns of its internal threads, not even from old notifications.
 */
function readable(eb: ExpressionBuilder<Database, 'notifications'>) {
  return eb.or([
    eb.exists(eb.selectFrom('threads').select('threads.id').whereRef('threads.id', '=', 'notifications.thread_id').where('threads.audience', '=', 'public')),
    eb.exists(
      eb
        .selectFrom('definitions')
        .innerJoin('memberships', 'memberships.group_id', 'definitions.group_id')
        .select('memberships.user_id')
        .whereRef('definitions.id', '=', 'notifications.definition_id')
        .whereRef('memberships.user_id', '=', 'notifications.user_id'),
    ),
  ]);
}

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
    .where(readable)
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
    .where('notifications.user_id', '=', userId)
    .where('notifications.read_at', 'is', null)
    .where(readable)
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

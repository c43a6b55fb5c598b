import { publicCommenters } from '../comments/repository.ts';
import type { Db } from '../db/database.ts';
import { notifyCommentPeriodClosing } from '../notifications/notify.ts';
import { membersOf } from '../notifications/repository.ts';
import * as repo from './repository.ts';

const DAY = 24 * 60 * 60 * 1000;

/**
 * Tells the group's members — and, in a public group, the people who have commented publicly — that a
 * public comment period ends within 24 hours. Run periodically; idempotent (one reminder per person and
 * deadline: moving the deadline makes a new one).
 */
export async function remindClosingCommentPeriods(db: Db, now: Date): Promise<number> {
  const definitions = await repo.commentPeriodsClosingBetween(db, now, new Date(now.getTime() + DAY));
  for (const definition of definitions) {
    const members = (await membersOf(db, definition.group_id)).map((m) => m.user_id);
    const commenters = definition.visibility === 'public' ? await publicCommenters(db, definition.id) : [];
    await db
      .transaction()
      .execute((tx) =>
        notifyCommentPeriodClosing(tx, { groupId: definition.group_id, definitionId: definition.id, deadline: definition.comment_deadline! }, [
          ...members,
          ...commenters,
        ]),
      );
  }
  return definitions.length;
}

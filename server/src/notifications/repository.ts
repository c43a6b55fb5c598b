import type { ExpressionBuilder } from 'kysely';
import type { EmailDelivery, NotificationDetails, NotificationKind, Role, Visibility } from '@draftroom/shared';
import type { Executor } from '../db/database.ts';
import type { Database, OutboxKind } from '../db/schema.ts';
import { kindsAbout } from './policy.ts';

/**
 * Whether the recipient may still read what the notification is about — `maySee` (policy.ts) in SQL,
 * checked on every read, so someone who has left a group no longer learns of its drafts or internal
 * threads, not even from old notifications, and a group turned private takes its notifications
 * away from outsiders.
 */
function readable(eb: ExpressionBuilder<Database, 'notifications'>) {
  const member = eb.exists(
    eb
      .selectFrom('memberships')
      .select('memberships.user_id')
      .whereRef('memberships.group_id', '=', 'notifications.group_id')
      .whereRef('memberships.user_id', '=', 'notifications.user_id'),
  );
  const publicGroup = eb.exists(
    eb.selectFrom('groups').select('groups.id').whereRef('groups.id', '=', 'notifications.group_id').where('groups.visibility', '=', 'public'),
  );
  const publicThread = eb.exists(
    eb.selectFrom('threads').select('threads.id').whereRef('threads.id', '=', 'notifications.thread_id').where('threads.audience', '=', 'public'),
  );
  // The developer's account reads the reviews of its system without being a member (policies/conformance.ts).
  const developerOfReviewed = eb.exists(
    eb
      .selectFrom('reviews')
      .innerJoin('conformance_systems', 'conformance_systems.id', 'reviews.system_id')
      .select('reviews.id')
      .whereRef('reviews.id', '=', 'notifications.review_id')
      .whereRef('conformance_systems.developer_user_id', '=', 'notifications.user_id'),
  );
  return eb.or([
    member,
    eb.and([eb('notifications.kind', 'in', kindsAbout('review')), developerOfReviewed]),
    eb.and([eb('notifications.kind', 'in', kindsAbout('thread')), publicGroup, publicThread]),
    eb.and([eb('notifications.kind', 'in', [...kindsAbout('record'), ...kindsAbout('group')]), publicGroup]),
  ]);
}

/** Notifications with everything their presentation needs; `ids` narrows to those (for mail). */
export function listNotifications(db: Executor, userId: string, options: { unread: boolean; before: number | null; limit: number; ids?: readonly number[] }) {
  let query = db
    .selectFrom('notifications')
    .innerJoin('groups', 'groups.id', 'notifications.group_id')
    .leftJoin('definitions', 'definitions.id', 'notifications.definition_id')
    .leftJoin('users', 'users.id', 'notifications.actor_id')
    .leftJoin('memberships', (join) =>
      join.onRef('memberships.group_id', '=', 'notifications.group_id').onRef('memberships.user_id', '=', 'notifications.user_id'),
    )
    .leftJoin('threads', 'threads.id', 'notifications.thread_id')
    .leftJoin('comments', 'comments.id', 'notifications.comment_id')
    .leftJoin('amendments', 'amendments.id', 'notifications.amendment_id')
    .leftJoin('versions', 'versions.id', 'notifications.version_id')
    .leftJoin('dispositions', 'dispositions.id', 'notifications.disposition_id')
    .select([
      'notifications.id',
      'notifications.kind',
      'notifications.group_id',
      'notifications.definition_id',
      'notifications.thread_id',
      'notifications.comment_id',
      'notifications.ballot_id',
      'notifications.amendment_id',
      'notifications.version_id',
      'notifications.clause_id',
      'notifications.review_id',
      'notifications.disposition_id',
      'notifications.actor_id',
      'notifications.data',
      'notifications.created_at',
      'notifications.read_at',
      'groups.slug as group_slug',
      'groups.name as group_name',
      'groups.visibility',
      'definitions.title as definition_title',
      'users.display_name as actor_name',
      'memberships.role as my_role',
      'threads.quote as thread_quote',
      'threads.audience as thread_audience',
      'comments.body_html as comment_html',
      'comments.deleted_at as comment_deleted_at',
      'comments.hidden_at as comment_hidden_at',
      'amendments.proposed_text as amendment_text',
      'amendments.decision_reason as amendment_reason',
      'versions.label as version_label',
      'versions.notes as version_notes',
      'dispositions.reason as disposition_reason',
      'dispositions.response_note as disposition_note',
    ])
    .where('notifications.user_id', '=', userId)
    .where(readable)
    .orderBy('notifications.id', 'desc')
    .limit(options.limit);
  if (options.unread) query = query.where('notifications.read_at', 'is', null);
  if (options.before !== null) query = query.where('notifications.id', '<', options.before);
  if (options.ids) query = query.where('notifications.id', 'in', options.ids.length > 0 ? [...options.ids] : [-1]);
  return query.execute();
}

export type NotificationRow = Awaited<ReturnType<typeof listNotifications>>[number];

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

/** Clauses of these definitions' drafts in reading order (to name them as the editor does). */
export function draftClauses(db: Executor, definitionIds: string[]) {
  if (definitionIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('clauses')
    .select(['definition_id', 'clause_id', 'kind'])
    .where('definition_id', 'in', definitionIds)
    .orderBy('definition_id')
    .orderBy('position')
    .execute();
}

/** Clauses of these definitions' latest published versions in reading order (what outsiders read). */
export function publishedClauses(db: Executor, definitionIds: string[]) {
  if (definitionIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('version_clauses')
    .innerJoin('versions', 'versions.id', 'version_clauses.version_id')
    .select(['versions.definition_id', 'version_clauses.clause_id', 'version_clauses.kind'])
    .where('versions.definition_id', 'in', definitionIds)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('versions as newer')
            .select('newer.id')
            .whereRef('newer.definition_id', '=', 'versions.definition_id')
            .whereRef('newer.published_at', '>', 'versions.published_at'),
        ),
      ),
    )
    .orderBy('versions.definition_id')
    .orderBy('version_clauses.position')
    .execute();
}

// Writing notifications.

export interface NotificationToInsert {
  userId: string;
  kind: NotificationKind;
  groupId: string;
  definitionId: string | null;
  threadId: string | null;
  commentId: string | null;
  ballotId: string | null;
  amendmentId: string | null;
  versionId: string | null;
  clauseId: string | null;
  reviewId: string | null;
  dispositionId?: string | null;
  actorId: string | null;
  details: NotificationDetails;
  dedupeKey: string | null;
}

/** Inserts them; one whose dedupe key this person already has is skipped. Returns what was inserted. */
export async function insertNotifications(db: Executor, rows: NotificationToInsert[]) {
  if (rows.length === 0) return [];
  return db
    .insertInto('notifications')
    .values(
      rows.map((r) => ({
        user_id: r.userId,
        kind: r.kind,
        group_id: r.groupId,
        definition_id: r.definitionId,
        thread_id: r.threadId,
        comment_id: r.commentId,
        ballot_id: r.ballotId,
        amendment_id: r.amendmentId,
        version_id: r.versionId,
        clause_id: r.clauseId,
        review_id: r.reviewId,
        disposition_id: r.dispositionId ?? null,
        actor_id: r.actorId,
        data: JSON.stringify(r.details),
        dedupe_key: r.dedupeKey,
      })),
    )
    .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).where('dedupe_key', 'is not', null).doNothing())
    .returning(['id', 'user_id', 'kind'])
    .execute();
}

export async function insertNotificationMail(
  db: Executor,
  rows: { userId: string; notificationId: number; kind: Extract<OutboxKind, 'notification' | 'digest_item'> }[],
) {
  if (rows.length === 0) return;
  await db
    .insertInto('mail_outbox')
    .values(rows.map((r) => ({ kind: r.kind, user_id: r.userId, notification_id: r.notificationId })))
    .execute();
}

/** Each person's role in a group (people outside it are absent). */
export async function rolesIn(db: Executor, groupId: string, userIds: string[]): Promise<Map<string, Role>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.selectFrom('memberships').select(['user_id', 'role']).where('group_id', '=', groupId).where('user_id', 'in', userIds).execute();
  return new Map(rows.map((r) => [r.user_id, r.role]));
}

export function membersOf(db: Executor, groupId: string) {
  return db.selectFrom('memberships').select(['user_id', 'role']).where('group_id', '=', groupId).execute();
}

export function findGroup(db: Executor, groupId: string): Promise<{ id: string; visibility: Visibility } | undefined> {
  return db.selectFrom('groups').select(['id', 'visibility']).where('id', '=', groupId).executeTakeFirst();
}

// Settings.

export function settingsOf(db: Executor, userIds: string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('notification_settings').select(['user_id', 'kind', 'enabled', 'email']).where('user_id', 'in', userIds).execute();
}

export async function saveSettings(db: Executor, userId: string, rows: { kind: NotificationKind; enabled: boolean; email: EmailDelivery }[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('notification_settings')
    .values(rows.map((r) => ({ user_id: userId, kind: r.kind, enabled: r.enabled, email: r.email })))
    .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet((eb) => ({ enabled: eb.ref('excluded.enabled'), email: eb.ref('excluded.email') })))
    .execute();
}

/** Turns e-mail off for these kinds (keeping whether they show in the app), for the unsubscribe links. */
export async function turnOffEmail(
  db: Executor,
  userId: string,
  kinds: NotificationKind[],
  defaults: Record<NotificationKind, { enabled: boolean }>,
): Promise<void> {
  if (kinds.length === 0) return;
  await db
    .insertInto('notification_settings')
    .values(kinds.map((kind) => ({ user_id: userId, kind, enabled: defaults[kind].enabled, email: 'off' as const })))
    .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ email: 'off' }))
    .execute();
}

// Unsubscribe tokens.

export async function insertUnsubscribeToken(db: Executor, token: { hash: Buffer; userId: string; kinds: NotificationKind[]; expiresAt: Date }): Promise<void> {
  await db
    .insertInto('mail_unsubscribe_tokens')
    .values({ token_hash: token.hash, user_id: token.userId, kinds: token.kinds, expires_at: token.expiresAt })
    .execute();
}

export function findUnsubscribeToken(db: Executor, hash: Buffer, now: Date) {
  return db
    .selectFrom('mail_unsubscribe_tokens')
    .innerJoin('users', 'users.id', 'mail_unsubscribe_tokens.user_id')
    .select(['mail_unsubscribe_tokens.user_id', 'mail_unsubscribe_tokens.kinds', 'users.display_name'])
    .where('token_hash', '=', hash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export async function purgeUnsubscribeTokens(db: Executor, now: Date): Promise<void> {
  await db.deleteFrom('mail_unsubscribe_tokens').where('expires_at', '<=', now).execute();
}

// Digests.

/** People with digest items older than `before` that no digest has taken yet. */
export async function peopleWithDigestItems(db: Executor, before: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('mail_outbox')
    .select('user_id')
    .distinct()
    .where('kind', '=', 'digest_item')
    .where('status', '=', 'pending')
    .where('created_at', '<', before)
    .execute();
  return rows.map((r) => r.user_id).filter((id): id is string => id !== null);
}

/** The day's digest for this person, once: null when it exists already (made by another run or instance). */
export async function insertDigest(db: Executor, userId: string, day: string, at: Date): Promise<number | null> {
  const row = await db
    .insertInto('mail_outbox')
    .values({ kind: 'digest', user_id: userId, digest_day: day, template: 'notification.digest', next_attempt_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'digest_day']).where('kind', '=', 'digest').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function attachDigestItems(db: Executor, userId: string, digestId: number, before: Date): Promise<number> {
  const result = await db
    .updateTable('mail_outbox')
    .set({ status: 'batched', digest_id: digestId })
    .where('kind', '=', 'digest_item')
    .where('status', '=', 'pending')
    .where('user_id', '=', userId)
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function digestItems(db: Executor, digestId: number): Promise<number[]> {
  const rows = await db.selectFrom('mail_outbox').select('notification_id').where('digest_id', '=', digestId).orderBy('id').execute();
  return rows.map((r) => r.notification_id).filter((id): id is number => id !== null);
}

export function recipientOf(db: Executor, userId: string) {
  return db.selectFrom('users').select(['email', 'display_name']).where('id', '=', userId).executeTakeFirst();
}

/** Notification mails sent to this person one by one since `since` (the per-person hourly cap). */
export async function immediateMailsSince(db: Executor, userId: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('mail_outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('kind', '=', 'notification')
    .where('status', '=', 'sent')
    .where('sent_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A notification's own mail becomes an item of the next digest. */
export async function deferToDigest(db: Executor, outboxId: number): Promise<void> {
  await db.updateTable('mail_outbox').set({ kind: 'digest_item', status: 'pending', attempts: 0 }).where('id', '=', outboxId).execute();
}

import { DEFAULT_NOTIFICATION_SETTINGS, type NotificationDetails, type NotificationKind, type NotificationKindSetting, type Role } from '@draftroom/shared';
import type { Audience } from '../comments/policy.ts';
import type { Executor } from '../db/database.ts';
import { maySee } from './policy.ts';
import * as endorsements from '../endorsements/repository.ts';
import * as repo from './repository.ts';

/*
 * Creating notifications. Each function is called by the feature that made the change, inside its
 * transaction, so a notification exists exactly when the change does. Every one of them:
 * - tells only people who may see the thing, by the feature's own read policy and each person's role
 *   in the group at that moment (policy.ts `maySee`), and never the person who made the change;
 * - follows each person's settings: a kind turned off creates nothing; one they want by e-mail puts a
 *   mail in the outbox (mail_outbox) in the same transaction — now, or for the day's digest.
 * Nothing here says how anyone voted: a ballot's notifications carry its title, closing time and
 * outcome only.
 */

type Where = Partial<
  Pick<
    repo.NotificationToInsert,
    'definitionId' | 'threadId' | 'commentId' | 'ballotId' | 'amendmentId' | 'versionId' | 'clauseId' | 'reviewId' | 'dispositionId'
  >
>;

interface Draft extends Where {
  groupId: string;
  actorId: string | null;
  details?: NotificationDetails;
  dedupeKey?: string;
}

function row(userId: string, kind: NotificationKind, draft: Draft): repo.NotificationToInsert {
  return {
    userId,
    kind,
    groupId: draft.groupId,
    definitionId: draft.definitionId ?? null,
    threadId: draft.threadId ?? null,
    commentId: draft.commentId ?? null,
    ballotId: draft.ballotId ?? null,
    amendmentId: draft.amendmentId ?? null,
    versionId: draft.versionId ?? null,
    clauseId: draft.clauseId ?? null,
    reviewId: draft.reviewId ?? null,
    dispositionId: draft.dispositionId ?? null,
    actorId: draft.actorId,
    details: draft.details ?? {},
    dedupeKey: draft.dedupeKey ?? null,
  };
}

/** Each person's settings for every kind (the defaults where they chose nothing). */
export async function effectiveSettings(db: Executor, userIds: string[]): Promise<Map<string, Record<NotificationKind, NotificationKindSetting>>> {
  const chosen = await repo.settingsOf(db, userIds);
  const result = new Map(userIds.map((id) => [id, { ...DEFAULT_NOTIFICATION_SETTINGS }]));
  for (const setting of chosen) {
    const mine = result.get(setting.user_id);
    if (mine) mine[setting.kind] = { enabled: setting.enabled, email: setting.email };
  }
  return result;
}

/** Writes the notifications people want, and the mail of those they want by e-mail. */
async function deliver(tx: Executor, rows: repo.NotificationToInsert[]): Promise<void> {
  if (rows.length === 0) return;
  const settings = await effectiveSettings(tx, [...new Set(rows.map((r) => r.userId))]);
  const wanted = rows.filter((r) => settings.get(r.userId)![r.kind].enabled);
  const inserted = await repo.insertNotifications(tx, wanted);
  const mail = inserted.flatMap((n) => {
    const email = settings.get(n.user_id)![n.kind].email;
    if (email === 'off') return [];
    return [{ userId: n.user_id, notificationId: n.id, kind: email === 'immediate' ? ('notification' as const) : ('digest_item' as const) }];
  });
  await repo.insertNotificationMail(tx, mail);
}

/** The people among `userIds` who may see a thing of this kind in this group now, each with their role. */
async function allowed(
  tx: Executor,
  group: { id: string; visibility: 'public' | 'private' },
  userIds: Iterable<string>,
  kind: NotificationKind,
  audience?: Audience,
): Promise<string[]> {
  const ids = [...new Set(userIds)];
  const roles = await repo.rolesIn(tx, group.id, ids);
  return ids.filter((id) => maySee(id, kind, { visibility: group.visibility, role: roles.get(id) ?? null, ...(audience && { audience }) }));
}

/** Sends one kind about one thing to whichever of `userIds` may see it, except the actor. */
async function notifyAbout(tx: Executor, userIds: Iterable<string>, kind: NotificationKind, draft: Draft): Promise<void> {
  const group = await repo.findGroup(tx, draft.groupId);
  if (!group) return;
  const recipients = (await allowed(tx, group, userIds, kind)).filter((id) => id !== draft.actorId);
  await deliver(
    tx,
    recipients.map((id) => row(id, kind, draft)),
  );
}

/**
 * Something happened in a thread: each target list in order (mentions first, so someone both
 * mentioned and replied to gets one notification, the more specific one). Internal threads reach
 * members only; public ones also the public of a public group.
 */
export async function notifyThread(
  tx: Executor,
  thread: { groupId: string; visibility: 'public' | 'private'; definitionId: string; threadId: string; audience: Audience; clauseId: string },
  commentId: string | null,
  actorId: string,
  targets: { userIds: string[]; kind: Extract<NotificationKind, 'mention' | 'reply' | 'new_thread' | 'resolved'> }[],
): Promise<void> {
  const seen = new Set<string>([actorId]);
  const rows: repo.NotificationToInsert[] = [];
  const draft: Draft = { groupId: thread.groupId, definitionId: thread.definitionId, threadId: thread.threadId, clauseId: thread.clauseId, commentId, actorId };
  for (const target of targets) {
    const fresh = target.userIds.filter((id) => !seen.has(id));
    for (const userId of await allowed(tx, { id: thread.groupId, visibility: thread.visibility }, fresh, target.kind, thread.audience)) {
      seen.add(userId);
      rows.push(row(userId, target.kind, draft));
    }
  }
  await deliver(tx, rows);
}

/**
 * An item of the disposition register was disposed of (its author hears how) or answered (whoever
 * disposed of it and the chairs hear whether it satisfies). A public comment's item is read like its
 * public thread; an objection's by members only.
 */
export async function notifyDisposition(
  tx: Executor,
  item: { groupId: string; definitionId: string; dispositionId: string; number: number; threadId: string | null; clauseId: string | null; public: boolean },
  userIds: Iterable<string>,
  kind: Extract<NotificationKind, 'disposition_made' | 'disposition_response'>,
  actorId: string,
  details: NotificationDetails,
): Promise<void> {
  const group = await repo.findGroup(tx, item.groupId);
  if (!group) return;
  const recipients = (await allowed(tx, group, userIds, kind, item.public ? 'public' : 'internal')).filter((id) => id !== actorId);
  const draft: Draft = {
    groupId: item.groupId,
    definitionId: item.definitionId,
    dispositionId: item.dispositionId,
    // The SQL read check (repository.ts `readable`) lets outsiders read thread kinds of public threads only.
    threadId: item.public ? item.threadId : null,
    clauseId: item.clauseId,
    actorId,
    details: { dispositionNumber: item.number, ...details },
  };
  await deliver(
    tx,
    recipients.map((id) => row(id, kind, draft)),
  );
}

export interface BallotFacts {
  ballotId: string;
  groupId: string;
  definitionId: string;
  title: string;
  closesAt: string;
  /** The clause a clause or amendments ballot is about. */
  clauseId: string | null;
}

/** A ballot opened: its eligible voters (frozen at opening) may vote. */
export async function notifyBallotOpened(tx: Executor, ballot: BallotFacts, eligible: string[], actorId: string): Promise<void> {
  await notifyAbout(tx, eligible, 'ballot_opened', {
    groupId: ballot.groupId,
    definitionId: ballot.definitionId,
    ballotId: ballot.ballotId,
    clauseId: ballot.clauseId,
    actorId,
    details: { ballotTitle: ballot.title, closesAt: ballot.closesAt },
  });
}

/** A reminder to eligible voters who have not voted yet; once per person and ballot, however often the sweep runs. */
export async function notifyBallotClosing(tx: Executor, ballot: BallotFacts, notVoted: string[]): Promise<void> {
  await notifyAbout(tx, notVoted, 'ballot_closing', {
    groupId: ballot.groupId,
    definitionId: ballot.definitionId,
    ballotId: ballot.ballotId,
    clauseId: ballot.clauseId,
    actorId: null,
    details: { ballotTitle: ballot.title, closesAt: ballot.closesAt },
    dedupeKey: `ballot_closing:${ballot.ballotId}`,
  });
}

/** A ballot closed (by a chair, or by time: actor null): its outcome, never its votes. */
export async function notifyBallotClosed(tx: Executor, ballot: BallotFacts, recipients: string[], actorId: string | null, outcome: string): Promise<void> {
  await notifyAbout(tx, recipients, 'ballot_closed', {
    groupId: ballot.groupId,
    definitionId: ballot.definitionId,
    ballotId: ballot.ballotId,
    clauseId: ballot.clauseId,
    actorId,
    details: { ballotTitle: ballot.title, outcome },
  });
}

/** An open ballot was cancelled: whoever could vote in it hears so, with the chair's reason. */
export async function notifyBallotCancelled(tx: Executor, ballot: BallotFacts, recipients: string[], actorId: string, reason: string): Promise<void> {
  await notifyAbout(tx, recipients, 'ballot_closed', {
    groupId: ballot.groupId,
    definitionId: ballot.definitionId,
    ballotId: ballot.ballotId,
    clauseId: ballot.clauseId,
    actorId,
    details: { ballotTitle: ballot.title, outcome: 'cancelled', reason },
  });
}

export async function notifyAmendmentDecided(
  tx: Executor,
  amendment: { amendmentId: string; groupId: string; definitionId: string; clauseId: string; authorId: string },
  decision: 'accepted' | 'rejected',
  actorId: string,
): Promise<void> {
  await notifyAbout(tx, [amendment.authorId], decision === 'accepted' ? 'amendment_accepted' : 'amendment_rejected', {
    groupId: amendment.groupId,
    definitionId: amendment.definitionId,
    amendmentId: amendment.amendmentId,
    clauseId: amendment.clauseId,
    actorId,
  });
}

/** A version published: the group's members hear of it. */
export async function notifyVersionPublished(
  tx: Executor,
  version: { versionId: string; groupId: string; definitionId: string; label: string },
  actorId: string,
): Promise<void> {
  const members = await repo.membersOf(tx, version.groupId);
  await notifyAbout(
    tx,
    members.map((m) => m.user_id),
    'version_published',
    {
      groupId: version.groupId,
      definitionId: version.definitionId,
      versionId: version.versionId,
      actorId,
      details: { versionLabel: version.label },
    },
  );
}

/**
 * A version published: whoever endorses the version before it (and has not withdrawn) is told that
 * the endorsement does not carry over, and invited to endorse the new one — members or not.
 */
export async function notifyEndorsementRenewal(
  tx: Executor,
  version: { versionId: string; groupId: string; definitionId: string; label: string },
  previous: { id: string; label: string },
  actorId: string,
): Promise<void> {
  const endorsers = await endorsements.endorsersOf(tx, previous.id);
  await notifyAbout(
    tx,
    endorsers.map((e) => e.user_id),
    'endorsement_renewal',
    {
      groupId: version.groupId,
      definitionId: version.definitionId,
      versionId: version.versionId,
      actorId,
      details: { versionLabel: version.label, endorsedLabel: previous.label },
    },
  );
}

/** The facts every review notification carries. */
export interface ReviewFacts {
  reviewId: string;
  groupId: string;
  visibility: 'public' | 'private';
  definitionId: string;
  versionId: string;
  versionLabel: string;
  systemName: string;
  /** The reviewed system's developer account, if it has one. */
  developerId: string | null;
}

/**
 * Something happened in a conformance review: the people it concerns (chosen by the service — its
 * reviewers, its chair, the developer) hear of it if they may still read the review: a member of the
 * group, or the reviewed system's developer account.
 */
export async function notifyReview(
  tx: Executor,
  review: ReviewFacts,
  userIds: Iterable<string>,
  kind: Extract<NotificationKind, 'review_assigned' | 'review_response_invited' | 'review_revealed' | 'review_developer_responded' | 'review_closed'>,
  actorId: string,
  extra: { details?: NotificationDetails; dedupeKey?: string } = {},
): Promise<void> {
  const ids = [...new Set(userIds)].filter((id) => id !== actorId);
  const roles = await repo.rolesIn(tx, review.groupId, ids);
  const recipients = ids.filter((id) => maySee(id, kind, { visibility: review.visibility, role: roles.get(id) ?? null, developer: id === review.developerId }));
  const draft: Draft = {
    groupId: review.groupId,
    definitionId: review.definitionId,
    versionId: review.versionId,
    reviewId: review.reviewId,
    actorId,
    details: { versionLabel: review.versionLabel, systemName: review.systemName, ...extra.details },
    ...(extra.dedupeKey && { dedupeKey: extra.dedupeKey }),
  };
  await deliver(
    tx,
    recipients.map((id) => row(id, kind, draft)),
  );
}

/** A public comment period opened: the group's members hear of it. */
export async function notifyCommentPeriodOpened(
  tx: Executor,
  definition: { groupId: string; definitionId: string; deadline: Date | null },
  actorId: string,
): Promise<void> {
  const members = await repo.membersOf(tx, definition.groupId);
  await notifyAbout(
    tx,
    members.map((m) => m.user_id),
    'comment_period_opened',
    { groupId: definition.groupId, definitionId: definition.definitionId, actorId, details: { deadline: definition.deadline?.toISOString() ?? null } },
  );
}

/** A public comment period ends within a day: once per person and deadline, however often the sweep runs. */
export async function notifyCommentPeriodClosing(
  tx: Executor,
  definition: { groupId: string; definitionId: string; deadline: Date },
  recipients: string[],
): Promise<void> {
  await notifyAbout(tx, recipients, 'comment_period_closing', {
    groupId: definition.groupId,
    definitionId: definition.definitionId,
    actorId: null,
    details: { deadline: definition.deadline.toISOString() },
    dedupeKey: `comment_period_closing:${definition.definitionId}:${definition.deadline.toISOString()}`,
  });
}

export async function notifyRoleChanged(tx: Executor, change: { groupId: string; userId: string; from: Role; to: Role }, actorId: string): Promise<void> {
  await notifyAbout(tx, [change.userId], 'role_changed', {
    groupId: change.groupId,
    actorId,
    details: { role: change.to, previousRole: change.from },
  });
}

import { describeNotification, NOTIFICATION_KIND_LABELS, type Notification, type NotificationKind } from '@draftroom/shared';
import type { Db } from '../db/database.ts';
import type { OutboxRow } from '../mail/repository.ts';
import type { Composed, Composer } from '../mail/worker.ts';
import { effectiveSettings } from './notify.ts';
import { presentNotifications } from './presenter.ts';
import * as repo from './repository.ts';
import { createUnsubscribeToken, unsubscribeLink } from './unsubscribe.ts';

/**
 * Notification mail, written when it is sent — not when the notification was made — from what the
 * recipient may read at that moment: the same query as their inbox, so someone who left a group in
 * between gets nothing of it, and a comment deleted or hidden meanwhile is not quoted. Every mail has
 * its deep link and an unsubscribe link (also as a one-click List-Unsubscribe header, RFC 8058).
 */

export interface NotificationMailDeps {
  db: Db;
  /** Where links point: PUBLIC_URL (or, when mail only goes to the log in development, the local address). */
  origin: string;
}

/** More immediate mails than this to one person within an hour go into their digest instead. */
const IMMEDIATE_PER_HOUR = 20;
const SIGNATURE = '-- \nDraftroom';

function oneLine(text: string, max = 180): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

function entry(origin: string, notification: Notification): string[] {
  return [
    `${describeNotification(notification)}.`,
    ...(notification.excerpt ? ['', ...quote(notification.excerpt)] : []),
    '',
    `Open it: ${origin}${notification.link}`,
  ];
}

function quote(text: string): string[] {
  return [`> ${text}`];
}

function footer(origin: string, why: string, stop: string, link: string): string[] {
  return [
    '',
    SIGNATURE,
    `You get this e-mail because of your notification settings (${why}).`,
    `Choose what you get: ${origin}/settings/notifications`,
    `${stop}: ${link}`,
  ];
}

function unsubscribeHeaders(link: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${link}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

async function recipient(deps: NotificationMailDeps, row: OutboxRow) {
  if (row.user_id === null) return null;
  const user = await repo.recipientOf(deps.db, row.user_id);
  return user ? { id: row.user_id, email: user.email } : null;
}

const dropped = (reason: string): Composed => ({ skip: 'dropped', reason });

/** One notification, one mail. */
export function composeNotificationMail(deps: NotificationMailDeps): Composer {
  return async (row, now) => {
    const user = await recipient(deps, row);
    if (!user || row.notification_id === null) return dropped('the recipient or the notification is gone');
    const rows = await repo.listNotifications(deps.db, user.id, { unread: false, before: null, limit: 1, ids: [row.notification_id] });
    if (rows.length === 0) return dropped('the recipient may no longer read what it is about');
    const [notification] = await presentNotifications(deps.db, rows);
    const setting = (await effectiveSettings(deps.db, [user.id])).get(user.id)![notification!.kind];
    if (!setting.enabled || setting.email === 'off') return dropped('e-mail for this kind was turned off');
    if (setting.email === 'digest' || (await repo.immediateMailsSince(deps.db, user.id, new Date(now.getTime() - 60 * 60 * 1000))) >= IMMEDIATE_PER_HOUR) {
      await repo.deferToDigest(deps.db, row.id);
      return { skip: 'deferred', reason: 'moved into the daily digest' };
    }
    const n = notification!;
    const link = unsubscribeLink(deps.origin, await createUnsubscribeToken(deps.db, user.id, [n.kind], now));
    const label = NOTIFICATION_KIND_LABELS[n.kind];
    return {
      template: `notification.${n.kind}`,
      to: user.email,
      subject: oneLine(`[${n.group.name}] ${describeNotification(n)}`),
      text: [...entry(deps.origin, n), ...footer(deps.origin, `“${label}”: by e-mail, at once`, `Stop these e-mails (“${label}”)`, link)].join('\n'),
      headers: unsubscribeHeaders(link),
    };
  };
}

/** The day's digest: every item gathered for it that the recipient may still read and still wants. */
export function composeDigestMail(deps: NotificationMailDeps): Composer {
  return async (row, now) => {
    const user = await recipient(deps, row);
    if (!user) return dropped('the recipient is gone');
    const ids = await repo.digestItems(deps.db, row.id);
    const settings = (await effectiveSettings(deps.db, [user.id])).get(user.id)!;
    const rows = await repo.listNotifications(deps.db, user.id, { unread: false, before: null, limit: Math.max(1, ids.length), ids });
    const wanted = (await presentNotifications(deps.db, rows)).filter((n) => settings[n.kind].enabled && settings[n.kind].email !== 'off').reverse();
    if (wanted.length === 0) return dropped('nothing left in the digest that the recipient may read and wants');
    const digestKinds = (Object.keys(settings) as NotificationKind[]).filter((kind) => settings[kind].email === 'digest');
    const link = unsubscribeLink(deps.origin, await createUnsubscribeToken(deps.db, user.id, digestKinds, now));
    const count = wanted.length === 1 ? '1 notification' : `${wanted.length} notifications`;
    return {
      template: 'notification.digest',
      to: user.email,
      subject: `Your Draftroom digest: ${count}`,
      text: [
        `Your daily digest: ${count}.`,
        ...wanted.flatMap((n) => ['', `[${n.group.name}]`, ...entry(deps.origin, n)]),
        ...footer(deps.origin, 'these kinds by e-mail, once a day', 'Stop the daily digest', link),
      ].join('\n'),
      headers: unsubscribeHeaders(link),
    };
  };
}

/** The latest digest time at or before `now`: today's digest hour (UTC), or yesterday's if it has not come yet. */
export function digestBoundary(now: Date, hourUtc: number): Date {
  const boundary = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hourUtc));
  if (boundary > now) boundary.setUTCDate(boundary.getUTCDate() - 1);
  return boundary;
}

/**
 * Makes the day's digest for everyone who has items from before the latest digest time: one mail per
 * person per day (a unique index makes sure, across runs and instances). Items that arrive later wait
 * for the next day.
 */
export async function assembleDigests(db: Db, now: Date, hourUtc: number): Promise<number> {
  const boundary = digestBoundary(now, hourUtc);
  const day = boundary.toISOString().slice(0, 10);
  let made = 0;
  for (const userId of await repo.peopleWithDigestItems(db, boundary)) {
    made += await db.transaction().execute(async (tx) => {
      const digestId = await repo.insertDigest(tx, userId, day, now);
      if (digestId === null) return 0;
      await repo.attachDigestItems(tx, userId, digestId, boundary);
      return 1;
    });
  }
  return made;
}

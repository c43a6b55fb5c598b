import { createHash, randomBytes } from 'node:crypto';
import { DEFAULT_NOTIFICATION_SETTINGS, NOTIFICATION_KIND_LABELS, type NotificationKind } from '@draftroom/shared';
import type { Db, Executor } from '../db/database.ts';
import * as repo from './repository.ts';

/** How long an unsubscribe link works: long enough for old mail in an inbox. */
const VALID_DAYS = 90;

export const UNSUBSCRIBE_PATH = '/api/mail/unsubscribe';

const hash = (token: string) => createHash('sha256').update(token).digest();

/**
 * A single-purpose token for one mail's unsubscribe link: 256 random bits, of which only SHA-256 is
 * stored. It turns e-mail off for the kinds that mail was about — nothing else — and works without
 * signing in (a link in an inbox is all its owner has).
 */
export async function createUnsubscribeToken(db: Executor, userId: string, kinds: NotificationKind[], now: Date): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await repo.insertUnsubscribeToken(db, { hash: hash(token), userId, kinds, expiresAt: new Date(now.getTime() + VALID_DAYS * 24 * 60 * 60 * 1000) });
  return token;
}

export function unsubscribeLink(origin: string, token: string): string {
  return `${origin}${UNSUBSCRIBE_PATH}/${token}`;
}

export interface UnsubscribeTarget {
  displayName: string;
  kinds: NotificationKind[];
  labels: string[];
}

/** What a token would turn off (null: not a valid link, or expired). */
export async function findUnsubscribe(db: Executor, token: string, now = new Date()): Promise<(UnsubscribeTarget & { userId: string }) | null> {
  const row = await repo.findUnsubscribeToken(db, hash(token), now);
  if (!row) return null;
  return { userId: row.user_id, displayName: row.display_name, kinds: row.kinds, labels: row.kinds.map((kind) => NOTIFICATION_KIND_LABELS[kind]) };
}

/** Turns e-mail off for the token's kinds; null when the token is not valid. Using it again changes nothing. */
export async function unsubscribe(db: Db, token: string, now = new Date()): Promise<UnsubscribeTarget | null> {
  const target = await findUnsubscribe(db, token, now);
  if (!target) return null;
  await repo.turnOffEmail(db, target.userId, target.kinds, DEFAULT_NOTIFICATION_SETTINGS);
  return { displayName: target.displayName, kinds: target.kinds, labels: target.labels };
}

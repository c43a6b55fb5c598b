import type { ChangePasswordBody, LoginBody, RegisterBody, User } from '@draftroom/shared';
import type { Db, Executor } from '../db/database.ts';
import type { UserRow } from '../db/schema.ts';
import { AppError, conflict } from '../errors.ts';
import { recordEvent } from '../events/service.ts';
import type { PasswordHasher } from './passwords.ts';
import * as repo from './repository.ts';
import type { SessionCache } from './session-cache.ts';
import { hashSecret, parseToken, randomString, secretMatches } from './tokens.ts';

export const SESSION_IDLE_LIMIT_MS = 30 * 24 * 60 * 60 * 1000;
/** A session's last-use time is written at most this often, not on every request. */
export const SESSION_TOUCH_INTERVAL_MS = 60 * 60 * 1000;

export interface SignedIn {
  user: User;
  token: string;
}

export interface ValidSession {
  user: User;
  sessionId: string;
  /** True when the expiry moved, so the cookie should be sent again with a fresh lifetime. */
  refreshed: boolean;
}

export function normalizeEmail(email: string): string {
  return email.normalize('NFC').trim().toLowerCase();
}

export function presentUser(row: Pick<UserRow, 'id' | 'email' | 'display_name' | 'created_at'>): User {
  return { id: row.id, email: row.email, displayName: row.display_name, createdAt: row.created_at.toISOString() };
}

const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'Email or password is wrong');

async function createSession(db: Executor, userId: string): Promise<string> {
  const id = randomString();
  const secret = randomString();
  await repo.insertSession(db, { id, userId, secretHash: hashSecret(secret), at: new Date() });
  return `${id}.${secret}`;
}

export async function register(db: Db, passwords: PasswordHasher, input: RegisterBody): Promise<SignedIn> {
  const email = normalizeEmail(input.email);
  const passwordHash = await passwords.hash(input.password);
  return db.transaction().execute(async (tx) => {
    const row = await repo.insertUser(tx, { email, display_name: input.displayName.trim(), password_hash: passwordHash });
    if (!row) throw conflict('An account with this email already exists', [{ path: '/email', message: 'is already registered' }]);
    const token = await createSession(tx, row.id);
    await recordEvent(tx, { groupId: null, actorId: row.id, type: 'account.registered', payload: { userId: row.id } });
    return { user: presentUser(row), token };
  });
}

export async function login(db: Db, passwords: PasswordHasher, input: LoginBody): Promise<SignedIn> {
  const row = await repo.findUserByEmail(db, normalizeEmail(input.email));
  if (!row) {
    await passwords.verifyAgainstNothing(input.password);
    throw invalidCredentials();
  }
  if (!(await passwords.verify(row.password_hash, input.password))) throw invalidCredentials();
  return db.transaction().execute(async (tx) => {
    const token = await createSession(tx, row.id);
    await recordEvent(tx, { groupId: null, actorId: row.id, type: 'account.signed_in', payload: { userId: row.id } });
    return { user: presentUser(row), token };
  });
}

/**
 * The session a token names, if it is valid: the secret matches, it was used within the idle limit.
 * With a cache, a session validated a moment ago costs no query; the last-use time is still written
 * (through the database path) once per touch interval.
 */
export async function validateSession(
  db: Db,
  token: string,
  { now = new Date(), cache }: { now?: Date; cache?: SessionCache } = {},
): Promise<ValidSession | null> {
  const parsed = parseToken(token);
  if (!parsed) return null;
  const cached = cache?.get(parsed.id, now.getTime());
  if (cached && now.getTime() - cached.lastVerifiedAt < SESSION_TOUCH_INTERVAL_MS) {
    return secretMatches(parsed.secret, cached.secretHash) ? { user: cached.user, sessionId: parsed.id, refreshed: false } : null;
  }
  const begunAt = cache?.begin() ?? 0;
  const row = await repo.findSessionWithUser(db, parsed.id);
  if (!row || !secretMatches(parsed.secret, row.secret_hash)) return null;
  const idleFor = now.getTime() - row.last_verified_at.getTime();
  if (idleFor >= SESSION_IDLE_LIMIT_MS) {
    await repo.deleteSession(db, row.session_id);
    cache?.forgetSession(row.session_id);
    return null;
  }
  const refreshed = idleFor >= SESSION_TOUCH_INTERVAL_MS;
  if (refreshed) await repo.touchSession(db, row.session_id, now);
  const user = presentUser(row);
  cache?.set(
    row.session_id,
    { user, secretHash: row.secret_hash, lastVerifiedAt: refreshed ? now.getTime() : row.last_verified_at.getTime() },
    begunAt,
    now.getTime(),
  );
  return { user, sessionId: row.session_id, refreshed };
}

export async function logout(db: Db, userId: string, sessionId: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await repo.deleteSession(tx, sessionId);
    await recordEvent(tx, { groupId: null, actorId: userId, type: 'account.signed_out', payload: { userId } });
  });
}

/** Changes the password and ends every session of the user, this one included; returns a fresh session. */
export async function changePassword(db: Db, passwords: PasswordHasher, userId: string, input: ChangePasswordBody): Promise<SignedIn> {
  const row = await repo.findUserById(db, userId);
  if (!row || !(await passwords.verify(row.password_hash, input.currentPassword))) {
    throw new AppError(400, 'invalid_input', 'The current password is wrong', [{ path: '/currentPassword', message: 'is wrong' }]);
  }
  const passwordHash = await passwords.hash(input.newPassword);
  return db.transaction().execute(async (tx) => {
    await repo.updatePasswordHash(tx, userId, passwordHash, new Date());
    const revoked = await repo.deleteSessionsOfUser(tx, userId);
    const token = await createSession(tx, userId);
    await recordEvent(tx, { groupId: null, actorId: userId, type: 'account.password_changed', payload: { userId, sessionsRevoked: revoked } });
    return { user: presentUser(row), token };
  });
}

/** Deletes sessions idle past the limit; validateSession refuses them anyway, this keeps the table small. */
export function purgeIdleSessions(db: Db, now = new Date()): Promise<number> {
  return repo.deleteSessionsIdleSince(db, new Date(now.getTime() - SESSION_IDLE_LIMIT_MS));
}

import { CONFIRMATION_VALID_HOURS, type ChangePasswordBody, type LoginBody, type RegisterBody, type User } from '@draftroom/shared';
import type { Db, Executor, Tx } from '../db/database.ts';
import type { UserRow } from '../db/schema.ts';
import { AppError, conflict, invalidInput } from '../errors.ts';
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

/** How long a confirmation link works. */
export const CONFIRMATION_VALID_MS = CONFIRMATION_VALID_HOURS * 60 * 60 * 1000;
/** Links (pending registrations) one address may have at a time; older ones stop working. */
const PENDING_PER_ADDRESS = 5;
/** 32 symbols of 5 bits: 160 random bits. */
const CONFIRMATION_TOKEN = /^[a-z2-9]{32}$/;

/**
 * One answer for every failed sign-in: unknown address, wrong password, and (with mail) an address not
 * confirmed yet, whose registrant, when the password is right, is sent the link again.
 */
export const invalidCredentials = (confirmations = false) =>
  new AppError(
    401,
    'invalid_credentials',
    confirmations
      ? 'Email or password is wrong, or the address is not confirmed yet (then we have emailed the confirmation link again)'
      : 'Email or password is wrong',
  );

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

export interface Unconfirmed {
  email: string;
  displayName: string;
  /** A fresh confirmation token for the registration (earlier links keep working). */
  confirmationToken: string;
}

/**
 * Signs in, or throws the one 401. With `confirmations` (a mail transport), an address that only has
 * a pending registration is checked against that registration's password instead of a dummy hash
 * (same cost); when it matches, the caller gets `unconfirmed` with a new token to mail, and must
 * still answer with the same 401.
 */
export async function login(
  db: Db,
  passwords: PasswordHasher,
  input: LoginBody,
  { confirmations = false, now = new Date() }: { confirmations?: boolean; now?: Date } = {},
): Promise<({ kind: 'signed_in' } & SignedIn) | ({ kind: 'unconfirmed' } & Unconfirmed)> {
  const email = normalizeEmail(input.email);
  const { user: row, pending } = await repo.findLoginCandidate(db, email, now);
  if (!row) {
    if (confirmations && pending) {
      // Checked against the registration's own password (the same cost as a dummy check).
      if (await passwords.verify(pending.password_hash, input.password)) {
        const confirmationToken = randomString(32);
        await db.transaction().execute(async (tx) => {
          await repo.copyPendingRegistration(tx, pending.id, hashSecret(confirmationToken), new Date(now.getTime() + CONFIRMATION_VALID_MS));
          await repo.prunePendingRegistrations(tx, email, PENDING_PER_ADDRESS);
        });
        return { kind: 'unconfirmed', email, displayName: pending.display_name, confirmationToken };
      }
    } else {
      await passwords.verifyAgainstNothing(input.password);
    }
    throw invalidCredentials(confirmations);
  }
  if (!(await passwords.verify(row.password_hash, input.password))) throw invalidCredentials(confirmations);
  return db.transaction().execute(async (tx) => {
    const token = await createSession(tx, row.id);
    await recordEvent(tx, { groupId: null, actorId: row.id, type: 'account.signed_in', payload: { userId: row.id } });
    return { kind: 'signed_in' as const, user: presentUser(row), token };
  });
}

export interface RegistrationRequest {
  email: string;
  displayName: string;
  /** `new`: a confirmation token to mail. `existing`: the address has an account; mail it a notice. */
  outcome: { kind: 'new'; token: string } | { kind: 'existing' };
}

/**
 * Registration when addresses are confirmed by mail: nothing is said to the caller about the address,
 * and both cases do the same kind of work — the password is hashed, stale registrations purged, and
 * one row written (the pending registration, or an audit event on the account that was tried).
 */
export async function requestRegistration(db: Db, passwords: PasswordHasher, input: RegisterBody, now = new Date()): Promise<RegistrationRequest> {
  const email = normalizeEmail(input.email);
  const displayName = input.displayName.trim();
  const passwordHash = await passwords.hash(input.password);
  const token = randomString(32);
  return db.transaction().execute(async (tx) => {
    await repo.deleteExpiredRegistrations(tx, now);
    const existing = await repo.findUserByEmail(tx, email);
    if (existing) {
      await recordEvent(tx, { groupId: null, actorId: null, type: 'account.registration_attempted', payload: { userId: existing.id } });
      return { email, displayName, outcome: { kind: 'existing' } };
    }
    await repo.insertPendingRegistration(tx, {
      email,
      displayName,
      passwordHash,
      tokenHash: hashSecret(token),
      expiresAt: new Date(now.getTime() + CONFIRMATION_VALID_MS),
    });
    await repo.prunePendingRegistrations(tx, email, PENDING_PER_ADDRESS);
    return { email, displayName, outcome: { kind: 'new', token } };
  });
}

const invalidConfirmation = () =>
  invalidInput('This confirmation link does not work: it has expired or was used already. Register again, or sign in if you confirmed already.', [
    { path: '/token', message: 'is invalid, expired or used' },
  ]);

/**
 * Turns the pending registration a token names into an account and signs it in; every other pending
 * registration of the address goes too, so each link works once. `onAccountCreated` runs in the same
 * transaction (the groups feature applies the address's invitations there).
 */
export async function confirmRegistration(
  db: Db,
  token: string,
  { now = new Date(), onAccountCreated }: { now?: Date; onAccountCreated?: (tx: Tx, user: User) => Promise<void> } = {},
): Promise<SignedIn> {
  if (!CONFIRMATION_TOKEN.test(token)) throw invalidConfirmation();
  return db.transaction().execute(async (tx) => {
    const pending = await repo.takePendingRegistration(tx, hashSecret(token));
    if (!pending || pending.expires_at.getTime() <= now.getTime()) throw invalidConfirmation();
    await repo.deletePendingRegistrationsOf(tx, pending.email);
    const row = await repo.insertUser(tx, { email: pending.email, display_name: pending.display_name, password_hash: pending.password_hash });
    if (!row) throw invalidConfirmation();
    const sessionToken = await createSession(tx, row.id);
    await recordEvent(tx, { groupId: null, actorId: row.id, type: 'account.registered', payload: { userId: row.id } });
    const user = presentUser(row);
    await onAccountCreated?.(tx, user);
    return { user, token: sessionToken };
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
export async function purgeIdleSessions(db: Db, now = new Date()): Promise<{ id: string; userId: string }[]> {
  const rows = await repo.deleteSessionsIdleSince(db, new Date(now.getTime() - SESSION_IDLE_LIMIT_MS));
  return rows.map((row) => ({ id: row.id, userId: row.user_id }));
}

/** Of these sessions, the ones that ended meanwhile: signed out, revoked, or idle past the limit. */
export async function endedSessions(db: Db, sessionIds: string[], now = new Date()): Promise<Set<string>> {
  const current = await repo.currentSessionIds(db, sessionIds, new Date(now.getTime() - SESSION_IDLE_LIMIT_MS));
  return new Set(sessionIds.filter((id) => !current.has(id)));
}

import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { NewUser, UserRow } from '../db/schema.ts';

export function findUserByEmail(db: Executor, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export function findUserById(db: Executor, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Returns the new user, or undefined when the email is already taken. */
export function insertUser(db: Executor, user: NewUser) {
  return db
    .insertInto('users')
    .values(user)
    .onConflict((oc) => oc.column('email').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function updatePasswordHash(db: Executor, userId: string, passwordHash: string, at: Date): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash, password_changed_at: at }).where('id', '=', userId).execute();
}

export async function insertSession(db: Executor, session: { id: string; userId: string; secretHash: Buffer; at: Date }): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ id: session.id, user_id: session.userId, secret_hash: session.secretHash, created_at: session.at, last_verified_at: session.at })
    .execute();
}

export function findSessionWithUser(db: Executor, sessionId: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.secret_hash',
      'sessions.last_verified_at',
      'users.id',
      'users.email',
      'users.display_name',
      'users.created_at',
    ])
    .where('sessions.id', '=', sessionId)
    .executeTakeFirst();
}

export async function touchSession(db: Executor, sessionId: string, at: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_verified_at: at }).where('id', '=', sessionId).execute();
}

export async function deleteSession(db: Executor, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function deleteSessionsOfUser(db: Executor, userId: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export function deleteSessionsIdleSince(db: Executor, cutoff: Date): Promise<{ id: string; user_id: string }[]> {
  return db.deleteFrom('sessions').where('last_verified_at', '<', cutoff).returning(['id', 'user_id']).execute();
}

/** Which of these sessions still exist and were used since `cutoff`. */
export async function currentSessionIds(db: Executor, ids: string[], cutoff: Date): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('sessions').select('id').where('id', 'in', ids).where('last_verified_at', '>=', cutoff).execute();
  return new Set(rows.map((row) => row.id));
}

// Registrations waiting for their confirmation link (only with a mail transport).

export async function insertPendingRegistration(
  db: Executor,
  row: { email: string; displayName: string; passwordHash: string; tokenHash: Buffer; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('pending_registrations')
    .values({ email: row.email, display_name: row.displayName, password_hash: row.passwordHash, token_hash: row.tokenHash, expires_at: row.expiresAt })
    .execute();
}

/** Deletes and returns the registration a token names, expired or not (the caller checks; a rollback keeps it). */
export function takePendingRegistration(db: Executor, tokenHash: Buffer) {
  return db.deleteFrom('pending_registrations').where('token_hash', '=', tokenHash).returningAll().executeTakeFirst();
}

export async function deletePendingRegistrationsOf(db: Executor, email: string): Promise<void> {
  await db.deleteFrom('pending_registrations').where('email', '=', email).execute();
}

export async function deleteExpiredRegistrations(db: Executor, now: Date): Promise<void> {
  await db.deleteFrom('pending_registrations').where('expires_at', '<=', now).execute();
}

/**
 * A new link for a pending registration: a copy of it under a new token and expiry. Earlier links keep
 * working until they expire or one of them is used.
 */
export async function copyPendingRegistration(db: Executor, id: string, tokenHash: Buffer, expiresAt: Date): Promise<void> {
  await db
    .insertInto('pending_registrations')
    .columns(['email', 'display_name', 'password_hash', 'token_hash', 'expires_at'])
    .expression((eb) =>
      eb
        .selectFrom('pending_registrations')
        .select(['email', 'display_name', 'password_hash', eb.val(tokenHash).as('token_hash'), eb.val(expiresAt).as('expires_at')])
        .where('id', '=', id),
    )
    .execute();
}

/** Keeps the newest `keep` pending registrations of an address and deletes the rest. */
export async function prunePendingRegistrations(db: Executor, email: string, keep: number): Promise<void> {
  await db
    .deleteFrom('pending_registrations')
    .where('email', '=', email)
    .where('id', 'not in', (eb) =>
      eb.selectFrom('pending_registrations').select('id').where('email', '=', email).orderBy('created_at', 'desc').orderBy('id').limit(keep),
    )
    .execute();
}

export interface LoginCandidate {
  user: UserRow | undefined;
  /** The newest unexpired registration of the address, when it has no account yet. */
  pending: { id: string; display_name: string; password_hash: string } | undefined;
}

/**
 * The account of an address and its newest pending registration, in one round trip whichever exists,
 * so a sign-in costs the same queries for every address.
 */
export async function findLoginCandidate(db: Executor, email: string, now: Date): Promise<LoginCandidate> {
  const { rows } = await sql<UserRow & { pending_id: string | null; pending_display_name: string | null; pending_password_hash: string | null }>`
    select u.*, p.id as pending_id, p.display_name as pending_display_name, p.password_hash as pending_password_hash
    from (select ${email}::text as email) e
    left join users u on u.email = e.email
    left join lateral (
      select id, display_name, password_hash from pending_registrations r
      where r.email = e.email and r.expires_at > ${now}
      order by r.created_at desc
      limit 1
    ) p on true`.execute(db);
  const row = rows[0]!;
  const { pending_id, pending_display_name, pending_password_hash, ...user } = row;
  return {
    user: user.id ? user : undefined,
    pending:
      pending_id && pending_display_name !== null && pending_password_hash !== null
        ? { id: pending_id, display_name: pending_display_name, password_hash: pending_password_hash }
        : undefined,
  };
}

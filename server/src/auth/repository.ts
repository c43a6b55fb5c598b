import type { Executor } from '../db/database.ts';
import type { NewUser } from '../db/schema.ts';

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

export async function deleteSessionsIdleSince(db: Executor, cutoff: Date): Promise<number> {
  const result = await db.deleteFrom('sessions').where('last_verified_at', '<', cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}

import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.ts';
import { Bus } from '../events/bus.ts';
import { SESSION_IDLE_LIMIT_MS, SESSION_TOUCH_INTERVAL_MS, validateSession } from './service.ts';
import { SessionCache, type CachedSession } from './session-cache.ts';

const entry = (userId: string): CachedSession => ({
  user: { id: userId, email: `${userId}@example.org`, displayName: userId, createdAt: new Date(0).toISOString() },
  secretHash: Buffer.alloc(32),
  lastVerifiedAt: 0,
});

describe('session cache', () => {
  it('keeps an entry for its time limit and no longer', () => {
    const cache = new SessionCache({ ttlMs: 1000, maxEntries: 10 });
    cache.set('s1', entry('u1'), cache.begin(), 5000);
    expect(cache.get('s1', 5999)?.user.id).toBe('u1');
    expect(cache.get('s1', 6000)).toBeNull();
    expect(cache.size).toBe(0);
  });

  it('forgets one session, or every session of a user, when the bus says a session ended', () => {
    const bus = new Bus();
    const cache = new SessionCache({ ttlMs: 60_000, maxEntries: 10 }, bus);
    for (const [session, user] of [
      ['a1', 'alice'],
      ['a2', 'alice'],
      ['b1', 'bob'],
    ] as const)
      cache.set(session, entry(user), cache.begin(), 0);
    bus.publish({ type: 'session.ended', userId: 'alice', sessionId: 'a1' });
    expect([cache.get('a1', 1), cache.get('a2', 1)?.user.id, cache.get('b1', 1)?.user.id]).toEqual([null, 'alice', 'bob']);
    bus.publish({ type: 'session.ended', userId: 'alice', sessionId: null });
    expect([cache.get('a2', 1), cache.get('b1', 1)?.user.id]).toEqual([null, 'bob']);
    bus.publish({ type: 'membership.changed', groupId: 'g', userId: 'bob' });
    expect(cache.get('b1', 1)?.user.id).toBe('bob');
    cache.close();
    expect(cache.size).toBe(0);
  });

  it('does not store a row read while some session ended (the row may describe a session that is gone)', () => {
    const cache = new SessionCache({ ttlMs: 60_000, maxEntries: 10 });
    const begunAt = cache.begin();
    cache.forgetUser('alice'); // a sign-out lands while the request reads the session row
    cache.set('a1', entry('alice'), begunAt, 0);
    expect(cache.get('a1', 1)).toBeNull();
    cache.set('a1', entry('alice'), cache.begin(), 0);
    expect(cache.get('a1', 1)?.user.id).toBe('alice');
  });

  it('holds at most maxEntries, dropping the oldest', () => {
    const cache = new SessionCache({ ttlMs: 60_000, maxEntries: 2 });
    for (const id of ['s1', 's2', 's3']) cache.set(id, entry(id), cache.begin(), 0);
    expect([cache.get('s1', 1), cache.get('s2', 1)?.user.id, cache.get('s3', 1)?.user.id]).toEqual([null, 's2', 's3']);
  });

  describe('with validateSession on the database', () => {
    const t = useTestApp();
    const tokenOf = (cookie: string) => cookie.split('=')[1]!;

    it('answers from memory within the time limit and asks the database again after it', async () => {
      const someone = await t.register('Cached');
      const token = tokenOf(someone.cookie);
      const cache = new SessionCache({ ttlMs: 30_000, maxEntries: 10 });
      const now = Date.now();
      expect((await validateSession(t.db, token, { now: new Date(now), cache }))?.user.id).toBe(someone.user.id);
      // Deleted behind the process's back (no bus event): trusted until the entry's time is up.
      await t.db.deleteFrom('sessions').where('id', '=', token.split('.')[0]!).execute();
      expect((await validateSession(t.db, token, { now: new Date(now + 29_000), cache }))?.user.id).toBe(someone.user.id);
      expect(await validateSession(t.db, token, { now: new Date(now + 30_000), cache })).toBeNull();
    });

    it('checks the secret against the cached hash', async () => {
      const someone = await t.register('Tampered');
      const token = tokenOf(someone.cookie);
      const cache = new SessionCache({ ttlMs: 30_000, maxEntries: 10 });
      expect(await validateSession(t.db, token, { cache })).not.toBeNull();
      const wrong = `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`;
      expect(await validateSession(t.db, wrong, { cache })).toBeNull();
      expect(await validateSession(t.db, token, { cache })).not.toBeNull();
    });

    it('still writes the last-use time once per touch interval, and still expires idle sessions', async () => {
      const someone = await t.register('Touched');
      const token = tokenOf(someone.cookie);
      const id = token.split('.')[0]!;
      const cache = new SessionCache({ ttlMs: SESSION_IDLE_LIMIT_MS * 2, maxEntries: 10 });
      const now = Date.now();
      expect(await validateSession(t.db, token, { now: new Date(now), cache })).toMatchObject({ refreshed: false });
      const later = new Date(now + SESSION_TOUCH_INTERVAL_MS + 1000);
      expect(await validateSession(t.db, token, { now: later, cache })).toMatchObject({ refreshed: true });
      expect((await t.db.selectFrom('sessions').select('last_verified_at').where('id', '=', id).executeTakeFirstOrThrow()).last_verified_at).toEqual(later);
      // Idle past the limit: gone, from the table and from the cache.
      expect(await validateSession(t.db, token, { now: new Date(later.getTime() + SESSION_IDLE_LIMIT_MS), cache })).toBeNull();
      expect(await t.db.selectFrom('sessions').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
      expect(cache.get(id, later.getTime())).toBeNull();
    });
  });
});

import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Failed sign-ins counted per account *and* address: guessing one account's password from one place
 * slows down, while its owner (elsewhere) can still sign in — a limit per account alone let anyone lock
 * any account for 15 minutes with ten wrong passwords. Past `freeFailures`, each further failure doubles
 * the wait, up to `maxWaitMs`. Guessing from many addresses is bounded by the per-address limit on the
 * route. In memory, per instance; SharedLoginThrottle (below) keeps the same counts in Redis for several.
 */
export interface LoginThrottleOptions {
  /** Failures allowed before waits begin (RATE_LIMIT_LOGIN_PER_EMAIL). */
  freeFailures: number;
  /** The first wait, doubled for every further failure. */
  baseWaitMs: number;
  maxWaitMs: number;
  /** Failures older than this are forgotten. */
  windowMs: number;
  /** Most (account, address) pairs remembered; the oldest are forgotten first. */
  maxEntries: number;
}

interface Entry {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: LoginThrottleOptions) {}

  private key(email: string, address: string): string {
    return `${email}\u0000${address}`;
  }

  private current(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && now - entry.lastFailureAt > this.options.windowMs && now >= entry.blockedUntil) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Seconds to wait before this account may be tried again from this address (0: go ahead). */
  waitSeconds(email: string, address: string, now = Date.now()): number {
    const entry = this.current(this.key(email, address), now);
    return entry && entry.blockedUntil > now ? Math.ceil((entry.blockedUntil - now) / 1000) : 0;
  }

  failed(email: string, address: string, now = Date.now()): void {
    const key = this.key(email, address);
    const entry = this.current(key, now) ?? { failures: 0, lastFailureAt: now, blockedUntil: 0 };
    entry.failures += 1;
    entry.lastFailureAt = now;
    const beyond = entry.failures - this.options.freeFailures;
    if (beyond >= 0) entry.blockedUntil = now + Math.min(this.options.maxWaitMs, this.options.baseWaitMs * 2 ** Math.min(beyond, 30));
    // Re-inserting keeps the map in order of last failure, so the oldest go first when it is full.
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  succeeded(email: string, address: string): void {
    this.entries.delete(this.key(email, address));
  }
}

/**
 * One failure, atomically: forget an entry past its window (and no longer blocking), count, block past
 * the free failures with a doubling wait, and keep the entry as long as it matters. Returns when the
 * block ends (0: none). KEYS[1] the entry; ARGV now, freeFailures, baseWaitMs, maxWaitMs, windowMs.
 */
const FAILED_SCRIPT = `
local now = tonumber(ARGV[1])
local entry = redis.call('HMGET', KEYS[1], 'failures', 'last', 'blocked')
local failures = tonumber(entry[1]) or 0
local last = tonumber(entry[2]) or now
local blocked = tonumber(entry[3]) or 0
if failures > 0 and now - last > tonumber(ARGV[5]) and now >= blocked then
  failures = 0
  blocked = 0
end
failures = failures + 1
local beyond = failures - tonumber(ARGV[2])
if beyond >= 0 then blocked = now + math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * 2 ^ math.min(beyond, 30)) end
redis.call('HSET', KEYS[1], 'failures', failures, 'last', now, 'blocked', blocked)
redis.call('PEXPIRE', KEYS[1], math.max(tonumber(ARGV[5]), blocked - now) + 1000)
return blocked
`;

/** What the sign-in route needs of a throttle: the same questions as LoginThrottle, answered asynchronously. */
export interface SignInThrottle {
  waitSeconds(email: string, address: string): Promise<number>;
  failed(email: string, address: string): Promise<void>;
  succeeded(email: string, address: string): Promise<void>;
}

/**
 * The throttle several instances share (REDIS_URL): the same counting as LoginThrottle, kept in Redis,
 * so guesses spread over instances add up. Keys are hashes of the account and address (no e-mail
 * address is stored in Redis). While Redis cannot answer, this instance answers from its own counts
 * (kept all along), so a Redis outage never lifts the throttle.
 */
export class SharedLoginThrottle implements SignInThrottle {
  private readonly local: LoginThrottle;

  constructor(
    private readonly redis: Redis,
    private readonly options: LoginThrottleOptions,
  ) {
    this.local = new LoginThrottle(options);
  }

  private key(email: string, address: string): string {
    return `draftroom:signin:${createHash('sha256').update(`${email}\u0000${address}`).digest('base64url')}`;
  }

  async waitSeconds(email: string, address: string, now = Date.now()): Promise<number> {
    try {
      const blocked = Number((await this.redis.hget(this.key(email, address), 'blocked')) ?? 0);
      return blocked > now ? Math.ceil((blocked - now) / 1000) : 0;
    } catch {
      return this.local.waitSeconds(email, address, now);
    }
  }

  async failed(email: string, address: string, now = Date.now()): Promise<void> {
    this.local.failed(email, address, now);
    const { freeFailures, baseWaitMs, maxWaitMs, windowMs } = this.options;
    await this.redis.eval(FAILED_SCRIPT, 1, this.key(email, address), now, freeFailures, baseWaitMs, maxWaitMs, windowMs).catch(() => undefined);
  }

  async succeeded(email: string, address: string): Promise<void> {
    this.local.succeeded(email, address);
    await this.redis.del(this.key(email, address)).catch(() => undefined);
  }
}

/** The in-memory throttle behind the same asynchronous questions (one instance). */
export function localSignInThrottle(options: LoginThrottleOptions): SignInThrottle {
  const throttle = new LoginThrottle(options);
  return {
    waitSeconds: async (email, address) => throttle.waitSeconds(email, address),
    failed: async (email, address) => throttle.failed(email, address),
    succeeded: async (email, address) => throttle.succeeded(email, address),
  };
}

/**
 * Failed sign-ins counted per account *and* address: guessing one account's password from one place
 * slows down, while its owner (elsewhere) can still sign in — a limit per account alone let anyone lock
 * any account for 15 minutes with ten wrong passwords. Past `freeFailures`, each further failure doubles
 * the wait, up to `maxWaitMs`. Guessing from many addresses is bounded by the per-address limit on the
 * route. In memory, per instance (several instances share nothing yet).
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

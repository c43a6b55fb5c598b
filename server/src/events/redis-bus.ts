import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import { Bus, type DomainEvent } from './bus.ts';
import { logOutages } from '../http/shared-redis.ts';

/** The Redis channel every instance of one deployment publishes its domain events on. */
export const BUS_CHANNEL = 'draftroom:bus';

const EVENT_TYPES = new Set<DomainEvent['type']>(['membership.changed', 'session.ended']);
const isString = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 200;

/**
 * A domain event as another instance sent it, checked field by field: whatever reaches the channel is
 * only trusted as far as it has the shape of an event (anything else is dropped, never thrown).
 */
export function parseBusMessage(raw: string): { origin: string; event: DomainEvent } | null {
  let message: unknown;
  try {
    message = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof message !== 'object' || message === null) return null;
  const { origin, event } = message as { origin?: unknown; event?: unknown };
  if (!isString(origin) || typeof event !== 'object' || event === null) return null;
  const candidate = event as Record<string, unknown>;
  if (!EVENT_TYPES.has(candidate.type as DomainEvent['type']) || !isString(candidate.userId)) return null;
  if (candidate.type === 'membership.changed') {
    return isString(candidate.groupId) ? { origin, event: { type: 'membership.changed', groupId: candidate.groupId, userId: candidate.userId } } : null;
  }
  if (candidate.sessionId !== null && !isString(candidate.sessionId)) return null;
  return { origin, event: { type: 'session.ended', userId: candidate.userId, sessionId: candidate.sessionId } };
}

/**
 * The domain bus of several instances (REDIS_URL): an event is handled here at once, as with one
 * instance, and published on Redis for the others, which handle it as if it had happened there — a
 * sign-out on one instance closes the sockets of that session on every instance, a role change
 * re-checks them everywhere.
 *
 * Redis is a fast path, never a dependency: while it is unreachable, publishing is logged and
 * dropped (this instance still handles its own events), the client reconnects by itself, and nothing
 * here may end the process. What a missed event would have done is bounded by the checks that do not
 * depend on it: sessions are validated against PostgreSQL at least every minute.
 */
export class RedisBus extends Bus {
  /** This instance, so that it does not handle its own events twice. */
  readonly origin = randomUUID();
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private closed = false;
  private readonly subscribed: Promise<unknown>;

  constructor(
    url: string,
    private readonly log: FastifyBaseLogger,
  ) {
    super();
    const options = { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: (times: number) => Math.min(times * 200, 2000) };
    this.publisher = new Redis(url, { ...options, connectionName: `draftroom-bus-pub-${this.origin}` });
    this.subscriber = new Redis(url, { ...options, enableOfflineQueue: true, connectionName: `draftroom-bus-sub-${this.origin}` });
    for (const [name, connection] of [
      ['publisher', this.publisher],
      ['subscriber', this.subscriber],
    ] as const) {
      logOutages(connection, this.log, name, () => this.closed);
    }
    this.subscriber.on('message', (channel: string, raw: string) => {
      if (channel !== BUS_CHANNEL) return;
      const message = parseBusMessage(raw);
      if (!message) {
        this.log.warn('A malformed message on the Redis bus was dropped');
        return;
      }
      if (message.origin === this.origin) return;
      try {
        this.deliver(message.event);
      } catch (error) {
        this.log.error({ err: error, event: message.event.type }, 'Handling a domain event from another instance failed');
      }
    });
    // Subscribed again by ioredis itself after a reconnection.
    this.subscribed = this.subscriber.subscribe(BUS_CHANNEL);
    this.subscribed.catch((error: Error) => this.log.warn({ err: { message: error.message } }, 'Could not subscribe to the Redis bus'));
  }

  /** Resolves once both connections are up (tests, and start-up when Redis is expected to be there). */
  async ready(): Promise<void> {
    if (this.publisher.status !== 'ready') await once(this.publisher, 'ready');
    await this.subscribed;
  }

  override publish(event: DomainEvent): void {
    super.publish(event);
    this.publisher.publish(BUS_CHANNEL, JSON.stringify({ origin: this.origin, event })).catch((error: Error) => {
      if (!this.closed) this.log.warn({ err: { message: error.message }, event: event.type }, 'A domain event could not reach the other instances (Redis)');
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([this.subscriber.quit(), this.publisher.quit()]);
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}

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
 * Redis is a fast path, never a dependency: while it is unreachable, this instance still handles its
 * own events, events for the others wait (bounded: about half a minute of reconnecting) and are sent
 * when it is back, the clients reconnect by themselves, and nothing here may end the process. Pub/sub
 * keeps nothing for a subscriber that was away, so when this instance's subscription comes back it
 * tells `onReconnected` listeners, which re-check against PostgreSQL what an event they missed would
 * have changed (the sessions and rights of open sockets).
 */
export class RedisBus extends Bus {
  /** This instance, so that it does not handle its own events twice. */
  readonly origin = randomUUID();
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private closed = false;
  private readonly subscribed: Promise<unknown>;
  private readonly reconnected = new Set<() => void>();
  private subscriberWasDown = false;

  constructor(
    url: string,
    private readonly log: FastifyBaseLogger,
  ) {
    super();
    const options = { retryStrategy: (times: number) => Math.min(times * 200, 2000) };
    // An event published while Redis is away waits for it through about 20 reconnection attempts.
    this.publisher = new Redis(url, { ...options, maxRetriesPerRequest: 20, connectionName: `draftroom-bus-pub-${this.origin}` });
    this.subscriber = new Redis(url, { ...options, maxRetriesPerRequest: 1, connectionName: `draftroom-bus-sub-${this.origin}` });
    this.subscriber.on('close', () => {
      if (!this.closed) this.subscriberWasDown = true;
    });
    this.subscriber.on('ready', () => {
      if (!this.subscriberWasDown || this.closed) return;
      this.subscriberWasDown = false;
      // After ioredis has subscribed again (it does so on 'ready'): nothing missed can slip between.
      setTimeout(() => {
        for (const listener of this.reconnected) {
          try {
            listener();
          } catch (error) {
            this.log.error({ err: error }, 'A re-check after the Redis bus came back failed');
          }
        }
      }, 500).unref();
    });
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

  /** Called each time the subscription comes back after Redis was unreachable. */
  onReconnected(listener: () => void): () => void {
    this.reconnected.add(listener);
    return () => this.reconnected.delete(listener);
  }

  override publish(event: DomainEvent): void {
    super.publish(event);
    this.publisher.publish(BUS_CHANNEL, JSON.stringify({ origin: this.origin, event })).catch((error: Error) => {
      if (!this.closed) this.log.warn({ err: { message: error.message }, event: event.type }, 'A domain event could not reach the other instances (Redis)');
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    // A connected publisher sends what it has first; one still reconnecting is not waited for.
    const goodbye = (connection: Redis) => (connection.status === 'ready' ? connection.quit() : Promise.resolve());
    await Promise.race([Promise.allSettled([goodbye(this.subscriber), goodbye(this.publisher)]), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}

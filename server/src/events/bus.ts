import { EventEmitter } from 'node:events';

/** Facts other parts of the process react to after a transaction commits (e.g. open sockets re-checking rights). */
export type DomainEvent = { type: 'membership.changed'; groupId: string; userId: string } | { type: 'session.ended'; userId: string; sessionId: string | null };

/**
 * In-process publish/subscribe. Publish only after the change committed. With several instances
 * (REDIS_URL) RedisBus carries the same events to the others.
 */
export class Bus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  publish(event: DomainEvent): void {
    this.deliver(event);
  }

  /** Hands an event to this process's listeners. */
  protected deliver(event: DomainEvent): void {
    this.emitter.emit('event', event);
  }

  subscribe(listener: (event: DomainEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}

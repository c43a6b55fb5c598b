import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import {
  LIVE_CLOSE_CODES,
  LIVE_MAX_FRAME_BYTES,
  LIVE_MAX_MESSAGES,
  LIVE_RATE_WINDOW_MS,
  LiveClientMessage,
  type LiveServerMessage,
  type LiveTopic,
} from '@draftroom/shared';
import { compileStrictValidator } from '../http/validation.ts';
import type { Actor } from '../policies/actor.ts';
import type { GroupContext } from '../policies/groups.ts';

const isClientMessage = compileStrictValidator<LiveClientMessage>(LiveClientMessage);

/** Outgoing bytes a reader may leave unread before it is cut off (it reconnects and reads everything again). */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** What a connection asks of the hub. */
export interface LiveFollowing {
  follow(connection: LiveConnection, topics: LiveTopic[]): Promise<void>;
  unfollow(connection: LiveConnection, topics: LiveTopic[]): void;
  detach(connection: LiveConnection): void;
}

/**
 * One live socket: its reader, the topics it follows (each with the group it belongs to) and the
 * reader's place in those groups, which the hub keeps current. Frames are checked here — text, at
 * most LIVE_MAX_FRAME_BYTES, a valid LiveClientMessage, within the rate limit — and handled one at a
 * time, in order.
 */
export class LiveConnection {
  /** Followed topics → their group (null for `me`). */
  readonly topics = new Map<LiveTopic, string | null>();
  /** The reader's place in each group of a followed topic, as the hub last read it. */
  readonly contexts = new Map<string, GroupContext>();
  private closedFlag = false;
  private windowStart = 0;
  private windowCount = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: WebSocket,
    readonly actor: Actor,
    readonly sessionId: string | null,
    private readonly hub: LiveFollowing,
    private readonly log: FastifyBaseLogger,
    private readonly now: () => number = Date.now,
  ) {
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => this.receive(data, isBinary));
    socket.on('close', () => {
      this.closedFlag = true;
      hub.detach(this);
    });
    socket.on('error', () => {});
  }

  get userId(): string | null {
    return this.actor?.userId ?? null;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  send(message: LiveServerMessage): void {
    if (this.closedFlag || this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(LIVE_CLOSE_CODES.tryAgainLater, 'too far behind');
      return;
    }
    this.socket.send(JSON.stringify(message));
  }

  close(code: number, reason: string): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.socket.close(code, reason);
    this.hub.detach(this);
  }

  private receive(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    if (this.closedFlag) return;
    const message = this.read(data, isBinary);
    if ('refusal' in message) {
      this.log.info(message.refusal, 'live socket refused a message');
      this.close(message.refusal.code, message.refusal.reason);
      return;
    }
    this.chain = this.chain
      .then(() => this.handle(message))
      .catch((error: unknown) => {
        // The database could not answer (an outage): the page reconnects and asks again.
        this.log.warn({ err: error }, 'live socket could not handle a message');
        this.close(LIVE_CLOSE_CODES.tryAgainLater, 'try again later');
      });
  }

  /** The message a frame holds, or why it is refused. */
  private read(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): LiveClientMessage | { refusal: { code: number; reason: string } } {
    const now = this.now();
    if (now - this.windowStart >= LIVE_RATE_WINDOW_MS) {
      this.windowStart = now;
      this.windowCount = 0;
    }
    this.windowCount += 1;
    const invalid = (reason: string) => ({ refusal: { code: LIVE_CLOSE_CODES.invalidMessage, reason } });
    if (this.windowCount > LIVE_MAX_MESSAGES) return { refusal: { code: LIVE_CLOSE_CODES.tooMany, reason: 'too many messages' } };
    if (isBinary) return invalid('text frames only');
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (bytes.byteLength > LIVE_MAX_FRAME_BYTES) return invalid('frame too large');
    let message: unknown;
    try {
      message = JSON.parse(bytes.toString('utf8'));
    } catch {
      return invalid('not JSON');
    }
    return isClientMessage(message) ? message : invalid('not a live message');
  }

  private async handle(message: LiveClientMessage): Promise<void> {
    if (this.closedFlag) return;
    switch (message.type) {
      case 'ping':
        this.send({ type: 'pong' });
        return;
      case 'subscribe':
        await this.hub.follow(this, message.topics);
        return;
      case 'unsubscribe':
        this.hub.unfollow(this, message.topics);
        return;
    }
  }
}

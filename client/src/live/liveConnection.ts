import { LIVE_CLOSE_CODES, type LiveEvent, type LiveTopic } from '@draftroom/shared';

/** The part of the browser's WebSocket the connection uses (a test passes its own). */
export interface LiveSocket {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type LiveStatus = 'connecting' | 'open' | 'offline';

export interface LiveHandlers {
  /** Something changed under a topic: the cache makes stale (or patches) what it names. */
  onEvent(topic: LiveTopic, event: LiveEvent): void;
  /**
   * The server now sends this topic's events. Reads made before `sentAt` (when we asked) may have
   * missed a change, so they are read again.
   */
  onSubscribed(topic: LiveTopic, sentAt: number): void;
  /** The reader lost access (removed, group made private…): what the topic showed is read again (and answers 404). */
  onRevoked(topic: LiveTopic): void;
  /** The server refused the topic (not found or not allowed, as the HTTP read would say). */
  onRefused?(topic: string, code: string): void;
  /** Back after a drop (or the server said it lost track): events may have been missed, so everything is read again. */
  onResync(): void;
  /** The server closed with "session ended": the session is over in this tab too. */
  onSessionEnded(): void;
  onStatus?(status: LiveStatus, topics: ReadonlySet<string>): void;
}

export interface LiveOptions {
  createSocket?: (url: string) => LiveSocket;
  now?: () => number;
  random?: () => number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
  /** First reconnect delay; it doubles up to maxDelayMs (with jitter). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** How often an idle socket says ping; no answer by the next one means it is dead. */
  pingMs?: number;
}

const OPEN = 1;
/** The protocol allows 50 topics per message. */
const BATCH = 50;

/** The delay before reconnect attempt `attempt` (0-based): doubling from `initial`, capped, with jitter in [½, 1]. */
export function backoffDelay(attempt: number, initial: number, max: number, random: () => number = Math.random): number {
  const base = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  return Math.round(base * (0.5 + random() / 2));
}

/**
 * One WebSocket to the live channel for the whole tab. Pages subscribe to topics while they are open
 * (reference-counted: two panels of one definition share one subscription); the socket reconnects
 * with backoff and, once back, subscribes again and asks for everything to be read again, since
 * events may have been missed meanwhile.
 */
export class LiveConnection {
  private socket: LiveSocket | null = null;
  private readonly counts = new Map<string, number>();
  /** Topics the server was asked for on the current socket, with when. */
  private readonly sent = new Map<string, number>();
  private readonly acknowledged = new Set<string>();
  private flushQueued = false;
  private attempt = 0;
  private everOpened = false;
  private closed = false;
  private reconnectTimer: unknown = null;
  private pingTimer: unknown = null;
  private heardSincePing = true;
  private status: LiveStatus = 'connecting';
  private readonly createSocket: (url: string) => LiveSocket;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly pingMs: number;

  constructor(
    private readonly url: string,
    private readonly handlers: LiveHandlers,
    options: LiveOptions = {},
  ) {
    this.createSocket = options.createSocket ?? ((target) => new WebSocket(target) as unknown as LiveSocket);
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
    this.initialDelayMs = options.initialDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.pingMs = options.pingMs ?? 30_000;
    this.connect();
  }

  /** Follows a topic until the returned function is called (as many times as it was subscribed). */
  subscribe(topic: LiveTopic): () => void {
    this.counts.set(topic, (this.counts.get(topic) ?? 0) + 1);
    this.queueFlush();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.counts.get(topic) ?? 1) - 1;
      if (left > 0) this.counts.set(topic, left);
      else this.counts.delete(topic);
      this.queueFlush();
    };
  }

  /** Topics the server confirmed on the current socket. */
  get topics(): ReadonlySet<string> {
    return this.acknowledged;
  }

  get currentStatus(): LiveStatus {
    return this.status;
  }

  /**
   * The network went away (the browser's `offline` event): the socket is given up now rather than when
   * a ping goes unanswered; reconnecting starts, and `wake` hurries it when the network is back.
   */
  interrupt(): void {
    const socket = this.socket;
    if (this.closed || !socket) return;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    socket.close(1000, 'offline');
    this.dropped(socket, 1006);
  }

  /** The network came back (the browser's `online` event): try now instead of after the backoff. */
  wake(): void {
    if (this.closed || this.socket) return;
    if (this.reconnectTimer !== null) this.clearTimer(this.reconnectTimer);
    this.reconnectTimer = null;
    this.connect();
  }

  close(): void {
    this.closed = true;
    if (this.reconnectTimer !== null) this.clearTimer(this.reconnectTimer);
    if (this.pingTimer !== null) this.clearTimer(this.pingTimer);
    this.reconnectTimer = null;
    this.pingTimer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      socket.close(1000, 'page closed');
    }
  }

  private setStatus(status: LiveStatus) {
    this.status = status;
    this.handlers.onStatus?.(status, this.acknowledged);
  }

  private connect() {
    if (this.closed) return;
    this.setStatus('connecting');
    let socket: LiveSocket;
    try {
      socket = this.createSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.heardSincePing = true;
      this.schedulePing();
      this.sent.clear();
      this.acknowledged.clear();
      this.flush();
    };
    socket.onmessage = (event) => {
      this.heardSincePing = true;
      if (typeof event.data === 'string') this.receive(event.data);
    };
    socket.onclose = (event) => this.dropped(socket, event.code);
    // An error is always followed by a close.
    socket.onerror = () => undefined;
  }

  private dropped(socket: LiveSocket, code: number) {
    if (this.socket !== socket) return;
    this.socket = null;
    this.sent.clear();
    this.acknowledged.clear();
    if (this.pingTimer !== null) this.clearTimer(this.pingTimer);
    this.pingTimer = null;
    if (this.closed) return;
    this.setStatus('offline');
    // Refused for good (a page of another origin): coming back would be refused again.
    if (code === LIVE_CLOSE_CODES.forbidden) return;
    if (code === LIVE_CLOSE_CODES.sessionEnded) this.handlers.onSessionEnded();
    // Told to slow down: wait the longest.
    if (code === LIVE_CLOSE_CODES.tooMany) this.attempt = Math.max(this.attempt, 30);
    this.scheduleReconnect();
  }

  private scheduleReconnect() {
    if (this.closed || this.reconnectTimer !== null) return;
    const delay = backoffDelay(this.attempt, this.initialDelayMs, this.maxDelayMs, this.random);
    this.attempt += 1;
    this.reconnectTimer = this.setTimer(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private schedulePing() {
    if (this.pingTimer !== null) this.clearTimer(this.pingTimer);
    this.pingTimer = this.setTimer(() => {
      this.pingTimer = null;
      const socket = this.socket;
      if (!socket || socket.readyState !== OPEN) return;
      if (!this.heardSincePing) {
        // Nothing came back since the last ping: the connection is dead without having said so.
        socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
        socket.close(4000, 'no answer');
        this.dropped(socket, 1006);
        return;
      }
      this.heardSincePing = false;
      socket.send(JSON.stringify({ type: 'ping' }));
      this.schedulePing();
    }, this.pingMs);
  }

  private queueFlush() {
    if (this.flushQueued) return;
    this.flushQueued = true;
    // Batched to the end of the task: React mounting, unmounting and mounting a page again (StrictMode,
    // a quick navigation) sends nothing at all.
    queueMicrotask(() => {
      this.flushQueued = false;
      this.flush();
    });
  }

  /** Tells the server the difference between the topics pages want and those it was asked for. */
  private flush() {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return;
    const wanted = [...this.counts.keys()].filter((topic) => !this.sent.has(topic));
    const unwanted = [...this.sent.keys()].filter((topic) => !this.counts.has(topic));
    const at = this.now();
    for (const topic of wanted) this.sent.set(topic, at);
    for (const topic of unwanted) {
      this.sent.delete(topic);
      this.acknowledged.delete(topic);
    }
    for (let i = 0; i < wanted.length; i += BATCH) socket.send(JSON.stringify({ type: 'subscribe', topics: wanted.slice(i, i + BATCH) }));
    for (let i = 0; i < unwanted.length; i += BATCH) socket.send(JSON.stringify({ type: 'unsubscribe', topics: unwanted.slice(i, i + BATCH) }));
    if (unwanted.length > 0) this.handlers.onStatus?.(this.status, this.acknowledged);
  }

  private receive(text: string) {
    let message: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null) return;
      message = parsed as Record<string, unknown>;
    } catch {
      return;
    }
    const topic = typeof message.topic === 'string' ? message.topic : null;
    switch (message.type) {
      case 'hello': {
        const reconnected = this.everOpened;
        this.everOpened = true;
        this.attempt = 0;
        this.setStatus('open');
        if (reconnected) this.handlers.onResync();
        return;
      }
      case 'subscribed':
        if (topic === null || !this.sent.has(topic)) return;
        this.acknowledged.add(topic);
        this.handlers.onStatus?.(this.status, this.acknowledged);
        this.handlers.onSubscribed(topic, this.sent.get(topic)!);
        return;
      case 'refused':
        if (topic === null) return;
        this.handlers.onRefused?.(topic, typeof message.code === 'string' ? message.code : 'unknown');
        return;
      case 'revoked':
        if (topic === null) return;
        this.acknowledged.delete(topic);
        this.handlers.onStatus?.(this.status, this.acknowledged);
        this.handlers.onRevoked(topic);
        return;
      case 'event': {
        const event = message.event;
        if (topic === null || typeof event !== 'object' || event === null || typeof (event as { kind?: unknown }).kind !== 'string') return;
        this.handlers.onEvent(topic, event as LiveEvent);
        return;
      }
      case 'resync':
        // The server could not follow everything (a gap in its stream): read everything again.
        this.handlers.onResync();
        return;
      default:
        // pong, and kinds of message a newer server may add.
        return;
    }
  }
}

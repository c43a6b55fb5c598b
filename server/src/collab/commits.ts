/** One accepted update on its way to PostgreSQL. */
export interface CommitItem<Origin> {
  update: Uint8Array;
  userId: string | null;
  /** Client ids this update is the first to use; recorded in the same transaction. */
  claims: number[];
  origin: Origin | null;
  at: Date;
}

export interface CommitQueueOptions<Origin, Receipt = void> {
  /** Writes a batch in one transaction and says what it wrote; throws to refuse it. */
  store(batch: CommitItem<Origin>[]): Promise<Receipt>;
  /** Called once a batch is committed, in commit order, with what `store` said (broadcast goes here). */
  committed(batch: CommitItem<Origin>[], receipt: Receipt): Promise<void> | void;
  /** Called when a batch cannot be stored after retrying (or can never be): the caller must discard the document. */
  failed(error: unknown): void;
  retryable(error: unknown): boolean;
  log(error: unknown, attempt: number): void;
  /** Extra wait before a commit starts, to gather more updates (0: group commit). */
  delayMs: number;
  retryDelayMs: number;
  maxAttempts: number;
}

/**
 * Group commit: updates queue while a commit is in flight and the next commit takes all of them. A
 * batch that fails is retried as a whole after a pause (nothing of it was broadcast, so nobody holds
 * uncommitted text); after `maxAttempts`, or at once for an error that retrying cannot cure, the queue
 * gives up and says so — it never retries forever and never throws into a timer.
 */
export class CommitQueue<Origin, Receipt = void> {
  private queued: CommitItem<Origin>[] = [];
  private inFlight = 0;
  /** Cancels the scheduled commit, if any. */
  private timer: (() => void) | null = null;
  private chain: Promise<void> = Promise.resolve();
  private failures = 0;
  private stopped = false;
  /** Updates were dropped without being stored: nothing waiting for them may pretend they were. */
  private dropped = false;

  constructor(private readonly options: CommitQueueOptions<Origin, Receipt>) {}

  /** Nothing queued and nothing being written: the document equals what PostgreSQL has. */
  get idle(): boolean {
    return this.queued.length === 0 && this.inFlight === 0;
  }

  get size(): number {
    return this.queued.length + this.inFlight;
  }

  enqueue(item: CommitItem<Origin>): void {
    this.queued.push(item);
    this.schedule(this.options.delayMs);
  }

  /** Stops scheduling commits (the document is closing or was discarded). */
  stop(): void {
    this.stopped = true;
    this.timer?.();
    this.timer = null;
  }

  /** Drops everything not yet written (after `failed`, or when the document is discarded). */
  discard(): void {
    this.stop();
    if (this.queued.length > 0) this.dropped = true;
    this.queued = [];
  }

  /**
   * With no delay the commit starts once the event loop has read what else arrived (setImmediate):
   * a timer of 0 would wait a whole millisecond before every commit.
   */
  private schedule(delayMs: number): void {
    if (this.timer || this.stopped) return;
    const run = () => {
      this.timer = null;
      void this.flush();
    };
    if (delayMs <= 0) {
      const handle = setImmediate(run);
      this.timer = () => clearImmediate(handle);
    } else {
      const handle = setTimeout(run, delayMs);
      this.timer = () => clearTimeout(handle);
    }
  }

  /** Starts a commit of everything queued; resolves when that attempt has ended, successful or not. */
  flush(): Promise<void> {
    this.timer?.();
    this.timer = null;
    this.chain = this.chain.then(() => this.commitQueued());
    return this.chain;
  }

  /** Resolves when everything queued so far is committed; throws when the queue gave up. */
  async whenCommitted(): Promise<void> {
    for (;;) {
      await this.flush();
      if (this.dropped) throw new Error('the document could not be stored');
      if (this.idle) return;
      if (this.stopped) throw new Error('the document could not be stored');
      await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs));
    }
  }

  private async commitQueued(): Promise<void> {
    const batch = this.queued;
    if (batch.length === 0) return;
    this.queued = [];
    this.inFlight = batch.length;
    let receipt: Receipt;
    try {
      receipt = await this.options.store(batch);
    } catch (error) {
      this.inFlight = 0;
      this.failures += 1;
      this.options.log(error, this.failures);
      if (!this.options.retryable(error) || this.failures >= this.options.maxAttempts) {
        this.queued = [];
        this.dropped = true;
        this.stop();
        this.options.failed(error);
        return;
      }
      this.queued = [...batch, ...this.queued];
      this.schedule(this.options.retryDelayMs);
      return;
    }
    this.inFlight = 0;
    this.failures = 0;
    try {
      await this.options.committed(batch, receipt);
    } catch (error) {
      this.options.log(error, 0);
    }
  }
}

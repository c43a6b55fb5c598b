/**
 * Knows whether local edits are stored yet.
 *
 * Why a probe: the server never echoes a client's own update back, and broadcasts to the others only
 * once it is committed to PostgreSQL — so silence tells us nothing. What it does answer is a sync
 * step 1: per socket, frames are handled in order, and the server answers a step 1 only after the
 * batch holding everything received before it has been committed ("answer from committed state
 * only"). So after a pause in typing we send a step 1 (the probe) and, when its step 2 answer comes,
 * every change made before the probe was sent is saved. Changes made while offline stay pending until
 * the reconnected socket has synced and a probe sent after that has been answered.
 *
 * Approximation, said plainly: the server's step-2 answer is our acknowledgment. If a commit failed
 * and the server answered anyway, we would say "Saved" too early (the server keeps the batch and
 * retries it, so the change is not lost while that server runs).
 */
export interface SaveTrackerOptions {
  /** Sends a sync step 1 on the current socket; false when there is no open, synced socket. */
  sendProbe(): boolean;
  /** Called whenever `pending` may have changed. */
  onChange(): void;
  /** Quiet time after the last local change before probing, so typing does not flood the socket. */
  quietMs?: number;
}

export class SaveTracker {
  /** Local changes seen so far (a counter, not a list). */
  private changes = 0;
  /** `changes` as it was when the last answered probe was sent: everything up to it is saved. */
  private savedThrough = 0;
  /** `changes` at each probe still waiting for its answer on the current socket, oldest first. */
  private probes: number[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private online = false;
  private readonly quietMs: number;

  constructor(private readonly options: SaveTrackerOptions) {
    this.quietMs = options.quietMs ?? 250;
  }

  get pending(): boolean {
    return this.changes > this.savedThrough;
  }

  /** How many changes made here wait for the server's confirmation. */
  get unsaved(): number {
    return this.changes - this.savedThrough;
  }

  /** Changes an earlier page made and kept in this browser (offline copy): unsaved until a probe says otherwise. */
  restore(count: number): void {
    if (count <= 0) return;
    this.changes += count;
    this.options.onChange();
    this.schedule(0);
  }

  /** A change made in this browser (already handed to the provider, which sends it if it can). */
  localChange(): void {
    this.changes++;
    this.options.onChange();
    this.schedule(this.quietMs);
  }

  /** The socket is open and synced: probe at once for whatever waited offline. */
  synced(): void {
    this.online = true;
    this.probes = [];
    if (this.pending) this.schedule(0);
  }

  /** The socket closed: its unanswered probes will never be answered. */
  disconnected(): void {
    this.online = false;
    this.probes = [];
    clearTimeout(this.timer);
  }

  /** The server answered a step 1 with a step 2 (answers come in the order the probes were sent). */
  probeAnswered(): void {
    const through = this.probes.shift();
    if (through === undefined || through <= this.savedThrough) return;
    this.savedThrough = through;
    this.options.onChange();
  }

  destroy(): void {
    this.online = false;
    clearTimeout(this.timer);
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    if (!this.online) return;
    this.timer = setTimeout(() => this.probe(), delay);
  }

  private probe(): void {
    if (!this.online || !this.pending) return;
    // A probe covering every change so far is already on its way.
    if (this.probes.at(-1) === this.changes) return;
    if (this.options.sendProbe()) this.probes.push(this.changes);
  }
}

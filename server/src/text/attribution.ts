import * as Y from 'yjs';

interface Range {
  start: number;
  end: number;
  row: number;
}

/**
 * Which stored update first carried each Yjs item: per client id, the clock ranges of every update's
 * structs, searchable by (client, clock). The server records updates, so this is what it saw, when.
 */
export class UpdateIndex {
  private readonly ranges = new Map<number, Range[]>();

  constructor(updates: Uint8Array[]) {
    updates.forEach((update, row) => {
      const { structs } = Y.decodeUpdate(update) as unknown as { structs: { id: { client: number; clock: number }; length: number; constructor: unknown }[] };
      for (const struct of structs) {
        if (struct.constructor === Y.Skip) continue;
        const list = this.ranges.get(struct.id.client) ?? [];
        list.push({ start: struct.id.clock, end: struct.id.clock + struct.length, row });
        this.ranges.set(struct.id.client, list);
      }
    });
    for (const list of this.ranges.values()) list.sort((a, b) => a.start - b.start || a.row - b.row);
  }

  /** The index of the first update containing (client, clock), or null if none does. */
  rowOf(client: number, clock: number): number | null {
    const list = this.ranges.get(client);
    if (!list) return null;
    let low = 0;
    let high = list.length - 1;
    let found: number | null = null;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const range = list[mid]!;
      if (range.start > clock) high = mid - 1;
      else {
        if (clock < range.end) found = found === null ? range.row : Math.min(found, range.row);
        low = mid + 1;
      }
    }
    if (found !== null) return found;
    // Overlapping ranges (an update re-sent after a reconnect) may start earlier; scan back briefly.
    for (let i = Math.min(high, list.length - 1); i >= 0 && i > high - 64; i--) {
      const range = list[i]!;
      if (range.start <= clock && clock < range.end) return range.row;
    }
    return null;
  }
}

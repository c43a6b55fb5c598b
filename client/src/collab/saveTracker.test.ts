import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SaveTracker } from './saveTracker.ts';

describe('SaveTracker', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function tracker(online = true) {
    const sent: number[] = [];
    let socketOpen = online;
    const t = new SaveTracker({ sendProbe: () => socketOpen && sent.push(1) > 0, onChange: () => undefined, quietMs: 100 });
    return { t, sent, setSocket: (open: boolean) => (socketOpen = open) };
  }

  it('is pending from a local change until a probe sent after it is answered', () => {
    const { t, sent } = tracker();
    t.synced();
    t.localChange();
    expect(t.pending).toBe(true);
    vi.advanceTimersByTime(99);
    expect(sent).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(sent).toHaveLength(1);
    t.probeAnswered();
    expect(t.pending).toBe(false);
  });

  it('stays pending when more was typed after the probe left', () => {
    const { t, sent } = tracker();
    t.synced();
    t.localChange();
    vi.advanceTimersByTime(100);
    t.localChange();
    t.probeAnswered();
    expect(t.pending).toBe(true);
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(2);
    t.probeAnswered();
    expect(t.pending).toBe(false);
  });

  it('keeps offline changes pending, and probes once the socket has synced again', () => {
    const { t, sent, setSocket } = tracker();
    t.synced();
    t.localChange();
    vi.advanceTimersByTime(100);
    t.disconnected();
    setSocket(false);
    // The answer to a probe from the closed socket never counts.
    t.probeAnswered();
    expect(t.pending).toBe(true);
    t.localChange();
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(1);
    setSocket(true);
    t.synced();
    vi.advanceTimersByTime(0);
    expect(sent).toHaveLength(2);
    t.probeAnswered();
    expect(t.pending).toBe(false);
  });

  it('ignores answers nobody asked for', () => {
    const { t } = tracker();
    t.synced();
    t.probeAnswered();
    t.localChange();
    t.probeAnswered();
    expect(t.pending).toBe(true);
  });

  it('counts unsaved changes, including ones an earlier page kept offline, until a probe sent after them is answered', () => {
    const { t, sent, setSocket } = tracker(false);
    t.restore(3);
    t.localChange();
    expect(t.unsaved).toBe(4);
    // Offline: nothing to probe yet.
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(0);
    setSocket(true);
    t.synced();
    vi.advanceTimersByTime(0);
    expect(sent).toHaveLength(1);
    t.localChange();
    t.probeAnswered();
    expect(t.unsaved).toBe(1);
    vi.advanceTimersByTime(100);
    t.probeAnswered();
    expect(t.unsaved).toBe(0);
    t.restore(0);
    expect(t.pending).toBe(false);
  });
});

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolOf } from '../db/database.ts';
import { useTestApp } from '../../test/support/app.ts';
import { waitFor } from '../../test/support/collab.ts';
import { NOTIFY_CHANNEL, parseNotice } from './notice.ts';
import { TextChangeHints } from './text-hints.ts';

describe('text change hints', () => {
  const t = useTestApp();
  let listener: pg.Client;
  const heard: string[] = [];

  beforeAll(async () => {
    listener = new pg.Client(poolOf(t.db).options);
    await listener.connect();
    listener.on('notification', (message) => {
      const notice = message.payload ? parseNotice(message.payload) : null;
      if (notice?.source === 'text') heard.push(notice.definitionId);
    });
    await listener.query(`listen ${NOTIFY_CHANNEL}`);
  });
  afterAll(async () => {
    await listener?.end();
  });

  it('a burst of commits makes one hint at once and one at the end of the interval, per definition; the notice parses', async () => {
    const hints = new TextChangeHints({ db: t.db, log: t.app.log, intervalMs: 150 });
    const a = '5f0c8a52-4a4e-4d5b-9a52-0c2c7f1d2e3a';
    const b = '0b7e3f1a-8c2d-4e5f-9a6b-7c8d9e0f1a2b';
    try {
      for (let i = 0; i < 50; i++) hints.touch(a);
      hints.touch(b);
      await waitFor(() => heard.filter((id) => id === a).length === 1 && heard.includes(b), 'the first hints');
      // The 49 other commits of the burst: one more hint for `a` when its interval ends, none for `b`.
      await waitFor(() => heard.filter((id) => id === a).length === 2, 'the trailing hint');
      // A quiet interval follows; a later commit is announced again at once.
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(heard.filter((id) => id === a)).toHaveLength(2);
      expect(heard.filter((id) => id === b)).toHaveLength(1);
      hints.touch(b);
      await waitFor(() => heard.filter((id) => id === b).length === 2, 'a later hint');
    } finally {
      hints.stop();
    }
    // Stopped: nothing more is sent.
    hints.touch(a);
    expect(parseNotice(JSON.stringify({ source: 'text', definitionId: 'not-a-uuid' }))).toBeNull();
  });
});

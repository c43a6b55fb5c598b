import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.ts';
import { verifyChain } from '../events/service.ts';
import { DEMO_GROUP_SLUG, formatDemoAccounts, seedDemo, shouldSeedDemo } from './seed.ts';

describe('demo data', () => {
  const t = useTestApp();

  it('is seeded only into an embedded database, and can be turned off', () => {
    expect(shouldSeedDemo(true, 'embedded')).toBe(true);
    expect(shouldSeedDemo(true, 'external')).toBe(false);
    expect(shouldSeedDemo(false, 'embedded')).toBe(false);
  });

  it('creates one account per role in a public demo group, once', async () => {
    const accounts = await seedDemo(t.db, t.app.passwords);
    expect(accounts?.map((a) => a.role)).toEqual(['chair', 'editor', 'member', 'observer']);
    for (const account of accounts!) {
      const login = await t.request({ method: 'POST', url: '/api/auth/login', payload: { email: account.email, password: account.password } });
      expect(login.statusCode).toBe(200);
    }
    const group = await t.request({ method: 'GET', url: `/api/groups/${DEMO_GROUP_SLUG}` });
    expect(group.json()).toMatchObject({ visibility: 'public', memberCount: 4 });
    const groupRow = await t.db.selectFrom('groups').select('id').where('slug', '=', DEMO_GROUP_SLUG).executeTakeFirstOrThrow();
    expect(await verifyChain(t.db, `group:${groupRow.id}`)).toMatchObject({ ok: true, checked: 4 });

    expect(await seedDemo(t.db, t.app.passwords)).toBeNull();
    const text = formatDemoAccounts(accounts!, 'http://localhost:3000');
    expect(text).toContain(`http://localhost:3000/groups/${DEMO_GROUP_SLUG}`);
    for (const account of accounts!) expect(text).toContain(account.password);
  });
});

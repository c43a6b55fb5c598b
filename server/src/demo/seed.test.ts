import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.ts';
import { verifyChain } from '../events/service.ts';
import { seedDemoDefinition } from './definition.ts';
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

    // The demo definition: clauses by two authors, a version, an amendment and a thread.
    const people = Object.fromEntries(accounts!.map((a) => [a.role, a.userId])) as Record<'chair' | 'editor' | 'member' | 'observer', string>;
    await seedDemoDefinition(t.db, t.app.registry, people, t.app.config.ballotSecret!);
    const chairLogin = await t.request({ method: 'POST', url: '/api/auth/login', payload: { email: accounts![0]!.email, password: accounts![0]!.password } });
    const cookie = chairLogin.cookies.find((c) => c.name === 'draftroom_session')!;
    const as = { user: chairLogin.json().user, cookie: `draftroom_session=${cookie.value}`, email: accounts![0]!.email };
    const definitions = (await t.request({ method: 'GET', url: `/api/groups/${DEMO_GROUP_SLUG}/definitions`, as })).json().definitions;
    expect(definitions).toHaveLength(1);
    const detail = (await t.request({ method: 'GET', url: `/api/definitions/${definitions[0].id}`, as })).json();
    expect(detail.clauses).toHaveLength(8);
    const versions = (await t.request({ method: 'GET', url: `/api/definitions/${definitions[0].id}/versions` })).json().versions;
    expect(versions.map((v: { label: string }) => v.label)).toEqual(['0.0.9']);
    const diff = (await t.request({ method: 'GET', url: `/api/definitions/${definitions[0].id}/diff?from=0.0.9&to=current`, as })).json();
    expect(diff.summary.modified).toBe(1);
    expect((await t.request({ method: 'GET', url: `/api/definitions/${definitions[0].id}/amendments`, as })).json().amendments).toHaveLength(1);
    expect((await t.request({ method: 'GET', url: `/api/definitions/${definitions[0].id}/threads`, as })).json().threads).toHaveLength(1);
    // The thread mentions the chair: signing in as the chair, a newcomer finds it in the inbox.
    const inbox = (await t.request({ method: 'GET', url: '/api/notifications', as })).json().notifications as { kind: string }[];
    expect(inbox.map((n) => n.kind)).toContain('mention');
    const ballots = (await t.request({ method: 'GET', url: `/api/definitions/${definitions[0].id}/ballots`, as })).json().ballots;
    expect(ballots.map((b: { format: string; status: string }) => [b.format, b.status])).toEqual([
      ['matrix', 'open'],
      ['choice', 'open'],
      ['positions', 'closed'],
    ]);
    expect(ballots[2].result).toMatchObject({ outcome: 'passed', turnout: { eligible: 3, voted: 3 } });
    expect(ballots[0]).toMatchObject({ votedCount: 2, result: null, rules: { secret: true, resultsVisibility: 'after_close' } });
    // The disposition register: an objection deferred (its objector not satisfied), another waiting.
    const dispositions = (await t.request({ method: 'GET', url: `/api/definitions/${definitions[0].id}/dispositions`, as })).json();
    expect(dispositions.items.map((d: { source: string; disposition: string | null }) => [d.source, d.disposition])).toEqual([
      ['formal_objection', 'deferred'],
      ['formal_objection', null],
    ]);
    expect(dispositions.counts).toEqual({ total: 2, undisposed: 1, notSatisfied: 1 });
    // Requirement language on, with a glossary term.
    const language = (await t.request({ method: 'GET', url: `/api/definitions/${definitions[0].id}/language`, as })).json();
    expect(language.enabled).toBe(true);
    expect(language.terms).toContainEqual(expect.objectContaining({ term: 'Data information', source: 'glossary', label: 'Clause 3' }));
    // The checklist of 0.0.9 with three reviewed systems, public to anyone, and one endorsement.
    const register = (await t.request({ method: 'GET', url: `/api/definitions/${definitions[0].id}/versions/0.0.9/register` })).json();
    expect(register.entries.map((e: { system: { name: string }; outcome: string }) => [e.system.name, e.outcome])).toEqual([
      ['BLOOM', 'conditional'],
      ['Llama 2', 'not_conformant'],
      ['OLMo', 'conformant'],
    ]);
    expect(register.entries[0].dissent).toHaveLength(4); // the reviewers disagreed on the weights, for each freedom
    expect(register.endorsements).toMatchObject({ individuals: 1 });
    const text = formatDemoAccounts(accounts!, 'http://localhost:3000');
    expect(text).toContain(`http://localhost:3000/groups/${DEMO_GROUP_SLUG}`);
    for (const account of accounts!) expect(text).toContain(account.password);
  });
});

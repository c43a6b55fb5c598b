import { describe, expect, it } from 'vitest';
import { eventually, useBrowserApp } from '../../e2e-support.ts';

describe('the activity log in the browser', () => {
  const app = useBrowserApp();

  it('reads in plain words with links, filters by kind and person, and shows no codes or ids', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id, clauseIds } = await app.definitionIn(slug, users.editor, ['Data information is required.']);
    const clauseId = clauseIds[0]!;
    const title = 'Data information: keep the text or add the sufficiency test?';
    const rules = {
      kind: 'advisory',
      eligibleRoles: ['chair', 'editor', 'member'],
      quorum: 0,
      threshold: 0.5,
      blockingObjectionFails: false,
      secret: false,
      resultsVisibility: 'live',
      closesAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
    const ballot = (
      await app.t.request({
        method: 'POST',
        url: `/api/definitions/${id}/ballots`,
        as: users.chair,
        payload: { title, subject: { kind: 'clause', clauseId }, rules },
      })
    ).json();
    expect((await app.t.request({ method: 'POST', url: `/api/ballots/${ballot.id}/open`, as: users.chair })).statusCode).toBe(200);
    expect((await app.t.request({ method: 'PUT', url: `/api/ballots/${ballot.id}/vote`, as: users.member, payload: { position: 'yes' } })).statusCode).toBe(
      200,
    );

    const page = await app.signedInPage(users.chair);
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.goto(`/groups/${slug}/activity`);
    const list = page.locator('ol.event-list');
    const sentences = () => list.locator('.event-text').allTextContents();
    await eventually(sentences).toContain(`Member voted Yes on ${title}`);
    const all = await sentences();
    expect(all).toContain(`Chair opened ${title} for voting (3 eligible)`);
    expect(all).toContain(`Chair drafted ${title}`);
    expect(all.some((s) => / started the definition Open Source AI/.test(s))).toBe(true);
    // No raw codes or ids anywhere in the sentences.
    for (const sentence of all) {
      expect(sentence).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
      expect(sentence).not.toMatch(/\b[a-z]+\.[a-z_]+\b/);
    }
    await page.screenshot({ path: '/tmp/shots/activity-1440.png', fullPage: true });

    // Filter by kind: only the ballot's life, in the URL too.
    await page.getByLabel('Kind').selectOption('ballots');
    await eventually(sentences).toEqual([`Member voted Yes on ${title}`, `Chair opened ${title} for voting (3 eligible)`, `Chair drafted ${title}`]);
    expect(new URL(page.url()).searchParams.get('kind')).toBe('ballots');
    // And by person.
    await page.getByLabel('Person').selectOption({ label: 'Member' });
    await eventually(sentences).toEqual([`Member voted Yes on ${title}`]);
    await page.getByLabel('Kind').selectOption('versions');
    await eventually(() => page.getByText('Nothing matches these filters.').count()).toBe(1);
    await page.getByLabel('Kind').selectOption('');
    await page.getByLabel('Person').selectOption('');
    await eventually(async () => (await sentences()).length).toBe(all.length);

    await page.setViewportSize({ width: 390, height: 900 });
    await page.screenshot({ path: '/tmp/shots/activity-390.png', fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // The ballot's title links to the ballot.
    await list.getByRole('link', { name: title }).first().click();
    await eventually(() => new URL(page.url()).pathname).toBe(`/groups/${slug}/definitions/${id}/decisions`);
    expect(new URL(page.url()).searchParams.get('ballot')).toBe(ballot.id);
    expect(app.problems).toEqual([]);
  });
});

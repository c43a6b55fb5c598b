import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestUser } from '../../../../server/test/support/app.ts';
import { eventually, useBrowserApp } from '../../e2e-support.ts';

const SHOTS = '/tmp/shots-h4';

describe('search in the browser', () => {
  const app = useBrowserApp();

  async function ok<T = Record<string, unknown>>(as: TestUser, method: 'POST' | 'PUT' | 'PATCH', url: string, payload?: object): Promise<T> {
    const response = await app.t.request({ method, url, as, ...(payload && { payload }) });
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
    return response.json();
  }

  /** A word only one test's world holds (the database is shared by the file's tests). */
  const uniqueWord = () =>
    `train${randomBytes(3)
      .toString('hex')
      .replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)}`;

  /** A public group whose definition talks about `word` in every kind of item. */
  async function world(word: string) {
    const { slug, users } = await app.t.groupWithRoles('public');
    const definitionId = (
      await ok<{ id: string }>(users.chair, 'POST', `/api/groups/${slug}/definitions`, { slug: 'osaid', title: 'Open Source AI Definition' })
    ).id;
    const clauseId = (
      await ok<{ id: string }>(users.editor, 'POST', `/api/definitions/${definitionId}/clauses`, { text: `${word} data must be shared with the model.` })
    ).id;
    await ok(users.chair, 'POST', `/api/definitions/${definitionId}/versions`, { label: '0.1', notes: '' });
    await ok(users.editor, 'PUT', `/api/definitions/${definitionId}/clauses/${clauseId}`, { text: `${word} data information must be shared.` });
    await ok(users.member, 'POST', `/api/definitions/${definitionId}/threads`, {
      clauseId,
      body: `Internal note on ${word} <img src=x onerror="window.__pwned=1"> sets.`,
    });
    await ok(users.chair, 'PATCH', `/api/definitions/${definitionId}`, { status: 'public-comment' });
    await ok(users.outsider, 'POST', `/api/definitions/${definitionId}/threads`, { clauseId, body: `Public question: which ${word} sets?` });
    const ballot = await ok<{ id: string }>(users.chair, 'POST', `/api/definitions/${definitionId}/ballots`, {
      title: `Is ${word} data required?`,
      subject: { kind: 'clause', clauseId },
      rules: {
        kind: 'advisory',
        eligibleRoles: ['chair', 'editor', 'member'],
        quorum: 0,
        threshold: 0.5,
        blockingObjectionFails: false,
        secret: false,
        resultsVisibility: 'live',
        closesAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    return { slug, users, definitionId, clauseId, ballotId: ballot.id };
  }

  async function searchFromHeader(page: Page, words: string) {
    const box = page.getByRole('search').getByRole('searchbox', { name: 'Search' });
    await box.fill(words);
    await box.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Search' }).waitFor();
    await page.locator('.search-count').waitFor();
  }

  const kinds = (page: Page) => page.locator('.search-result-kind .badge:first-child').allTextContents();

  it('a member searches from the header: highlighted snippets, filters, and a link to the ballot', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const word = uniqueWord();
    const w = await world(word);
    const page = await app.signedInPage(w.users.member, { viewport: { width: 1440, height: 1000 } });
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    await page.goto(`/groups/${w.slug}`);
    await page.getByRole('heading', { level: 1, name: `Group ${w.slug}` }).waitFor();
    await searchFromHeader(page, word);
    expect(new URL(page.url()).searchParams.get('q')).toBe(word);
    await eventually(async () => (await kinds(page)).sort()).toEqual(['Ballot', 'Comment', 'Comment', 'Draft text', 'Published text']);
    const marks = await page.locator('.search-results mark').allTextContents();
    expect(marks.length).toBeGreaterThanOrEqual(5);
    for (const mark of marks) expect(mark).toBe(word);
    // What comments hold is text: nothing of it became an element, nothing ran.
    expect(await page.locator('.search-results img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.getByRole('listitem').filter({ hasText: 'Internal note' }).getByText('Internal', { exact: true }).waitFor();
    await page.screenshot({ path: `${SHOTS}/search-1440.png`, fullPage: true });

    // Only ballots: one result, which opens the ballot on the Decisions page.
    await page.getByLabel('Find').selectOption('ballot');
    await page.getByRole('form', { name: 'Search' }).getByRole('button', { name: 'Search' }).click();
    await eventually(() => kinds(page)).toEqual(['Ballot']);
    expect(new URL(page.url()).searchParams.get('kind')).toBe('ballot');
    await page.getByRole('link', { name: `Is ${word} data required?` }).click();
    await eventually(() => new URL(page.url()).pathname).toBe(`/groups/${w.slug}/definitions/${w.definitionId}/decisions`);
    expect(new URL(page.url()).searchParams.get('ballot')).toBe(w.ballotId);

    // Back: the results are there again; nothing found says so.
    await page.goBack();
    await eventually(() => kinds(page)).toEqual(['Ballot']);
    await searchFromHeader(page, 'zzzunfindable');
    await page.getByText('Nothing found.').waitFor();
    expect(dialogs).toBe(0);
    expect(app.problems).toEqual([]);
  });

  it('a draft-text result opens the definition with that clause in view, however far down it is', async () => {
    const word = uniqueWord();
    const { slug, users } = await app.t.groupWithRoles('private');
    const definitionId = (await ok<{ id: string }>(users.chair, 'POST', `/api/groups/${slug}/definitions`, { slug: 'long', title: 'A long definition' })).id;
    for (let i = 1; i <= 30; i++)
      await ok(users.editor, 'POST', `/api/definitions/${definitionId}/clauses`, { text: `Filler clause number ${i}, long enough to fill a line.` });
    const clauseId = (await ok<{ id: string }>(users.editor, 'POST', `/api/definitions/${definitionId}/clauses`, { text: `The ${word} clause at the end.` }))
      .id;
    const page = await app.signedInPage(users.member, { viewport: { width: 1440, height: 900 } });
    await page.goto(`/groups/${slug}`);
    await searchFromHeader(page, word);
    await eventually(() => kinds(page)).toEqual(['Draft text']);
    await page.locator('.search-results').getByRole('link').first().click();
    await eventually(() => new URL(page.url()).searchParams.get('clause')).toBe(clauseId);
    const clause = page.locator(`[data-clause-id="${clauseId}"]`);
    await eventually(async () => {
      const box = await clause.boundingBox();
      return box !== null && box.y >= 0 && box.y < 900;
    }).toBe(true);
    expect(app.problems).toEqual([]);
  });

  it('a visitor finds only what the public reads, and the published text opens on the public page at its clause', async () => {
    const word = uniqueWord();
    const w = await world(word);
    const page = await app.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Draftroom' }).waitFor();
    await searchFromHeader(page, word);
    await eventually(async () => (await kinds(page)).sort()).toEqual(['Comment', 'Published text']);
    expect(await page.locator('main').textContent()).not.toMatch(/Internal|information|data required/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/search-390.png`, fullPage: true });

    await page.getByRole('listitem').filter({ hasText: 'Published text' }).getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Open Source AI Definition' }).waitFor();
    const url = new URL(page.url());
    expect(url.pathname).toBe(`/groups/${w.slug}/definitions/${w.definitionId}/public`);
    expect(url.searchParams.get('version')).toBe('0.1');
    expect(url.hash).toBe(`#public-clause-${w.clauseId}`);
    await page.getByText(`${word} data must be shared with the model.`).waitFor();
    expect(app.problems).toEqual([]);
  });
});

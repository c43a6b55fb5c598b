import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestUser } from '../../../../server/test/support/app.ts';
import { eventually, PASSWORD, useBrowserApp } from '../../e2e-support.ts';

/** Screenshots for a person to look at (not compared by the test). */
const SHOTS = '/tmp/shots-h4';

describe('the front door', () => {
  const app = useBrowserApp();

  async function publishedDefinition(slug: string, chair: TestUser, title: string, options: { deadline?: string } = {}) {
    const created = await app.t.request({
      method: 'POST',
      url: `/api/groups/${slug}/definitions`,
      as: chair,
      payload: { slug: `def-${randomBytes(3).toString('hex')}`, title },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    for (const text of ['Open Source AI is an AI system made available under terms that grant the freedoms.', 'Use the system for any purpose.']) {
      expect((await app.t.request({ method: 'POST', url: `/api/definitions/${id}/clauses`, as: chair, payload: { text } })).statusCode).toBe(201);
    }
    expect((await app.t.request({ method: 'POST', url: `/api/definitions/${id}/versions`, as: chair, payload: { label: '0.9', notes: '' } })).statusCode).toBe(
      201,
    );
    if (options.deadline !== undefined) {
      const patched = await app.t.request({
        method: 'PATCH',
        url: `/api/definitions/${id}`,
        as: chair,
        payload: { status: 'public-comment', commentDeadline: options.deadline },
      });
      expect(patched.statusCode).toBe(200);
    }
    return id;
  }

  /** Whether the page is wider than the window (a horizontal scroll bar on a phone). */
  const overflows = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

  it('a visitor finds a public group from /, reads its published version, signs in to comment and comes back to the page', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const open = await app.t.groupWithRoles('public');
    const closed = await app.t.groupWithRoles('private');
    const charter = 'We draft the Open Source AI Definition in the open: published versions and the public comment period are on this page.';
    await app.t.request({ method: 'PATCH', url: `/api/groups/${open.slug}`, as: open.users.chair, payload: { name: 'Open Source AI', charter } });
    const deadline = '2099-06-30T12:00:00.000Z';
    const id = await publishedDefinition(open.slug, open.users.chair, 'Open Source AI Definition', { deadline });
    await publishedDefinition(open.slug, open.users.chair, 'Glossary');
    await publishedDefinition(closed.slug, closed.users.chair, 'Secret plan', { deadline });
    const publicPath = `/groups/${open.slug}/definitions/${id}/public`;

    const page = await app.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Draftroom' }).waitFor();
    expect(await page.locator('.front-lede').textContent()).toContain('Working groups draft definitions here together.');
    const openSection = page.getByRole('region', { name: 'Open for public comment' });
    const item = openSection.getByRole('listitem').filter({ hasText: 'Open Source AI Definition' });
    await item.waitFor();
    expect(await item.getByRole('link', { name: 'Open Source AI Definition' }).getAttribute('href')).toBe(publicPath);
    expect(await item.locator('.published-deadline time').getAttribute('datetime')).toBe(deadline);
    expect(await item.textContent()).toContain('Version 0.9');
    const latest = page.getByRole('region', { name: 'Latest published versions' });
    await latest.getByRole('link', { name: 'Glossary' }).waitFor();
    const groups = page.getByRole('region', { name: 'Public groups' });
    await groups.getByRole('link', { name: 'Open Source AI' }).waitFor();
    // Nothing of a private group, anywhere on the page.
    expect(await page.locator('main').textContent()).not.toMatch(/Secret plan|Group group-/);
    expect(await overflows(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/front-1440.png`, fullPage: true });

    // The group's page is open to the visitor: its published versions link to the public page.
    await groups.getByRole('link', { name: 'Open Source AI' }).click();
    await page.getByRole('heading', { level: 1, name: 'Open Source AI' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/groups/${open.slug}`);
    const published = page.getByRole('region', { name: 'Published versions' });
    await published.getByRole('link', { name: 'Open Source AI Definition' }).waitFor();
    expect(await published.textContent()).toContain('Comments close');
    await page.getByText(charter).waitFor();
    // Members-only parts stay closed: no activity or settings tab, no member list.
    expect(await page.getByRole('link', { name: 'Activity' }).count()).toBe(0);
    await page.getByText('Only members of the group can see who belongs to it.').waitFor();
    // The header's sign-in link would come back here.
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe(
      `/login?next=${encodeURIComponent(`/groups/${open.slug}`)}`,
    );
    expect(await overflows(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/group-1440.png`, fullPage: true });

    // On to the public comment page, and through sign-in back to it.
    await published.getByRole('link', { name: 'Open Source AI Definition' }).click();
    await page.getByRole('heading', { level: 1, name: 'Open Source AI Definition' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(publicPath);
    await page.getByRole('link', { name: 'Sign in to comment' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe(publicPath);
    await page.getByLabel('Email').fill(open.users.outsider.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Open Source AI Definition' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(publicPath);
    await page.getByRole('form', { name: 'Comment on clause 1' }).waitFor();

    // Signed in, `/` shows their groups first and the public work after.
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Working groups' }).waitFor();
    await page.getByRole('region', { name: 'Open for public comment' }).getByRole('link', { name: 'Open Source AI Definition' }).waitFor();

    expect(app.problems).toEqual([]);
  });

  it('fits a phone: the front door and a group page at 390 px, without sideways scrolling', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const { slug, users } = await app.t.groupWithRoles('public');
    await app.t.request({
      method: 'PATCH',
      url: `/api/groups/${slug}`,
      as: users.chair,
      payload: { name: 'A working group with a rather long name for a small screen', charter: 'A charter. '.repeat(30) },
    });
    await publishedDefinition(slug, users.chair, 'A definition whose title is long enough to wrap on a phone screen', { deadline: '2099-01-01T00:00:00.000Z' });

    const page = await app.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto('/');
    await page.getByRole('region', { name: 'Open for public comment' }).getByRole('link').first().waitFor();
    expect(await overflows(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/front-390.png`, fullPage: true });

    await page.goto(`/groups/${slug}`);
    await page.getByRole('region', { name: 'Published versions' }).getByRole('link').first().waitFor();
    expect(await overflows(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/group-390.png`, fullPage: true });
    expect(app.problems).toEqual([]);
  });

  it('a private group sends a visitor to sign in and back; a hostile way back leads home', async () => {
    const { slug, users } = await app.t.groupWithRoles('private');
    const page = await app.newPage();
    await page.goto(`/groups/${slug}`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/groups/${slug}`);
    await page.getByLabel('Email').fill(users.member.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: `Group ${slug}` }).waitFor();

    for (const next of ['javascript:alert(document.domain)', '/\\evil.example', '/\t/evil.example', '//evil.example', 'https://evil.example/']) {
      const other = await app.newPage();
      await other.goto(`/login?next=${encodeURIComponent(next)}`);
      await other.getByLabel('Email').fill(users.member.email);
      await other.getByLabel('Password').fill(PASSWORD);
      await other.getByRole('button', { name: 'Sign in' }).click();
      await other.getByRole('heading', { level: 1, name: 'Working groups' }).waitFor();
      await eventually(() => new URL(other.url()).origin).toBe(app.baseUrl);
      expect(new URL(other.url()).pathname, next).toBe('/');
    }
    expect(app.problems).toEqual([]);
  });

  it('follows changes while a visitor looks, without a reload: a comment period opens, a version appears, a group goes private', async () => {
    const { slug, users } = await app.t.groupWithRoles('public');
    const name = `Live door ${randomBytes(3).toString('hex')}`;
    await app.t.request({ method: 'PATCH', url: `/api/groups/${slug}`, as: users.chair, payload: { name } });
    const id = await publishedDefinition(slug, users.chair, 'A definition about to open');

    const page = await app.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto('/');
    const groups = page.getByRole('region', { name: 'Public groups' });
    await groups.getByRole('link', { name }).waitFor();
    const openSection = page.getByRole('region', { name: 'Open for public comment' });
    expect(await openSection.getByRole('link', { name: 'A definition about to open' }).count()).toBe(0);
    const loads = await page.evaluate(() => performance.getEntriesByType('navigation').length);

    const opened = await app.t.request({
      method: 'PATCH',
      url: `/api/definitions/${id}`,
      as: users.chair,
      payload: { status: 'public-comment', commentDeadline: '2099-03-01T12:00:00.000Z' },
    });
    expect(opened.statusCode, opened.body).toBe(200);
    await openSection.getByRole('link', { name: 'A definition about to open' }).waitFor();

    const latest = page.getByRole('region', { name: 'Latest published versions' });
    const other = await publishedDefinition(slug, users.chair, 'A second definition');
    expect(other).toBeTruthy();
    await latest.getByRole('link', { name: 'A second definition' }).waitFor();

    expect((await app.t.request({ method: 'PATCH', url: `/api/groups/${slug}`, as: users.chair, payload: { visibility: 'private' } })).statusCode).toBe(200);
    await eventually(() => groups.getByRole('link', { name }).count()).toBe(0);
    await eventually(() => openSection.getByRole('link', { name: 'A definition about to open' }).count()).toBe(0);
    // All of it on the page as first loaded.
    expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(loads);
    expect(app.problems).toEqual([]);
  });
});

import { randomBytes } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestUser } from '../../../../server/test/support/app.ts';
import { eventually, isFocused, useBrowserApp } from '../../e2e-support.ts';

/** Whether the element is inside the window (scrolled into view), wholly or in part. */
const inView = (locator: Locator) =>
  locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    return box.bottom > 0 && box.top < window.innerHeight && box.height > 0;
  });

describe('notifications in the browser', () => {
  const app = useBrowserApp();

  /** A definition with many long clauses, so that the last ones are well below the first screen. */
  async function longDefinition(slug: string, author: TestUser, count = 14) {
    const created = await app.t.request({
      method: 'POST',
      url: `/api/groups/${slug}/definitions`,
      as: author,
      payload: { slug: `osaid-${randomBytes(3).toString('hex')}`, title: 'Open Source AI Definition' },
    });
    const id = created.json().id as string;
    const clauseIds: string[] = [];
    for (let n = 1; n <= count; n++) {
      const text = `Clause number ${n} says something long enough to wrap over several lines of the page. `.repeat(3);
      clauseIds.push((await app.t.request({ method: 'POST', url: `/api/definitions/${id}/clauses`, as: author, payload: { text } })).json().id);
    }
    return { id, clauseIds };
  }

  async function inbox(user: TestUser): Promise<Page> {
    const page = await app.signedInPage(user, { viewport: { width: 1280, height: 720 } });
    await page.goto('/inbox');
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
    return page;
  }

  it('a notification names where it is about, quotes it, and clicking it opens the thread in view — also a resolved one', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id, clauseIds } = await longDefinition(slug, users.editor);
    const started = await app.t.request({
      method: 'POST',
      url: `/api/definitions/${id}/threads`,
      as: users.member,
      payload: { clauseId: clauseIds[12], body: 'Does **this** hold, @Observer?', mentions: [users.observer.user.id] },
    });
    expect(started.statusCode).toBe(201);
    const threadId = started.json().id as string;

    const page = await inbox(users.observer);
    const item = page.getByRole('listitem').filter({ hasText: 'Member mentioned you' });
    await item.waitFor();
    expect(await item.locator('.notification-where').textContent()).toBe(`Group ${slug} · Open Source AI Definition · Clause 13`);
    expect(await item.locator('blockquote').textContent()).toBe('Does this hold, @Observer?');
    await page.getByRole('link', { name: 'Member mentioned you in Clause 13 of “Open Source AI Definition”' }).click();

    await page.waitForURL((url) => url.pathname === `/groups/${slug}/definitions/${id}` && url.searchParams.get('thread') === threadId);
    const thread = page.getByRole('article', { name: /Thread on clause 13/ });
    await eventually(() => isFocused(thread)).toBe(true);
    expect(await inView(thread)).toBe(true);
    // Opening it marked it as read: the count in the navigation went down.
    await eventually(() => page.getByRole('link', { name: /^Inbox/ }).textContent()).toBe('Inbox');

    // Resolved meanwhile: the discussion shows it anyway (not only open threads).
    expect((await app.t.request({ method: 'POST', url: `/api/threads/${threadId}/resolve`, as: users.chair })).statusCode).toBe(200);
    const again = await app.signedInPage(users.observer, { viewport: { width: 1280, height: 720 } });
    await again.goto(`/groups/${slug}/definitions/${id}?thread=${threadId}`);
    const resolved = again.getByRole('article', { name: /^Resolved thread on clause 13/ });
    await eventually(() => isFocused(resolved)).toBe(true);
    expect(await inView(resolved)).toBe(true);
    expect(app.problems).toEqual([]);
  });

  it('someone outside the group follows a reply to their public comment to the public page, at the comment', async () => {
    const { slug, users } = await app.t.groupWithRoles('public');
    const { id, clauseIds } = await longDefinition(slug, users.editor, 10);
    await app.t.request({ method: 'POST', url: `/api/definitions/${id}/versions`, as: users.chair, payload: { label: '1.0', notes: '' } });
    await app.t.request({ method: 'PATCH', url: `/api/definitions/${id}`, as: users.chair, payload: { status: 'public-comment' } });
    const asked = await app.t.request({
      method: 'POST',
      url: `/api/definitions/${id}/threads`,
      as: users.outsider,
      payload: { clauseId: clauseIds[8], body: 'Why this clause?' },
    });
    const threadId = asked.json().id as string;
    await app.t.request({ method: 'POST', url: `/api/threads/${threadId}/comments`, as: users.chair, payload: { body: 'Because of the charter.' } });

    const page = await inbox(users.outsider);
    await page.getByRole('link', { name: 'Chair replied to you on Clause 9 of “Open Source AI Definition”' }).click();
    await page.waitForURL((url) => url.pathname === `/groups/${slug}/definitions/${id}/public` && url.searchParams.get('thread') === threadId);
    const comments = page.getByRole('region', { name: 'Comments on clause 9' });
    const thread = comments.getByRole('listitem').filter({ hasText: 'Because of the charter.' }).first();
    await thread.waitFor();
    await eventually(() => page.evaluate((wanted) => document.activeElement?.id === wanted, `public-thread-${threadId}`)).toBe(true);
    expect(await inView(page.locator(`#public-thread-${threadId}`))).toBe(true);
    expect(app.problems).toEqual([]);
  });

  it('settings: a kind turned off in the settings page is no longer notified; e-mail choices are kept', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id, clauseIds } = await longDefinition(slug, users.editor, 1);
    const page = await app.signedInPage(users.observer);
    await page.goto('/inbox');
    await page.getByRole('link', { name: 'Notification settings' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Notification settings' }).waitFor();
    const mention = page.getByRole('checkbox', { name: 'Someone mentions me' });
    expect(await mention.isChecked()).toBe(true);
    await page.getByRole('combobox', { name: 'E-mail: A version is published' }).selectOption('immediate');
    await page.getByRole('status').filter({ hasText: 'Saved: a version is published.' }).waitFor();
    await mention.uncheck();
    await page.getByRole('status').filter({ hasText: 'Saved: someone mentions me.' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'E-mail: Someone mentions me' }).isDisabled()).toBe(true);

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Notification settings' }).waitFor();
    expect(await page.getByRole('checkbox', { name: 'Someone mentions me' }).isChecked()).toBe(false);
    expect(await page.getByRole('combobox', { name: 'E-mail: A version is published' }).inputValue()).toBe('immediate');

    await app.t.request({
      method: 'POST',
      url: `/api/definitions/${id}/threads`,
      as: users.member,
      payload: { clauseId: clauseIds[0], body: '@Observer?', mentions: [users.observer.user.id] },
    });
    const notifications = (await app.t.request({ method: 'GET', url: '/api/notifications', as: users.observer })).json().notifications;
    expect(notifications).toEqual([]);
    expect(app.problems).toEqual([]);
  });
});

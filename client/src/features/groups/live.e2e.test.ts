import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestUser } from '../../../../server/test/support/app.ts';
import { eventually, useBrowserApp } from '../../e2e-support.ts';

// Membership changes reach the people they are about on the pages they have open: a new role shows
// (with what it allows) without a reload, and someone removed from a private group stops seeing it.

describe('membership changes reach open pages', () => {
  const app = useBrowserApp();

  const liveTopics = (page: Page) => page.evaluate(() => document.documentElement.dataset.liveTopics ?? '');

  async function openPage(page: Page, path: string, heading: string, topic: string): Promise<Page> {
    await page.goto(path);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await eventually(() => liveTopics(page)).toContain(topic);
    return page;
  }

  const open = async (user: TestUser, path: string, heading: string, topic: string) => openPage(await app.signedInPage(user), path, heading, topic);

  it('a role change shows on the member’s open group and definition pages; a removed member loses the private group at once', async () => {
    const { slug, users } = await app.t.groupWithRoles('private');
    const group = (await app.t.request({ method: 'GET', url: `/api/groups/${slug}`, as: users.chair })).json() as { id: string; name: string };
    const created = await app.t.request({
      method: 'POST',
      url: `/api/groups/${slug}/definitions`,
      as: users.editor,
      payload: { slug: `osaid-${randomBytes(3).toString('hex')}`, title: 'Open Source AI Definition' },
    });
    const id = created.json().id as string;
    expect((await app.t.request({ method: 'POST', url: `/api/definitions/${id}/clauses`, as: users.editor, payload: { text: 'A clause.' } })).statusCode).toBe(
      201,
    );
    const groupPath = `/groups/${slug}`;
    const definitionPath = `${groupPath}/definitions/${id}`;

    const chair = await open(users.chair, groupPath, group.name, `group:${group.id}`);
    const memberGroup = await open(users.member, groupPath, group.name, `group:${group.id}`);
    // The same person in a second tab, on the definition: a reader who may not edit.
    const memberText = await openPage(await memberGroup.context().newPage(), definitionPath, 'Open Source AI Definition', `definition:${id}`);
    await memberText.locator('.read-only-reason').waitFor();
    expect(await memberText.getByRole('button', { name: 'Add clause', exact: true }).count()).toBe(0);
    const observer = await open(users.observer, definitionPath, 'Open Source AI Definition', `definition:${id}`);

    // The chair makes the member an editor.
    await chair.getByLabel('Role of Member').selectOption('editor');
    await chair.getByRole('button', { name: 'Change role of Member' }).click();
    await chair.getByRole('status').filter({ hasText: 'Member is now Editor.' }).waitFor();

    // Both of the member's tabs follow: the group says the new role, the text becomes editable.
    await memberGroup.getByText(/Your role:\s*Editor/).waitFor();
    await memberText.getByRole('button', { name: 'Add clause', exact: true }).waitFor();
    expect(await memberText.locator('.read-only-reason').count()).toBe(0);
    await eventually(() => memberText.getByText(/Your role:\s*Editor/).count()).toBe(1);

    // The chair removes the observer: the observer's open draft of this private group is gone at once.
    const observerRow = chair.getByRole('listitem').filter({ hasText: users.observer.email });
    await observerRow.getByRole('button', { name: 'Remove Observer' }).click();
    await observerRow.getByRole('button', { name: 'Yes, remove Observer' }).click();
    await chair.getByRole('status').filter({ hasText: 'Observer was removed from the group.' }).waitFor();
    await observer.getByRole('heading', { level: 1, name: 'Definition not found' }).waitFor();
    expect(await observer.getByText('A clause.').count()).toBe(0);
    // And the member's group page lists one member fewer, by itself.
    await eventually(() => memberGroup.getByRole('listitem').filter({ hasText: users.observer.email }).count()).toBe(0);
    expect(app.problems).toEqual([]);
  });
});

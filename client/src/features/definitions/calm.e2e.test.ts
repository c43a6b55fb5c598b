import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestUser } from '../../../../server/test/support/app.ts';
import { eventually, isFocused, useBrowserApp } from '../../e2e-support.ts';

/** The definition reads as a document: few Tab stops per clause, formatting only where one writes, one menu per clause. */
describe('a calm document', () => {
  const app = useBrowserApp();

  async function open(user: TestUser, slug: string, id: string): Promise<Page> {
    const page = await app.signedInPage(user);
    await page.goto(`/groups/${slug}/definitions/${id}`);
    await page.getByRole('heading', { level: 1, name: 'Open Source AI Definition' }).waitFor();
    await page.getByRole('textbox', { name: 'Clause 3', exact: true }).waitFor();
    return page;
  }

  /** Which clause (by its data-clause-id) the focused element belongs to, or null outside the clauses. */
  const focusedClause = (page: Page) => page.evaluate(() => document.activeElement?.closest('[data-clause-id]')?.getAttribute('data-clause-id') ?? null);

  it('takes at most 3 Tab stops per clause, and shows the formatting toolbar only on the clause being edited', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id, clauseIds } = await app.definitionIn(slug, users.chair, ['Use the system.', 'Study how it works.', 'Modify it.']);
    const chair = await open(users.chair, slug, id);

    // Nobody is writing yet: no toolbar at all.
    expect(await chair.getByRole('toolbar').count()).toBe(0);

    // Tab from the first clause's text to the end of the text, counting the stops in each clause.
    await chair.getByRole('textbox', { name: 'Clause 1', exact: true }).focus();
    const stops = new Map<string, number>([[clauseIds[0]!, 1]]);
    for (let presses = 0; presses < 30; presses++) {
      await chair.keyboard.press('Tab');
      const clause = await focusedClause(chair);
      if (clause === null) break;
      stops.set(clause, (stops.get(clause) ?? 0) + 1);
      // While a clause's text has the focus, its own toolbar shows, and no other clause's.
      if (await chair.getByRole('textbox', { name: /^Clause \d$/ }).evaluateAll((boxes) => boxes.includes(document.activeElement as HTMLElement))) {
        const label = await chair.evaluate(() => document.activeElement?.getAttribute('aria-label'));
        expect(await chair.getByRole('toolbar').count()).toBe(1);
        expect(await chair.getByRole('toolbar').getAttribute('aria-label')).toBe(`Format ${label?.toLowerCase()}`);
      }
    }
    expect([...stops.keys()]).toEqual(clauseIds);
    for (const count of stops.values()) expect(count).toBeLessThanOrEqual(3);

    // The focus left the text: the toolbar went with it.
    await eventually(() => chair.getByRole('toolbar').count()).toBe(0);
    expect(app.problems).toEqual([]);
  });

  it('the text stays where it is when its toolbar appears: in the label row on wide screens, pinned to the bottom on phones', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id } = await app.definitionIn(slug, users.chair, ['Use the system.', 'Study how it works.', 'Modify it.']);
    for (const viewport of [
      { width: 1440, height: 900 },
      { width: 390, height: 844 },
    ]) {
      const page = await app.signedInPage(users.chair, { viewport });
      await page.goto(`/groups/${slug}/definitions/${id}`);
      const text = page.getByRole('textbox', { name: 'Clause 2', exact: true });
      await text.waitFor();
      // In the middle of the screen, where a person taps it (a phone shows two clauses above the fold).
      await text.evaluate((element) => element.scrollIntoView({ block: 'center' }));
      const before = (await text.boundingBox())!;
      await text.click();
      const toolbar = page.getByRole('toolbar', { name: 'Format clause 2' });
      await toolbar.waitFor();
      const after = (await text.boundingBox())!;
      expect(Math.abs(after.y - before.y), `${viewport.width} px`).toBeLessThanOrEqual(1);
      const bar = (await toolbar.boundingBox())!;
      if (viewport.width > 640) {
        // Level with the clause's label, above its text.
        const label = (await page.locator('.clause-editing .clause-label').boundingBox())!;
        expect(bar.y + bar.height).toBeLessThanOrEqual(after.y);
        expect(Math.abs(bar.y + bar.height / 2 - (label.y + label.height / 2))).toBeLessThanOrEqual(4);
      } else {
        expect(Math.round(bar.y + bar.height)).toBe(viewport.height);
        expect(bar.width).toBe(viewport.width);
      }
      await page.close();
    }
    expect(app.problems).toEqual([]);
  });

  it('opens the clause menu by keyboard: arrow keys move, Escape closes and returns the focus, delete asks in a dialog', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id } = await app.definitionIn(slug, users.chair, ['Use the system.', 'Study how it works.', 'Modify it.']);
    const chair = await open(users.chair, slug, id);

    const button = chair.getByRole('button', { name: 'Actions for clause 2' });
    expect(await button.getAttribute('aria-haspopup')).toBe('menu');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    await button.focus();
    await chair.keyboard.press('Enter');
    const menu = chair.getByRole('menu', { name: 'Actions for clause 2' });
    await menu.waitFor();
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    const items = menu.getByRole('menuitem');
    await eventually(() => isFocused(items.first())).toBe(true);
    expect(await items.allTextContents()).toContain('Delete…');
    await chair.keyboard.press('ArrowDown');
    expect(await isFocused(items.nth(1))).toBe(true);
    await chair.keyboard.press('End');
    expect(await isFocused(menu.getByRole('menuitem', { name: 'Delete clause 2' }))).toBe(true);
    await chair.keyboard.press('ArrowDown');
    expect(await isFocused(items.first())).toBe(true);
    await chair.keyboard.press('ArrowUp');
    expect(await isFocused(menu.getByRole('menuitem', { name: 'Delete clause 2' }))).toBe(true);

    await chair.keyboard.press('Escape');
    await eventually(() => menu.count()).toBe(0);
    expect(await isFocused(button)).toBe(true);
    expect(await button.getAttribute('aria-expanded')).toBe('false');

    // ArrowUp opens it on the last item; Enter on Delete asks first, in a dialog; Escape cancels back to the button.
    await chair.keyboard.press('ArrowUp');
    await eventually(() => isFocused(menu.getByRole('menuitem', { name: 'Delete clause 2' }))).toBe(true);
    await chair.keyboard.press('Enter');
    const dialog = chair.getByRole('alertdialog', { name: 'Delete clause 2?' });
    await dialog.waitFor();
    await eventually(() => isFocused(dialog.getByRole('button', { name: 'Cancel' }))).toBe(true);
    await chair.keyboard.press('Escape');
    await eventually(() => dialog.count()).toBe(0);
    await eventually(() => isFocused(button)).toBe(true);
    expect(await chair.getByRole('textbox', { name: 'Clause 3', exact: true }).count()).toBe(1);

    // Confirmed, the clause goes.
    await button.click();
    await menu.getByRole('menuitem', { name: 'Delete clause 2' }).click();
    await dialog.getByRole('button', { name: 'Delete clause 2' }).click();
    await chair.getByRole('status').filter({ hasText: 'Clause 2 deleted.' }).waitFor();
    await eventually(() => chair.getByRole('textbox', { name: 'Clause 3', exact: true }).count()).toBe(0);
    expect(app.problems).toEqual([]);
  });

  it('opens the new-comment form beside its clause on wide screens', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id } = await app.definitionIn(slug, users.chair, ['Use the system.', 'Study how it works.', 'Modify it.']);
    const member = await app.signedInPage(users.member, { viewport: { width: 1440, height: 900 } });
    await member.goto(`/groups/${slug}/definitions/${id}`);
    const clause = member.getByRole('textbox', { name: 'Clause 3', exact: true });
    await clause.waitFor();
    await member.getByRole('button', { name: 'Actions for clause 3' }).click();
    await member.getByRole('menuitem', { name: 'Comment in clause 3' }).click();
    const form = member.locator('form.new-thread');
    await form.waitFor();
    const [clauseBox, formBox] = [await clause.boundingBox(), await form.boundingBox()];
    // Beside the clause: to its right, starting within the clause's row.
    expect(formBox!.x).toBeGreaterThan(clauseBox!.x + clauseBox!.width);
    expect(Math.abs(formBox!.y - clauseBox!.y)).toBeLessThan(120);
    expect(app.problems).toEqual([]);
  });
});

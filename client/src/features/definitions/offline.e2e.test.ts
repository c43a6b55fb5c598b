import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PASSWORD, sessionCookieFrom, type TestUser } from '../../../../server/test/support/app.ts';
import { eventually, useBrowserApp } from '../../e2e-support.ts';

/** Edits made offline are kept in this browser (IndexedDB), per person, and survive a closed tab. */
describe('offline edits that survive a closed tab', () => {
  const app = useBrowserApp();

  async function definitionWith(slug: string, chair: TestUser, text: string) {
    const created = await app.t.request({
      method: 'POST',
      url: `/api/groups/${slug}/definitions`,
      as: chair,
      payload: { slug: `osaid-${randomBytes(3).toString('hex')}`, title: 'Open Source AI Definition' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect((await app.t.request({ method: 'POST', url: `/api/definitions/${id}/clauses`, as: chair, payload: { text } })).statusCode).toBeLessThan(300);
    return id;
  }

  const stored = async (id: string, as: TestUser) =>
    ((await app.t.request({ method: 'GET', url: `/api/definitions/${id}`, as })).json().clauses as { text: string }[]).map((clause) => clause.text);
  const connection = (page: Page) => page.locator('.connection').textContent();
  const clause = (page: Page) => page.getByRole('textbox', { name: 'Clause 1', exact: true });
  /** Updates this browser keeps for a person's copy of a definition. */
  const kept = (page: Page, userId: string, id: string) =>
    page.evaluate(
      (name) =>
        new Promise<number>((resolve) => {
          const request = indexedDB.open(name);
          request.onupgradeneeded = () => request.transaction?.abort();
          request.onerror = () => resolve(-1);
          request.onsuccess = () => {
            const db = request.result;
            if (!db.objectStoreNames.contains('updates')) return resolve(0);
            const count = db.transaction('updates', 'readonly').objectStore('updates').count();
            count.onsuccess = () => {
              resolve(count.result);
              db.close();
            };
          };
        }),
      `draftroom:${userId}:${id}`,
    );
  const storeNames = (page: Page) =>
    page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name).filter((name) => name?.startsWith('draftroom:')));

  async function openDefinition(context: BrowserContext, slug: string, id: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`/groups/${slug}/definitions/${id}`);
    await page.getByRole('heading', { level: 1, name: 'Open Source AI Definition' }).waitFor();
    return page;
  }

  /** Types offline in clause 1, waits until the browser has kept it, closes the tab. */
  async function typeOfflineAndClose(page: Page, user: TestUser, id: string, words: string) {
    await eventually(() => connection(page)).toBe('Saved');
    const before = await kept(page, user.user.id, id);
    await page.context().setOffline(true);
    await eventually(() => connection(page)).toMatch(/^Offline/);
    await clause(page).click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type(words);
    await eventually(() => connection(page)).toMatch(/^Offline — \d+ changes not saved yet — kept on this device; they will sync when you are back$/);
    await eventually(() => kept(page, user.user.id, id)).toBeGreaterThanOrEqual(before + words.length);
    await page.close();
  }

  it('a tab closed offline keeps its edits; reopened online, they are saved and reach the others', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const id = await definitionWith(slug, users.chair, 'Draft');
    const editor = await app.signedInPage(users.editor);
    await editor.goto(`/groups/${slug}/definitions/${id}`);
    const context = editor.context();
    await typeOfflineAndClose(editor, users.editor, id, ' kept');
    // Nothing reached the server: the edits exist only in this browser.
    expect(await stored(id, users.chair)).toEqual(['Draft']);

    const chair = await app.signedInPage(users.chair);
    await chair.goto(`/groups/${slug}/definitions/${id}`);
    await eventually(() => clause(chair).textContent()).toBe('Draft');

    await context.setOffline(false);
    const reopened = await openDefinition(context, slug, id);
    await eventually(() => connection(reopened)).toBe('Saved');
    await eventually(() => stored(id, users.chair)).toEqual(['Draft kept']);
    await eventually(() => clause(chair).textContent()).toBe('Draft kept');
    await eventually(() => clause(reopened).textContent()).toBe('Draft kept');
    expect(app.problems).toEqual([]);
  });

  it('another person on the same browser never loads or sends them; signing out deletes them', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const id = await definitionWith(slug, users.chair, 'Draft');
    const editorPage = await app.signedInPage(users.editor);
    await editorPage.goto(`/groups/${slug}/definitions/${id}`);
    const context = editorPage.context();
    await typeOfflineAndClose(editorPage, users.editor, id, ' private');
    await context.setOffline(false);

    // The chair (who may edit too) signs in on the same browser and opens the definition: the editor's words stay unsent.
    const signInAs = async (user: TestUser) => {
      await context.clearCookies();
      const separator = user.cookie.indexOf('=');
      await context.addCookies([
        { name: user.cookie.slice(0, separator), value: user.cookie.slice(separator + 1), url: app.baseUrl, httpOnly: true, sameSite: 'Lax' },
      ]);
    };
    await signInAs(users.chair);
    const member = await openDefinition(context, slug, id);
    await eventually(() => connection(member)).toBe('Saved');
    expect(await clause(member).textContent()).toBe('Draft');
    expect(await stored(id, users.chair)).toEqual(['Draft']);
    await member.close();

    // The editor comes back and signs out from a page without the definition: the kept copy is deleted.
    await signInAs(users.editor);
    const home = await context.newPage();
    await home.goto('/');
    expect(await storeNames(home)).toContain(`draftroom:${users.editor.user.id}:${id}`);
    await home
      .getByRole('button', { name: /Editor/ })
      .first()
      .click();
    await home.getByRole('button', { name: 'Sign out' }).click();
    await home.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).waitFor();
    await eventually(() => storeNames(home)).not.toContain(`draftroom:${users.editor.user.id}:${id}`);

    // Signed in again, nothing of it comes back or reaches the server.
    const login = await app.t.request({ method: 'POST', url: '/api/auth/login', payload: { email: users.editor.email, password: PASSWORD } });
    expect(login.statusCode).toBe(200);
    await signInAs({ ...users.editor, cookie: sessionCookieFrom(login) });
    const again = await openDefinition(context, slug, id);
    await eventually(() => connection(again)).toBe('Saved');
    expect(await clause(again).textContent()).toBe('Draft');
    expect(await stored(id, users.chair)).toEqual(['Draft']);
    expect(app.problems).toEqual([]);
  });
});

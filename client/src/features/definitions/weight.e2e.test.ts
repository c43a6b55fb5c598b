import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eventually, useBrowserApp } from '../../e2e-support.ts';

// Weight (issue 16, item 7): the editor stack (Tiptap, ProseMirror, Yjs) is a chunk of its own that
// only the definition pages load, and the client is served compressed without breaking live editing.

describe('the client loads only what a page needs, compressed', () => {
  const app = useBrowserApp();

  /** Every script the page requests from now on, with the encoding it came in. */
  function scriptsOf(page: Page) {
    const scripts: { url: string; encoding: string | undefined }[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.push({ url: response.url(), encoding: response.headers()['content-encoding'] });
    });
    return scripts;
  }
  const isEditorChunk = (url: string) => /\/assets\/editor-[\w-]+\.js$/.test(url);

  const textOf = (locator: Locator) =>
    locator.evaluate((element) => {
      const copy = element.cloneNode(true) as HTMLElement;
      for (const caret of copy.querySelectorAll('.collab-caret')) caret.remove();
      return copy.textContent;
    });

  it('sign-in, the front door and a group page do not request the editor chunk; the definition page does, compressed', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const visitor = await app.newPage();
    const seen = scriptsOf(visitor);
    await visitor.goto('/login');
    await visitor.getByRole('button', { name: 'Sign in' }).waitFor();
    await visitor.goto('/');
    await visitor.getByRole('main').waitFor();
    await visitor.waitForLoadState('networkidle');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((script) => isEditorChunk(script.url))).toEqual([]);

    const chair = await app.signedInPage(users.chair);
    const chairScripts = scriptsOf(chair);
    await chair.goto(`/groups/${slug}`);
    await chair.getByRole('heading', { level: 1 }).first().waitFor();
    await chair.waitForLoadState('networkidle');
    expect(chairScripts.filter((script) => isEditorChunk(script.url))).toEqual([]);

    const { id } = await app.definitionIn(slug, users.chair, ['Open Source AI is']);
    await chair.goto(`/groups/${slug}/definitions/${id}`);
    await chair.getByRole('textbox', { name: 'Clause 1', exact: true }).waitFor();
    const editorChunk = chairScripts.find((script) => isEditorChunk(script.url));
    expect(editorChunk?.encoding).toMatch(/^(br|gzip)$/);
  });

  it('carries none of the shared API schemas (TypeBox) in the scripts of the definition page', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id } = await app.definitionIn(slug, users.chair, ['Open Source AI is']);
    const chair = await app.signedInPage(users.chair);
    const bodies: Promise<string>[] = [];
    chair.on('response', (response) => {
      if (response.request().resourceType() === 'script') bodies.push(response.text());
    });
    await chair.goto(`/groups/${slug}/definitions/${id}`);
    await chair.getByRole('textbox', { name: 'Clause 1', exact: true }).waitFor();
    await chair.waitForLoadState('networkidle');
    const scripts = await Promise.all(bodies);
    expect(scripts.length).toBeGreaterThan(3);
    // Every TypeBox schema carries this key; the client uses only the constants and helpers beside them.
    expect(scripts.filter((script) => script.includes('~kind'))).toEqual([]);
  });

  it('shows the text as committed, formatted, before the editor has loaded; then the same clauses become live in place', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id } = await app.definitionIn(slug, users.chair, ['Preamble']);
    const rich = await app.t.request({
      method: 'POST',
      url: `/api/definitions/${id}/clauses`,
      as: users.chair,
      payload: {
        content: {
          type: 'doc',
          content: [
            {
              type: 'paragraph',
              content: [
                { type: 'text', text: 'Grants the freedoms to ' },
                { type: 'text', text: 'use', marks: [{ type: 'bold' }] },
                { type: 'text', text: ' <img src=x onerror=alert(1)>' },
              ],
            },
          ],
        },
      },
    });
    expect(rich.statusCode).toBe(201);

    // The editor chunk is held back: the page must show the text without it.
    const page = await app.signedInPage(users.member);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(/\/assets\/editor-[\w-]+\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`/groups/${slug}/definitions/${id}`);
    const clauses = page.getByRole('list', { name: 'Clauses' });
    await clauses.getByText('Grants the freedoms to').waitFor();
    expect(await clauses.getAttribute('aria-busy')).toBe('true');
    expect(await clauses.locator('strong').allTextContents()).toEqual(['use']);
    expect(await clauses.locator('img').count()).toBe(0);
    expect((await clauses.locator('.clause-label').allTextContents()).map((label) => label.trim())).toEqual(['Clause 1', 'Clause 2']);
    expect(await page.getByRole('textbox').count()).toBe(0);
    const before = (await clauses.locator('.clause-text').nth(1).boundingBox())!;

    release();
    const live = page.getByRole('textbox', { name: 'Clause 2', exact: true });
    await eventually(() => textOf(live)).toBe('Grants the freedoms to use <img src=x onerror=alert(1)>');
    expect(await clauses.getAttribute('aria-busy')).toBeNull();
    expect(await live.locator('strong').allTextContents()).toEqual(['use']);
    // Laid out the same: the text keeps its place and size, also once the discussion beside it has loaded.
    await page.getByRole('region', { name: 'Discussion' }).getByText('No open threads.', { exact: false }).waitFor();
    await eventually(() => page.getByRole('group', { name: 'Mode' }).getByRole('button', { name: 'Suggesting' }).isEnabled()).toBe(true);
    const after = (await live.boundingBox())!;
    expect(Math.abs(after.y - before.y)).toBeLessThanOrEqual(1);
    expect(Math.abs(after.x - before.x)).toBeLessThanOrEqual(1);
    expect(Math.abs(after.width - before.width)).toBeLessThanOrEqual(1);
    expect(Math.abs(after.height - before.height)).toBeLessThanOrEqual(1);
    expect(app.problems).toEqual([]);
  });

  it('the page itself asks for the definition page’s code and first two reads, and each is read once', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id } = await app.definitionIn(slug, users.chair, ['Open Source AI is']);
    const page = await app.signedInPage(users.member);
    // The live channel reads the definition again once it confirms the topic (the first read may predate
    // it): held here, so that every read of the definition counted below is one the page started itself.
    await page.routeWebSocket(/\/api\/live$/, () => {});
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    const response = await page.goto(`/groups/${slug}/definitions/${id}`);
    const html = await response!.text();
    expect(html).toContain('<link rel="preload" as="fetch" crossorigin="anonymous" href="/api/me">');
    expect(html).toContain(`<link rel="preload" as="fetch" crossorigin="anonymous" href="/api/definitions/${id}">`);
    expect(html).toMatch(/<link rel="modulepreload" crossorigin href="\/assets\/DefinitionPage-[\w-]+\.js">/);
    await page.getByRole('list', { name: 'Clauses' }).getByText('Open Source AI is').waitFor();
    // The page's own reads took the preloaded answers: a read that did not would be a second request.
    expect(requested.filter((path) => path === '/api/me')).toEqual(['/api/me']);
    expect(requested.filter((path) => path === `/api/definitions/${id}`)).toEqual([`/api/definitions/${id}`]);
    expect(app.problems).toEqual([]);
  });

  it('the definition page still edits live with compression on', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id } = await app.definitionIn(slug, users.chair, ['Open Source AI is']);
    const open = async (page: Page) => {
      await page.goto(`/groups/${slug}/definitions/${id}`);
      await eventually(() => page.locator('.connection').textContent()).toBe('Saved');
      return page;
    };
    const chair = await open(await app.signedInPage(users.chair));
    const editor = await open(await app.signedInPage(users.editor));
    const clause = chair.getByRole('textbox', { name: 'Clause 1', exact: true });
    await clause.click();
    await chair.keyboard.press('ControlOrMeta+End');
    await chair.keyboard.type(' an AI system');
    await eventually(() => textOf(editor.getByRole('textbox', { name: 'Clause 1', exact: true }))).toBe('Open Source AI is an AI system');
    await eventually(() => chair.locator('.connection').textContent()).toBe('Saved');
    expect(app.problems).toEqual([]);
  });
});

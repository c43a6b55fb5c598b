import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestUser } from '../../../../server/test/support/app.ts';
import { eventually, isFocused, tabTo, useBrowserApp } from '../../e2e-support.ts';

// Importing a definition from a file (issue 19, item 4): a new definition from Markdown, and the draft
// of an existing one replaced by a changed file, each shown before anything is written.

const SHOTS = '/tmp/shots-import';
const FIXTURE = path.resolve(import.meta.dirname, '../../../../server/src/imports/fixtures/osaid-like.md');
const TITLE = 'The Open Source AI Definition – 1.0';

describe('importing a definition from a file', () => {
  const app = useBrowserApp();
  mkdirSync(SHOTS, { recursive: true });

  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  const squash = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();
  const clauseText = (page: Page, name: string) =>
    page.getByRole('textbox', { name, exact: true }).evaluate((element) => {
      const copy = element.cloneNode(true) as HTMLElement;
      for (const caret of copy.querySelectorAll('.collab-caret')) caret.remove();
      return copy.textContent;
    });
  const draft = async (id: string, as: TestUser) =>
    (
      (await app.t.request({ method: 'GET', url: `/api/definitions/${id}`, as })).json().clauses as {
        id: string;
        kind: string;
        text: string;
        markdown: string;
      }[]
    ).map(({ kind, markdown }) => [kind, markdown]);

  /** The import page with the fixture chosen in its file input, at `width`. */
  async function previewed(user: TestUser, slug: string, width: number): Promise<Page> {
    const page = await app.signedInPage(user, { viewport: { width, height: 900 } });
    await page.goto(`/groups/${slug}`);
    const link = page.getByRole('link', { name: 'import a definition from a file' });
    await link.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/group-${width}.png` });
    await link.click();
    await page.getByRole('heading', { level: 2, name: 'Import a definition from a file' }).waitFor();
    await page.getByLabel('File', { exact: true }).setInputFiles(FIXTURE);
    await page.getByRole('heading', { name: 'Preview: 19 clauses from osaid-like.md' }).waitFor();
    return page;
  }

  it('previews the OSAID-like file — title, headings, the freedoms as a list — then creates it with those clauses', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const page = await previewed(users.editor, slug, 1440);

    expect(await page.getByLabel('Title').inputValue()).toBe(TITLE);
    expect(await page.getByLabel('Slug').inputValue()).toBe('the-open-source-ai-definition-1-0');
    expect(await page.getByLabel('Format').inputValue()).toBe('markdown');
    const clauses = page.getByRole('list', { name: 'Clauses to import' });
    expect(await clauses.getByRole('heading', { level: 4 }).allTextContents()).toEqual([
      'Preamble',
      'Why we need Open Source AI',
      'What is Open Source AI',
      'Preferred form to make modifications to machine-learning systems',
      'Open Source models and Open Source weights',
      'How this definition is maintained',
    ]);
    // The four freedoms: one clause holding a list, its words in bold.
    const freedoms = clauses.locator(':scope > li').nth(7);
    expect(squash(await freedoms.locator('.import-clause-label').textContent())).toBe('Clause 5');
    expect((await freedoms.locator('li strong').allTextContents()).map(squash)).toEqual(['Use', 'Study', 'Modify', 'Share']);
    // The three components, with their nested lists and the link kept.
    const components = clauses.locator(':scope > li').nth(11);
    expect((await components.locator(':scope .import-clause-body > ul > li > strong').allTextContents()).map(squash)).toEqual([
      'Data information:',
      'Code:',
      'Parameters:',
    ]);
    expect(await components.locator('ul ul li').count()).toBe(6);
    expect(await clauses.getByRole('link', { name: 'Open Source Initiative' }).getAttribute('href')).toBe('https://opensource.org/licenses');
    await page.getByText('Left out on purpose (1)').click();
    expect(squash(await page.locator('.import-stripped li').textContent())).toBe(`The first heading, “${TITLE}”, is the title, not a clause.`);
    expect(await overflow(page)).toBe(0);
    await page.screenshot({ path: `${SHOTS}/preview-1440.png`, fullPage: true });

    // At 390 px: the same preview, nothing wider than the screen.
    const phone = await previewed(users.chair, slug, 390);
    expect(await overflow(phone)).toBe(0);
    await phone.screenshot({ path: `${SHOTS}/preview-390.png` });
    await phone.getByRole('list', { name: 'Clauses to import' }).scrollIntoViewIfNeeded();
    await phone.screenshot({ path: `${SHOTS}/preview-clauses-390.png` });

    // A format read wrongly can be changed: as plain text, the same file is other clauses.
    await page.getByLabel('Format').selectOption('text');
    await page.getByRole('heading', { name: /^Preview: \d+ clauses from osaid-like\.md$/ }).waitFor();
    expect(await page.getByRole('list', { name: 'Clauses to import' }).getByRole('heading').count()).toBe(0);
    await page.getByLabel('Format').selectOption('markdown');
    await page.getByRole('heading', { name: 'Preview: 19 clauses from osaid-like.md' }).waitFor();

    await page.getByRole('button', { name: 'Create the definition' }).click();
    await page.waitForURL(new RegExp(`/groups/${slug}/definitions/[0-9a-f-]{36}$`));
    const id = page.url().split('/').at(-1)!;
    await eventually(() => clauseText(page, 'Heading 1')).toBe('Preamble');
    await eventually(() => clauseText(page, 'Clause 5')).toMatch(/^Use the system for any purpose/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
    const created = await draft(id, users.chair);
    expect(created).toHaveLength(19);
    expect(created[7]![1]).toMatch(/^\* \*\*Use\*\* the system/);
    expect(app.problems).toEqual([]);
  });

  it('replaces the draft from a changed file: the changes first, refused once the draft moved on, then applied and offered for publishing', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const created = await app.t.request({
      method: 'POST',
      url: `/api/groups/${slug}/definitions/import`,
      as: users.chair,
      payload: { format: 'markdown', source: readFileSync(FIXTURE, 'utf8') },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const before = (await app.t.request({ method: 'GET', url: `/api/definitions/${id}`, as: users.chair })).json().clauses as { id: string; text: string }[];
    const thread = await app.t.request({
      method: 'POST',
      url: `/api/definitions/${id}/threads`,
      as: users.member,
      payload: { clauseId: before[12]!.id, body: 'Which licences count?' },
    });
    expect(thread.statusCode).toBe(201);

    // Version 1.1 of the file: a reworded clause, one removed, one added.
    const changed = readFileSync(FIXTURE, 'utf8')
      .replace('Each of these elements must be available under terms approved', 'Each of these elements must be released under terms approved')
      .replace('Releasing weights alone does not make a system Open Source AI: the freedoms need every element above.\n\n', '')
      .concat('\nThis version replaces every earlier one.\n');
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'draftroom-import-')), 'osaid-like-1.1.md');
    writeFileSync(file, changed);

    const page = await app.signedInPage(users.chair, { viewport: { width: 1440, height: 900 } });
    await page.goto(`/groups/${slug}/definitions/${id}/versions`);
    await page.getByRole('link', { name: 'Replace the draft from a file…' }).click();
    await page.getByRole('heading', { level: 2, name: 'Replace the draft from a file' }).waitFor();
    await page.getByLabel('File', { exact: true }).setInputFiles(file);
    const summary = page.getByRole('heading', { name: 'Changes from osaid-like-1.1.md: 1 modified, 1 added, 1 removed, 0 moved, 17 unchanged' });
    await summary.waitFor();
    const changes = page.getByRole('list', { name: 'Changes the import would make' });
    const modified = changes.locator('.diff-clause-modified');
    expect(squash(await modified.locator('.diff-clause-title').textContent())).toBe('Clause 9 Modified');
    expect(await modified.locator('del').allTextContents()).toEqual(['available']);
    expect(await modified.locator('ins').allTextContents()).toEqual(['released']);
    expect(squash(await changes.locator('.diff-clause-removed').textContent())).toContain('Releasing weights alone does not make a system Open Source AI');
    expect(squash(await changes.locator('.diff-clause-added').textContent())).toContain('This version replaces every earlier one.');
    expect(await overflow(page)).toBe(0);
    await page.screenshot({ path: `${SHOTS}/diff-1440.png`, fullPage: true });

    const phone = await app.signedInPage(users.editor, { viewport: { width: 390, height: 844 } });
    await phone.goto(`/groups/${slug}/definitions/${id}/import`);
    await phone.getByLabel('File', { exact: true }).setInputFiles(file);
    await phone.getByRole('heading', { name: /^Changes from osaid-like-1\.1\.md: 1 modified/ }).waitFor();
    expect(await overflow(phone)).toBe(0);
    await phone.screenshot({ path: `${SHOTS}/diff-390.png` });
    await phone.getByRole('list', { name: 'Changes the import would make' }).scrollIntoViewIfNeeded();
    await phone.screenshot({ path: `${SHOTS}/diff-list-390.png` });

    // Someone edits meanwhile: applying the comparison is refused, nothing is written; comparing again shows the draft as it is.
    const edited = await app.t.request({
      method: 'PUT',
      url: `/api/definitions/${id}/clauses/${before[2]!.id}`,
      as: users.editor,
      payload: { text: 'Openness changed.' },
    });
    expect(edited.statusCode).toBe(200);
    const apply = page.getByRole('button', { name: 'Replace the draft with these changes' });
    await tabTo(page, apply, 40);
    await page.keyboard.press('Enter');
    await eventually(() => page.getByRole('alert').filter({ hasText: 'Someone changed the draft' }).count()).toBe(1);
    expect((await draft(id, users.chair))[2]).toEqual(['clause', 'Openness changed.']);
    await page.getByRole('button', { name: 'Compare again' }).click();
    await page.getByRole('heading', { name: 'Changes from osaid-like-1.1.md: 2 modified, 1 added, 1 removed, 0 moved, 16 unchanged' }).waitFor();

    await page.getByRole('button', { name: 'Replace the draft with these changes' }).click();
    const done = page.getByRole('heading', { name: 'The draft now reads as the file' });
    await eventually(() => isFocused(done)).toBe(true);
    expect(await page.getByRole('list', { name: 'Changes made' }).locator('.diff-clause-added').count()).toBe(1);
    const after = (await app.t.request({ method: 'GET', url: `/api/definitions/${id}`, as: users.chair })).json().clauses as { id: string; text: string }[];
    expect(after.map((clause) => clause.text)).toContain('This version replaces every earlier one.');
    expect(after[2]!.text).toBe(before[2]!.text);
    // The reworded clause kept its id, and its thread.
    expect(after[12]!.id).toBe(before[12]!.id);
    expect(after[12]!.text).toMatch(/^Each of these elements must be released under terms approved/);
    await page.screenshot({ path: `${SHOTS}/applied-1440.png` });

    // The next step, for a chair: publish it as a version.
    await page.getByRole('button', { name: 'Publish a version' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish a version' });
    await dialog.getByLabel('Label').fill('1.1');
    await dialog.getByRole('button', { name: 'Publish version' }).click();
    await eventually(() => page.getByRole('status').filter({ hasText: 'Version 1.1 published.' }).count()).toBe(1);
    const versions = (await app.t.request({ method: 'GET', url: `/api/definitions/${id}/versions`, as: users.member })).json().versions;
    expect(versions.map((version: { label: string; clauseCount: number }) => [version.label, version.clauseCount])).toEqual([['1.1', 19]]);

    // The live text shows the new wording.
    await page.getByRole('link', { name: 'Go to the text' }).click();
    await eventually(() => clauseText(page, 'Clause 9')).toMatch(/^Each of these elements must be released/);
    expect(app.problems).toEqual([]);
  });
});

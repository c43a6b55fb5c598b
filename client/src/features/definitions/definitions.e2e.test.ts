import { randomBytes } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestUser } from '../../../../server/test/support/app.ts';
import { descriptionOf, eventually, isFocused, useBrowserApp } from '../../e2e-support.ts';

describe('definitions and live co-editing in the browser', () => {
  const app = useBrowserApp();

  async function definitionIn(slug: string, chair: TestUser, clauses: { kind?: 'heading' | 'clause'; text: string }[] = []) {
    const created = await app.t.request({
      method: 'POST',
      url: `/api/groups/${slug}/definitions`,
      as: chair,
      payload: { slug: `osaid-${randomBytes(3).toString('hex')}`, title: 'Open Source AI Definition' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    for (const clause of clauses) {
      const inserted = await app.t.request({ method: 'POST', url: `/api/definitions/${id}/clauses`, as: chair, payload: clause });
      expect(inserted.statusCode).toBeLessThan(300);
    }
    return id;
  }

  async function open(user: TestUser, slug: string, id: string): Promise<Page> {
    const page = await app.signedInPage(user);
    await page.goto(`/groups/${slug}/definitions/${id}`);
    await page.getByRole('heading', { level: 1, name: 'Open Source AI Definition' }).waitFor();
    return page;
  }

  const connection = (page: Page) => page.locator('.connection').textContent();
  /** A clause's text as its readers get it: without the collaborators' caret labels drawn inside. */
  const textOf = (locator: Locator) =>
    locator.evaluate((element) => {
      const copy = element.cloneNode(true) as HTMLElement;
      for (const caret of copy.querySelectorAll('.collab-caret')) caret.remove();
      return copy.textContent;
    });
  const clauseText = (page: Page, name: string) => textOf(page.getByRole('textbox', { name, exact: true }));
  const storedClauses = async (id: string, as: TestUser) =>
    (await app.t.request({ method: 'GET', url: `/api/definitions/${id}`, as })).json().clauses as { kind: string; text: string }[];

  it('a chair starts a definition from the group page, and a slug problem is shown next to the slug', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const page = await app.signedInPage(users.chair);
    await page.goto(`/groups/${slug}`);
    const section = page.getByRole('region', { name: 'Definitions' });
    await section.getByText('No definition has been started yet.').waitFor();

    await section.getByLabel('Title').fill('Open Source AI Definition');
    expect(await section.getByLabel('Slug').inputValue()).toBe('open-source-ai-definition');
    const slugField = section.getByLabel('Slug');
    await slugField.fill('No');
    await section.getByRole('button', { name: 'Start definition' }).click();
    await eventually(() => descriptionOf(slugField)).toContain('at least 3 characters');
    await eventually(() => isFocused(slugField)).toBe(true);

    await slugField.fill('osaid');
    await section.getByRole('button', { name: 'Start definition' }).click();
    await page.getByRole('heading', { level: 1, name: 'Open Source AI Definition' }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(new RegExp(`^/groups/${slug}/definitions/[0-9a-f-]{36}$`));
    await eventually(() => connection(page)).toBe('Saved');
    await page.getByText('There is no text yet.').waitFor();

    // The same slug again in this group: the server's answer lands on the slug field.
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: slug }).click();
    await section.getByRole('link', { name: 'Open Source AI Definition' }).waitFor();
    expect(await section.textContent()).toContain('Drafting');
    await section.getByLabel('Title').fill('Another');
    await slugField.fill('osaid');
    await section.getByRole('button', { name: 'Start definition' }).click();
    await eventually(() => slugField.getAttribute('aria-invalid')).toBe('true');
    expect((await descriptionOf(slugField)).length).toBeGreaterThan(0);

    // A member sees the list but no form.
    const member = await app.signedInPage(users.member);
    await member.goto(`/groups/${slug}`);
    await member.getByRole('region', { name: 'Definitions' }).getByRole('link', { name: 'Open Source AI Definition' }).waitFor();
    expect(await member.getByRole('button', { name: 'Start definition' }).count()).toBe(0);

    expect(app.problems).toEqual([]);
  });

  it('a chair and an editor type into the same clause and see each other’s text and caret; the text is stored', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const id = await definitionIn(slug, users.chair);
    const chair = await open(users.chair, slug, id);
    const editor = await open(users.editor, slug, id);
    await eventually(() => connection(chair)).toBe('Saved');
    await eventually(() => connection(editor)).toBe('Saved');

    // The chair adds the first clause; the focus goes into it.
    await chair.getByRole('button', { name: 'Add clause', exact: true }).click();
    const chairClause = chair.getByRole('textbox', { name: 'Clause 1', exact: true });
    await eventually(() => isFocused(chairClause)).toBe(true);
    await chair.keyboard.type('Open Source AI is');
    await eventually(() => clauseText(editor, 'Clause 1')).toBe('Open Source AI is');
    await eventually(() => connection(chair)).toBe('Saved');

    // The editor continues the same clause.
    const editorClause = editor.getByRole('textbox', { name: 'Clause 1', exact: true });
    await editorClause.click();
    await editor.keyboard.press('ControlOrMeta+End');
    await editor.keyboard.type(' an AI system');
    await eventually(() => clauseText(chair, 'Clause 1')).toBe('Open Source AI is an AI system');
    await eventually(() => connection(editor)).toBe('Saved');

    // Each sees the other: a named caret in the clause, and in the list of who is here.
    await chair.locator('.collab-caret-label', { hasText: 'Editor' }).waitFor();
    await editor.locator('.collab-caret-label', { hasText: 'Chair' }).waitFor();
    expect(await chair.locator('.collaborators').textContent()).toContain('Editor');
    expect(await editor.locator('.collaborators').textContent()).toContain('Chair');
    // A stable colour per person: the chair's caret has the same colour class in both pages' eyes.
    const chairColor = await editor.locator('.collab-caret', { hasText: 'Chair' }).getAttribute('class');
    expect(await chair.locator('.collaborators li', { hasText: 'Editor' }).getAttribute('class')).toMatch(/collab-color-\d/);
    expect(chairColor).toMatch(/collab-color-\d/);

    // Formatting from the keyboard: the toolbar is reached with Alt+F10 and left with Escape.
    await editor.keyboard.press('Alt+F10');
    const bold = editor.getByRole('toolbar', { name: 'Format clause 1' }).getByRole('button', { name: 'Bold' });
    await eventually(() => isFocused(bold)).toBe(true);
    await editor.keyboard.press('Enter');
    // Tiptap hands the focus back to the text on the next frame; type only once it is there.
    await eventually(() => isFocused(editor.getByRole('textbox', { name: 'Clause 1', exact: true }))).toBe(true);
    await editor.keyboard.type('!');
    await eventually(() => chair.getByRole('textbox', { name: 'Clause 1', exact: true }).locator('strong').textContent()).toBe('!');

    // PostgreSQL's mirror catches up shortly after the change.
    await eventually(async () => (await storedClauses(id, users.chair)).map((clause) => clause.text)).toEqual(['Open Source AI is an AI system!']);

    // Leaving the page closes the socket: the other side sees the person go.
    await editor.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: slug }).click();
    await editor.getByRole('region', { name: 'Definitions' }).waitFor();
    await eventually(() => chair.locator('.collaborators').count()).toBe(0);
    expect(await chair.locator('.collab-caret').count()).toBe(0);

    expect(app.problems).toEqual([]);
  });

  it('adding, moving and deleting clauses shows in the other browser, ids moving and bodies kept', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const id = await definitionIn(slug, users.chair, [{ text: 'Alpha' }, { text: 'Beta' }]);
    const chair = await open(users.chair, slug, id);
    const editor = await open(users.editor, slug, id);
    await eventually(() => clauseText(editor, 'Clause 2')).toBe('Beta');
    await eventually(() => clauseText(chair, 'Clause 2')).toBe('Beta');

    // Move clause 2 up from its menu: the focus follows the clause (its menu button), the other page follows.
    await chair.getByRole('button', { name: 'Actions for clause 2' }).click();
    await chair.getByRole('menuitem', { name: 'Move clause 2 up' }).click();
    await eventually(() => clauseText(chair, 'Clause 1')).toBe('Beta');
    await eventually(() => clauseText(editor, 'Clause 1')).toBe('Beta');
    expect(await clauseText(editor, 'Clause 2')).toBe('Alpha');
    await eventually(() => isFocused(chair.getByRole('button', { name: 'Actions for clause 1' }))).toBe(true);
    await chair.keyboard.press('Enter');
    expect(await chair.getByRole('menuitem', { name: 'Move clause 1 up' }).getAttribute('aria-disabled')).toBe('true');
    await chair.keyboard.press('Escape');

    // The editor adds a heading above everything... by adding it below clause 2 and moving it.
    await editor.getByRole('button', { name: 'Actions for clause 2' }).click();
    await editor.getByRole('menuitem', { name: 'Add heading below clause 2' }).click();
    const heading = editor.getByRole('textbox', { name: 'Heading 1', exact: true });
    await eventually(() => isFocused(heading)).toBe(true);
    await editor.keyboard.type('Scope');
    await eventually(() => clauseText(chair, 'Heading 1')).toBe('Scope');
    expect(await chair.getByRole('heading', { level: 2, name: 'Scope' }).count()).toBe(1);

    // Deleting asks first; the other page loses the clause.
    const actions = chair.getByRole('button', { name: 'Actions for clause 2' });
    await actions.click();
    await chair.getByRole('menuitem', { name: 'Delete clause 2' }).click();
    const confirm = chair.getByRole('alertdialog', { name: 'Delete clause 2?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await eventually(() => isFocused(actions)).toBe(true);
    await actions.click();
    await chair.getByRole('menuitem', { name: 'Delete clause 2' }).click();
    await confirm.getByRole('button', { name: 'Delete clause 2' }).click();
    await chair.getByRole('status').filter({ hasText: 'Clause 2 deleted.' }).waitFor();
    await eventually(() => editor.getByRole('textbox', { name: 'Clause 2', exact: true }).count()).toBe(0);
    expect(await clauseText(editor, 'Clause 1')).toBe('Beta');

    await eventually(async () => (await storedClauses(id, users.editor)).map((clause) => `${clause.kind}:${clause.text}`)).toEqual([
      'clause:Beta',
      'heading:Scope',
    ]);
    expect(app.problems).toEqual([]);
  });

  it('members and observers read the live text without editing, and are told why; chairs rename and change status', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const id = await definitionIn(slug, users.chair, [{ kind: 'heading', text: 'Preamble' }, { text: 'We need a definition.' }]);
    const member = await open(users.member, slug, id);
    await member.getByText('You are a member: propose amendments instead of editing.').waitFor();
    const clause = member.getByRole('textbox', { name: 'Clause 1', exact: true });
    await eventually(() => textOf(clause)).toBe('We need a definition.');
    expect(await clause.getAttribute('aria-readonly')).toBe('true');
    expect(await clause.getAttribute('contenteditable')).toBe('false');
    expect(await member.getByRole('heading', { level: 2, name: 'Preamble' }).count()).toBe(1);
    expect(await member.getByRole('toolbar').count()).toBe(0);
    expect(await member.getByRole('button', { name: 'Add clause', exact: true }).count()).toBe(0);
    expect(await member.getByRole('button', { name: 'Rename the definition' }).count()).toBe(0);
    expect(await member.getByLabel('Status').count()).toBe(0);

    const observer = await open(users.observer, slug, id);
    await observer.getByText(/You are an observer/).waitFor();

    // A chair's edit reaches the reader live.
    const chair = await open(users.chair, slug, id);
    await chair.getByRole('textbox', { name: 'Clause 1', exact: true }).click();
    await chair.keyboard.press('ControlOrMeta+End');
    await chair.keyboard.type(' Now.');
    await eventually(() => textOf(clause)).toBe('We need a definition. Now.');
    await eventually(() => clauseText(observer, 'Clause 1')).toBe('We need a definition. Now.');

    // Rename and status, for the chair.
    await chair.getByRole('button', { name: 'Rename the definition' }).click();
    await chair.getByLabel('Title').fill('OSAID 1.0');
    await chair.getByRole('button', { name: 'Save title' }).click();
    await chair.getByRole('heading', { level: 1, name: 'OSAID 1.0' }).waitFor();
    await eventually(() => isFocused(chair.getByRole('button', { name: 'Rename the definition' }))).toBe(true);
    await chair.getByLabel('Status').selectOption('public-comment');
    await chair.getByRole('button', { name: 'Change status' }).click();
    await chair.getByRole('status').filter({ hasText: 'The status is now Public comment.' }).waitFor();
    const stored = (await app.t.request({ method: 'GET', url: `/api/definitions/${id}`, as: users.member })).json();
    expect({ title: stored.title, status: stored.status }).toEqual({ title: 'OSAID 1.0', status: 'public-comment' });

    expect(app.problems).toEqual([]);
  });

  it('keeps changes made offline, says so, and saves them when the connection is back', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const id = await definitionIn(slug, users.chair, [{ text: 'Draft' }]);
    const page = await open(users.editor, slug, id);
    await eventually(() => connection(page)).toBe('Saved');
    await page.context().setOffline(true);
    await eventually(() => connection(page)).toBe('Offline — your changes are kept and will sync');
    await page.getByRole('textbox', { name: 'Clause 1', exact: true }).click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type(' kept');
    await page.context().setOffline(false);
    await eventually(() => connection(page)).toBe('Saved');
    await eventually(async () => (await storedClauses(id, users.chair)).map((clause) => clause.text)).toEqual(['Draft kept']);
    expect(app.problems).toEqual([]);
  });
});

import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestUser } from '../../../../server/test/support/app.ts';
import { descriptionOf, eventually, isFocused, useBrowserApp } from '../../e2e-support.ts';

describe('versions, comparisons, history and blame in the browser', () => {
  const app = useBrowserApp();

  const { definitionIn } = app;

  async function open(user: TestUser, path: string): Promise<Page> {
    const page = await app.signedInPage(user);
    await page.goto(path);
    await page.getByRole('heading', { level: 1, name: 'Open Source AI Definition' }).waitFor();
    return page;
  }

  const section = (page: Page, name: string) => page.getByRole('navigation', { name: 'Definition sections' }).getByRole('link', { name, exact: true });
  const connection = (page: Page) => page.locator('.connection').textContent();
  /** A clause's text without the collaborators' caret labels drawn inside it. */
  const clauseText = (page: Page, name: string) =>
    page.getByRole('textbox', { name, exact: true }).evaluate((element) => {
      const copy = element.cloneNode(true) as HTMLElement;
      for (const caret of copy.querySelectorAll('.collab-caret')) caret.remove();
      return copy.textContent;
    });
  const texts = (locator: Locator) => locator.allTextContents();

  it('a chair publishes 0.1 and 0.2 around an edit, compares them, sees who wrote what and the history, and restores a clause', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    // The editor writes the first text (through the API), the chair continues it in the browser.
    const { id } = await definitionIn(slug, users.editor, ['Open Source AI is an AI system', 'It grants the freedoms.']);
    const base = `/groups/${slug}/definitions/${id}`;
    const chair = await open(users.chair, base);
    await eventually(() => clauseText(chair, 'Clause 1')).toBe('Open Source AI is an AI system');

    // Publish 0.1 from the dialog: the focus starts in it, and comes back to the button after.
    await section(chair, 'Versions').click();
    await chair.getByText('No version has been published yet.').waitFor();
    const publish = chair.getByRole('button', { name: 'Publish a version' });
    await publish.click();
    const dialog = chair.getByRole('dialog', { name: 'Publish a version' });
    const label = dialog.getByLabel('Label', { exact: true });
    await eventually(() => isFocused(label)).toBe(true);
    await label.fill('0.1');
    await dialog.getByLabel('Release notes').fill('First public draft.');
    await dialog.getByRole('button', { name: 'Publish version' }).click();
    await chair.getByRole('status').filter({ hasText: 'Version 0.1 published.' }).waitFor();
    expect(await dialog.count()).toBe(0);
    await eventually(() => isFocused(publish)).toBe(true);
    const first = chair.getByRole('listitem').filter({ has: chair.getByRole('heading', { name: 'Version 0.1' }) });
    expect(await first.textContent()).toContain('First public draft.');
    expect(await first.textContent()).toContain('Published by Chair');
    expect(await first.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await first.locator('time').textContent()).toMatch(/UTC \(.+ your time\)/);
    const markdown = first.getByRole('link', { name: 'Download version 0.1 as Markdown' });
    expect(await markdown.getAttribute('href')).toBe(`/api/definitions/${id}/versions/0.1?format=md`);

    // The same label again: the server's conflict lands on the field; Escape closes, focus returns.
    await publish.click();
    await label.fill('0.1');
    await dialog.getByRole('button', { name: 'Publish version' }).click();
    await eventually(() => label.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(label)).toContain('already exists');
    await chair.keyboard.press('Escape');
    await eventually(() => dialog.count()).toBe(0);
    await eventually(() => isFocused(publish)).toBe(true);

    // The chair edits the live text, then publishes 0.2.
    await section(chair, 'Text').click();
    const clause = chair.getByRole('textbox', { name: 'Clause 1', exact: true });
    await clause.click();
    await chair.keyboard.press('ControlOrMeta+End');
    await chair.keyboard.type(' that grants four freedoms');
    await eventually(() => connection(chair)).toBe('Saved');
    await section(chair, 'Versions').click();
    await publish.click();
    await label.fill('0.2');
    await dialog.getByRole('button', { name: 'Publish version' }).click();
    await chair.getByRole('status').filter({ hasText: 'Version 0.2 published.' }).waitFor();
    await eventually(() => chair.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['Version 0.2', 'Version 0.1']);

    // The diff between them: the new words inserted, the unchanged clause folded.
    await chair.getByRole('link', { name: 'Changes since version 0.1' }).click();
    await chair.getByRole('heading', { name: 'Compare version 0.1 with version 0.2' }).waitFor();
    expect(await chair.locator('.diff-summary').textContent()).toContain('1 modified, 0 added, 0 removed, 0 moved, 1 unchanged');
    const changed = chair.locator('.diff-clause').filter({ hasText: 'Clause 1' });
    expect(await changed.locator('.diff-badge').textContent()).toBe('Modified');
    expect((await texts(changed.locator('ins'))).map((text) => text.trim())).toEqual(['that grants four freedoms']);
    expect(await changed.locator('del').count()).toBe(0);
    // Comparing two versions changes nothing in the draft: no restore there.
    expect(await chair.getByRole('button', { name: /^Restore/ }).count()).toBe(0);
    const fold = chair.getByRole('button', { name: 'Show 1 unchanged clause' });
    expect(await chair.getByText('It grants the freedoms.').isVisible()).toBe(false);
    await fold.click();
    expect(await chair.getByRole('button', { name: 'Hide 1 unchanged clause' }).getAttribute('aria-expanded')).toBe('true');
    await chair.getByText('It grants the freedoms.').waitFor();

    // Blame: two authors, each part named on hover (title) and on focus.
    await section(chair, 'Text').click();
    await chair.getByRole('button', { name: 'Actions for clause 1' }).click();
    await chair.getByRole('menuitem', { name: 'Who wrote clause 1' }).click();
    const blame = chair.getByRole('region', { name: 'Who wrote clause 1' });
    await eventually(() => texts(blame.getByRole('list', { name: 'Authors of clause 1' }).getByRole('listitem'))).toEqual(['Editor', 'Chair']);
    const byChair = blame.locator('mark[data-author="Chair"]');
    expect((await texts(byChair)).join('')).toContain('that grants four freedoms');
    expect((await texts(blame.locator('mark[data-author="Editor"]'))).join('')).toContain('Open Source AI is an AI system');
    expect(await byChair.first().getAttribute('title')).toMatch(/^Chair, .+ UTC$/);
    expect(await byChair.first().getAttribute('class')).toMatch(/blame-author-1/);

    // The clause's history: the chair's edit with its words, and the versions as milestones.
    await chair.getByRole('button', { name: 'Actions for clause 1' }).click();
    await chair.getByRole('menuitem', { name: 'History of clause 1' }).click();
    const history = chair.getByRole('region', { name: 'History of clause 1' });
    const edit = history.locator('.history-entry').filter({ hasText: 'Chair edited' });
    await eventually(async () => (await texts(edit.locator('ins'))).join(' ')).toContain('four freedoms');
    expect(await texts(history.locator('.history-milestone .badge'))).toEqual(['Version 0.2', 'Version 0.1']);
    // The clause's menu now offers to hide it again.
    await chair.getByRole('button', { name: 'Actions for clause 1' }).click();
    await chair.getByRole('menuitem', { name: 'Hide history of clause 1' }).waitFor();
    await chair.keyboard.press('Escape');

    // An editor reads along while the chair restores clause 1 from 0.1 on the comparison with now.
    const editor = await open(users.editor, base);
    await eventually(() => clauseText(editor, 'Clause 1')).toBe('Open Source AI is an AI system that grants four freedoms');
    await section(chair, 'Compare').click();
    await chair.getByLabel('From').selectOption('0.1');
    await chair.getByRole('heading', { name: 'Compare version 0.1 with the current draft' }).waitFor();
    // Restoring asks first; Cancel changes nothing.
    await chair.getByRole('button', { name: 'Restore clause 1 from version 0.1' }).click();
    const confirmation = chair.getByRole('alertdialog', { name: 'Restore clause 1 from version 0.1?' });
    await confirmation.getByRole('button', { name: 'Cancel' }).click();
    await eventually(() => confirmation.count()).toBe(0);
    expect(await clauseText(editor, 'Clause 1')).toBe('Open Source AI is an AI system that grants four freedoms');
    await chair.getByRole('button', { name: 'Restore clause 1 from version 0.1' }).click();
    await confirmation.getByRole('button', { name: 'Restore clause 1' }).click();
    await chair.getByRole('status').filter({ hasText: 'Clause 1 restored from version 0.1.' }).waitFor();
    await eventually(() => clauseText(editor, 'Clause 1')).toBe('Open Source AI is an AI system');
    await eventually(() => chair.locator('.diff-summary').textContent()).toContain('0 modified');
    expect(new URL(chair.url()).search).toBe('?from=0.1&to=current');

    // The whole definition's history: the versions as milestones, and the editor's first text by clause.
    await section(chair, 'History').click();
    const whole = chair.getByRole('region', { name: 'History' });
    await eventually(() => texts(whole.locator('.history-milestone .badge'))).toEqual(['Version 0.2', 'Version 0.1']);
    const created = whole.locator('.history-entry').filter({ hasText: 'Editor edited' });
    expect(await texts(created.locator('.history-change'))).toEqual(['Clause 1 created', 'Clause 2 created']);
    expect(await texts(created.locator('ins'))).toEqual(['Open Source AI is an AI system', 'It grants the freedoms.']);

    expect(app.problems).toEqual([]);
  });

  it('a chair resets the whole draft to a version after confirming; members see versions without the chair’s buttons', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id, clauseIds } = await definitionIn(slug, users.chair, ['Alpha']);
    const published = await app.t.request({
      method: 'POST',
      url: `/api/definitions/${id}/versions`,
      as: users.chair,
      payload: { label: '1.0-RC1', notes: 'Release candidate.\nSecond line.' },
    });
    expect(published.statusCode).toBe(201);
    const replaced = await app.t.request({ method: 'PUT', url: `/api/definitions/${id}/clauses/${clauseIds[0]}`, as: users.editor, payload: { text: 'Beta' } });
    expect(replaced.statusCode).toBe(200);

    const base = `/groups/${slug}/definitions/${id}`;
    const member = await open(users.member, `${base}/versions`);
    await member.getByRole('heading', { name: 'Version 1.0-RC1' }).waitFor();
    expect(await member.locator('.version-notes').textContent()).toBe('Release candidate.\nSecond line.');
    expect(await member.getByRole('button', { name: 'Publish a version' }).count()).toBe(0);
    expect(await member.getByRole('button', { name: /^Reset/ }).count()).toBe(0);
    await section(member, 'Text').click();
    await eventually(() => clauseText(member, 'Clause 1')).toBe('Beta');

    const chair = await open(users.chair, `${base}/versions`);
    const reset = chair.getByRole('button', { name: 'Reset the definition to version 1.0-RC1' });
    await reset.click();
    const confirm = chair.getByRole('button', { name: 'Yes, reset to version 1.0-RC1' });
    await eventually(() => isFocused(confirm)).toBe(true);
    await chair.getByRole('button', { name: 'Cancel' }).click();
    await eventually(() => isFocused(reset)).toBe(true);
    await reset.click();
    await confirm.click();
    await chair.getByRole('status').filter({ hasText: 'The draft has been reset to version 1.0-RC1.' }).waitFor();
    await eventually(() => isFocused(reset)).toBe(true);
    // The member's live editor follows without a reload.
    await eventually(() => clauseText(member, 'Clause 1')).toBe('Alpha');

    expect(app.problems).toEqual([]);
  });

  it('shows what formatting changed, in the comparison and in the history', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id, clauseIds } = await definitionIn(slug, users.editor, ['It grants four freedoms']);
    expect(
      (await app.t.request({ method: 'POST', url: `/api/definitions/${id}/versions`, as: users.chair, payload: { label: '0.1', notes: '' } })).statusCode,
    ).toBe(201);
    const bolded = await app.t.request({
      method: 'PUT',
      url: `/api/definitions/${id}/clauses/${clauseIds[0]}`,
      as: users.editor,
      payload: {
        content: {
          type: 'doc',
          content: [
            {
              type: 'paragraph',
              content: [
                { type: 'text', text: 'It grants four ' },
                { type: 'text', text: 'freedoms', marks: [{ type: 'bold' }] },
              ],
            },
          ],
        },
      },
    });
    expect(bolded.statusCode, bolded.body).toBe(200);

    const page = await open(users.member, `/groups/${slug}/definitions/${id}/diff?from=0.1&to=current`);
    await page.getByRole('heading', { name: 'Compare version 0.1 with the current draft' }).waitFor();
    const formatting = page.getByRole('list', { name: 'Formatting changed' });
    await eventually(() => texts(formatting.getByRole('listitem'))).toEqual(['made bold: “freedoms”']);

    await section(page, 'History').click();
    const whole = page.getByRole('region', { name: 'History' });
    const entry = whole.locator('.history-entry').filter({ hasText: 'reformatted' });
    await eventually(() => texts(entry.getByRole('list', { name: 'Formatting changed' }).getByRole('listitem'))).toEqual(['made bold: “freedoms”']);
    expect(app.problems).toEqual([]);
  });
});

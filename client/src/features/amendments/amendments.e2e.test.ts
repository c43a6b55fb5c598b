import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestUser } from '../../../../server/test/support/app.ts';
import { descriptionOf, eventually, isFocused, useBrowserApp } from '../../e2e-support.ts';

describe('amendments written in the rich editor', () => {
  const app = useBrowserApp();

  /** "Open Source AI is an *open* system that grants four freedoms", with the italic. */
  const RICH_CLAUSE = {
    type: 'doc',
    content: [
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'Open Source AI is an ' },
          { type: 'text', text: 'open', marks: [{ type: 'italic' }] },
          { type: 'text', text: ' system that grants four freedoms' },
        ],
      },
    ],
  };

  async function definitionIn(slug: string, author: TestUser, content: object) {
    const created = await app.t.request({
      method: 'POST',
      url: `/api/groups/${slug}/definitions`,
      as: author,
      payload: { slug: `osaid-${randomBytes(3).toString('hex')}`, title: 'Open Source AI Definition' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const inserted = await app.t.request({ method: 'POST', url: `/api/definitions/${id}/clauses`, as: author, payload: { content } });
    expect(inserted.statusCode).toBe(201);
    return { id, clauseId: inserted.json().id as string };
  }

  async function open(user: TestUser, path: string): Promise<Page> {
    const page = await app.signedInPage(user);
    await page.goto(path);
    await page.getByRole('heading', { level: 1, name: 'Open Source AI Definition' }).waitFor();
    return page;
  }

  const liveClause = (page: Page) => page.getByRole('textbox', { name: 'Clause 1', exact: true });

  async function openProposal(page: Page) {
    await eventually(() => liveClause(page).textContent()).toContain('four freedoms');
    await page.getByRole('button', { name: 'Actions for clause 1' }).click();
    await page.getByRole('menuitem', { name: 'Propose a wording for clause 1' }).click();
    const dialog = page.getByRole('dialog', { name: 'Propose a wording for clause 1' });
    const wording = dialog.getByRole('textbox', { name: 'Proposed wording' });
    await wording.waitFor();
    return { dialog, wording };
  }

  /**
   * The browser moves a keyboard selection at once but tells the editor in a later task (selectionchange);
   * a busy machine could deliver the next key first, to the old selection. Two frames let that task run.
   */
  const editorCaughtUp = (page: Page) =>
    page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));

  it('a member bolds a word in the proposal, and the bold survives the chair’s accept', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id } = await definitionIn(slug, users.editor, RICH_CLAUSE);
    const base = `/groups/${slug}/definitions/${id}`;

    // The proposal starts from the clause as it reads, its italic included, with the focus in it.
    const member = await open(users.member, base);
    const { dialog, wording } = await openProposal(member);
    await eventually(() => isFocused(wording)).toBe(true);
    expect(await wording.textContent()).toBe('Open Source AI is an open system that grants four freedoms');
    expect(await wording.locator('em').allTextContents()).toEqual(['open']);

    // The last word, bold with the clause editor's shortcut; the toolbar says so.
    await member.keyboard.press('Control+End');
    await member.keyboard.press('Control+Shift+ArrowLeft');
    await eventually(() => member.evaluate(() => window.getSelection()?.toString())).toBe('freedoms');
    await editorCaughtUp(member);
    await member.keyboard.press('Control+b');
    await eventually(() => wording.locator('strong').allTextContents()).toEqual(['freedoms']);
    expect(await dialog.getByRole('toolbar', { name: 'Format the proposal' }).getByRole('button', { name: 'Bold' }).getAttribute('aria-pressed')).toBe('true');
    await dialog.getByLabel('Rationale').fill('The freedoms matter most.');
    await dialog.getByRole('button', { name: 'Send proposal' }).click();
    await dialog.getByText('Your proposal was sent.').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();

    // What was sent is the rich content, not plain text.
    const listed = await app.t.request({ method: 'GET', url: `/api/definitions/${id}/amendments`, as: users.member });
    expect(listed.statusCode).toBe(200);
    const [amendment] = listed.json().amendments as { proposedMarkdown: string; proposedText: string }[];
    expect(amendment!.proposedMarkdown).toBe('Open Source AI is an *open* system that grants four **freedoms**');
    expect(amendment!.proposedText).toBe('Open Source AI is an open system that grants four freedoms');

    // The chair sees the formatting (the words alone did not change) and accepts.
    const chair = await open(users.chair, `${base}/amendments`);
    const proposal = chair.getByRole('article', { name: 'Member’s wording for clause 1' });
    await proposal.waitFor();
    await proposal.getByText('The same words, formatted differently:').waitFor();
    expect(await proposal.locator('.amendment-formatted strong').allTextContents()).toEqual(['freedoms']);
    expect(await proposal.locator('.amendment-formatted em').allTextContents()).toEqual(['open']);
    // Accepting asks first; Cancel changes nothing.
    await proposal.getByRole('button', { name: 'Accept the wording for clause 1' }).click();
    const confirmation = chair.getByRole('alertdialog', { name: 'Accept Member’s wording for clause 1?' });
    await confirmation.getByRole('button', { name: 'Cancel' }).click();
    await eventually(() => confirmation.count()).toBe(0);
    expect(await proposal.locator('.badge').first().textContent()).toBe('Proposed');
    expect((await app.t.request({ method: 'GET', url: `/api/definitions/${id}`, as: users.member })).json().clauses[0].markdown).not.toContain('**freedoms**');
    await proposal.getByRole('button', { name: 'Accept the wording for clause 1' }).click();
    await confirmation.getByRole('button', { name: 'Accept the wording' }).click();
    await chair.getByRole('status').filter({ hasText: 'The wording for clause 1 was accepted.' }).waitFor();

    // The live clause has the bold word (and kept its italic), in the API and on the member's page.
    const definition = await app.t.request({ method: 'GET', url: `/api/definitions/${id}`, as: users.member });
    expect(definition.json().clauses[0].markdown).toBe('Open Source AI is an *open* system that grants four **freedoms**');
    await eventually(() => liveClause(member).locator('strong').allTextContents()).toEqual(['freedoms']);
    expect(await liveClause(member).locator('em').allTextContents()).toEqual(['open']);

    expect(app.problems).toEqual([]);
  });

  it('a member rewords one word; after the accept, “Who wrote” still credits every other word to the clause’s author', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id } = await definitionIn(slug, users.editor, RICH_CLAUSE);
    const base = `/groups/${slug}/definitions/${id}`;

    const member = await open(users.member, base);
    const { dialog, wording } = await openProposal(member);
    await eventually(() => isFocused(wording)).toBe(true);
    // "system" → "software": a character diff would leave the "s" to the editor and the rest to the member.
    await member.keyboard.press('Control+End');
    for (let i = 0; i < 5; i++) await member.keyboard.press('Control+ArrowLeft');
    await member.keyboard.press('Control+Shift+ArrowRight');
    await eventually(() => member.evaluate(() => window.getSelection()?.toString())).toBe('system');
    await editorCaughtUp(member);
    await member.keyboard.type('software');
    await eventually(() => wording.textContent()).toBe('Open Source AI is an open software that grants four freedoms');
    await dialog.getByLabel('Rationale').fill('Stronger.');
    await dialog.getByRole('button', { name: 'Send proposal' }).click();
    await dialog.getByText('Your proposal was sent.').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();

    const chair = await open(users.chair, `${base}/amendments`);
    const proposal = chair.getByRole('article', { name: 'Member’s wording for clause 1' });
    await proposal.getByRole('button', { name: 'Accept the wording for clause 1' }).click();
    await chair.getByRole('alertdialog', { name: 'Accept Member’s wording for clause 1?' }).getByRole('button', { name: 'Accept the wording' }).click();
    await chair.getByRole('status').filter({ hasText: 'The wording for clause 1 was accepted.' }).waitFor();

    await eventually(() => liveClause(member).textContent()).toBe('Open Source AI is an open software that grants four freedoms');
    await member.getByRole('button', { name: 'Actions for clause 1' }).click();
    await member.getByRole('menuitem', { name: 'Who wrote clause 1' }).click();
    const runs = member.locator('.blame-text mark');
    await runs.first().waitFor();
    const credited = await runs.evaluateAll((marks) => marks.map((mark) => [mark.textContent, (mark as HTMLElement).dataset.author]));
    expect(credited).toEqual([
      ['Open Source AI is an open ', 'Editor'],
      ['software', 'Member'],
      [' that grants four freedoms', 'Editor'],
    ]);
    expect(app.problems).toEqual([]);
  });

  it('reaches the toolbar by keyboard, refuses an empty proposal, undoes, and shows the server’s objection at the wording', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id } = await definitionIn(slug, users.editor, RICH_CLAUSE);
    const member = await open(users.member, `/groups/${slug}/definitions/${id}`);
    const { dialog, wording } = await openProposal(member);
    await eventually(() => isFocused(wording)).toBe(true);
    expect(await descriptionOf(wording)).toContain('The whole clause as you would have it read');

    // Alt+F10 to the formatting buttons and Escape back, without closing the dialog.
    await member.keyboard.press('Alt+F10');
    const bold = dialog.getByRole('button', { name: 'Bold' });
    await eventually(() => isFocused(bold)).toBe(true);
    await member.keyboard.press('ArrowRight');
    await eventually(() => isFocused(dialog.getByRole('button', { name: 'Italic' }))).toBe(true);
    await member.keyboard.press('Escape');
    await eventually(() => isFocused(wording)).toBe(true);
    expect(await dialog.isVisible()).toBe(true);

    // Emptied, it is not sent: the message is at the wording, which keeps the focus.
    await member.keyboard.press('Control+a');
    await member.keyboard.press('Delete');
    await eventually(() => wording.textContent()).toBe('');
    let posts = 0;
    member.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/amendments')) posts++;
    });
    await dialog.getByRole('button', { name: 'Send proposal' }).click();
    await eventually(() => wording.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(wording)).toContain('Proposed wording is empty');
    await eventually(() => isFocused(wording)).toBe(true);
    expect(posts).toBe(0);

    // Undo brings the wording back (the clause editor's shortcut works here too).
    await member.keyboard.press('Control+z');
    await eventually(() => wording.textContent()).toBe('Open Source AI is an open system that grants four freedoms');

    // A refusal of the content by the server is shown at the wording too.
    await member.keyboard.press('Control+a');
    await member.keyboard.type('AI that is open');
    await member.route('**/api/definitions/*/amendments', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({
          error: { code: 'invalid_input', message: 'Links must be http, https or mailto', details: [{ path: '/content', message: 'has an unsafe link' }] },
        }),
      }),
    );
    await dialog.getByRole('button', { name: 'Send proposal' }).click();
    await eventually(() => descriptionOf(wording)).toContain('Proposed wording has an unsafe link');
    await member.unroute('**/api/definitions/*/amendments');

    // Fixed, it goes.
    await dialog.getByRole('button', { name: 'Send proposal' }).click();
    await dialog.getByText('Your proposal was sent.').waitFor();
    const listed = await app.t.request({ method: 'GET', url: `/api/definitions/${id}/amendments`, as: users.member });
    expect(listed.json().amendments[0].proposedMarkdown).toBe('AI that is open');

    expect(app.problems).toEqual([]);
  });

  it('proposed wordings are counted beside their clause, and a chair rejects and accepts them there', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id, clauseId } = await definitionIn(slug, users.editor, RICH_CLAUSE);
    const base = `/groups/${slug}/definitions/${id}`;
    for (const [text, rationale] of [
      ['Open Source AI is an open system that grants the four freedoms', 'Name them.'],
      ['Open Source AI grants freedoms', 'Shorter.'],
    ]) {
      const proposed = await app.t.request({
        method: 'POST',
        url: `/api/definitions/${id}/amendments`,
        as: users.member,
        payload: { clauseId, text, rationale },
      });
      expect(proposed.statusCode).toBe(201);
    }

    // An observer sees them counted and reads them, with nothing to decide.
    const observer = await open(users.observer, base);
    await observer.getByRole('button', { name: '2 proposed wordings for clause 1' }).click();
    const observed = observer.getByRole('region', { name: 'Proposed wordings for clause 1' });
    await eventually(() => observed.getByRole('article', { name: 'Member’s wording for clause 1' }).count()).toBe(2);
    expect(await observed.getByRole('button', { name: /^(Accept|Reject)/ }).count()).toBe(0);

    // The chair opens them at the clause: the changes to the clause as it reads, Accept and Reject.
    const chair = await open(users.chair, base);
    await eventually(() => liveClause(chair).textContent()).toContain('four freedoms');
    const count = chair.getByRole('button', { name: '2 proposed wordings for clause 1' });
    await count.click();
    expect(await count.getAttribute('aria-expanded')).toBe('true');
    const panel = chair.getByRole('region', { name: 'Proposed wordings for clause 1' });
    const shorter = panel.getByRole('article').filter({ hasText: 'Shorter.' });
    await shorter.locator('del').first().waitFor();

    await shorter.getByRole('button', { name: 'Reject the wording for clause 1' }).click();
    await shorter.getByRole('textbox', { name: 'Reason for rejecting' }).fill('It drops the system.');
    await shorter.getByRole('button', { name: 'Reject wording' }).click();
    await chair.getByRole('status').filter({ hasText: 'The wording for clause 1 was rejected.' }).waitFor();
    await chair.getByRole('button', { name: '1 proposed wording for clause 1' }).waitFor();
    // The observer's open page follows.
    await observer.getByRole('button', { name: '1 proposed wording for clause 1' }).waitFor();

    const named = panel.getByRole('article').filter({ hasText: 'Name them.' });
    await named.getByRole('button', { name: 'Accept the wording for clause 1' }).click();
    await chair.getByRole('alertdialog', { name: 'Accept Member’s wording for clause 1?' }).getByRole('button', { name: 'Accept the wording' }).click();
    await chair.getByRole('status').filter({ hasText: 'The wording for clause 1 was accepted.' }).waitFor();
    await eventually(() => liveClause(chair).textContent()).toBe('Open Source AI is an open system that grants the four freedoms');
    // Nothing is left to decide: the count and its panel are gone, the focus is on the clause's menu.
    await eventually(() => chair.getByRole('button', { name: /proposed wording/ }).count()).toBe(0);
    await eventually(() => isFocused(chair.getByRole('button', { name: 'Actions for clause 1' }))).toBe(true);
    await eventually(() => observer.getByRole('button', { name: /proposed wording/ }).count()).toBe(0);

    // The same record as the Amendments tab.
    const listed = (await app.t.request({ method: 'GET', url: `/api/definitions/${id}/amendments`, as: users.member })).json().amendments as {
      status: string;
      decisionReason: string | null;
    }[];
    expect(listed.map((amendment) => [amendment.status, amendment.decisionReason]).sort()).toEqual([
      ['accepted', null],
      ['rejected', 'It drops the system.'],
    ]);
    expect(app.problems).toEqual([]);
  });
});

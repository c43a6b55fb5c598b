import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestUser } from '../../../../server/test/support/app.ts';
import { descriptionOf, eventually, isFocused, useBrowserApp } from '../../e2e-support.ts';

describe('suggestions written in place, in the rich editor', () => {
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

  /** "Suggest changes" from the clause's menu: the clause becomes the member's own copy, with a bar below it. */
  async function openProposal(page: Page) {
    await eventually(() => liveClause(page).textContent()).toContain('four freedoms');
    await page.getByRole('button', { name: 'Actions for clause 1' }).click();
    await page.getByRole('menuitem', { name: 'Suggest changes to clause 1' }).click();
    const wording = page.getByRole('textbox', { name: 'Your suggestion for clause 1' });
    await wording.waitFor();
    const dialog = page.getByRole('region', { name: 'Suggesting changes to clause 1' });
    return { dialog, wording };
  }

  /** Sends the suggestion; the live clause comes back in its place. */
  async function send(page: Page) {
    await page.getByRole('button', { name: 'Send suggestion' }).click();
    await page.getByRole('status').filter({ hasText: 'Your suggestion for clause 1 was sent.' }).waitFor();
    await eventually(() => page.getByRole('textbox', { name: 'Your suggestion for clause 1' }).count()).toBe(0);
    await liveClause(page).waitFor();
  }

  /** A suggestion's text as it would read: without the struck-out words shown beside it. */
  const suggested = (textbox: ReturnType<Page['getByRole']>) =>
    textbox.evaluate((element) => {
      const copy = element.cloneNode(true) as HTMLElement;
      for (const widget of copy.querySelectorAll('.ProseMirror-widget')) widget.remove();
      return copy.textContent;
    });

  /** The marks of a suggestion in a clause: what it inserts and what it deletes, in order. */
  const marks = (textbox: ReturnType<Page['getByRole']>) =>
    textbox.evaluate((element) =>
      Array.from(element.querySelectorAll('ins.suggest-insert, del.suggest-delete'), (mark) => [
        mark.tagName.toLowerCase(),
        // The widgets carry words for screen readers; the words shown are what counts here.
        Array.from(mark.childNodes)
          .filter((node) => !(node instanceof HTMLElement && node.classList.contains('visually-hidden')))
          .map((node) => node.textContent)
          .join(''),
      ]),
    );

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

    // The suggestion starts from the clause as it reads, its italic included, with the focus in it.
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
    expect(
      await member.getByRole('toolbar', { name: 'Format your suggestion for clause 1' }).getByRole('button', { name: 'Bold' }).getAttribute('aria-pressed'),
    ).toBe('true');
    // The change shows as a suggestion: the bold word inserted, the plain one struck out; the bar counts it.
    await eventually(() => marks(wording)).toEqual([
      ['del', 'freedoms'],
      ['ins', 'freedoms'],
    ]);
    expect(await wording.locator('strong ins, ins strong').textContent()).toBe('freedoms');
    expect(await dialog.textContent()).toContain('1 change');
    // The live text did not change.
    expect((await app.t.request({ method: 'GET', url: `/api/definitions/${id}`, as: users.member })).json().clauses[0].markdown).not.toContain('**');
    await dialog.getByLabel('Why').fill('The freedoms matter most.');
    await send(member);

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
    // The clause shows the old word struck out before the new one.
    await eventually(() => marks(wording)).toEqual([
      ['del', 'system'],
      ['ins', 'software'],
    ]);
    await dialog.getByLabel('Why').fill('Stronger.');
    await send(member);

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

  it('reaches the toolbar by keyboard, refuses an empty or unchanged suggestion, undoes, and shows the server’s objection at the wording', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id } = await definitionIn(slug, users.editor, RICH_CLAUSE);
    const member = await open(users.member, `/groups/${slug}/definitions/${id}`);
    const { dialog, wording } = await openProposal(member);
    await eventually(() => isFocused(wording)).toBe(true);
    expect(await descriptionOf(wording)).toContain('what you add is underlined');
    let posts = 0;
    member.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/amendments')) posts++;
    });

    // Unchanged, there is nothing to send.
    await dialog.getByRole('button', { name: 'Send suggestion' }).click();
    await eventually(() => descriptionOf(wording)).toContain('Nothing is changed yet');

    // Alt+F10 to the formatting buttons and Escape back, without leaving the suggestion.
    await wording.click();
    await member.keyboard.press('Alt+F10');
    const bold = member.getByRole('toolbar', { name: 'Format your suggestion for clause 1' }).getByRole('button', { name: 'Bold' });
    await eventually(() => isFocused(bold)).toBe(true);
    await member.keyboard.press('ArrowRight');
    await eventually(() => isFocused(member.getByRole('button', { name: 'Italic' }))).toBe(true);
    await member.keyboard.press('Escape');
    await eventually(() => isFocused(wording)).toBe(true);
    expect(await dialog.isVisible()).toBe(true);

    // Emptied, it is not sent: the message is at the wording, which keeps the focus.
    await member.keyboard.press('Control+a');
    await member.keyboard.press('Delete');
    await eventually(() => suggested(wording)).toBe('');
    await dialog.getByRole('button', { name: 'Send suggestion' }).click();
    await eventually(() => wording.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(wording)).toContain('Suggested wording is empty');
    await eventually(() => isFocused(wording)).toBe(true);
    expect(posts).toBe(0);

    // Undo brings the wording back (the clause editor's shortcut works here too).
    await member.keyboard.press('Control+z');
    await eventually(() => marks(wording)).toEqual([]);
    expect(await wording.textContent()).toBe('Open Source AI is an open system that grants four freedoms');

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
    await dialog.getByRole('button', { name: 'Send suggestion' }).click();
    await eventually(() => descriptionOf(wording)).toContain('Suggested wording has an unsafe link');
    await member.unroute('**/api/definitions/*/amendments');

    // Fixed, it goes.
    await send(member);
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

  it('in Suggesting mode a click starts a suggestion; the chair sees it in the clause’s text and accepts it there; a writer’s typing changes nothing live', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id } = await definitionIn(slug, users.editor, RICH_CLAUSE);
    const base = `/groups/${slug}/definitions/${id}`;
    const textNow = async () => (await app.t.request({ method: 'GET', url: `/api/definitions/${id}`, as: users.member })).json().clauses[0].text as string;

    // Observers cannot suggest: no mode to choose.
    const observer = await open(users.observer, base);
    await eventually(() => liveClause(observer).textContent()).toContain('four freedoms');
    expect(await observer.getByRole('group', { name: 'Mode' }).count()).toBe(0);

    const chair = await open(users.chair, base);
    await eventually(() => liveClause(chair).textContent()).toContain('four freedoms');

    // The member reads by default; choosing "Suggesting" makes a click in the text start a suggestion there.
    const member = await open(users.member, base);
    await eventually(() => liveClause(member).textContent()).toContain('four freedoms');
    const mode = member.getByRole('group', { name: 'Mode' });
    expect(await mode.getByRole('button', { name: 'Reading' }).getAttribute('aria-pressed')).toBe('true');
    await mode.getByRole('button', { name: 'Suggesting' }).click();
    expect(await mode.getByRole('button', { name: 'Suggesting' }).getAttribute('aria-pressed')).toBe('true');
    await liveClause(member).click();
    const wording = member.getByRole('textbox', { name: 'Your suggestion for clause 1' });
    await eventually(() => isFocused(wording)).toBe(true);
    await member.keyboard.press('End');
    await editorCaughtUp(member);
    await member.keyboard.type(' to everyone');
    await eventually(() => marks(wording)).toEqual([['ins', ' to everyone']]);
    expect(await textNow()).toBe('Open Source AI is an open system that grants four freedoms');
    await send(member);

    // The chair's page counts it at the clause; opened, it is shown in the clause's own text as a suggestion.
    await chair.getByRole('button', { name: '1 proposed wording for clause 1' }).click();
    const panel = chair.getByRole('region', { name: 'Proposed wordings for clause 1' });
    const show = panel.getByRole('button', { name: 'Show in the text Member’s wording for clause 1' });
    await eventually(() => show.getAttribute('aria-pressed')).toBe('true');
    await eventually(() => marks(liveClause(chair))).toEqual([['ins', ' to everyone']]);
    expect(await liveClause(chair).locator('ins').getAttribute('title')).toBe('Inserted by Member');
    // Shown or not, as the chair likes; the text itself never changes by it.
    await show.click();
    await eventually(() => marks(liveClause(chair))).toEqual([]);
    await show.click();
    await eventually(() => marks(liveClause(chair))).toEqual([['ins', ' to everyone']]);

    await panel.getByRole('button', { name: 'Accept the wording for clause 1' }).click();
    await chair.getByRole('alertdialog', { name: 'Accept Member’s wording for clause 1?' }).getByRole('button', { name: 'Accept the wording' }).click();
    await chair.getByRole('status').filter({ hasText: 'The wording for clause 1 was accepted.' }).waitFor();
    const accepted = 'Open Source AI is an open system that grants four freedoms to everyone';
    await eventually(() => liveClause(chair).textContent()).toBe(accepted);
    await eventually(() => marks(liveClause(chair))).toEqual([]);
    await eventually(() => liveClause(member).textContent()).toBe(accepted);
    await eventually(() => liveClause(observer).textContent()).toBe(accepted);
    expect(await textNow()).toBe(accepted);

    // A writer in Suggesting mode: typing goes into a suggestion, never into the live text.
    const editor = await open(users.editor, base);
    await eventually(() => liveClause(editor).textContent()).toBe(accepted);
    await editor.getByRole('group', { name: 'Mode' }).getByRole('button', { name: 'Suggesting' }).click();
    await liveClause(editor).click();
    const editorWording = editor.getByRole('textbox', { name: 'Your suggestion for clause 1' });
    await eventually(() => isFocused(editorWording)).toBe(true);
    await editor.keyboard.press('End');
    await editorCaughtUp(editor);
    await editor.keyboard.type(' now');
    await eventually(() => marks(editorWording)).toEqual([['ins', ' now']]);
    // Discarding a changed suggestion asks first; then the clause is back as it reads, and nothing was sent.
    await editor.getByRole('button', { name: 'Discard your suggestion for clause 1' }).click();
    await editor.getByRole('alertdialog', { name: 'Discard your suggestion for clause 1?' }).getByRole('button', { name: 'Discard the suggestion' }).click();
    await eventually(() => editorWording.count()).toBe(0);
    await eventually(() => isFocused(editor.getByRole('button', { name: 'Actions for clause 1' }))).toBe(true);
    expect(await liveClause(editor).textContent()).toBe(accepted);
    expect(await textNow()).toBe(accepted);
    const listed = (await app.t.request({ method: 'GET', url: `/api/definitions/${id}/amendments`, as: users.member })).json().amendments as unknown[];
    expect(listed).toHaveLength(1);
    // Back in Editing mode, the writer types into the live text again.
    await editor.getByRole('group', { name: 'Mode' }).getByRole('button', { name: 'Editing' }).click();
    await liveClause(editor).click();
    await editor.keyboard.press('End');
    await editorCaughtUp(editor);
    await editor.keyboard.type('!');
    await eventually(textNow).toBe(`${accepted}!`);

    expect(app.problems).toEqual([]);
  });

  it('a suggestion written while an editor changes the clause is told so, and is recorded and shown as written for the older text', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id } = await definitionIn(slug, users.editor, RICH_CLAUSE);
    const base = `/groups/${slug}/definitions/${id}`;
    const member = await open(users.member, base);
    const { dialog, wording } = await openProposal(member);
    await eventually(() => isFocused(wording)).toBe(true);
    await member.keyboard.press('Control+End');
    await editorCaughtUp(member);
    await member.keyboard.type(' to all');

    // Meanwhile the editor adds a word to the live clause.
    const editor = await open(users.editor, base);
    await eventually(() => liveClause(editor).textContent()).toContain('four freedoms');
    await liveClause(editor).click();
    await editor.keyboard.press('End');
    await editorCaughtUp(editor);
    await editor.keyboard.type(' forever');
    await eventually(async () => (await app.t.request({ method: 'GET', url: `/api/definitions/${id}`, as: users.member })).json().clauses[0].text).toBe(
      'Open Source AI is an open system that grants four freedoms forever',
    );
    await dialog.getByText('Someone changed this clause since you started').waitFor();
    // The suggestion still shows its own changes against the text it started from.
    expect(await marks(wording)).toEqual([['ins', ' to all']]);
    await send(member);

    // Recorded against the text it was written for, flagged; accepting it warns that it would take out “forever”.
    const listed = (await app.t.request({ method: 'GET', url: `/api/definitions/${id}/amendments`, as: users.member })).json().amendments;
    expect(listed[0]).toMatchObject({ baseText: 'Open Source AI is an open system that grants four freedoms', stale: true });
    const chair = await open(users.chair, base);
    await chair.getByRole('button', { name: '1 proposed wording for clause 1' }).click();
    const card = chair.getByRole('article', { name: 'Member’s wording for clause 1' });
    await card.getByText('The clause changed since this was proposed').waitFor();
    await card.getByRole('button', { name: 'Accept the wording for clause 1' }).click();
    const confirmation = chair.getByRole('alertdialog', { name: 'Accept Member’s wording for clause 1?' });
    await confirmation.getByText('Accepting it also takes out what was changed since').waitFor();
    await confirmation.getByRole('button', { name: 'Cancel' }).click();
    expect(app.problems).toEqual([]);
  });
});

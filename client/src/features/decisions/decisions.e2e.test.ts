import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestUser } from '../../../../server/test/support/app.ts';
import { descriptionOf, eventually, isFocused, useBrowserApp } from '../../e2e-support.ts';

describe('ballots and decisions in the browser', () => {
  const app = useBrowserApp();

  const { definitionIn } = app;

  async function open(user: TestUser, path: string): Promise<Page> {
    const page = await app.signedInPage(user);
    await page.goto(path);
    await page.getByRole('heading', { level: 1, name: 'Open Source AI Definition' }).waitFor();
    return page;
  }

  const clauseText = (page: Page, name: string) =>
    page.getByRole('textbox', { name, exact: true }).evaluate((element) => {
      const copy = element.cloneNode(true) as HTMLElement;
      for (const caret of copy.querySelectorAll('.collab-caret')) caret.remove();
      return copy.textContent;
    });
  const ballotIn = (page: Page, title: string) => page.getByRole('article', { name: title });
  const text = async (locator: Locator) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();

  /** Votes through the panel beside clause 1, as a pointer user would. */
  async function vote(page: Page, title: string, position: string | RegExp, reason?: string) {
    const form = page.getByRole('form', { name: `Vote on ${title}` });
    await form.getByRole('radio', { name: position, exact: true }).check();
    if (reason !== undefined) await form.getByLabel(/^Reason/).fill(reason);
    await form.getByRole('button', { name: /^(Cast|Change) my vote$/ }).click();
  }

  it('a chair starts a ballot from a clause, three people vote (one objects with a reason), the chair closes it and everyone reads the result', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id } = await definitionIn(slug, users.editor, [
      'Open Source AI is an AI system that grants four freedoms',
      'The freedoms apply to the whole system.',
    ]);
    const base = `/groups/${slug}/definitions/${id}`;
    const title = 'Adopt clause 1';

    // Editors and members see the text but no way to start a ballot.
    const member = await open(users.member, base);
    await eventually(() => clauseText(member, 'Clause 1')).toBe('Open Source AI is an AI system that grants four freedoms');
    await member.getByRole('button', { name: 'Actions for clause 1' }).click();
    await member.getByRole('menuitem', { name: 'Suggest changes to clause 1' }).waitFor();
    expect(await member.getByRole('menuitem', { name: /^Start ballot/ }).count()).toBe(0);
    const editor = await open(users.editor, base);
    await eventually(() => clauseText(editor, 'Clause 1')).toBe('Open Source AI is an AI system that grants four freedoms');
    await editor.getByRole('button', { name: 'Actions for clause 1' }).click();
    await editor.getByRole('menuitem', { name: 'History of clause 1' }).waitFor();
    expect(await editor.getByRole('menuitem', { name: /^Start ballot/ }).count()).toBe(0);

    // The chair drafts a ballot on clause 1 from the clause itself.
    const chair = await open(users.chair, base);
    await eventually(() => clauseText(chair, 'Clause 1')).toBe('Open Source AI is an AI system that grants four freedoms');
    await chair.getByRole('button', { name: 'Actions for clause 1' }).click();
    const start = chair.getByRole('menuitem', { name: 'Start ballot on clause 1' });
    await start.click();
    const dialog = chair.getByRole('dialog', { name: 'Start a ballot on clause 1' });
    const titleField = dialog.getByLabel('Title', { exact: true });
    await eventually(() => isFocused(titleField)).toBe(true);
    // The defaults: a binding vote of chairs, editors and members, closing in a week.
    expect(await dialog.getByRole('radio', { name: 'Binding vote' }).isChecked()).toBe(true);
    for (const role of ['Chairs', 'Editors', 'Members']) expect(await dialog.getByRole('checkbox', { name: role }).isChecked()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: 'Observers' }).isChecked()).toBe(false);
    // Each box with its label beside it (a checkbox once took the full width, its label below it).
    const box = (await dialog.getByRole('checkbox', { name: 'Chairs' }).boundingBox())!;
    const label = (await dialog
      .locator('label')
      .filter({ hasText: /^Chairs$/ })
      .boundingBox())!;
    expect(box.width).toBeLessThan(40);
    expect(label.x).toBeGreaterThanOrEqual(box.x + box.width);
    expect(Math.abs(label.y + label.height / 2 - (box.y + box.height / 2))).toBeLessThan(8);
    expect(await dialog.getByLabel('Threshold (%)').inputValue()).toBe('66.67');
    // The closing time is typed in local time and read back in UTC and local time.
    expect(await descriptionOf(dialog.getByLabel('Closes at'))).toMatch(/That is .+ UTC \(.+ your time\)/);
    // Nothing typed: the title's error, and the focus on it.
    await dialog.getByRole('button', { name: 'Save draft' }).click();
    await eventually(() => titleField.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(titleField)).toContain('Title is required');
    await titleField.fill(title);
    await dialog.getByRole('button', { name: 'Save draft' }).click();
    await chair
      .getByRole('status')
      .filter({ hasText: `Draft ballot “${title}” saved beside clause 1.` })
      .waitFor();
    expect(await dialog.count()).toBe(0);

    // The draft sits beside the clause; its rules can change until it opens.
    const panel = ballotIn(chair, `Ballot: ${title}`);
    await eventually(() => isFocused(panel.getByRole('heading', { name: `Ballot: ${title}` }))).toBe(true);
    expect(await text(panel.locator('.ballot-badges'))).toContain('Draft');
    expect(await text(panel.locator('.ballot-rules-note'))).toBe('These rules can still change until the ballot opens.');
    expect(await text(panel.locator('.ballot-turnout'))).toBe('Eligible voters are counted when voting opens');
    expect(await panel.getByRole('form', { name: `Vote on ${title}` }).count()).toBe(0);
    await panel.getByRole('button', { name: `Open voting on ${title}` }).click();
    await chair
      .getByRole('status')
      .filter({ hasText: `Voting is open on “${title}”.` })
      .waitFor();
    // The pressed button is gone: the focus is on the ballot's title.
    await eventually(() => isFocused(panel.getByRole('heading', { name: `Ballot: ${title}` }))).toBe(true);
    expect(await text(panel.locator('.ballot-badges'))).toContain('Open');
    expect(await text(panel.locator('.ballot-rules-note'))).toBe('These rules were fixed when voting opened and can no longer change.');
    expect(await panel.getByRole('button', { name: /^Edit draft/ }).count()).toBe(0);
    expect(await text(panel.locator('.ballot-turnout'))).toBe('0 of 3 eligible voters have voted');
    const rules = await panel
      .getByRole('region', { name: `Rules of ${title}` })
      .getByRole('listitem')
      .allTextContents();
    expect(rules).toContain('Who may vote: chairs, editors and members.');
    expect(rules).toContain('Passes with at least 66.67% Yes among Yes and Object votes.');
    // The deadline in UTC and in the viewer's time.
    expect(await text(panel.locator('.ballot-deadline'))).toMatch(/UTC \(.+ your time\)/);
    expect(await panel.locator('.ballot-deadline time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);

    // The chair votes Yes.
    await vote(chair, title, 'Yes');
    await chair.getByRole('status').filter({ hasText: 'Your vote was recorded: Yes.' }).waitFor();
    expect(await text(panel.getByRole('region', { name: `Your vote on ${title}` }))).toMatch(/^Your vote: Yes, cast .+ UTC/);
    expect(await text(panel.locator('.ballot-turnout'))).toBe('1 of 3 eligible voters have voted');

    // The opened ballot appeared beside the clause on the editor's open page by itself (live channel),
    // with the chair's vote; the editor votes No objection.
    const editorPanel = ballotIn(editor, `Ballot: ${title}`);
    await eventually(() => text(editorPanel.locator('.ballot-voters'))).toBe('Chair');
    await vote(editor, title, 'No objection');
    await editor.getByRole('status').filter({ hasText: 'Your vote was recorded: No objection.' }).waitFor();
    // The chair's open panel follows by itself.
    await eventually(() => text(panel.locator('.ballot-turnout'))).toBe('2 of 3 eligible voters have voted');

    // The member objects: without a reason the server's field error shows on the reason, with the focus.
    const memberPanel = ballotIn(member, `Ballot: ${title}`);
    await eventually(() => text(memberPanel.locator('.ballot-turnout'))).toBe('2 of 3 eligible voters have voted');
    // The server labels the positions (“Object (blocking)”); the test only relies on the word.
    await vote(member, title, /^Object\b/);
    const reason = memberPanel.getByLabel('Reason (required with Object)');
    await eventually(() => reason.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(reason)).toContain('Reason is required with Object');
    await eventually(() => isFocused(reason)).toBe(true);
    await reason.fill('Training data must be shared too.');
    await memberPanel.getByRole('button', { name: 'Cast my vote' }).click();
    await member
      .getByRole('status')
      .filter({ hasText: /^Your vote was recorded: Object\b/ })
      .waitFor();
    expect(await reason.getAttribute('aria-invalid')).toBeNull();
    // Results show only after closing, but who voted is always visible.
    expect(await memberPanel.getByRole('region', { name: `Results of ${title}` }).count()).toBe(0);
    expect((await text(memberPanel.locator('.ballot-voters'))).split(', ').sort()).toEqual(['Chair', 'Editor', 'Member']);

    // The chair sees the turnout move by itself, and closes the ballot.
    await eventually(() => text(panel.locator('.ballot-turnout'))).toBe('3 of 3 eligible voters have voted');
    await panel.getByRole('button', { name: `Close voting on ${title}` }).click();
    const confirm = panel.getByRole('group', { name: `Close voting on ${title}?` });
    await eventually(() => isFocused(confirm.getByRole('button', { name: 'Yes, close now' }))).toBe(true);
    await confirm.getByRole('button', { name: 'Yes, close now' }).click();
    await chair
      .getByRole('status')
      .filter({ hasText: `Voting on “${title}” is closed.` })
      .waitFor();

    // The result: 1 Yes of 2 Yes + Object is below 66.67%, so it failed; the public votes with the reason.
    const result = panel.getByRole('region', { name: `Results of ${title}` });
    const counts = Object.fromEntries(
      await result
        .locator('.ballot-counts tbody tr')
        .evaluateAll((rows) => rows.map((row) => [row.getAttribute('data-position'), Number(row.querySelector('td')!.textContent)])),
    );
    expect(counts).toEqual({ yes: 1, no_objection: 1, object: 1, abstain: 0, recuse: 0 });
    expect(await text(result.locator('.ballot-result-outcome'))).toBe('Failed');
    expect(await text(result.locator('.ballot-decided-by'))).toBe('Decided by threshold: 1 Yes of 2 Yes + Object = 50%, below 66.67%.');
    expect(await text(result.locator('.ballot-result-turnout'))).toBe('Turnout: 3 of 3 took part (0 abstained, 0 recused).');
    expect(await text(panel.locator('.ballot-badges'))).toContain('Failed');
    expect(await text(panel.locator('.ballot-deadline'))).toMatch(/UTC \(.+ your time\) by Chair$/);
    const everyone = panel.getByRole('region', { name: `How each person voted on ${title}` });
    expect(await text(everyone)).toMatch(/Member: Object\b.* — Training data must be shared too\./);
    expect(await panel.getByRole('form', { name: `Vote on ${title}` }).count()).toBe(0);

    // The member's open page shows the same result by itself; voting is over for them.
    await eventually(() => text(memberPanel.locator('.ballot-outcome'))).toBe('Failed');
    expect(await memberPanel.getByRole('form', { name: `Vote on ${title}` }).count()).toBe(0);
    expect(await text(memberPanel.getByRole('region', { name: `Your vote on ${title}` }))).toContain('Training data must be shared too.');

    // The Decisions tab lists it under Closed, with the export downloads.
    await chair.getByRole('navigation', { name: 'Definition sections' }).getByRole('link', { name: 'Decisions', exact: true }).click();
    const closed = chair.getByRole('region', { name: /^Closed and cancelled/ });
    const listed = closed.getByRole('article', { name: title });
    await eventually(() => text(listed.locator('.ballot-outcome'))).toBe('Failed');
    expect(await text(listed.locator('.ballot-subject-line'))).toBe('Clause 1');
    expect(await text(listed.locator('.ballot-turnout'))).toBe('3 of 3 eligible voters have voted');
    expect(await chair.getByText('No ballot is open.').count()).toBe(1);
    expect(await chair.getByRole('link', { name: 'Download Markdown of the current draft' }).getAttribute('href')).toBe(
      `/api/definitions/${id}/export?format=md`,
    );
    expect(await chair.getByRole('link', { name: 'Download JSON of the current draft' }).getAttribute('download')).not.toBeNull();
    expect(await chair.getByRole('button', { name: 'New ballot' }).count()).toBe(1);

    // A member sees the decisions but cannot draft one.
    await member.getByRole('navigation', { name: 'Definition sections' }).getByRole('link', { name: 'Decisions', exact: true }).click();
    await member
      .getByRole('region', { name: /^Closed and cancelled/ })
      .getByRole('article', { name: title })
      .waitFor();
    expect(await member.getByRole('button', { name: 'New ballot' }).count()).toBe(0);

    expect(app.problems).toEqual([]);
  });

  const section = (page: Page, name: string) => page.getByRole('navigation', { name: 'Definition sections' }).getByRole('link', { name, exact: true });

  it('a chair runs a component matrix from the Decisions tab: voters mark the grid, the result is a heat map', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id } = await definitionIn(slug, users.editor, ['Open Source AI is an AI system that grants four freedoms']);
    const base = `/groups/${slug}/definitions/${id}/decisions`;
    const title = 'Which components are required?';

    const chair = await open(users.chair, base);
    await chair.getByRole('heading', { name: 'Decisions', level: 2 }).waitFor();
    await chair.getByRole('button', { name: 'New ballot' }).click();
    const dialog = chair.getByRole('dialog', { name: 'New ballot' });
    await dialog.getByLabel('Title', { exact: true }).fill(title);
    await dialog.getByLabel('What is decided').selectOption('matrix');
    // The OSAID components and freedoms to start from, each editable.
    const rows = dialog.getByRole('group', { name: 'Rows (components)' });
    const columns = dialog.getByRole('group', { name: 'Columns (freedoms)' });
    expect(await rows.getByRole('textbox').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))).toEqual([
      'Training data',
      'Data information',
      'Code',
      'Model parameters',
    ]);
    expect(await columns.getByRole('textbox').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))).toEqual([
      'Use',
      'Study',
      'Modify',
      'Share',
    ]);
    await rows.getByRole('button', { name: 'Remove row Model parameters' }).click();
    await columns.getByRole('button', { name: 'Add a column' }).click();
    const added = columns.getByRole('textbox', { name: 'Column 5' });
    await eventually(() => isFocused(added)).toBe(true);
    await added.fill('Host');
    // No custom options on a matrix: its options are its cells.
    expect(await dialog.getByLabel('Options (optional)').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Save draft' }).click();
    await chair
      .getByRole('status')
      .filter({ hasText: `Draft ballot “${title}” saved.` })
      .waitFor();
    const drafts = chair.getByRole('region', { name: /^Drafts/ });
    const draft = drafts.getByRole('article', { name: title });
    await eventually(() => isFocused(draft.getByRole('heading', { name: title }))).toBe(true);
    expect(await text(draft.locator('.ballot-subject-line'))).toBe('Component matrix, 3 × 5');
    await draft.getByRole('button', { name: `Open voting on ${title}` }).click();
    const ballot = chair.getByRole('region', { name: /^Open/ }).getByRole('article', { name: title });
    await ballot.getByRole('form', { name: `Vote on ${title}` }).waitFor();

    // The chair marks one cell and sends: every cell must be marked, said before anything is sent.
    const form = ballot.getByRole('form', { name: `Vote on ${title}` });
    await form.getByRole('radio', { name: /^Mark/ }).check();
    const first = form.getByRole('combobox', { name: 'Training data — Use' });
    await first.selectOption('required');
    // Tab goes from cell to cell along the row.
    await first.focus();
    await chair.keyboard.press('Tab');
    expect(await isFocused(form.getByRole('combobox', { name: 'Training data — Study' }))).toBe(true);
    await form.getByRole('button', { name: 'Cast my vote' }).click();
    await form.getByText('Mark every cell: 14 are still empty').waitFor();
    await form.getByRole('button', { name: 'Mark the empty cells Unsure' }).click();
    expect(await form.getByRole('combobox', { name: 'Code — Host' }).inputValue()).toBe('unsure');
    expect(await first.inputValue()).toBe('required');
    await form.getByRole('button', { name: 'Cast my vote' }).click();
    await chair.getByRole('status').filter({ hasText: 'Your vote was recorded: Marks in the matrix.' }).waitFor();

    // The editor marks Required and Not required; the member abstains.
    const editor = await open(users.editor, base);
    const editorForm = editor.getByRole('form', { name: `Vote on ${title}` });
    await editorForm.getByRole('radio', { name: /^Mark/ }).check();
    await editorForm.getByRole('combobox', { name: 'Training data — Use' }).selectOption('required');
    await editorForm.getByRole('combobox', { name: 'Code — Share' }).selectOption('not_required');
    await editorForm.getByRole('button', { name: 'Mark the empty cells Unsure' }).click();
    await editorForm.getByRole('button', { name: 'Cast my vote' }).click();
    await editor
      .getByRole('status')
      .filter({ hasText: /^Your vote was recorded/ })
      .waitFor();
    const member = await open(users.member, base);
    const memberForm = member.getByRole('form', { name: `Vote on ${title}` });
    await memberForm.getByRole('radio', { name: 'Abstain' }).check();
    await memberForm.getByRole('button', { name: 'Cast my vote' }).click();
    await member.getByRole('status').filter({ hasText: 'Your vote was recorded: Abstain.' }).waitFor();

    await ballot.getByRole('button', { name: `Close voting on ${title}` }).click();
    await ballot.getByRole('button', { name: 'Yes, close now' }).click();
    await chair
      .getByRole('status')
      .filter({ hasText: `Voting on “${title}” is closed.` })
      .waitFor();
    const closed = chair.getByRole('region', { name: /^Closed and cancelled/ }).getByRole('article', { name: title });
    // Some cells stay undecided: the outcome names the first five, counts the rest (the grid marks each), and
    // never says plain "Decided"; the corner holds no box.
    await eventually(() => text(closed.locator('.ballot-outcome'))).toMatch(
      /^Decided \d+ of 15 cells; undecided: Training data × Study, Training data × Modify, [^;]+ and \d+ more \(marked in the grid\)$/,
    );
    expect(await closed.locator('.badge-outcome-decided').textContent()).toBe('Partly decided');
    expect(
      await closed
        .locator('table.matrix td.matrix-corner')
        .first()
        .evaluate((el) => getComputedStyle(el).borderTopStyle),
    ).toBe('none');
    // Just closed: it keeps the focus and its details in its new place.
    await eventually(() => isFocused(closed.getByRole('heading', { name: title }))).toBe(true);
    expect(await closed.getByRole('button', { name: `Hide details of ${title}` }).getAttribute('aria-expanded')).toBe('true');
    const heat = closed.locator('table.matrix-heat');
    const cell = (row: string, column: number) =>
      heat
        .locator('tbody tr')
        .filter({ has: chair.getByRole('rowheader', { name: row, exact: true }) })
        .locator('td')
        .nth(column);
    const parts = (row: string, column: number) => cell(row, column).locator('span, strong').allTextContents();
    expect(await parts('Training data', 0)).toEqual(['Required', '2 r · 0 n · 0 u', '2 required, 0 not required, 0 unsure,', '2 of 3 marked', '100%']);
    expect(await cell('Training data', 0).getAttribute('class')).toContain('heat-required heat-10');
    expect((await parts('Code', 3)).slice(0, 2)).toEqual(['Undecided', '0 r · 1 n · 1 u']);
    expect(await cell('Code', 3).getAttribute('class')).toContain('heat-not-required heat-5');
    expect(await heat.locator('thead th').allTextContents()).toEqual(['Use', 'Study', 'Modify', 'Share', 'Host']);
    // Each voter's marks as a small grid of their own; an abstention stays a word.
    const votes = closed.getByRole('region', { name: `How each person voted on ${title}` });
    const chairGrid = votes.getByRole('table', { name: 'Marks of Chair' });
    expect(await chairGrid.locator('thead th').allTextContents()).toEqual(['Use', 'Study', 'Modify', 'Share', 'Host']);
    expect(await chairGrid.locator('tbody tr').first().locator('td').first().textContent()).toBe('Required');
    expect(await votes.getByRole('table', { name: 'Marks of Editor' }).count()).toBe(1);
    expect(await text(votes.locator('li').filter({ hasText: /^Member/ }))).toBe('Member: Abstain');
    expect(await votes.getByText(/Mark every cell/).count()).toBe(0);
    expect(app.problems).toEqual([]);
  });

  it('a chair puts proposed wordings and a version to a ballot, and exports a version', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id, clauseIds } = await definitionIn(slug, users.editor, ['Training data is required.']);
    const proposed = await app.t.request({
      method: 'POST',
      url: `/api/definitions/${id}/amendments`,
      as: users.member,
      payload: { clauseId: clauseIds[0], text: 'Data information is required.', rationale: 'Data cannot always be shared.' },
    });
    expect(proposed.statusCode).toBe(201);
    const published = await app.t.request({ method: 'POST', url: `/api/definitions/${id}/versions`, as: users.chair, payload: { label: '0.1', notes: '' } });
    expect(published.statusCode).toBe(201);
    const base = `/groups/${slug}/definitions/${id}`;

    // From the amendments list: select the member's wording, ballot on it.
    const chair = await open(users.chair, `${base}/amendments`);
    const ballotOnThese = chair.getByRole('button', { name: 'Ballot on these' });
    expect(await ballotOnThese.getAttribute('aria-disabled')).toBe('true');
    await chair.getByRole('checkbox', { name: 'Select Member’s wording for clause 1 for a ballot' }).check();
    await ballotOnThese.click();
    const dialog = chair.getByRole('dialog', { name: 'Start a ballot on a choice between clause 1 as it reads and 1 proposed wording' });
    await dialog.getByLabel('Title', { exact: true }).fill('Which wording for clause 1?');
    await dialog.getByRole('radio', { name: 'Live while open' }).check();
    await dialog.getByLabel('Quorum (%)').fill('0');
    await dialog.getByRole('button', { name: 'Save draft' }).click();
    const choice = chair.getByRole('article', { name: 'Which wording for clause 1?' });
    await eventually(() => isFocused(choice.getByRole('heading', { name: 'Which wording for clause 1?' }))).toBe(true);
    expect(new URL(chair.url()).pathname).toBe(`${base}/decisions`);
    // Both wordings are shown with their text.
    const wordings = choice.getByRole('region', { name: 'Wordings in Which wording for clause 1?' });
    expect(await text(wordings)).toContain('Training data is required.');
    expect(await text(wordings)).toContain('Data information is required.');
    await choice.getByRole('button', { name: 'Open voting on Which wording for clause 1?' }).click();
    const form = choice.getByRole('form', { name: 'Vote on Which wording for clause 1?' });
    await form.getByRole('radio', { name: /^Amendment 1/ }).check();
    await form.getByRole('button', { name: 'Cast my vote' }).click();
    await chair
      .getByRole('status')
      .filter({ hasText: /^Your vote was recorded: Amendment 1/ })
      .waitFor();
    // Live results: the winner so far.
    await eventually(() => text(choice.locator('.ballot-outcome'))).toMatch(/Winner: Amendment 1/);
    // The clause changes while the ballot is open: the ballot and the chair's vote say so, with the text it saw.
    const edited = await app.t.request({
      method: 'PUT',
      url: `/api/definitions/${id}/clauses/${clauseIds[0]}`,
      as: users.editor,
      payload: { text: 'Training data is required, where lawful.' },
    });
    expect(edited.statusCode).toBe(200);
    // Text edits are not ballot events: the Decisions tab reads the ballots again when it is opened again.
    await section(chair, 'Versions').click();
    await chair.getByRole('heading', { level: 2, name: 'Versions' }).waitFor();
    await section(chair, 'Decisions').click();
    await eventually(() => text(choice.locator('.ballot-warning'))).toBe(
      'The clause text changed while the ballot was open. Votes cast on an older text are marked.',
    );
    expect(await text(choice.getByRole('region', { name: 'Your vote on Which wording for clause 1?' }))).toMatch(
      /Cast on an older text \(it saw: “?Training data is required\.”?\)/,
    );

    // Closed, the chosen wording is one step from the text: the chair accepts it (as the proposer's edit).
    const choiceTitle = 'Which wording for clause 1?';
    await choice.getByRole('button', { name: `Close voting on ${choiceTitle}` }).click();
    await choice
      .getByRole('group', { name: `Close voting on ${choiceTitle}?` })
      .getByRole('button', { name: 'Yes, close now' })
      .click();
    const acceptWinner = choice.getByRole('button', { name: /^Accept the chosen wording/ });
    await acceptWinner.click();
    await chair
      .getByRole('status')
      .filter({ hasText: /^Amendment 1 by Member was accepted and applied to the clause\.$/ })
      .waitFor();
    expect(await acceptWinner.count()).toBe(0);
    await eventually(async () => (await app.t.request({ method: 'GET', url: `/api/definitions/${id}`, as: users.chair })).json().clauses[0].text).toBe(
      'Data information is required.',
    );

    // From the versions page: a ballot on version 0.1.
    await section(chair, 'Versions').click();
    await chair.getByRole('button', { name: 'Ballot on version 0.1' }).click();
    const versionDialog = chair.getByRole('dialog', { name: 'Start a ballot on version 0.1' });
    await versionDialog.getByLabel('Title', { exact: true }).fill('Release 0.1 for comment');
    await versionDialog.getByRole('radio', { name: 'Consensus call' }).check();
    await versionDialog.getByRole('button', { name: 'Save draft' }).click();
    const draft = chair.getByRole('region', { name: /^Drafts/ }).getByRole('article', { name: 'Release 0.1 for comment' });
    await eventually(() => text(draft.locator('.ballot-subject-line'))).toBe('Version 0.1');
    expect(await text(draft.locator('.ballot-badges'))).toContain('Consensus call');

    // Editing the draft: the rules change until it opens; a closing time in the past is refused on the field.
    await draft.getByRole('button', { name: 'Edit draft Release 0.1 for comment' }).click();
    const edit = chair.getByRole('dialog', { name: 'Edit the draft ballot “Release 0.1 for comment”' });
    await edit.getByLabel('Closes at').fill('2020-01-01T10:00');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await eventually(() => descriptionOf(edit.getByLabel('Closes at'))).toContain('Closes at must be in the future');
    await edit.getByRole('radio', { name: 'Advisory poll' }).check();
    await edit.getByLabel('Closes at').fill('2099-01-01T10:00');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await eventually(() => text(draft.locator('.ballot-badges'))).toContain('Advisory poll');
    expect(await text(draft.locator('.ballot-deadline'))).toContain('2099');

    // Cancelling needs a reason, which is then shown.
    await draft.getByRole('button', { name: 'Cancel ballot Release 0.1 for comment' }).click();
    await draft.getByRole('button', { name: 'Cancel the ballot' }).click();
    await eventually(() => descriptionOf(draft.getByLabel('Reason for cancelling'))).toContain('Reason is required');
    await draft.getByLabel('Reason for cancelling').fill('Opened by mistake.');
    await draft.getByRole('button', { name: 'Cancel the ballot' }).click();
    const cancelled = chair.getByRole('region', { name: /^Closed and cancelled/ }).getByRole('article', { name: 'Release 0.1 for comment' });
    await eventually(() => text(cancelled.locator('.ballot-deadline'))).toBe('Reason: Opened by mistake.');

    // Export of a version.
    await chair.getByLabel('Text to export').selectOption('0.1');
    expect(await chair.getByRole('link', { name: 'Download HTML of version 0.1' }).getAttribute('href')).toBe(
      `/api/definitions/${id}/export?format=html&version=0.1`,
    );
    const download = await chair.request.get(`/api/definitions/${id}/export?format=md&version=0.1`);
    expect(download.status()).toBe(200);
    expect(app.problems).toEqual([]);
  });

  it('gives the focus to the ballot’s title after Open voting, also when the live channel shows it open before the answer comes', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id, clauseIds } = await definitionIn(slug, users.editor, ['Open Source AI is an AI system']);
    const title = 'Adopt the sentence';
    const created = await app.t.request({
      method: 'POST',
      url: `/api/definitions/${id}/ballots`,
      as: users.chair,
      payload: {
        title,
        subject: { kind: 'clause', clauseId: clauseIds[0] },
        rules: {
          kind: 'binding',
          eligibleRoles: ['chair', 'editor', 'member'],
          quorum: 0.5,
          threshold: 0.5,
          blockingObjectionFails: false,
          secret: false,
          resultsVisibility: 'after_close',
          closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
    });
    expect(created.statusCode).toBe(201);
    const chair = await open(users.chair, `/groups/${slug}/definitions/${id}`);
    const panel = ballotIn(chair, `Ballot: ${title}`);
    await panel.getByRole('button', { name: `Open voting on ${title}` }).waitFor();
    // The action's answer is held back until the page has heard from the live channel that voting opened.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await chair.route('**/api/ballots/*/open', async (route) => {
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    });
    await panel.getByRole('button', { name: `Open voting on ${title}` }).click();
    await eventually(() => text(panel.locator('.ballot-badges'))).toContain('Open');
    release();
    await eventually(() => isFocused(panel.getByRole('heading', { name: `Ballot: ${title}` }))).toBe(true);
    expect(app.problems).toEqual([]);
  });
});

import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestUser } from '../../../../server/test/support/app.ts';
import { descriptionOf, eventually, isFocused, useBrowserApp } from '../../e2e-support.ts';

// Requirement language (issue 19, item 5) in the live draft: a chair turns the marks on and keeps a
// glossary in the Language panel; the editor underlines terms used before their definition and
// inconsistent RFC 2119 keywords — gently, as decorations that never stop anybody typing — and the
// panel lists the same marks by clause for readers who do not see them.

const SHOTS = '/tmp/shots-language';

describe('requirement-language marks in the live draft', () => {
  const app = useBrowserApp();

  const CLAUSES = [
    'Every Open Source AI MUST grant the four freedoms, and its data must be described.',
    '“Open Source AI” means an AI system made available under terms that grant the freedoms.',
    'Each release publishes its Data information.',
    'Data information: sufficiently detailed information about the data used to train the system.',
  ];

  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  const squash = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();
  const clause = (page: Page, name: string) => page.getByRole('textbox', { name, exact: true });
  const clauseText = (page: Page, name: string) =>
    clause(page, name).evaluate((element) => {
      const copy = element.cloneNode(true) as HTMLElement;
      for (const caret of copy.querySelectorAll('.collab-caret')) caret.remove();
      return copy.textContent;
    });
  /** Each mark drawn in a clause: the words under it, its kind (from its class) and its title. */
  const marks = (page: Page, name: string) =>
    clause(page, name)
      .locator('.language-mark')
      .evaluateAll((spans) => spans.map((span) => [span.textContent, /language-mark-(\w+)/.exec(span.className)?.[1] ?? '', span.getAttribute('title') ?? '']));
  const allMarks = (page: Page) => page.locator('.clause-text .language-mark').count();
  /** The words selected in a clause's editor (its own state, not the DOM's). */
  const selected = (page: Page, name: string) =>
    clause(page, name).evaluate((element) => {
      const { state } = (
        element as HTMLElement & { editor: { state: { selection: { from: number; to: number }; doc: { textBetween(a: number, b: number): string } } } }
      ).editor;
      return state.doc.textBetween(state.selection.from, state.selection.to);
    });

  async function open(user: TestUser, path: string, viewport = { width: 1440, height: 900 }): Promise<Page> {
    const page = await app.signedInPage(user, { viewport });
    await page.goto(path);
    // Clause 2 is never edited here.
    await eventually(() => clauseText(page, 'Clause 2')).toBe(CLAUSES[1]);
    return page;
  }

  async function openPanel(page: Page): Promise<Locator> {
    await page.getByRole('button', { name: /^Language/ }).click();
    const panel = page.getByRole('dialog', { name: 'Requirement language' });
    await panel.waitFor();
    await eventually(() => isFocused(panel.getByRole('heading', { level: 2, name: 'Requirement language' }))).toBe(true);
    return panel;
  }

  /** The marks the panel lists, by clause: [clause, [kind, message]…]. */
  const listed = (panel: Locator) =>
    panel
      .locator('.language-group')
      .evaluateAll((groups) =>
        groups.map((group) => [
          group.querySelector('h4')?.textContent,
          Array.from(group.querySelectorAll('.language-warning'), (item) => [item.querySelector('.badge')?.textContent, item.querySelector('a')?.textContent]),
        ]),
      );

  it('a chair turns the marks on and adds a glossary term; the text is marked, still typed in, and the panel lists the marks; a member only reads them', {
    timeout: 180_000,
  }, async () => {
    mkdirSync(SHOTS, { recursive: true });
    const { slug, users } = await app.t.groupWithRoles();
    const { id, clauseIds } = await app.definitionIn(slug, users.editor, CLAUSES);
    const path = `/groups/${slug}/definitions/${id}`;

    const chair = await open(users.chair, path);
    const member = await open(users.member, path);
    // Off until the group turns the checks on: no marks, for anybody.
    await clause(chair, 'Clause 2').waitFor();
    expect(await allMarks(chair)).toBe(0);
    expect(await allMarks(member)).toBe(0);

    const panel = await openPanel(chair);
    const terms = panel.getByRole('region', { name: 'Defined terms' });
    await eventually(async () => squash(await terms.getByRole('listitem').first().textContent())).toBe('Open Source AI — defined in Clause 2');
    expect(squash(await panel.getByRole('region', { name: 'Marks by clause', exact: true }).textContent())).toContain('The marks are off');
    const toggle = panel.getByRole('checkbox', { name: 'Show the marks in the text' });
    expect(await toggle.isChecked()).toBe(false);
    await toggle.check();
    await eventually(() => panel.getByRole('status').first().textContent()).toBe('The marks are on for everyone reading the draft.');

    // The glossary form: the server's refusals are told at the field they concern.
    const form = panel.getByRole('form', { name: 'Add a term' });
    const term = form.getByLabel('Term');
    await term.fill('--');
    await form.getByRole('button', { name: 'Add the term' }).click();
    await eventually(() => descriptionOf(term)).toContain('Term has no letter or digit');
    await eventually(() => isFocused(term)).toBe(true);
    await term.fill('Data information');
    expect(await form.getByLabel('Defined in').locator('option').allTextContents()).toEqual(['Clause 1', 'Clause 2', 'Clause 3', 'Clause 4']);
    await form.getByLabel('Defined in').selectOption({ label: 'Clause 4' });
    await form.getByRole('button', { name: 'Add the term' }).click();
    await eventually(() => panel.getByRole('status').first().textContent()).toBe('“Data information” was added to the glossary.');
    expect(await term.inputValue()).toBe('');
    await eventually(async () => (await terms.locator('.language-term-text').allTextContents()).map(squash)).toEqual([
      'Data information — defined in Clause 4 Glossary',
      'Open Source AI — defined in Clause 2',
    ]);
    // Only the glossary's own entry can be removed (a definition in quotes is the text's).
    expect(await terms.getByRole('list').getByRole('button').allTextContents()).toEqual(['Remove “Data information” from the glossary']);
    expect(await terms.getByRole('link', { name: 'Clause 4' }).getAttribute('href')).toBe(`${path}?clause=${clauseIds[3]}`);
    // The same term again, however written: the glossary has it.
    await term.fill('data-information');
    await form.getByRole('button', { name: 'Add the term' }).click();
    await eventually(() => descriptionOf(term)).toContain('The glossary has this term already');

    // The marks, by clause, each a link to its words.
    const list = panel.getByRole('region', { name: 'Marks by clause (3)' });
    await eventually(() => listed(list)).toEqual([
      [
        'Clause 1',
        [
          ['Before its definition', '“Open Source AI” is used before Clause 2 defines it'],
          ['Lower-case keyword', '“must” in lower case: if it is a requirement, write MUST; if not, consider other words'],
        ],
      ],
      ['Clause 3', [['Before its definition', '“Data information” is used before Clause 4 defines it']]],
    ]);
    expect(await overflow(chair)).toBe(0);
    await chair.screenshot({ path: `${SHOTS}/panel-chair-1440.png` });

    // Following a mark closes the panel and selects its words in the clause.
    await list.getByRole('link', { name: /^“must” in lower case/ }).click();
    await eventually(() => panel.isVisible()).toBe(false);
    await eventually(() => selected(chair, 'Clause 1')).toBe('must');
    await eventually(() => isFocused(clause(chair, 'Clause 1'))).toBe(true);

    // In the text: a dotted underline over the very words, its message as the title.
    const clause1 = [
      ['Open Source AI', 'used_before_definition', '“Open Source AI” is used before Clause 2 defines it'],
      ['must', 'lowercase_keyword', '“must” in lower case: if it is a requirement, write MUST; if not, consider other words'],
    ];
    await eventually(() => marks(chair, 'Clause 1')).toEqual(clause1);
    expect(await marks(chair, 'Clause 3')).toEqual([['Data information', 'used_before_definition', '“Data information” is used before Clause 4 defines it']]);
    expect(await marks(chair, 'Clause 2')).toEqual([]);
    const underline = await clause(chair, 'Clause 1')
      .locator('.language-mark')
      .first()
      .evaluate((span) => {
        const style = getComputedStyle(span);
        return [style.textDecorationLine, style.textDecorationStyle];
      });
    expect(underline).toEqual(['underline', 'dotted']);
    await eventually(() => chair.getByRole('button', { name: 'Language 3 marks' }).isVisible()).toBe(true);
    await chair.screenshot({ path: `${SHOTS}/marks-chair-1440.png` });

    // The member sees the same marks, live — also in forced colours, where the dotted line stays.
    await eventually(() => marks(member, 'Clause 1')).toEqual(clause1);
    await member.emulateMedia({ forcedColors: 'active' });
    expect(
      await clause(member, 'Clause 1')
        .locator('.language-mark')
        .first()
        .evaluate((span) => [getComputedStyle(span).textDecorationLine, getComputedStyle(span).textDecorationStyle]),
    ).toEqual(['underline', 'dotted']);
    await clause(member, 'Clause 1').screenshot({ path: `${SHOTS}/marks-forced-colors.png` });
    await member.emulateMedia({ forcedColors: 'none' });

    // Typing with marks in the text: before them (they move along with their words, whether or not the
    // report has caught up yet), and a new lower-case keyword (marked once the report catches up).
    await clause(chair, 'Clause 1').click();
    await chair.keyboard.press('ControlOrMeta+Home');
    await chair.keyboard.type('Now ');
    await eventually(() => clauseText(chair, 'Clause 1')).toBe(`Now ${CLAUSES[0]}`);
    expect((await marks(chair, 'Clause 1')).map(([words]) => words)).toEqual(['Open Source AI', 'must']);
    await chair.keyboard.press('ControlOrMeta+End');
    await chair.keyboard.type(' Its weights should be published.');
    const typed = `Now ${CLAUSES[0]} Its weights should be published.`;
    await eventually(() => clauseText(chair, 'Clause 1')).toBe(typed);
    await eventually(() => clauseText(member, 'Clause 1')).toBe(typed);
    const withShould = [
      ...clause1,
      ['should', 'lowercase_keyword', '“should” in lower case: if it is a requirement, write SHOULD; if not, consider other words'],
    ];
    await eventually(() => marks(chair, 'Clause 1')).toEqual(withShould);
    await eventually(() => marks(member, 'Clause 1')).toEqual(withShould);
    await eventually(() => chair.locator('.connection').textContent()).toBe('Saved');
    // Decorations only: the text saved has none of them.
    const saved = (await app.t.request({ method: 'GET', url: `/api/definitions/${id}`, as: users.chair })).json();
    expect(saved.clauses[0].text).toBe(typed);
    expect(JSON.stringify(saved)).not.toContain('language-mark');

    // The member reads the panel: on, the terms, the marks — and nothing to change.
    const memberPanel = await openPanel(member);
    expect(squash(await memberPanel.getByRole('region', { name: 'On or off' }).locator('p').textContent())).toBe(
      'The marks are on for this definition. Chairs and editors turn them on or off.',
    );
    await eventually(() => memberPanel.getByRole('region', { name: 'Marks by clause (4)' }).isVisible()).toBe(true);
    expect(await memberPanel.getByRole('checkbox').count()).toBe(0);
    expect(await memberPanel.getByRole('form').count()).toBe(0);
    expect(await memberPanel.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
    await memberPanel.getByRole('button', { name: 'Close' }).click();
    await eventually(() => isFocused(member.getByRole('button', { name: /^Language/ }))).toBe(true);

    // Phones: the marks and the panel at 390 px.
    const phone = await open(users.member, path, { width: 390, height: 844 });
    await eventually(() => marks(phone, 'Clause 1')).toEqual(withShould);
    expect(await overflow(phone)).toBe(0);
    await clause(phone, 'Clause 1').scrollIntoViewIfNeeded();
    await phone.screenshot({ path: `${SHOTS}/marks-member-390.png` });
    const phonePanel = await openPanel(phone);
    await phonePanel.getByRole('region', { name: 'Marks by clause (4)' }).waitFor();
    expect(await overflow(phone)).toBe(0);
    await phone.screenshot({ path: `${SHOTS}/panel-member-390.png` });
    await phonePanel.getByRole('region', { name: 'Marks by clause (4)' }).scrollIntoViewIfNeeded();
    await phone.screenshot({ path: `${SHOTS}/panel-member-marks-390.png` });
    await phonePanel.getByRole('button', { name: 'Close' }).click();

    const chairPhone = await open(users.chair, path, { width: 390, height: 844 });
    const chairPhonePanel = await openPanel(chairPhone);
    await chairPhonePanel.getByRole('form', { name: 'Add a term' }).scrollIntoViewIfNeeded();
    expect(await overflow(chairPhone)).toBe(0);
    await chairPhone.screenshot({ path: `${SHOTS}/panel-chair-390.png` });
    await chairPhonePanel.getByRole('button', { name: 'Close' }).click();

    // Removing the glossary term takes its mark away; turning the checks off, every mark — for the member too.
    const again = await openPanel(chair);
    await again.getByRole('button', { name: 'Remove “Data information” from the glossary' }).click();
    await eventually(() => again.getByRole('status').first().textContent()).toBe('“Data information” was removed from the glossary.');
    await eventually(() => marks(member, 'Clause 3')).toEqual([]);
    await again.getByRole('checkbox', { name: 'Show the marks in the text' }).uncheck();
    await eventually(() => again.getByRole('status').first().textContent()).toBe('The marks are off.');
    await eventually(() => allMarks(chair)).toBe(0);
    await eventually(() => allMarks(member)).toBe(0);
    await eventually(() => member.getByRole('button', { name: 'Language', exact: true }).isVisible()).toBe(true);
    expect(squash(await again.getByRole('region', { name: 'Marks by clause', exact: true }).locator('p').textContent())).toBe(
      'The marks are off: the text is not checked.',
    );
    expect(app.problems).toEqual([]);
  });

  it('a member cannot turn the marks on; with the checks off the text has no marks, and an observer reads the same sentence', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id } = await app.definitionIn(slug, users.editor, CLAUSES);
    const refused = await app.t.request({ method: 'PUT', url: `/api/definitions/${id}/language`, as: users.member, payload: { enabled: true } });
    expect(refused.statusCode).toBe(403);
    const observer = await open(users.observer, `/groups/${slug}/definitions/${id}`);
    const panel = await openPanel(observer);
    expect(squash(await panel.getByRole('region', { name: 'On or off' }).locator('p').textContent())).toBe(
      'The marks are off for this definition. Chairs and editors turn them on or off.',
    );
    expect(await panel.getByRole('checkbox').count()).toBe(0);
    await panel.getByRole('button', { name: 'Close' }).click();
    expect(await allMarks(observer)).toBe(0);
    expect(app.problems).toEqual([]);
  });
});

import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestUser } from '../../../../server/test/support/app.ts';
import { ballotRules } from '../../../../server/test/support/ballots.ts';
import { eventually, isFocused, useBrowserApp } from '../../e2e-support.ts';

// The provenance of a clause (issue 19, item 1): from the live draft, why a clause — or the words
// selected in it — says what it says, on one panel.

describe('the provenance of a clause, from the live draft', () => {
  const app = useBrowserApp();

  const ORIGINAL = 'Open Source AI is an AI system made available under terms.';
  const AMENDED = 'Open Source AI is an AI system made available under terms that grant the four freedoms.';

  /** A clause written by the editor, reworded by the member's accepted amendment, decided by a public ballot with an objection, discussed, published three times. */
  async function shaped() {
    const { slug, users } = await app.t.groupWithRoles();
    const call = async (method: 'POST' | 'PUT', url: string, as: TestUser, payload?: object) => {
      const response = await app.t.request({ method, url, as, ...(payload && { payload }) });
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
      return response.json();
    };
    const { id, clauseIds } = await app.definitionIn(slug, users.editor, ['Preamble', ORIGINAL]);
    const clauseId = clauseIds[1]!;
    await call('POST', `/api/definitions/${id}/versions`, users.chair, { label: '0.1', notes: '' });
    const amendment = await call('POST', `/api/definitions/${id}/amendments`, users.member, { clauseId, text: AMENDED, rationale: 'Say which freedoms.' });
    await call('POST', `/api/amendments/${amendment.id}/accept`, users.editor);
    const ballot = await call('POST', `/api/definitions/${id}/ballots`, users.chair, {
      title: 'Adopt the definition clause',
      subject: { kind: 'clause', clauseId },
      rules: ballotRules(),
    });
    await call('POST', `/api/ballots/${ballot.id}/open`, users.chair);
    await call('PUT', `/api/ballots/${ballot.id}/vote`, users.chair, { position: 'yes' });
    await call('PUT', `/api/ballots/${ballot.id}/vote`, users.member, { position: 'yes' });
    await call('PUT', `/api/ballots/${ballot.id}/vote`, users.editor, { position: 'object', rationale: 'The freedoms need naming here.' });
    await call('POST', `/api/ballots/${ballot.id}/close`, users.chair);
    const thread = await call('POST', `/api/definitions/${id}/threads`, users.observer, { clauseId, body: 'Which four?' });
    await call('POST', `/api/threads/${thread.id}/resolve`, users.editor);
    await call('POST', `/api/definitions/${id}/versions`, users.chair, { label: '0.2', notes: '' });
    await call('POST', `/api/definitions/${id}/versions`, users.chair, { label: '0.3', notes: '' });
    return { slug, users, id, thread };
  }

  async function open(user: TestUser, path: string, viewport?: { width: number; height: number }): Promise<Page> {
    const page = await app.signedInPage(user, viewport ? { viewport } : {});
    await page.goto(path);
    await eventually(() => clauseText(page, 'Clause 2')).toBe(AMENDED);
    return page;
  }

  const clauseText = (page: Page, name: string) =>
    page.getByRole('textbox', { name, exact: true }).evaluate((element) => {
      const copy = element.cloneNode(true) as HTMLElement;
      for (const caret of copy.querySelectorAll('.collab-caret')) caret.remove();
      return copy.textContent;
    });

  /** Each marked run of "Who wrote it" with its author. */
  const runs = (panel: Locator) =>
    panel.locator('.blame-text mark').evaluateAll((marks) => marks.map((mark) => [(mark as HTMLElement).dataset.author, mark.textContent]));
  const texts = async (locator: Locator) => (await locator.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());

  /** Selects words in a published version's rendered clause (one text node holds them). */
  async function selectRendered(page: Page, clause: string, words: string) {
    const section = page.getByRole('region', { name: clause, exact: true });
    await section.locator('.public-clause-text').evaluate((element, wanted) => {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent!.indexOf(wanted);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + wanted.length);
        document.getSelection()!.removeAllRanges();
        document.getSelection()!.addRange(range);
        return;
      }
      throw new Error(`no text node holds “${wanted}”`);
    }, words);
  }

  /** Selects words in a clause as a mouse would, and waits until the editor has taken the selection (see discussion.e2e). */
  async function select(page: Page, clause: string, words: string) {
    const editorSelection = () =>
      page.getByRole('textbox', { name: clause, exact: true }).evaluate(async (element, wanted) => {
        type EditorState = { selection: { from: number; to: number }; doc: { textBetween(from: number, to: number, separator: string): string } };
        const editorOf = element as HTMLElement & { editor: { state: EditorState } };
        const selected = () => {
          const { selection, doc } = editorOf.editor.state;
          return doc.textBetween(selection.from, selection.to, ' ');
        };
        if (selected() === wanted) return wanted;
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = node.textContent!.indexOf(wanted);
          if (at < 0) continue;
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + wanted.length);
          const selection = window.getSelection()!;
          selection.removeAllRanges();
          selection.addRange(range);
          await new Promise((resolve) => setTimeout(resolve, 50));
          return selected();
        }
        throw new Error(`"${wanted}" is not in the clause`);
      }, words);
    await eventually(editorSelection).toBe(words);
  }

  it('tells who wrote each part, the accepted amendment, the ballot with its objection, the thread and the versions — of the clause and of selected words', async () => {
    const { slug, users, id, thread } = await shaped();
    const page = await open(users.member, `/groups/${slug}/definitions/${id}`, { width: 1440, height: 900 });

    const actions = page.getByRole('button', { name: 'Actions for clause 2' });
    await actions.click();
    await page.getByRole('menuitem', { name: 'Provenance of clause 2' }).click();
    const panel = page.getByRole('dialog', { name: 'Provenance of clause 2' });
    await panel.waitFor();
    // The focus goes into the panel, on its title.
    await eventually(() => isFocused(panel.getByRole('heading', { level: 2, name: 'Provenance of clause 2' }))).toBe(true);

    // Who wrote it: the editor's words, the member's words from the accepted amendment, numbered as well as coloured.
    const authors = panel.getByRole('region', { name: 'Who wrote it' });
    await eventually(() => runs(authors)).toEqual([
      ['Editor', 'Open Source AI is an AI system made available under terms'],
      ['Member', ' that grant the four freedoms'],
      ['Editor', '.'],
    ]);
    expect(await authors.locator('.blame-number').allTextContents()).toEqual(['1', '2', '1']);
    expect(await texts(authors.getByRole('list', { name: 'Contributors' }).getByRole('listitem'))).toEqual([
      '1 Editor · 48 characters',
      '2 Member · 24 characters',
    ]);

    const amendments = panel.getByRole('region', { name: 'Amendments' });
    expect(await texts(amendments.getByRole('listitem'))).toEqual([
      expect.stringMatching(/^Accepted Proposed by Member on .*Say which freedoms\..*Accepted by Editor on /),
    ]);
    expect(await amendments.locator('blockquote').textContent()).toBe(AMENDED);

    const ballots = panel.getByRole('region', { name: 'Ballots' });
    await ballots.getByRole('heading', { level: 4, name: 'Adopt the definition clause' }).waitFor();
    const facts = await texts(ballots.locator('dd'));
    expect(facts[0]).toBe('Binding vote; quorum 50% of the eligible voters; needs at least 50% support; public (every vote is shown with the results).');
    expect(facts).toContain('3 of 3 eligible voted');
    expect(facts).toContainEqual(expect.stringMatching(/^Passed — /));
    expect(facts.at(-1)).toBe('1');
    expect(await texts(ballots.getByRole('list', { name: 'Objections to “Adopt the definition clause”' }).getByRole('listitem'))).toEqual([
      'Editor objected: “The freedoms need naming here.”',
    ]);

    const threads = panel.getByRole('region', { name: 'Threads' });
    expect(await texts(threads.getByRole('listitem'))).toEqual([
      expect.stringMatching(/^Resolved Members only Started by Observer on .* · 1 comment Resolved by Editor on /),
    ]);

    const versions = panel.getByRole('region', { name: 'Versions' });
    expect(await texts(versions.locator('.provenance-item > p:first-child'))).toEqual([
      expect.stringMatching(/^Version 0\.1 Added · published /),
      expect.stringMatching(/^Version 0\.2 Changed · published /),
      expect.stringMatching(/^Version 0\.3 Unchanged · published /),
    ]);
    expect(await versions.locator('blockquote').allTextContents()).toEqual([ORIGINAL, AMENDED]);
    expect(await versions.getByRole('link', { name: 'Version 0.2' }).getAttribute('href')).toBe(`/groups/${slug}/definitions/${id}/versions?version=0.2`);
    expect(await versions.getByRole('link', { name: 'Changes since version 0.1' }).getAttribute('href')).toBe(
      `/groups/${slug}/definitions/${id}/diff?from=0.1&to=0.2`,
    );

    // Escape closes it; the focus is back on the clause's menu button.
    await page.keyboard.press('Escape');
    await eventually(() => panel.count()).toBe(0);
    await eventually(() => isFocused(actions)).toBe(true);

    // The member's words, selected: only the member wrote them.
    await select(page, 'Clause 2', 'that grant the four freedoms');
    const fromSelection = page.getByRole('button', { name: 'Provenance of the selection in clause 2' });
    await fromSelection.click();
    const narrowed = page.getByRole('dialog', { name: 'Provenance of the selection in clause 2' });
    await narrowed.waitFor();
    await eventually(() => runs(narrowed)).toEqual([['Member', 'that grant the four freedoms']]);
    expect(await narrowed.locator('.provenance-selection blockquote').textContent()).toBe('that grant the four freedoms');
    expect(await texts(narrowed.getByRole('list', { name: 'Contributors' }).getByRole('listitem'))).toEqual(['1 Member · 24 characters']);
    await narrowed.getByRole('button', { name: 'Close' }).click();
    await eventually(() => narrowed.count()).toBe(0);
    await eventually(() => isFocused(fromSelection)).toBe(true);

    // A thread's link opens the thread in the discussion, resolved as it is.
    await actions.click();
    await page.getByRole('menuitem', { name: 'Provenance of clause 2' }).click();
    await panel.getByRole('link', { name: 'Go to the thread started by Observer' }).click();
    await eventually(() => panel.count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('thread')).toBe(thread.id);
    await eventually(() => isFocused(page.getByRole('article', { name: /Resolved thread on clause 2/ }))).toBe(true);
    expect(app.problems).toEqual([]);
  });

  it('opens from a published version’s page for members, as of that version; the public sees no such button', async () => {
    const { slug, users, id } = await shaped();
    const page = await app.signedInPage(users.member, { viewport: { width: 1440, height: 900 } });
    await page.goto(`/groups/${slug}/definitions/${id}/public?version=0.1`);
    const button = page.getByRole('button', { name: 'Provenance of clause 2 in version 0.1' });
    await button.click();
    const panel = page.getByRole('dialog', { name: 'Provenance of clause 2 in version 0.1' });
    await panel.waitFor();
    // As of 0.1: the editor's words only; the amendment accepted later is not part of it.
    await eventually(() => runs(panel.getByRole('region', { name: 'Who wrote it' }))).toEqual([['Editor', ORIGINAL]]);
    expect(await texts(panel.getByRole('region', { name: 'Versions' }).locator('.provenance-item > p:first-child'))).toEqual([
      expect.stringMatching(/^Version 0\.1 Added · published /),
    ]);
    await page.screenshot({ path: '/tmp/shots-provenance-version-1440.png' });
    await page.keyboard.press('Escape');
    await eventually(() => panel.count()).toBe(0);
    await eventually(() => isFocused(button)).toBe(true);
    // The latest version: the member's words are in it.
    await page.goto(`/groups/${slug}/definitions/${id}/public`);
    await page.getByRole('button', { name: 'Provenance of clause 2 in version 0.3' }).click();
    const latest = page.getByRole('dialog', { name: 'Provenance of clause 2 in version 0.3' });
    await eventually(() => runs(latest.getByRole('region', { name: 'Who wrote it' }))).toEqual([
      ['Editor', 'Open Source AI is an AI system made available under terms'],
      ['Member', ' that grant the four freedoms'],
      ['Editor', '.'],
    ]);

    await latest.getByRole('button', { name: 'Close' }).click();
    await eventually(() => latest.count()).toBe(0);

    // Words selected in the version's text: only the member wrote them.
    await selectRendered(page, 'Clause 2', 'that grant the four freedoms');
    const fromSelection = page.getByRole('button', { name: 'Provenance of the selection in clause 2 in version 0.3' });
    await fromSelection.click();
    const narrowed = page.getByRole('dialog', { name: 'Provenance of the selection in clause 2 in version 0.3' });
    await eventually(() => runs(narrowed.getByRole('region', { name: 'Who wrote it' }))).toEqual([['Member', 'that grant the four freedoms']]);
    expect(await narrowed.locator('.provenance-selection blockquote').textContent()).toBe('that grant the four freedoms');
    await narrowed.getByRole('button', { name: 'Close' }).click();
    await eventually(() => narrowed.count()).toBe(0);

    // A clause of a paragraph and a list, with formatting: the selection in the list's second item is found exactly.
    const listed = await app.t.groupWithRoles();
    const definitionId = (
      await app.t.request({ method: 'POST', url: `/api/groups/${listed.slug}/definitions`, as: listed.users.chair, payload: { slug: 'list', title: 'Lists' } })
    ).json().id as string;
    const text = (t: string, marks?: object[]) => ({ type: 'text', text: t, ...(marks && { marks }) });
    const item = (...content: object[]) => ({ type: 'listItem', content: [{ type: 'paragraph', content }] });
    await app.t.request({
      method: 'POST',
      url: `/api/definitions/${definitionId}/clauses`,
      as: listed.users.editor,
      payload: {
        content: {
          type: 'doc',
          content: [
            { type: 'paragraph', content: [text('The components: '), text('all', [{ type: 'bold' }]), text(' of them.')] },
            { type: 'bulletList', content: [item(text('Code')), item(text('Model '), text('weights', [{ type: 'italic' }]), text(' & parameters'))] },
          ],
        },
      },
    });
    await app.t.request({ method: 'POST', url: `/api/definitions/${definitionId}/versions`, as: listed.users.chair, payload: { label: '1.0', notes: '' } });
    const reader = await app.signedInPage(listed.users.member);
    await reader.goto(`/groups/${listed.slug}/definitions/${definitionId}/public`);
    await selectRendered(reader, 'Clause 1', ' & parameters');
    await reader.getByRole('button', { name: 'Provenance of the selection in clause 1 in version 1.0' }).click();
    const inList = reader.getByRole('dialog', { name: 'Provenance of the selection in clause 1 in version 1.0' });
    await eventually(() => inList.locator('.provenance-selection blockquote').textContent()).toBe(' & parameters');
    await eventually(() => runs(inList.getByRole('region', { name: 'Who wrote it' }))).toEqual([['Editor', ' & parameters']]);

    // A public group's visitor reads the version, without the members' record.
    const open = await app.t.groupWithRoles('public');
    const published = await app.definitionIn(open.slug, open.users.editor, ['Preamble', ORIGINAL]);
    await app.t.request({ method: 'POST', url: `/api/definitions/${published.id}/versions`, as: open.users.chair, payload: { label: '1.0', notes: '' } });
    const visitor = await app.signedInPage(open.users.outsider);
    await visitor.goto(`/groups/${open.slug}/definitions/${published.id}/public`);
    await visitor.getByRole('heading', { name: 'Clause 2' }).waitFor();
    expect(await visitor.getByRole('button', { name: /^Provenance/ }).count()).toBe(0);
    expect(app.problems).toEqual([]);
  });

  it('fits a phone: nothing scrolls sideways, the page or the panel', async () => {
    const { slug, users, id } = await shaped();
    const page = await open(users.member, `/groups/${slug}/definitions/${id}`, { width: 390, height: 844 });
    await select(page, 'Clause 2', 'the four freedoms');
    await page.getByRole('button', { name: 'Provenance of the selection in clause 2' }).click();
    const panel = page.getByRole('dialog', { name: 'Provenance of the selection in clause 2' });
    await panel.getByRole('region', { name: 'Versions' }).getByRole('link', { name: 'Version 0.3' }).waitFor();
    const sideways = (locator: Locator) => locator.evaluate((element) => element.scrollWidth - element.clientWidth);
    expect(await sideways(panel)).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    const box = (await panel.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(app.problems).toEqual([]);
  });
});

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestUser } from '../../../../server/test/support/app.ts';
import { descriptionOf, eventually, isFocused, useBrowserApp } from '../../e2e-support.ts';

describe('discussion and amendments in the browser', () => {
  const app = useBrowserApp();

  const { definitionIn } = app;

  async function open(user: TestUser, path: string, viewport?: { width: number; height: number }): Promise<Page> {
    const page = await app.signedInPage(user, viewport ? { viewport } : {});
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

  /** Selects `words` inside a clause's text, as a mouse drag would. */
  /**
   * Selects words in a clause as a mouse would (a DOM selection), and waits until the editor has taken
   * it. A remote change or a cursor arriving before ProseMirror reads the DOM selection makes it write
   * its own, older selection back — a person would select again, and so does this.
   */
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
          // ProseMirror reads the DOM selection on the next selectionchange event.
          await new Promise((resolve) => setTimeout(resolve, 50));
          return selected();
        }
        throw new Error(`"${wanted}" is not in the clause`);
      }, words);
    await eventually(editorSelection).toBe(words);
  }

  it('an observer comments on selected words, an editor replies to the comment, the observer resolves the thread', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id } = await definitionIn(slug, users.editor, ['Open Source AI is an AI system that grants four freedoms']);
    const base = `/groups/${slug}/definitions/${id}`;

    // An observer cannot edit, but selects words in the read-only text and comments on them.
    const observer = await open(users.observer, base, { width: 390, height: 844 });
    await eventually(() => clauseText(observer, 'Clause 1')).toBe('Open Source AI is an AI system that grants four freedoms');
    await observer.getByText('No open threads.', { exact: false }).waitFor();
    await select(observer, 'Clause 1', 'four freedoms');
    const comment = observer.getByRole('button', { name: 'Comment on the selection in clause 1' });
    await comment.click();
    const form = observer.getByRole('form', { name: 'New comment on clause 1' });
    expect(await form.locator('blockquote').textContent()).toBe('four freedoms');
    const box = form.getByLabel('Comment', { exact: true });
    await eventually(() => isFocused(box)).toBe(true);
    await box.fill('Which **four**?');
    await form.getByRole('button', { name: 'Post comment' }).click();
    await observer.getByRole('status').filter({ hasText: 'Comment posted.' }).waitFor();
    const thread = observer.getByRole('article', { name: /Thread on clause 1/ });
    expect(await thread.locator('blockquote').textContent()).toBe('four freedoms');
    expect(await thread.locator('.comment-body strong').textContent()).toBe('four');
    expect(await form.count()).toBe(0);

    // An edit keeps the earlier wording in the comment's history.
    await thread.getByRole('button', { name: 'Edit comment by Observer' }).click();
    const edit = thread.getByRole('form', { name: 'Edit comment' });
    expect(await edit.getByLabel('Edit comment').inputValue()).toBe('Which **four**?');
    await edit.getByLabel('Edit comment').fill('Which **four** freedoms?');
    await edit.getByRole('button', { name: 'Save' }).click();
    await observer.getByRole('status').filter({ hasText: 'Comment edited.' }).waitFor();
    await thread.getByText('Edited comment by Observer — show earlier text').click();
    expect(await thread.locator('.comment-revision').allTextContents()).toEqual(['Which **four**?']);

    // The thread is anchored where the words are (the server resolved the relative positions).
    const stored = await app.t.request({ method: 'GET', url: `/api/definitions/${id}/threads`, as: users.editor });
    expect(stored.json().threads[0].anchorState).toBe('ok');

    // The editor replies to that comment; the reply names it.
    const editor = await open(users.editor, base);
    const editorThread = editor.getByRole('article', { name: /Thread on clause 1/ });
    await editorThread.getByRole('button', { name: 'Reply to Observer' }).click();
    const replyForm = editorThread.getByRole('form', { name: 'Reply to Observer' });
    await replyForm.getByLabel('Reply to Observer').fill('Use, study, modify, share.');
    await replyForm.getByRole('button', { name: 'Reply', exact: true }).click();
    await editor.getByRole('status').filter({ hasText: 'Reply posted.' }).waitFor();
    expect(await editorThread.locator('.comment').nth(1).textContent()).toContain('in reply to Observer');
    await editorThread.getByRole('button', { name: 'thumbs up' }).first().click();
    await eventually(() => editorThread.getByRole('button', { name: 'thumbs up, 1' }).getAttribute('aria-pressed')).toBe('true');

    // The reply reaches the observer's open page by itself (live channel); the observer resolves, and
    // the thread moves to the resolved filter.
    await eventually(async () => (await thread.locator('.comment-body').allTextContents()).map((text) => text.trim())).toEqual([
      'Which four freedoms?',
      'Use, study, modify, share.',
    ]);
    await thread.getByRole('button', { name: 'Resolve thread' }).click();
    await observer.getByRole('status').filter({ hasText: 'Thread resolved.' }).waitFor();
    await observer.getByRole('radio', { name: 'Resolved' }).check();
    const resolved = observer.getByRole('article', { name: /Resolved thread on clause 1/ });
    await resolved.getByText('Resolved by Observer.').waitFor();
    await observer.getByRole('radio', { name: 'Open' }).check();
    await observer.getByText('No open threads.', { exact: false }).waitFor();

    // The editor's inbox names the new thread; marking all as read empties the count.
    await editor.getByRole('link', { name: /^Inbox/ }).click();
    await editor.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
    const notifications = editor.getByRole('list', { name: 'Notifications' });
    await eventually(() => notifications.getByRole('listitem').count()).toBeGreaterThan(0);
    await editor.getByRole('button', { name: 'Mark all as read' }).click();
    await editor.getByText('Nothing unread.').waitFor();

    expect(app.problems).toEqual([]);
  });

  it('renders hostile comment bodies inert', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id, clauseIds } = await definitionIn(slug, users.editor, ['A clause to argue about']);
    const payloads = [
      '<img src=x onerror="window.__pwned=1;alert(1)">',
      '<script>window.__pwned=2;alert(2)</script>',
      '[click me](javascript:window.__pwned=3;alert(3))',
      '<a href="javascript:window.__pwned=4">link</a> <svg onload="window.__pwned=5"></svg>',
      '<iframe src="javascript:alert(6)"></iframe><div onmouseover="window.__pwned=7">hover</div>',
    ];
    for (const body of payloads) {
      const started = await app.t.request({
        method: 'POST',
        url: `/api/definitions/${id}/threads`,
        as: users.member,
        payload: { clauseId: clauseIds[0], body },
      });
      expect(started.statusCode).toBe(201);
    }

    const page = await open(users.chair, `/groups/${slug}/definitions/${id}`);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await eventually(() => page.getByRole('article', { name: /Thread on clause 1/ }).count()).toBe(payloads.length);
    const comments = page.locator('.comment-body');
    await comments.getByText('click me').hover();
    await comments
      .getByText('hover')
      .first()
      .hover()
      .catch(() => undefined);
    await comments.getByText('click me').click();

    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await comments.locator('script, iframe, svg, img, [onerror], [onload], [onmouseover]').count()).toBe(0);
    const hrefs = await comments.locator('a').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
    expect(hrefs.filter((href) => /^\s*javascript:/i.test(href))).toEqual([]);

    // The chair hides one with a reason (shown to everyone), then shows it again.
    const first = page.getByRole('article', { name: /Thread on clause 1/ }).first();
    await first.getByRole('button', { name: 'Hide comment by Member' }).click();
    const hide = first.getByRole('form', { name: 'Reason for hiding' });
    await hide.getByLabel('Reason for hiding').fill('Not about the text.');
    await hide.getByRole('button', { name: 'Hide comment' }).click();
    await page.getByRole('status').filter({ hasText: 'Comment hidden.' }).waitFor();
    await first.getByText('Hidden by a moderator: Not about the text.').waitFor();
    await first.getByRole('button', { name: 'Show again comment by Member' }).click();
    await page.getByRole('status').filter({ hasText: 'Comment shown again.' }).waitFor();
    expect(await first.getByText('Hidden by a moderator').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(app.problems).toEqual([]);
  });

  it('a member suggests a wording, an editor accepts it, and the text changes live for a reader', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id, clauseIds } = await definitionIn(slug, users.editor, ['Open Source AI is an AI system']);
    const base = `/groups/${slug}/definitions/${id}`;

    const member = await open(users.member, base);
    await eventually(() => clauseText(member, 'Clause 1')).toBe('Open Source AI is an AI system');
    // The clause's menu holds the proposal; the focus comes back to the menu's button.
    const propose = member.getByRole('button', { name: 'Actions for clause 1' });
    await propose.click();
    await member.getByRole('menuitem', { name: 'Suggest changes to clause 1' }).click();
    const bar = member.getByRole('region', { name: 'Suggesting changes to clause 1' });
    const wording = member.getByRole('textbox', { name: 'Your suggestion for clause 1' });
    await eventually(() => wording.textContent()).toBe('Open Source AI is an AI system');
    await wording.fill('Open Source AI is an AI system made available under terms that grant four freedoms');
    await bar.getByLabel('Why').fill('Name the freedoms.');
    await bar.getByRole('button', { name: 'Send suggestion' }).click();
    await member.getByRole('status').filter({ hasText: 'Your suggestion for clause 1 was sent.' }).waitFor();
    await eventually(() => isFocused(propose)).toBe(true);

    // The member sees it listed with the word diff and may withdraw, not accept.
    await member.getByRole('navigation', { name: 'Definition sections' }).getByRole('link', { name: 'Amendments' }).click();
    const mine = member.getByRole('article', { name: 'Member’s wording for clause 1' });
    await mine.waitFor();
    expect((await mine.locator('ins').allTextContents()).join(' ')).toContain('four freedoms');
    expect(await mine.getByRole('button', { name: /^Withdraw/ }).count()).toBe(1);
    expect(await mine.getByRole('button', { name: /^Accept/ }).count()).toBe(0);

    // A reader has the text open while the editor accepts on the Amendments tab.
    const reader = await open(users.observer, base);
    await eventually(() => clauseText(reader, 'Clause 1')).toBe('Open Source AI is an AI system');
    const editor = await open(users.editor, `${base}/amendments`);
    const proposal = editor.getByRole('article', { name: 'Member’s wording for clause 1' });
    await proposal.waitFor();
    expect(await proposal.locator('.badge-stale').count()).toBe(0);
    await proposal.getByRole('button', { name: 'Accept the wording for clause 1' }).click();
    await editor.getByRole('alertdialog', { name: 'Accept Member’s wording for clause 1?' }).getByRole('button', { name: 'Accept the wording' }).click();
    await editor.getByRole('status').filter({ hasText: 'The wording for clause 1 was accepted.' }).waitFor();
    expect(await proposal.locator('.badge').first().textContent()).toBe('Accepted');
    expect(await proposal.getByRole('button', { name: /^(Accept|Reject|Withdraw)/ }).count()).toBe(0);
    await eventually(() => clauseText(reader, 'Clause 1')).toBe('Open Source AI is an AI system made available under terms that grant four freedoms');

    // A second proposal, written against the old text, is rejected with a reason.
    const second = await app.t.request({
      method: 'POST',
      url: `/api/definitions/${id}/amendments`,
      as: users.member,
      payload: { clauseId: clauseIds[0], text: 'AI that is open', rationale: 'Shorter.' },
    });
    expect(second.statusCode).toBe(201);
    // It appears on the editor's open Amendments tab by itself.
    const shorter = editor.getByRole('article', { name: 'Member’s wording for clause 1' }).filter({ hasText: 'Shorter.' });
    await shorter.getByRole('button', { name: 'Reject the wording for clause 1' }).click();
    const reject = shorter.getByRole('form', { name: 'Reason for rejecting' });
    await reject.getByLabel('Reason for rejecting').fill('Too vague.');
    await reject.getByRole('button', { name: 'Reject wording' }).click();
    await editor.getByRole('status').filter({ hasText: 'The wording for clause 1 was rejected.' }).waitFor();
    await shorter.getByText('Rejected by Editor: Too vague.').waitFor();

    expect(app.problems).toEqual([]);
  });

  it('highlights anchored words, mentions a member, and tells when the passage was removed', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id } = await definitionIn(slug, users.editor, ['Open Source AI is an AI system that grants four freedoms']);
    const base = `/groups/${slug}/definitions/${id}`;

    // A member comments on two words and mentions the editor through the member list.
    const member = await open(users.member, base);
    await eventually(() => clauseText(member, 'Clause 1')).toBe('Open Source AI is an AI system that grants four freedoms');
    await select(member, 'Clause 1', 'four freedoms');
    await member.getByRole('button', { name: 'Comment on the selection in clause 1' }).click();
    const form = member.getByRole('form', { name: 'New comment on clause 1' });
    await form.getByLabel('Comment', { exact: true }).fill('Which ones?');
    await form.getByRole('button', { name: 'Mention someone' }).click();
    const combobox = form.getByRole('combobox', { name: 'Mention' });
    await eventually(() => isFocused(combobox)).toBe(true);
    await combobox.fill('Edi');
    expect(await form.getByRole('option').allTextContents()).toEqual(['Editor']);
    await combobox.press('Enter');
    await eventually(() => form.getByLabel('Comment', { exact: true }).inputValue()).toBe('Which ones? @Editor ');
    await form.getByRole('button', { name: 'Post comment' }).click();
    await member.getByRole('status').filter({ hasText: 'Comment posted.' }).waitFor();

    // The passage is highlighted, exactly the quoted words; activating it takes the focus to the thread.
    await eventually(() => member.locator('.comment-anchor').allTextContents()).toEqual(['four freedoms']);
    await member.locator('.comment-anchor').click();
    const thread = member.getByRole('article', { name: /Thread on clause 1/ });
    await eventually(() => isFocused(thread)).toBe(true);
    await eventually(() => member.locator('.comment-anchor-active').allTextContents()).toEqual(['four freedoms']);

    // The mentioned editor finds a mention in the inbox.
    await eventually(async () => {
      const inbox = await app.t.request({ method: 'GET', url: '/api/notifications', as: users.editor });
      return (inbox.json().notifications as { kind: string }[]).some((notification) => notification.kind === 'mention');
    }).toBe(true);

    // The editor deletes the words; the member's open panel then says the passage was removed.
    const editor = await open(users.editor, base);
    await eventually(() => editor.locator('.comment-anchor').allTextContents()).toEqual(['four freedoms']);
    await editor.getByRole('textbox', { name: 'Clause 1', exact: true }).focus();
    await select(editor, 'Clause 1', 'four freedoms');
    await editor.keyboard.press('Backspace');
    await eventually(() => clauseText(editor, 'Clause 1')).toBe('Open Source AI is an AI system that grants ');
    expect(await editor.locator('.comment-anchor').count()).toBe(0);
    await eventually(() =>
      member
        .getByRole('article', { name: /Thread on clause 1/ })
        .getByText('The passage was removed')
        .count(),
    ).toBe(1);
    await eventually(() => member.locator('.comment-anchor').count()).toBe(0);

    expect(app.problems).toEqual([]);
  });

  it('on a wide screen lines threads up with their clause, in the order of their passages', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id, clauseIds } = await definitionIn(slug, users.editor, [
      'A preamble that sets the scene for everything that follows',
      'Open Source AI is an AI system that grants four freedoms',
      'A closing clause',
    ]);
    const page = await open(users.member, `/groups/${slug}/definitions/${id}`, { width: 1400, height: 1000 });
    await eventually(() => clauseText(page, 'Clause 2')).toBe('Open Source AI is an AI system that grants four freedoms');

    // Two comments on clause 2: first on the later words, then on the earlier ones.
    const group = page.locator(`.thread-group[data-clause-id="${clauseIds[1]}"]`);
    for (const [words, body, count] of [
      ['four freedoms', 'Which ones?', 1],
      ['Open Source AI', 'Define it.', 2],
    ] as const) {
      await select(page, 'Clause 2', words);
      await page.getByRole('button', { name: 'Comment on the selection in clause 2' }).click();
      const form = page.getByRole('form', { name: 'New comment on clause 2' });
      await form.getByLabel('Comment', { exact: true }).fill(body);
      await form.getByRole('button', { name: 'Post comment' }).click();
      await eventually(() => group.getByRole('article').count()).toBe(count);
    }

    // Listed in the order the passages start in the text, not in the order they were started.
    const threads = page.getByRole('list', { name: 'Threads on clause 2' }).getByRole('article');
    await eventually(async () => (await threads.locator('.comment-body').allTextContents()).map((text) => text.trim())).toEqual(['Define it.', 'Which ones?']);
    expect(await threads.locator('blockquote').allTextContents()).toEqual(['Open Source AI', 'four freedoms']);

    // Beside clause 2: level with it, to its right.
    const clause = page.locator(`.clause[data-clause-id="${clauseIds[1]}"]`);
    const clauseBox = (await clause.boundingBox())!;
    const groupBox = (await group.boundingBox())!;
    const threadBox = (await threads.first().boundingBox())!;
    expect(Math.abs(groupBox.y - clauseBox.y)).toBeLessThanOrEqual(2);
    expect(Math.abs(threadBox.y - clauseBox.y)).toBeLessThanOrEqual(48);
    expect(threadBox.y).toBeLessThan(clauseBox.y + clauseBox.height);
    expect(threadBox.x).toBeGreaterThanOrEqual(clauseBox.x + clauseBox.width);
    // Clause 1 has no thread: nothing of the discussion is level with it but the panel's head.
    const firstClauseBox = (await page.locator(`.clause[data-clause-id="${clauseIds[0]}"]`).boundingBox())!;
    expect(threadBox.y).toBeGreaterThanOrEqual(firstClauseBox.y + firstClauseBox.height);

    // A resolved thread keeps its place among all the threads.
    await threads.first().getByRole('button', { name: 'Resolve thread' }).click();
    await page.getByRole('status').filter({ hasText: 'Thread resolved.' }).waitFor();
    await page.getByRole('radio', { name: 'Resolved' }).check();
    await eventually(() => threads.count()).toBe(1);
    await page.getByRole('radio', { name: 'All' }).check();
    await eventually(() => threads.count()).toBe(2);
    await eventually(async () => (await threads.locator('.comment-body').allTextContents()).map((text) => text.trim())).toEqual(['Define it.', 'Which ones?']);
    expect(app.problems).toEqual([]);
  });

  it('on a phone shows each clause’s threads under it, opens a new comment there, and moves them beside the text on a wide screen', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id, clauseIds } = await definitionIn(slug, users.editor, [
      'A preamble',
      'Open Source AI is an AI system that grants four freedoms',
      'A closing clause',
    ]);
    const page = await open(users.member, `/groups/${slug}/definitions/${id}`, { width: 390, height: 844 });
    await eventually(() => clauseText(page, 'Clause 2')).toBe('Open Source AI is an AI system that grants four freedoms');
    const clause = page.locator(`.clause[data-clause-id="${clauseIds[1]}"]`);

    // The new comment's form opens under clause 2, and the thread stays there, before clause 3.
    await page.getByRole('button', { name: 'Actions for clause 2' }).click();
    await page.getByRole('menuitem', { name: 'Comment in clause 2' }).click();
    const form = clause.getByRole('form', { name: 'New comment on clause 2' });
    await eventually(() => form.getByLabel('Comment', { exact: true }).isVisible()).toBe(true);
    await form.getByLabel('Comment', { exact: true }).fill('Which freedoms?');
    await form.getByRole('button', { name: 'Post comment' }).click();
    const threads = clause.getByRole('list', { name: 'Threads on clause 2' }).getByRole('article');
    await eventually(() => threads.count()).toBe(1);
    // The thread as stored (its reply box), not the one shown while it was being sent, which it replaces.
    await threads.first().getByRole('textbox', { name: 'Reply to the thread' }).waitFor();
    const threadBox = (await threads.first().boundingBox())!;
    const nextClauseBox = (await page.locator(`.clause[data-clause-id="${clauseIds[2]}"]`).boundingBox())!;
    const textBox = (await page.getByRole('textbox', { name: 'Clause 2', exact: true }).boundingBox())!;
    expect(threadBox.y).toBeGreaterThan(textBox.y + textBox.height - 1);
    expect(threadBox.y + threadBox.height).toBeLessThanOrEqual(nextClauseBox.y);
    // Nothing sticks out of the phone's width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The discussion after the text says where the threads are; it lists none of them itself.
    const discussion = page.getByRole('region', { name: 'Discussion' });
    await discussion.getByText('Each clause’s threads are under it in the text.').waitFor();
    expect(await discussion.getByRole('article').count()).toBe(0);

    // A reply works in place.
    await threads.first().getByRole('textbox', { name: 'Reply to the thread' }).fill('Use, study, modify, share.');
    await threads.first().getByRole('button', { name: 'Reply', exact: true }).click();
    await eventually(async () => (await threads.first().locator('.comment-body').allTextContents()).map((text) => text.trim())).toEqual([
      'Which freedoms?',
      'Use, study, modify, share.',
    ]);

    // On a wide screen the same thread is in the column beside the text, no longer inside the clause.
    await page.setViewportSize({ width: 1400, height: 1000 });
    await eventually(() => clause.getByRole('article').count()).toBe(0);
    await eventually(() => discussion.getByRole('list', { name: 'Threads on clause 2' }).getByRole('article').count()).toBe(1);
    expect(app.problems).toEqual([]);
  });

  it('typing "@" in a reply lists the members; Enter picks one and the mention reaches them', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id, clauseIds } = await definitionIn(slug, users.editor, ['A clause to argue about']);
    const started = await app.t.request({
      method: 'POST',
      url: `/api/definitions/${id}/threads`,
      as: users.chair,
      payload: { clauseId: clauseIds[0], body: 'Is this clear?' },
    });
    expect(started.statusCode).toBe(201);

    const page = await open(users.member, `/groups/${slug}/definitions/${id}`, { width: 1400, height: 1000 });
    const thread = page.getByRole('article', { name: /Thread on clause 1/ });
    const box = thread.getByRole('textbox', { name: 'Reply to the thread' });
    await box.click();

    // Escape closes the list and leaves the text as typed.
    await box.pressSequentially('Ask @Ch');
    const options = thread.getByRole('listbox', { name: 'Members to mention' }).getByRole('option');
    await eventually(() => options.allTextContents()).toEqual(['Chair']);
    await box.press('Escape');
    await eventually(() => thread.getByRole('listbox', { name: 'Members to mention' }).count()).toBe(0);
    expect(await box.inputValue()).toBe('Ask @Ch');
    await box.fill('');

    await box.pressSequentially('Yes. @Edi');
    await eventually(() => options.allTextContents()).toEqual(['Editor']);
    const activeId = await box.getAttribute('aria-activedescendant');
    expect(activeId).toBe(await options.first().getAttribute('id'));
    expect(await options.first().getAttribute('aria-selected')).toBe('true');
    await box.press('Enter');
    await eventually(() => box.inputValue()).toBe('Yes. @Editor ');
    expect(await thread.getByRole('listbox', { name: 'Members to mention' }).count()).toBe(0);
    expect(await isFocused(box)).toBe(true);
    await thread.getByRole('button', { name: 'Reply', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Reply posted.' }).waitFor();

    await eventually(async () => {
      const inbox = await app.t.request({ method: 'GET', url: '/api/notifications', as: users.editor });
      return (inbox.json().notifications as { kind: string }[]).some((notification) => notification.kind === 'mention');
    }).toBe(true);
    expect(app.problems).toEqual([]);
  });

  it('during a public comment period, a member sees which threads the public reads and is told so when writing; a chair publishes a thread', async () => {
    const { slug, users } = await app.t.groupWithRoles('public');
    const { id, clauseIds } = await definitionIn(slug, users.editor, ['Open Source AI is an AI system that grants four freedoms']);
    const base = `/groups/${slug}/definitions/${id}`;
    expect(
      (await app.t.request({ method: 'POST', url: `/api/definitions/${id}/versions`, as: users.chair, payload: { label: '0.1', notes: '' } })).statusCode,
    ).toBe(201);
    await app.t.request({ method: 'PATCH', url: `/api/definitions/${id}`, as: users.chair, payload: { status: 'public-comment' } });
    for (const [as, body] of [
      [users.outsider, 'Public: please define a system.'],
      [users.chair, 'Disposition: we keep the clause.'],
    ] as const) {
      const started = await app.t.request({ method: 'POST', url: `/api/definitions/${id}/threads`, as, payload: { clauseId: clauseIds[0], body } });
      expect(started.statusCode).toBe(201);
    }
    const publicRead = async () =>
      ((await app.t.request({ method: 'GET', url: `/api/definitions/${id}/threads` })).json().threads as { comments: { body: string }[] }[]).map(
        (thread) => thread.comments[0]!.body,
      );
    expect(await publicRead()).toEqual(['Public: please define a system.']);

    // The member sees both, the public one labelled; each reply box says who reads it.
    const member = await open(users.member, base);
    const publicThread = member.getByRole('article', { name: /Thread on clause 1/ }).filter({ hasText: 'Public: please define a system.' });
    const internalThread = member.getByRole('article', { name: /Thread on clause 1/ }).filter({ hasText: 'Disposition: we keep the clause.' });
    await publicThread.waitFor();
    await internalThread.waitFor();
    expect(await publicThread.locator('.thread-title .badge').allTextContents()).toEqual(['Public']);
    expect(await internalThread.locator('.thread-title .badge').count()).toBe(0);
    expect(await descriptionOf(publicThread.getByRole('textbox', { name: 'Reply to the thread' }))).toBe(
      'Anyone can read this: it is part of the public record.',
    );
    expect(await descriptionOf(internalThread.getByRole('textbox', { name: 'Reply to the thread' }))).toBe('Only members of the group can read this.');
    // No member list to mention from where the public reads.
    expect(await publicThread.getByRole('button', { name: 'Mention someone' }).count()).toBe(0);
    expect(await internalThread.getByRole('button', { name: 'Mention someone' }).count()).toBe(1);

    // A new comment is the group's own unless the member chooses the public, and the form says which.
    await member.getByRole('button', { name: 'Actions for clause 1' }).click();
    await member.getByRole('menuitem', { name: 'Comment in clause 1' }).click();
    const form = member.getByRole('form', { name: 'New comment on clause 1' });
    const box = form.getByLabel('Comment', { exact: true });
    expect(await form.getByRole('radio', { name: 'Members of the group' }).isChecked()).toBe(true);
    expect(await descriptionOf(box)).toContain('Only members of the group can read this.');
    await form.getByRole('radio', { name: 'Anyone (public)' }).check();
    await eventually(() => descriptionOf(box)).toContain('Anyone can read this: it is part of the public record.');
    expect(await descriptionOf(box)).not.toContain('Only members');
    expect(await form.getByRole('button', { name: 'Mention someone' }).count()).toBe(0);
    await box.fill('Public: the group will define it in the next version.');
    await form.getByRole('button', { name: 'Post comment' }).click();
    await member.getByRole('status').filter({ hasText: 'Comment posted.' }).waitFor();
    const posted = member.getByRole('article', { name: /Thread on clause 1/ }).filter({ hasText: 'Public: the group will define it in the next version.' });
    await posted.waitFor();
    expect(await posted.locator('.thread-title .badge').allTextContents()).toEqual(['Public']);
    expect(await publicRead()).toEqual(['Public: please define a system.', 'Public: the group will define it in the next version.']);

    // The chair publishes the disposition, after saying what that means.
    const chair = await open(users.chair, base);
    const disposition = chair.getByRole('article', { name: /Thread on clause 1/ }).filter({ hasText: 'Disposition: we keep the clause.' });
    await disposition.waitFor();
    expect(await chair.getByRole('button', { name: 'Publish thread' }).count()).toBe(1); // the internal thread only
    await disposition.getByRole('button', { name: 'Publish thread' }).click();
    await disposition.getByRole('group', { name: 'Publish this thread?' }).getByText('Anyone will be able to read it', { exact: false }).waitFor();
    await disposition.getByRole('button', { name: 'Yes, publish' }).click();
    await chair.getByRole('status').filter({ hasText: 'Thread published: anyone can read it.' }).waitFor();
    expect(await disposition.locator('.thread-title .badge').allTextContents()).toEqual(['Public']);
    expect(await disposition.getByRole('button', { name: 'Publish thread' }).count()).toBe(0);
    expect(await publicRead()).toContain('Disposition: we keep the clause.');

    expect(app.problems).toEqual([]);
  });

  it('lists hidden comments in the moderation log with their reason', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id, clauseIds } = await definitionIn(slug, users.editor, ['A clause to argue about']);
    const started = await app.t.request({
      method: 'POST',
      url: `/api/definitions/${id}/threads`,
      as: users.member,
      payload: { clauseId: clauseIds[0], body: 'Off topic' },
    });
    expect(started.statusCode).toBe(201);
    const hidden = await app.t.request({
      method: 'POST',
      url: `/api/comments/${started.json().comments[0].id}/hide`,
      as: users.chair,
      payload: { reason: 'Not about the text.' },
    });
    expect(hidden.statusCode).toBe(200);

    const page = await open(users.member, `/groups/${slug}/definitions/${id}`);
    await page.getByRole('article', { name: /Thread on clause 1/ }).waitFor();
    await page.getByText('Moderation log', { exact: true }).click();
    const log = page.getByRole('list', { name: 'Moderation actions' });
    await eventually(() => log.getByRole('listitem').allTextContents()).toEqual([expect.stringMatching(/^Chair hid a comment .*: Not about the text\.$/)]);
    expect(app.problems).toEqual([]);
  });
});

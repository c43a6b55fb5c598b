import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestUser } from '../../../../server/test/support/app.ts';
import { descriptionOf, eventually, isFocused, useBrowserApp } from '../../e2e-support.ts';

// The disposition of comments (issue 19, item 2), in the browser: a public comment is disposed of by a
// chair, its author hears of it and answers on the public register, a member objects formally, and
// setting the definition final asks the chair about what is undisposed.

const SHOTS = '/tmp/shots-dispositions';

describe('the disposition of comments in the browser', () => {
  const app = useBrowserApp();

  async function call(method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, as: TestUser | null, payload?: object) {
    const response = await app.t.request({ method, url, as, ...(payload && { payload }) });
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
    return response.json();
  }

  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  /** The text as the page shows it (line breaks where the reader sees them), not as the DOM holds it. */
  // biome-ignore lint/performance/useDomNodeTextContent: what is rendered is the point (white-space: pre-wrap keeps line breaks)
  const shown = (locator: Locator) => locator.innerText();
  /** An item's facts (disposition, reason, change, answer) by their terms. */
  const facts = async (item: Locator) =>
    Object.fromEntries(
      await item
        .locator('.disposition-facts > div')
        .evaluateAll((rows) => rows.map((row) => [row.querySelector('dt')?.textContent, row.querySelector('dd')?.textContent?.replace(/\s+/g, ' ').trim()])),
    );
  const text = async (locator: Locator) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  /** The counts above the register, as read: ["2 items", "1 undisposed", "0 not satisfied"]. */
  const counts = async (page: Page) =>
    (await page.getByRole('list', { name: 'Counts' }).getByRole('listitem').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());

  it('a chair disposes of a public comment; its author answers from the notification; a member objects; final asks about what is undisposed', {
    timeout: 180_000,
  }, async () => {
    mkdirSync(SHOTS, { recursive: true });
    const { slug, users } = await app.t.groupWithRoles('public');
    const { id, clauseIds } = await app.definitionIn(slug, users.chair, ['Training data is required.', 'Code is required.']);
    const [clauseId, otherId] = clauseIds as [string, string];
    const base = `/groups/${slug}/definitions/${id}`;
    await call('POST', `/api/definitions/${id}/versions`, users.chair, { label: '0.9', notes: '' });
    await call('PATCH', `/api/definitions/${id}`, users.chair, { status: 'public-comment' });
    // The change that will address the comment: a member's amendment, accepted.
    const amendment = await call('POST', `/api/definitions/${id}/amendments`, users.member, {
      clauseId,
      text: 'Training data information is required.',
      rationale: 'Per the public comment.',
    });
    await call('POST', `/api/amendments/${amendment.id}/accept`, users.editor);
    // An outsider comments where the public reads; what they wrote has line breaks and looks like markup.
    const comment = 'Training data must be shared,\nor nobody can study the model. <b>Really.</b>';
    const thread = await call('POST', `/api/definitions/${id}/threads`, users.outsider, { clauseId, body: comment });
    const [item] = (await call('GET', `/api/definitions/${id}/dispositions`, users.chair)).items;
    expect(item).toMatchObject({ number: 1, source: 'public_comment', threadId: thread.id });

    // An editor reads the register but may not dispose of anything.
    const editor = await app.signedInPage(users.editor, { viewport: { width: 1440, height: 1000 } });
    await editor.goto(`${base}/dispositions`);
    const editorItem = editor.getByRole('listitem', { name: /^D-1/ });
    await editorItem.waitFor();
    expect(await editorItem.getByRole('button').count()).toBe(0);
    expect(await editor.getByRole('form').count()).toBe(0);
    await editor.getByRole('button', { name: 'Raise a formal objection' }).waitFor();

    // The chair finds the tab beside Decisions.
    const chair = await app.signedInPage(users.chair, { viewport: { width: 1440, height: 1000 } });
    await chair.goto(`${base}/decisions`);
    const tabs = chair.getByRole('navigation', { name: 'Definition sections' });
    await eventually(() => tabs.getByRole('link').allTextContents()).toEqual(expect.arrayContaining(['Decisions', 'Dispositions']));
    const names = await tabs.getByRole('link').allTextContents();
    expect(names.indexOf('Dispositions')).toBe(names.indexOf('Decisions') + 1);
    await tabs.getByRole('link', { name: 'Dispositions' }).click();
    await chair.getByRole('heading', { level: 2, name: 'Disposition of comments' }).waitFor();
    expect(new URL(chair.url()).pathname).toBe(`${base}/dispositions`);
    await eventually(() => counts(chair)).toEqual(['1 item', '1 undisposed', '0 not satisfied']);

    const d1 = chair.getByRole('listitem', { name: /^D-1/ });
    expect(await text(d1.getByRole('heading', { level: 3 }))).toBe('D-1: Public comment');
    // The comment as plain text: its line break kept, its "markup" shown as typed, never as HTML.
    const body = d1.locator('.disposition-body');
    expect(await shown(body)).toBe(comment);
    expect(await body.locator('b').count()).toBe(0);
    expect(await text(d1.locator('.disposition-meta'))).toMatch(/^Raised by Outsider on .+ UTC/);
    expect(await d1.getByRole('link', { name: 'clause 1' }).getAttribute('href')).toBe(`${base}?clause=${clauseId}`);
    expect(await d1.getByRole('link', { name: 'Read the thread of D-1' }).getAttribute('href')).toBe(`${base}?thread=${thread.id}`);
    expect(await text(d1.locator('.badge'))).toBe('Undisposed');

    // The chair disposes of it through the form: the focus goes into it; a missing reason is the server's word, beside the field.
    await d1.getByRole('button', { name: 'Dispose of D-1' }).click();
    const form = d1.getByRole('form', { name: 'Dispose of D-1' });
    const disposition = form.getByLabel('Disposition', { exact: true });
    await eventually(() => isFocused(disposition)).toBe(true);
    await disposition.selectOption('partly_accepted');
    const reason = form.getByLabel('Reason');
    await form.getByRole('button', { name: 'Save the disposition' }).click();
    await eventually(() => descriptionOf(reason)).toContain('Reason is required');
    await eventually(() => isFocused(reason)).toBe(true);
    await d1.screenshot({ path: `${SHOTS}/decide-form-1440.png` });
    // The accepted amendment of the clause, and the published version, are offered.
    expect(await form.getByLabel('In version (optional)').locator('option').allTextContents()).toEqual(['None', 'Version 0.9']);
    const amendments = form.getByLabel('By the accepted amendment (optional)');
    expect(await amendments.locator('option').allTextContents()).toEqual([
      'None',
      expect.stringMatching(/^“Training data information is required\.” by Member, accepted /),
    ]);
    await reason.fill('Data information, not the data itself.\nThe amendment says so.');
    await amendments.selectOption(amendment.id);
    await form.getByRole('button', { name: 'Save the disposition' }).click();
    await chair.getByRole('status').filter({ hasText: 'D-1: partly accepted. Outsider will hear of it.' }).waitFor();
    // Back on the button (now to change it), the disposition shown with its reason, change and who decided.
    await eventually(() => isFocused(d1.getByRole('button', { name: 'Change the disposition of D-1' }))).toBe(true);
    expect(await text(d1.locator('.disposition-head .badge'))).toBe('Partly accepted');
    expect(await shown(d1.locator('dd.user-text'))).toBe('Data information, not the data itself.\nThe amendment says so.');
    expect(await d1.getByRole('link', { name: 'By an accepted amendment' }).getAttribute('href')).toBe(`${base}/amendments?amendment=${amendment.id}`);
    expect(await facts(d1)).toEqual({
      Disposition: expect.stringMatching(/^Partly accepted — by Chair on .+ UTC/),
      Reason: 'Data information, not the data itself. The amendment says so.',
      Change: 'By an accepted amendment',
      Answer: 'Outsider has not said whether this satisfies them.',
    });
    await eventually(() => counts(chair)).toEqual(['1 item', '0 undisposed', '0 not satisfied']);
    const stored = await call('GET', `/api/dispositions/${item.id}`, users.chair);
    expect(stored).toMatchObject({
      disposition: 'partly_accepted',
      amendmentId: amendment.id,
      reason: 'Data information, not the data itself.\nThe amendment says so.',
    });
    expect(await overflow(chair)).toBe(0);
    await chair.screenshot({ path: `${SHOTS}/members-tab-1440.png`, fullPage: true });

    // The outsider hears of it in the inbox and follows the notification to the public register.
    const outsider = await app.signedInPage(users.outsider, { viewport: { width: 1440, height: 1000 } });
    await outsider.goto('/inbox');
    const notification = outsider.getByRole('link', { name: /disposed of your item D-1 on .*: partly accepted/ });
    await notification.waitFor();
    await notification.click();
    await outsider.getByRole('heading', { level: 1, name: /Disposition of comments/ }).waitFor();
    expect(new URL(outsider.url()).pathname).toBe(`${base}/public/dispositions`);
    expect(new URL(outsider.url()).searchParams.get('item')).toBe(item.id);
    const publicD1 = outsider.getByRole('listitem', { name: /^D-1/ });
    // The linked item is highlighted and has the focus.
    await eventually(() => isFocused(publicD1)).toBe(true);
    expect(await publicD1.getAttribute('class')).toContain('disposition-linked');
    expect(await shown(publicD1.locator('.disposition-body'))).toBe(comment);
    // The public reads the disposition and its reason, not the group's amendment; its links lead to the public page.
    expect(await text(publicD1.locator('.disposition-head .badge'))).toBe('Partly accepted');
    expect(await publicD1.getByRole('link', { name: 'By an accepted amendment' }).count()).toBe(0);
    expect(await publicD1.getByRole('link', { name: 'clause 1' }).getAttribute('href')).toBe(`${base}/public#public-clause-${clauseId}`);
    expect(await publicD1.getByRole('link', { name: 'Read the thread of D-1' }).getAttribute('href')).toBe(
      `${base}/public?clause=${clauseId}&thread=${thread.id}`,
    );
    // They answer: not satisfied, with a note (the choice is required first).
    const answer = publicD1.getByRole('form', { name: 'Your answer on D-1' });
    await answer.getByRole('button', { name: 'Send your answer' }).click();
    await eventually(() => text(answer.locator('.field-error'))).toContain('Say whether the disposition satisfies you');
    await publicD1.screenshot({ path: `${SHOTS}/respond-form-1440.png` });
    await answer.getByRole('radio', { name: 'Not satisfied' }).check();
    await answer.getByLabel('Note (optional)').fill('The data itself matters.');
    await answer.getByRole('button', { name: 'Send your answer' }).click();
    await outsider.getByRole('status').filter({ hasText: 'Your answer on D-1 is recorded: not satisfied.' }).waitFor();
    await eventually(() => text(publicD1.locator('.badge-not-satisfied'))).toBe('Not satisfied');
    expect(await shown(publicD1.locator('.disposition-note'))).toBe('The data itself matters.');
    await eventually(() => isFocused(publicD1.getByRole('button', { name: 'Change your answer on D-1' }))).toBe(true);
    await eventually(() => counts(outsider)).toEqual(['1 item', '0 undisposed', '1 not satisfied']);
    expect(await overflow(outsider)).toBe(0);
    await outsider.screenshot({ path: `${SHOTS}/public-register-1440.png`, fullPage: true });

    // The chair, still on the tab, sees the answer arrive by itself.
    await eventually(() => text(d1.locator('.badge-not-satisfied'))).toBe('Not satisfied');
    expect(await shown(d1.locator('.disposition-note'))).toBe('The data itself matters.');
    await eventually(() => counts(chair)).toEqual(['1 item', '0 undisposed', '1 not satisfied']);
    // The chair's own notification of the answer leads to the item on the members' tab.
    const inbox = await app.signedInPage(users.chair, { viewport: { width: 1440, height: 1000 } });
    await inbox.goto('/inbox');
    await inbox.getByRole('link', { name: /Outsider is not satisfied with the disposition of D-1/ }).click();
    await inbox.getByRole('heading', { level: 2, name: 'Disposition of comments' }).waitFor();
    expect(`${new URL(inbox.url()).pathname}${new URL(inbox.url()).search}`).toBe(`${base}/dispositions?item=${item.id}`);
    const linked = inbox.getByRole('listitem', { name: /^D-1/ });
    await eventually(() => isFocused(linked)).toBe(true);
    expect(await linked.getAttribute('class')).toContain('disposition-linked');
    await inbox.close();

    // A member raises a formal objection to clause 2 through the form.
    const member = await app.signedInPage(users.member, { viewport: { width: 1440, height: 1000 } });
    await member.goto(`${base}/dispositions`);
    await member.getByRole('button', { name: 'Raise a formal objection' }).click();
    const objection = member.getByRole('form', { name: 'Raise a formal objection' });
    const about = objection.getByLabel('Objection to');
    await eventually(() => isFocused(about)).toBe(true);
    expect(await about.locator('option').allTextContents()).toEqual([
      'The whole definition',
      'Clause 1: Training data information is required.',
      'Clause 2: Code is required.',
    ]);
    await about.selectOption(otherId);
    const objectionBody = objection.getByLabel('Your objection');
    await objection.getByRole('button', { name: 'Raise the objection' }).click();
    await eventually(() => descriptionOf(objectionBody)).toContain('Your objection is required');
    await objectionBody.fill('I formally object:\ncode alone is not enough.');
    await objection.getByRole('button', { name: 'Raise the objection' }).click();
    await member.getByRole('status').filter({ hasText: 'Your formal objection is D-2. A chair will dispose of it.' }).waitFor();
    const d2 = member.getByRole('listitem', { name: /^D-2/ });
    await eventually(() => isFocused(d2)).toBe(true);
    expect(await text(d2.getByRole('heading', { level: 3 }))).toBe('D-2: Formal objection');
    expect(await d2.getByRole('link', { name: 'clause 2' }).getAttribute('href')).toBe(`${base}?clause=${otherId}`);
    expect(await shown(d2.locator('.disposition-body'))).toBe('I formally object:\ncode alone is not enough.');
    // The member neither disposes nor answers their own item before a disposition.
    expect(await d2.getByRole('button').count()).toBe(0);
    // The chair's list takes it in by itself, with a form to dispose of it; the filters narrow the list.
    const chairD2 = chair.getByRole('listitem', { name: /^D-2/ });
    await chairD2.getByRole('button', { name: 'Dispose of D-2' }).waitFor();
    await eventually(() => counts(chair)).toEqual(['2 items', '1 undisposed', '1 not satisfied']);
    await chair.getByLabel('Show').selectOption('undisposed');
    await eventually(() => chair.getByRole('listitem', { name: /^D-\d/ }).count()).toBe(1);
    expect(new URL(chair.url()).searchParams.get('state')).toBe('undisposed');
    await chair.getByLabel('Show').selectOption('');
    await chair.getByLabel('Source').selectOption('formal_objection');
    await eventually(() => chair.getByRole('listitem', { name: /^D-\d/ }).count()).toBe(1);
    await chair.getByLabel('Source').selectOption('');
    await eventually(() => chair.getByRole('listitem', { name: /^D-\d/ }).count()).toBe(2);

    // The public never reads the objection: a visitor reads D-1 only, and the public page links to the register.
    const visitor = await app.newPage({ viewport: { width: 390, height: 844 } });
    await visitor.goto(`${base}/public`);
    const answered = visitor.getByRole('link', { name: 'How comments were answered: 1 of 1 disposed' });
    await answered.click();
    await visitor.getByRole('heading', { level: 1, name: /Disposition of comments/ }).waitFor();
    await visitor.getByRole('listitem', { name: /^D-1/ }).waitFor();
    expect(await visitor.getByRole('listitem', { name: /^D-\d/ }).count()).toBe(1);
    expect(await visitor.locator('main').textContent()).not.toContain('formally object');
    expect(await visitor.getByRole('form').count()).toBe(0);
    await visitor.getByRole('link', { name: 'Sign in' }).first().waitFor();
    expect(await overflow(visitor)).toBe(0);
    await visitor.screenshot({ path: `${SHOTS}/public-register-390.png`, fullPage: true });

    // Publishing a version is never blocked, but the form says what is undisposed.
    await chair.goto(`${base}/versions`);
    await chair.getByRole('button', { name: 'Publish a version' }).click();
    const publish = chair.getByRole('dialog', { name: 'Publish a version' });
    const note = publish.getByRole('link', { name: '1 item of the disposition register is undisposed' });
    await note.waitFor();
    expect(await note.getAttribute('href')).toBe(`${base}/dispositions?state=undisposed`);
    await chair.screenshot({ path: `${SHOTS}/publish-note-1440.png` });
    await publish.getByRole('button', { name: 'Cancel' }).click();

    // Setting final: refused with the undisposed item listed, then set anyway with an acknowledgement.
    await chair.getByLabel('Status').selectOption('final');
    await chair.getByRole('button', { name: 'Change status' }).click();
    const undisposed = chair.getByRole('region', { name: 'Undisposed items of the disposition register' });
    await undisposed.waitFor();
    expect(await alertsOf(chair)).toBe('The definition is not final yet: 1 item of the disposition register has no disposition.');
    expect(await undisposed.getByRole('listitem').allTextContents()).toEqual(['D-2 (formal objection) is undisposed']);
    expect(await undisposed.getByRole('link', { name: 'Dispose of it on the Dispositions tab' }).getAttribute('href')).toBe(
      `${base}/dispositions?state=undisposed`,
    );
    expect((await call('GET', `/api/definitions/${id}`, users.chair)).status).toBe('public-comment');
    expect(await overflow(chair)).toBe(0);
    await chair.screenshot({ path: `${SHOTS}/final-warning-1440.png`, fullPage: false });
    await chair.setViewportSize({ width: 390, height: 844 });
    await undisposed.scrollIntoViewIfNeeded();
    expect(await overflow(chair)).toBe(0);
    await chair.screenshot({ path: `${SHOTS}/final-warning-390.png`, fullPage: true });
    await undisposed.getByRole('button', { name: 'Set final anyway — acknowledge 1 undisposed item' }).click();
    await chair.getByRole('status').filter({ hasText: 'The status is now Final.' }).waitFor();
    await eventually(() => undisposed.count()).toBe(0);
    expect((await call('GET', `/api/definitions/${id}`, users.chair)).status).toBe('final');
    // The acknowledgement is in the log, in words.
    await chair.goto(`/groups/${slug}/activity?kind=definitions`);
    await chair.getByText('Chair moved Open Source AI Definition to final, acknowledging 1 undisposed item (D-2)').waitFor();

    // The members' tab fits a phone.
    await chair.goto(`${base}/dispositions`);
    await chair.getByRole('listitem', { name: /^D-2/ }).waitFor();
    expect(await overflow(chair)).toBe(0);
    await chair.screenshot({ path: `${SHOTS}/members-tab-390.png`, fullPage: true });

    expect(app.problems).toEqual([]);
  });
});

async function alertsOf(page: Page): Promise<string> {
  return (await page.getByRole('alert').allTextContents())
    .map((alert) => alert.trim())
    .filter(Boolean)
    .join(' ');
}

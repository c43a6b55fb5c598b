import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestUser } from '../../../../server/test/support/app.ts';
import { alertText, eventually, useBrowserApp } from '../../e2e-support.ts';

// Several people with the same definition open, each in their own browser: what one does shows on the
// others' pages without a reload, a Refresh button or polling — the live channel (GET /api/live) tells
// each page what changed and the page reads it again.

describe('a definition open in several browsers stays current', () => {
  const app = useBrowserApp();

  const { definitionIn } = app;

  /** The topics the page's live socket has confirmed (LiveProvider writes them on <html>). */
  const liveTopics = (page: Page) => page.evaluate(() => document.documentElement.dataset.liveTopics ?? '');

  /** Opens the definition and waits until the page follows it live, so that nothing it shows can be missed. */
  async function open(user: TestUser, path: string, id: string): Promise<Page> {
    const page = await app.signedInPage(user);
    await page.goto(path);
    await page.getByRole('heading', { level: 1, name: 'Open Source AI Definition' }).waitFor();
    await eventually(() => liveTopics(page)).toContain(`definition:${id}`);
    return page;
  }

  const text = async (locator: Locator) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  const section = (page: Page, name: string) => page.getByRole('navigation', { name: 'Definition sections' }).getByRole('link', { name, exact: true });
  /** The unread count beside "Inbox" in the main navigation ('' when nothing is unread). */
  const unread = async (page: Page) => {
    const badge = page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /^Inbox/ })
      .locator('.badge-unread');
    return (await badge.count()) === 0 ? '' : text(badge);
  };
  const rules = {
    kind: 'binding',
    eligibleRoles: ['chair', 'editor', 'member'],
    quorum: 0,
    threshold: 0.5,
    blockingObjectionFails: false,
    secret: false,
    resultsVisibility: 'after_close',
    closesAt: new Date(Date.now() + 24 * 3_600_000).toISOString(),
  };

  it('a new thread, a reply, a vote, an amendment decision and a published version reach the other open pages; the inbox count moves', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id, clauseIds } = await definitionIn(slug, users.editor, ['Open Source AI is an AI system that grants four freedoms']);
    const base = `/groups/${slug}/definitions/${id}`;
    const editor = await open(users.editor, base, id);
    const member = await open(users.member, base, id);
    const chair = await open(users.chair, base, id);
    await member.getByText('No open threads.', { exact: false }).waitFor();
    expect(await unread(member)).toBe('');

    // A thread started elsewhere (here through the API) appears in the open discussion panels.
    const started = await app.t.request({
      method: 'POST',
      url: `/api/definitions/${id}/threads`,
      as: users.member,
      payload: { clauseId: clauseIds[0], body: 'Which four freedoms?' },
    });
    expect(started.statusCode).toBe(201);
    const editorThread = editor.getByRole('article', { name: /Thread on clause 1/ });
    await editorThread.getByText('Which four freedoms?').waitFor();

    // The editor replies: the member's open page shows it, and the member's inbox count moves.
    const reply = editorThread.getByRole('form', { name: 'Reply to the thread' });
    await reply.getByLabel('Reply to the thread').fill('Use, study, modify, share.');
    await reply.getByRole('button', { name: 'Reply', exact: true }).click();
    const memberThread = member.getByRole('article', { name: /Thread on clause 1/ });
    await eventually(async () => (await memberThread.locator('.comment-body').allTextContents()).map((body) => body.trim())).toEqual([
      'Which four freedoms?',
      'Use, study, modify, share.',
    ]);
    await eventually(() => unread(member)).toBe('1 unread');
    await chair
      .getByRole('article', { name: /Thread on clause 1/ })
      .getByText('Use, study, modify, share.')
      .waitFor();

    // A ballot opened by the chair appears beside the clause on the member's page; the member's vote
    // moves the turnout on the chair's page.
    const title = 'Adopt clause 1';
    const created = await app.t.request({
      method: 'POST',
      url: `/api/definitions/${id}/ballots`,
      as: users.chair,
      payload: { title, subject: { kind: 'clause', clauseId: clauseIds[0] }, rules },
    });
    expect(created.statusCode).toBe(201);
    expect((await app.t.request({ method: 'POST', url: `/api/ballots/${created.json().id}/open`, as: users.chair })).statusCode).toBe(200);
    const memberBallot = member.getByRole('article', { name: `Ballot: ${title}` });
    const form = memberBallot.getByRole('form', { name: `Vote on ${title}` });
    await form.getByRole('radio', { name: 'Yes', exact: true }).check();
    await form.getByRole('button', { name: 'Cast my vote' }).click();
    await member.getByRole('status').filter({ hasText: 'Your vote was recorded: Yes.' }).waitFor();
    const chairBallot = chair.getByRole('article', { name: `Ballot: ${title}` });
    await eventually(() => text(chairBallot.locator('.ballot-turnout'))).toBe('1 of 3 eligible voters have voted');
    expect(await text(chairBallot.locator('.ballot-voters'))).toBe('Member');

    // An amendment: proposed (through the API), it shows on the open Amendments tabs; the chair
    // accepts it, and the member's tab shows the decision while the editor's text changes.
    await section(member, 'Amendments').click();
    await section(chair, 'Amendments').click();
    await member.getByText('No wording has been proposed yet.').waitFor();
    const proposed = await app.t.request({
      method: 'POST',
      url: `/api/definitions/${id}/amendments`,
      as: users.member,
      payload: {
        clauseId: clauseIds[0],
        text: 'Open Source AI is an AI system that grants the four freedoms to use, study, modify and share',
        rationale: 'Name them.',
      },
    });
    expect(proposed.statusCode).toBe(201);
    const proposal = chair.getByRole('article', { name: 'Member’s wording for clause 1' });
    await proposal.getByRole('button', { name: 'Accept the wording for clause 1' }).click();
    await chair.getByRole('alertdialog', { name: 'Accept Member’s wording for clause 1?' }).getByRole('button', { name: 'Accept the wording' }).click();
    await chair.getByRole('status').filter({ hasText: 'The wording for clause 1 was accepted.' }).waitFor();
    const mine = member.getByRole('article', { name: 'Member’s wording for clause 1' });
    await eventually(() => text(mine.locator('.badge').first())).toBe('Accepted');
    await mine.getByText('Accepted by Chair.').waitFor();
    expect(await mine.getByRole('button', { name: /^Withdraw/ }).count()).toBe(0);
    await eventually(() => text(editor.getByRole('textbox', { name: 'Clause 1', exact: true }))).toContain('to use, study, modify and share');

    // A version published by the chair appears on the member's open Versions tab.
    await section(member, 'Versions').click();
    await section(chair, 'Versions').click();
    await member.getByText('No version has been published yet.').waitFor();
    await chair.getByRole('button', { name: 'Publish a version' }).click();
    const dialog = chair.getByRole('dialog', { name: 'Publish a version' });
    await dialog.getByLabel('Label').fill('0.1');
    await dialog.getByLabel('Release notes').fill('The freedoms are named.');
    await dialog.getByRole('button', { name: 'Publish version' }).click();
    await chair.getByRole('status').filter({ hasText: 'Version 0.1 published.' }).waitFor();
    await member.getByRole('heading', { name: 'Version 0.1' }).waitFor();
    await member.getByText('The freedoms are named.').waitFor();

    // Reading the inbox clears the count in every open tab of the member.
    const second = await member.context().newPage();
    await second.goto('/inbox');
    await second.getByRole('button', { name: 'Mark all as read' }).click();
    await second.getByText('Nothing unread.').waitFor();
    await eventually(() => unread(member)).toBe('');
    expect(app.problems).toEqual([]);
  });

  it('shows a reply and a vote at once, and takes them back with the reason when the server refuses them', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id, clauseIds } = await definitionIn(slug, users.editor, ['Training data is required.']);
    const base = `/groups/${slug}/definitions/${id}`;
    const thread = await app.t.request({
      method: 'POST',
      url: `/api/definitions/${id}/threads`,
      as: users.editor,
      payload: { clauseId: clauseIds[0], body: 'Is it?' },
    });
    expect(thread.statusCode).toBe(201);
    const title = 'Is training data required?';
    const ballot = await app.t.request({
      method: 'POST',
      url: `/api/definitions/${id}/ballots`,
      as: users.chair,
      payload: { title, subject: { kind: 'clause', clauseId: clauseIds[0] }, rules },
    });
    const ballotId = ballot.json().id as string;
    expect((await app.t.request({ method: 'POST', url: `/api/ballots/${ballotId}/open`, as: users.chair })).statusCode).toBe(200);
    const member = await open(users.member, base, id);

    // A reply the server refuses (longer than a comment may be): it shows at once, marked as sending,
    // the box empties; then it is taken away, the box gets the text back and says why.
    const article = member.getByRole('article', { name: /Thread on clause 1/ });
    const reply = article.getByRole('form', { name: 'Reply to the thread' });
    const box = reply.getByLabel('Reply to the thread');
    const tooLong = `${'Much too long. '.repeat(1_400)}`.slice(0, 20_001);
    // The box stops typing at 20,000 characters; a hand-made request would not.
    await box.evaluate((element) => element.removeAttribute('maxlength'));
    await box.fill(tooLong);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await member.route(`**/api/threads/*/comments`, async (route) => {
      await held;
      await route.continue();
    });
    await reply.getByRole('button', { name: 'Reply', exact: true }).click();
    const sending = article.locator('.comment-pending');
    await sending.getByText('Sending…').waitFor();
    expect(await box.inputValue()).toBe('');
    release();
    await eventually(() => sending.count()).toBe(0);
    await eventually(() => text(reply.getByRole('alert'))).toMatch(/^Not posted: /);
    expect(await box.inputValue()).toBe(tooLong);
    expect(await article.locator('.comment').count()).toBe(1);
    await member.unroute('**/api/threads/*/comments');

    // A vote on a ballot the chair closes while it is on its way: the vote shows at once with the
    // turnout, then the refusal takes it back and says why; the ballot shows as closed.
    const panel = member.getByRole('article', { name: `Ballot: ${title}` });
    expect(await text(panel.locator('.ballot-turnout'))).toBe('0 of 3 eligible voters have voted');
    let releaseVote!: () => void;
    const voteHeld = new Promise<void>((resolve) => {
      releaseVote = resolve;
    });
    await member.route(`**/api/ballots/${ballotId}/vote`, async (route) => {
      await voteHeld;
      await route.continue();
    });
    const form = panel.getByRole('form', { name: `Vote on ${title}` });
    await form.getByRole('radio', { name: 'Yes', exact: true }).check();
    await form.getByRole('button', { name: 'Cast my vote' }).click();
    const myVote = panel.getByRole('region', { name: `Your vote on ${title}` });
    await eventually(() => text(myVote)).toBe('Your vote: Yes (sending…)');
    expect(await text(panel.locator('.ballot-turnout'))).toBe('1 of 3 eligible voters have voted');
    expect((await app.t.request({ method: 'POST', url: `/api/ballots/${ballotId}/close`, as: users.chair })).statusCode).toBe(200);
    releaseVote();
    await eventually(() => alertText(member)).toContain('Your vote was not recorded: Voting is not possible: the ballot is closed');
    await eventually(() => myVote.count()).toBe(0);
    await eventually(() => text(panel.locator('.ballot-badges'))).toContain('Closed');
    expect(await text(panel.locator('.ballot-turnout'))).toBe('0 of 3 eligible voters have voted');
    expect(await panel.getByRole('form', { name: `Vote on ${title}` }).count()).toBe(0);
    expect(app.problems).toEqual([]);
  });

  it('after losing the connection, the page catches up on what it missed', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id, clauseIds } = await definitionIn(slug, users.editor, ['A clause to talk about']);
    const member = await open(users.member, `/groups/${slug}/definitions/${id}`, id);
    await member.getByText('No open threads.', { exact: false }).waitFor();

    await member.context().setOffline(true);
    await eventually(() => member.evaluate(() => document.documentElement.dataset.live)).not.toBe('open');
    const started = await app.t.request({
      method: 'POST',
      url: `/api/definitions/${id}/threads`,
      as: users.editor,
      payload: { clauseId: clauseIds[0], body: 'Said while you were away.' },
    });
    expect(started.statusCode).toBe(201);
    await member.context().setOffline(false);
    await member
      .getByRole('article', { name: /Thread on clause 1/ })
      .getByText('Said while you were away.')
      .waitFor();
    expect(app.problems).toEqual([]);
  });
});

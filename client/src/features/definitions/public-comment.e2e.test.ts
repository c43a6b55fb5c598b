import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestUser } from '../../../../server/test/support/app.ts';
import { descriptionOf, eventually, isFocused, useBrowserApp } from '../../e2e-support.ts';

describe('the public comment period in the browser', () => {
  const app = useBrowserApp();

  async function definitionIn(slug: string, chair: TestUser, clauses: { kind?: 'heading' | 'clause'; text: string }[]) {
    const created = await app.t.request({
      method: 'POST',
      url: `/api/groups/${slug}/definitions`,
      as: chair,
      payload: { slug: `osaid-${randomBytes(3).toString('hex')}`, title: 'Open Source AI Definition' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const clauseIds: string[] = [];
    for (const clause of clauses) {
      const inserted = await app.t.request({ method: 'POST', url: `/api/definitions/${id}/clauses`, as: chair, payload: clause });
      expect(inserted.statusCode).toBe(201);
      clauseIds.push(inserted.json().id as string);
    }
    return { id, clauseIds };
  }

  /** How the page writes a moment in UTC (the browser's own Intl, as When.tsx formats it). */
  const utcInBrowser = (page: Page, iso: string) =>
    page.evaluate((at) => `${new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(at))} UTC`, iso);

  it('a chair opens the comment period with a deadline; an outsider reads the published version and comments; a visitor is asked to sign in', async () => {
    const { slug, users } = await app.t.groupWithRoles('public');
    const { id, clauseIds } = await definitionIn(slug, users.chair, [
      { kind: 'heading', text: 'Preamble' },
      { text: 'Open Source AI is an AI system made available under terms that grant the freedoms.' },
      { text: 'Use the system for any purpose.' },
    ]);
    const base = `/groups/${slug}/definitions/${id}`;

    // The chair sets the status and the deadline in the header's status form.
    const chair = await app.signedInPage(users.chair);
    await chair.goto(base);
    await chair.getByRole('heading', { level: 1, name: 'Open Source AI Definition' }).waitFor();
    expect(await chair.getByLabel('Comments close at').count()).toBe(0);
    await chair.getByLabel('Status').selectOption('public-comment');
    const deadlineField = chair.getByLabel('Comments close at');
    await deadlineField.fill('2099-06-30T12:00');
    const deadline = await chair.evaluate(() => new Date('2099-06-30T12:00').toISOString());
    const deadlineUtc = await utcInBrowser(chair, deadline);
    // Read back in UTC (and local time) before it is sent.
    await eventually(() => descriptionOf(deadlineField)).toContain(deadlineUtc);
    await chair.getByRole('button', { name: 'Change status' }).click();
    await chair.getByRole('status').filter({ hasText: 'The status is now Public comment.' }).waitFor();
    await chair
      .getByRole('status')
      .filter({ hasText: `Comments close at ${deadlineUtc}.` })
      .waitFor();
    const stored = (await app.t.request({ method: 'GET', url: `/api/definitions/${id}`, as: users.chair })).json();
    expect({ status: stored.status, commentDeadline: stored.commentDeadline }).toEqual({ status: 'public-comment', commentDeadline: deadline });
    // Everyone in the group sees the deadline in the header, with a link to the public view.
    const header = chair.locator('.definition-comment-period');
    expect(await header.locator('time').getAttribute('datetime')).toBe(deadline);
    expect(await header.textContent()).toContain(deadlineUtc);
    expect(await header.getByRole('link', { name: 'Public view' }).getAttribute('href')).toBe(`${base}/public`);

    // Clause 2 gets some formatting, which the public page keeps.
    const formatted = await app.t.request({
      method: 'PUT',
      url: `/api/definitions/${id}/clauses/${clauseIds[2]}`,
      as: users.chair,
      payload: {
        content: {
          type: 'doc',
          content: [
            {
              type: 'paragraph',
              content: [
                { type: 'text', text: 'Use the system for ' },
                { type: 'text', text: 'any purpose', marks: [{ type: 'bold' }] },
                { type: 'text', text: '.' },
              ],
            },
          ],
        },
      },
    });
    expect(formatted.statusCode).toBeLessThan(300);

    // Version 0.1 is published; the draft changes after it, which the public must not see.
    const published = await app.t.request({ method: 'POST', url: `/api/definitions/${id}/versions`, as: users.chair, payload: { label: '0.1', notes: '' } });
    expect(published.statusCode).toBe(201);
    const edited = await app.t.request({
      method: 'PUT',
      url: `/api/definitions/${id}/clauses/${clauseIds[1]}`,
      as: users.chair,
      payload: { text: 'A later draft edit.' },
    });
    expect(edited.statusCode).toBeLessThan(300);

    // An outsider (signed in, not a member) finds the public version from the group page.
    const outsider = await app.signedInPage(users.outsider);
    await outsider.goto(`/groups/${slug}`);
    const definitions = outsider.getByRole('region', { name: 'Definitions' });
    await definitions.getByRole('link', { name: /^Public comment version/ }).waitFor();
    // The draft is for members only: no link to it.
    expect(await definitions.getByRole('link', { name: 'Open Source AI Definition', exact: true }).count()).toBe(0);
    await definitions.getByRole('link', { name: /^Public comment version/ }).click();
    await outsider.getByRole('heading', { level: 1, name: 'Open Source AI Definition' }).waitFor();
    expect(new URL(outsider.url()).pathname).toBe(`${base}/public`);
    expect(await outsider.locator('.public-version').textContent()).toMatch(/^Version 0\.1, published .+ UTC/);
    await outsider.getByText('Open Source AI is an AI system made available under terms that grant the freedoms.').waitFor();
    expect(await outsider.getByText('A later draft edit.').count()).toBe(0);
    expect(await outsider.getByRole('heading', { level: 2, name: /Preamble/ }).count()).toBe(1);
    const period = outsider.locator('.public-period');
    expect(await period.textContent()).toContain(`Comments are open until ${deadlineUtc}`);
    expect(await period.locator('time').getAttribute('datetime')).toBe(deadline);
    expect(await period.textContent()).toMatch(/your time/);

    expect(await outsider.getByRole('region', { name: 'Clause 2', exact: true }).locator('.public-clause-text strong').textContent()).toBe('any purpose');

    const clause1 = outsider.getByRole('region', { name: 'Clause 1', exact: true });
    expect(await clause1.locator('.public-comment-count').textContent()).toBe('0 comments');
    await clause1.getByRole('button', { name: 'Show comments on clause 1' }).click();
    await clause1.getByText('No comments yet.').waitFor();

    // An empty comment is refused next to the field; then a real one is posted.
    const form = clause1.getByRole('form', { name: 'Comment on clause 1' });
    const textarea = form.getByLabel('Your comment');
    await form.getByRole('button', { name: 'Post comment' }).click();
    await eventually(() => descriptionOf(textarea)).toContain('Your comment is required');
    await eventually(() => isFocused(textarea)).toBe(true);
    await textarea.fill('Please say what an AI system is.');
    await form.getByRole('button', { name: 'Post comment' }).click();
    await form.getByRole('status').filter({ hasText: 'Your comment has been posted.' }).waitFor();
    await eventually(() => clause1.locator('.public-comment-count').textContent()).toBe('1 comment');
    await clause1.locator('.comment-body').filter({ hasText: 'Please say what an AI system is.' }).waitFor();
    expect(await clause1.locator('.comment-meta').first().textContent()).toContain('Outsider');
    expect(await textarea.inputValue()).toBe('');
    const counts = (await app.t.request({ method: 'GET', url: `/api/definitions/${id}/public` })).json().clauses.map((c: { comments: number }) => c.comments);
    expect(counts).toEqual([0, 1, 0]);

    // A visitor who is not signed in reads the same version and the comments, and is asked to sign in.
    const visitor = await app.newPage();
    await visitor.goto(`${base}/public`);
    await visitor.getByRole('heading', { level: 1, name: 'Open Source AI Definition' }).waitFor();
    await visitor.getByText('Open Source AI is an AI system made available under terms that grant the freedoms.').waitFor();
    expect(await visitor.getByText('A later draft edit.').count()).toBe(0);
    const visitorClause = visitor.getByRole('region', { name: 'Clause 1', exact: true });
    expect(await visitorClause.locator('.public-comment-count').textContent()).toBe('1 comment');
    const signIn = visitor.getByRole('link', { name: 'Sign in to comment' });
    expect(await signIn.getAttribute('href')).toBe(`/login?next=${encodeURIComponent(`${base}/public`)}`);
    expect(await visitor.getByRole('form').count()).toBe(0);
    expect(await visitor.locator('textarea').count()).toBe(0);
    await visitorClause.getByRole('button', { name: 'Show comments on clause 1' }).click();
    await visitorClause.locator('.comment-body').filter({ hasText: 'Please say what an AI system is.' }).waitFor();
    // The version's register (systems reviewed against it, endorsements) is a link away, for the visitor too.
    await visitor.getByRole('link', { name: 'Systems reviewed against version 0.1, endorsements' }).click();
    await visitor.getByRole('heading', { level: 1, name: /^Conformance register/ }).waitFor();
    expect(new URL(visitor.url()).pathname).toBe(`${base}/versions/0.1/register`);
    await visitor.goBack();
    await visitor.getByRole('region', { name: 'Clause 1', exact: true }).waitFor();

    // Once the deadline has passed, the period has ended: no form, no invitation to sign in.
    const closed = await app.t.request({
      method: 'PATCH',
      url: `/api/definitions/${id}`,
      as: users.chair,
      payload: { commentDeadline: '2020-01-01T00:00:00.000Z' },
    });
    expect(closed.statusCode).toBe(200);
    await outsider.reload();
    await outsider.getByText('The comment period has ended.').waitFor();
    expect(await outsider.getByRole('form').count()).toBe(0);
    expect(await outsider.getByRole('region', { name: 'Clause 1', exact: true }).locator('.public-comment-count').textContent()).toBe('1 comment');
    await visitor.reload();
    await visitor.getByText('The comment period has ended.').waitFor();
    expect(await visitor.getByRole('link', { name: 'Sign in to comment' }).count()).toBe(0);

    expect(app.problems).toEqual([]);
  });

  it('the public page shows the public comments only, labelled; a member commenting there is told the public reads it', async () => {
    const { slug, users } = await app.t.groupWithRoles('public');
    const { id, clauseIds } = await definitionIn(slug, users.chair, [
      { text: 'Open Source AI is an AI system made available under terms that grant the freedoms.' },
    ]);
    const base = `/groups/${slug}/definitions/${id}`;
    const start = async (as: TestUser, payload: object) => {
      const response = await app.t.request({ method: 'POST', url: `/api/definitions/${id}/threads`, as, payload: { clauseId: clauseIds[0], ...payload } });
      expect(response.statusCode).toBe(201);
      return response.json();
    };
    // The group's internal talk, before the comment period: a mention of a member, a resolved thread.
    await start(users.member, { body: 'Internal: ask @Observer first.', mentions: [users.observer.user.id] });
    const resolved = await start(users.editor, { body: 'Internal: settled.' });
    await app.t.request({ method: 'POST', url: `/api/threads/${resolved.id}/resolve`, as: users.chair });
    expect(
      (await app.t.request({ method: 'POST', url: `/api/definitions/${id}/versions`, as: users.chair, payload: { label: '0.1', notes: '' } })).statusCode,
    ).toBe(201);

    // Before the period: the published text, no comment counted, and reading the comments is no error.
    const visitor = await app.newPage();
    await visitor.goto(`${base}/public`);
    await visitor.getByText('This definition is not open for public comment.').waitFor();
    const clause = visitor.getByRole('region', { name: 'Clause 1', exact: true });
    expect(await clause.locator('.public-comment-count').textContent()).toBe('0 comments');
    await clause.getByRole('button', { name: 'Show comments on clause 1' }).click();
    await clause.getByText('No comments yet.').waitFor();
    expect(await visitor.getByRole('alert').count()).toBe(0);

    // During the period: an outsider's comment is public; the members' internal threads are not.
    await app.t.request({ method: 'PATCH', url: `/api/definitions/${id}`, as: users.chair, payload: { status: 'public-comment' } });
    await start(users.outsider, { body: 'Public: what is a system?' });
    await start(users.member, { body: 'Internal: the outsider has a point.' });
    await visitor.reload();
    const during = visitor.getByRole('region', { name: 'Clause 1', exact: true });
    await eventually(() => during.locator('.public-comment-count').textContent()).toBe('1 comment');
    await during.getByRole('button', { name: 'Show comments on clause 1' }).click();
    await during.locator('.comment-body').filter({ hasText: 'Public: what is a system?' }).waitFor();
    expect(await during.locator('.public-thread .badge').allTextContents()).toEqual(['Public']);
    expect(await visitor.locator('main').textContent()).not.toMatch(/Internal:|Observer/);

    // A member on the public page: the same comments only, and a form that says the public reads it.
    const member = await app.signedInPage(users.member);
    await member.goto(`${base}/public`);
    const memberClause = member.getByRole('region', { name: 'Clause 1', exact: true });
    await eventually(() => memberClause.locator('.public-comment-count').textContent()).toBe('1 comment');
    await memberClause.getByRole('button', { name: 'Show comments on clause 1' }).click();
    await memberClause.locator('.comment-body').filter({ hasText: 'Public: what is a system?' }).waitFor();
    expect(await memberClause.locator('.comment-body').count()).toBe(1);
    const form = memberClause.getByRole('form', { name: 'Comment on clause 1' });
    const textarea = form.getByLabel('Your comment');
    expect(await descriptionOf(textarea)).toContain('Anyone can read this: it is part of the public record.');
    await textarea.fill('Public: a member answers where the public reads.');
    await form.getByRole('button', { name: 'Post comment' }).click();
    await form.getByRole('status').filter({ hasText: 'Your comment has been posted.' }).waitFor();
    await eventually(() => memberClause.locator('.public-comment-count').textContent()).toBe('2 comments');
    const publicThreads = (await app.t.request({ method: 'GET', url: `/api/definitions/${id}/threads` })).json().threads as { comments: { body: string }[] }[];
    expect(publicThreads.map((thread) => thread.comments[0]!.body)).toEqual(['Public: what is a system?', 'Public: a member answers where the public reads.']);

    expect(app.problems).toEqual([]);
  });
});

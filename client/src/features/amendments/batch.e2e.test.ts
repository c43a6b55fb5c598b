import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestUser } from '../../../../server/test/support/app.ts';
import { eventually, useBrowserApp } from '../../e2e-support.ts';

/** "Accept all" on the Amendments tab: one confirmation, one request, all or nothing. */
describe('deciding all proposed wordings at once', () => {
  const app = useBrowserApp();

  async function open(user: TestUser, path: string): Promise<Page> {
    const page = await app.signedInPage(user);
    await page.goto(path);
    await page.getByRole('heading', { level: 1, name: 'Open Source AI Definition' }).waitFor();
    return page;
  }

  /** A member's proposed wording, through the API. */
  async function proposeAs(member: TestUser, definitionId: string, clauseId: string, text: string) {
    const response = await app.t.request({
      method: 'POST',
      url: `/api/definitions/${definitionId}/amendments`,
      as: member,
      payload: { clauseId, text, rationale: '' },
    });
    expect(response.statusCode).toBe(201);
  }

  it('a chair accepts all proposed wordings at once after confirming; a batch that no longer applies says why and decides nothing', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id, clauseIds } = await app.definitionIn(slug, users.editor, ['Training data is required.', 'Code is required.']);
    const propose = (clauseId: string, text: string) => proposeAs(users.member, id, clauseId, text);
    await propose(clauseIds[0]!, 'Training data information is required.');
    await propose(clauseIds[1]!, 'Source code is required.');
    const base = `/groups/${slug}/definitions/${id}`;
    const chair = await open(users.chair, `${base}/amendments`);
    const batch = chair.getByRole('group', { name: 'Decide all proposed wordings' });
    await batch.getByRole('button', { name: 'Accept all 2…' }).click();
    // Nothing happens before the confirmation.
    expect(
      (await app.t.request({ method: 'GET', url: `/api/definitions/${id}`, as: users.chair })).json().clauses.map((c: { text: string }) => c.text),
    ).toEqual(['Training data is required.', 'Code is required.']);
    await chair.getByRole('alertdialog', { name: 'Accept all 2 proposed wordings?' }).getByRole('button', { name: 'Yes, accept all 2' }).click();
    await chair.getByRole('status').filter({ hasText: 'All 2 proposed wordings accepted.' }).waitFor();
    await eventually(async () =>
      (await app.t.request({ method: 'GET', url: `/api/definitions/${id}`, as: users.chair })).json().clauses.map((c: { text: string }) => c.text),
    ).toEqual(['Training data information is required.', 'Source code is required.']);
    await eventually(() => chair.locator('.amendment-list .badge').allTextContents()).toEqual(expect.arrayContaining(['Accepted', 'Accepted']));

    // Two wordings of one clause: the second would undo the first, so the batch is refused whole.
    await propose(clauseIds[0]!, 'Training data is optional.');
    await propose(clauseIds[0]!, 'Training data is encouraged.');
    await batch.getByRole('button', { name: 'Accept all 2…' }).click();
    await chair.getByRole('alertdialog', { name: 'Accept all 2 proposed wordings?' }).getByRole('button', { name: 'Yes, accept all 2' }).click();
    await eventually(() => batch.getByRole('alert').textContent()).toContain('Clause 1 changed since a suggestion on it was made');
    const statuses = (await app.t.request({ method: 'GET', url: `/api/definitions/${id}/amendments?status=proposed`, as: users.chair })).json().amendments;
    expect(statuses).toHaveLength(2);
    expect(app.problems).toEqual([]);
  });

  it('on the Text tab a chair accepts all waiting suggestions at once, and the clauses change in place', async () => {
    const { slug, users } = await app.t.groupWithRoles();
    const { id, clauseIds } = await app.definitionIn(slug, users.editor, ['Training data is required.', 'Code is required.']);
    await proposeAs(users.member, id, clauseIds[0]!, 'Training data information is required.');
    await proposeAs(users.member, id, clauseIds[1]!, 'Source code is required.');
    const base = `/groups/${slug}/definitions/${id}`;
    // A member, who cannot decide, is offered nothing of the kind.
    const member = await open(users.member, base);
    await member.getByRole('button', { name: '1 proposed wording for clause 2' }).waitFor();
    expect(await member.getByRole('group', { name: 'Decide all proposed wordings' }).count()).toBe(0);

    const chair = await open(users.chair, base);
    const batch = chair.getByRole('group', { name: 'Decide all proposed wordings' });
    await batch.getByRole('button', { name: 'Accept all 2…' }).click();
    await chair.getByRole('alertdialog', { name: 'Accept all 2 proposed wordings?' }).getByRole('button', { name: 'Yes, accept all 2' }).click();
    await chair.getByRole('status').filter({ hasText: 'All 2 proposed wordings accepted.' }).waitFor();
    await eventually(() => chair.getByRole('textbox', { name: 'Clause 2', exact: true }).textContent()).toBe('Source code is required.');
    await eventually(() => member.getByRole('textbox', { name: 'Clause 1', exact: true }).textContent()).toBe('Training data information is required.');
    // Nothing is left to decide: the counts and the batch are gone.
    await eventually(() => chair.getByRole('button', { name: /proposed wording/ }).count()).toBe(0);
    await eventually(() => batch.count()).toBe(0);
    expect(app.problems).toEqual([]);
  });
});

import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestUser } from '../../../../server/test/support/app.ts';
import { descriptionOf, eventually, isFocused, useBrowserApp } from '../../e2e-support.ts';

/**
 * Conformance reviews in the browser: two reviewers mark blind, the chair settles their disagreement
 * and closes the review; the public register shows it to a visitor; grids fit a phone.
 */
describe('conformance reviews in the browser', () => {
  const app = useBrowserApp();

  const A = 'allows';
  const R = 'restricts';
  const RAIL = 'BigScience RAIL License v1.0';
  const CONDITION = 'The weights are released under an OSI-approved licence';
  const REASON = 'RAIL use restrictions travel with every copy.';

  /** What a reader sees, laid out (blocks and flex items apart), in one line. */
  // biome-ignore lint/performance/useDomNodeTextContent: the laid-out text is the point; textContent runs "Editor" and "Restricts" together.
  const text = async (locator: Locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

  /** A published version with its checklist (Model parameters: every freedom; Training code: Study and Modify) and a review of BLOOM. */
  async function setup(visibility: 'private' | 'public' = 'private') {
    const { slug, users } = await app.t.groupWithRoles(visibility);
    const { id } = await app.definitionIn(slug, users.chair, ['The required components are data information, code and parameters.']);
    const call = async (method: 'GET' | 'POST' | 'PUT', url: string, as: TestUser, payload?: object) => {
      const response = await app.t.request({ method, url, as, ...(payload && { payload }) });
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
      return response.json();
    };
    await call('POST', `/api/definitions/${id}/versions`, users.chair, { label: '1.0', notes: '' });
    const checklist = await call('POST', `/api/definitions/${id}/checklists`, users.chair, {
      versionLabel: '1.0',
      rows: [
        { component: 'Model parameters', category: 'Model' },
        { component: 'Training code', category: 'Code', required: [false, true, true, false] },
      ],
    });
    const system = await call('POST', `/api/groups/${slug}/systems`, users.editor, {
      name: 'BLOOM',
      version: '176B',
      developer: 'BigScience',
      licences: [{ spdx: null, name: RAIL }],
    });
    const review = await call('POST', `/api/checklists/${checklist.id}/reviews`, users.chair, {
      systemId: system.id,
      reviewerIds: [users.editor.user.id, users.member.user.id],
      rule: { curable: [R] },
    });
    const reviewPath = `/groups/${slug}/definitions/${id}/conformance/reviews/${review.id}`;
    return { slug, users, id, checklistId: checklist.id as string, reviewId: review.id as string, reviewPath, call };
  }

  /** Both reviewers mark and submit through the API; they disagree on Model parameters × Share. */
  async function markAndSubmit(s: Awaited<ReturnType<typeof setup>>) {
    const sheet = (r1: (string | null)[], evidence: object[] = []) => ({
      rows: [
        { rowId: 'r1', evidence, verdicts: r1, note: '' },
        { rowId: 'r2', evidence: [], verdicts: [null, A, A, null], note: '' },
      ],
    });
    await s.call(
      'PUT',
      `/api/reviews/${s.reviewId}/sheet`,
      s.users.editor,
      sheet([A, A, A, R], [{ kind: 'licence', url: 'https://bigscience.huggingface.co/blog/the-bigscience-rail-license', text: RAIL }]),
    );
    await s.call('PUT', `/api/reviews/${s.reviewId}/sheet`, s.users.member, sheet([A, A, A, A]));
    for (const who of [s.users.editor, s.users.member]) await s.call('POST', `/api/reviews/${s.reviewId}/submit`, who);
  }

  async function openReview(user: TestUser, path: string, options: { viewport?: { width: number; height: number } } = {}): Promise<Page> {
    const page = await app.signedInPage(user, options);
    await page.goto(path);
    await page.getByRole('heading', { level: 2, name: 'Review of BLOOM 176B' }).waitFor();
    return page;
  }

  const cell = (page: Page, name: string) => page.getByLabel(name, { exact: true });

  it('two reviewers mark blind, both submit, the disagreement shows side by side, the chair settles it with a condition and closes: Conformant if…', async () => {
    const s = await setup();

    // The first reviewer marks, cites the licence and saves.
    const editor = await openReview(s.users.editor, s.reviewPath);
    expect(await text(editor.getByRole('note'))).toContain('Marks are hidden from everyone until all reviewers have submitted.');
    expect(await text(editor.locator('.blind-count'))).toBe('0 of 2 reviewers have submitted.');
    // Cells the checklist does not ask about have no control.
    expect(await cell(editor, 'Training code — Use').count()).toBe(0);
    expect(await editor.locator('.grid-na').count()).toBe(2);
    for (const freedom of ['Use', 'Study', 'Modify']) await cell(editor, `Model parameters — ${freedom}`).selectOption('allows');
    await cell(editor, 'Model parameters — Share').selectOption('restricts');
    await cell(editor, 'Training code — Study').selectOption('allows');
    await cell(editor, 'Training code — Modify').selectOption('allows');
    await editor.getByRole('button', { name: 'Add evidence for Model parameters' }).click();
    const evidence = editor.getByRole('group', { name: 'Evidence 1 for Model parameters' });
    await evidence.getByLabel('Kind').selectOption('licence');
    await evidence.getByLabel('URL (optional)').fill('https://bigscience.huggingface.co/blog/the-bigscience-rail-license');
    await evidence.getByLabel('Licence (SPDX id or name)').fill(RAIL);
    await editor.getByRole('button', { name: 'Save my marks' }).click();
    await editor.getByRole('status').filter({ hasText: 'Your marks are saved.' }).waitFor();

    // The second reviewer sees an empty sheet of their own: nothing of the first's marks or evidence.
    const member = await openReview(s.users.member, s.reviewPath);
    expect(await cell(member, 'Model parameters — Share').inputValue()).toBe('');
    expect(await member.locator('.grid-marking select').evaluateAll((selects) => selects.map((select) => (select as HTMLSelectElement).value))).toEqual([
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
    expect(await member.content()).not.toContain(RAIL);
    // Nor does the chair.
    const chair = await openReview(s.users.chair, s.reviewPath);
    expect(await chair.locator('.grid-marking').count()).toBe(0);
    expect(await chair.locator('.grid-hidden').count()).toBe(6);
    expect(await chair.content()).not.toContain(RAIL);

    // The first submits (asked to confirm); who has submitted is known to all, what they marked is not.
    await editor.getByRole('button', { name: 'Submit my marks' }).click();
    const confirm = editor.getByRole('alertdialog', { name: 'Submit your marks?' });
    await eventually(() => isFocused(confirm.getByRole('button', { name: 'Cancel' }))).toBe(true);
    await confirm.getByRole('button', { name: 'Submit my marks' }).click();
    await editor.getByRole('heading', { name: 'Your submitted marks' }).waitFor();
    expect(await text(editor.locator('.blind-count'))).toBe('1 of 2 reviewers have submitted: Editor.');
    // The second reviewer's open page follows, without asking (live hint conformance.changed).
    await eventually(() => text(member.locator('.blind-count'))).toBe('1 of 2 reviewers have submitted: Editor.');
    expect(await member.content()).not.toContain(RAIL);

    // The second leaves a cell unmarked: the server's list of unmarked cells is shown.
    for (const freedom of ['Use', 'Study', 'Modify', 'Share']) await cell(member, `Model parameters — ${freedom}`).selectOption('allows');
    await cell(member, 'Training code — Study').selectOption('allows');
    await member.getByRole('button', { name: 'Submit my marks' }).click();
    await member.getByRole('alertdialog', { name: 'Submit your marks?' }).getByRole('button', { name: 'Submit my marks' }).click();
    const refusal = member.locator('.marking-sheet .problem-alert');
    await eventually(() => text(refusal)).toContain('Training code — Modify: not marked');
    expect(await cell(member, 'Training code — Modify').getAttribute('aria-invalid')).toBe('true');
    await cell(member, 'Training code — Modify').selectOption('allows');
    await member.getByRole('button', { name: 'Submit my marks' }).click();
    await member.getByRole('alertdialog', { name: 'Submit your marks?' }).getByRole('button', { name: 'Submit my marks' }).click();

    // All have submitted: every verdict side by side, the disagreement marked.
    await member.getByRole('heading', { name: 'Every reviewer’s verdicts' }).waitFor();
    expect(await text(member.locator('.revealed > p').first())).toBe('The reviewers disagree on one cell; 1 still to settle by the chair.');
    const disagreeing = member.locator('.grid-disagree');
    expect(await disagreeing.count()).toBe(1);
    expect(await text(disagreeing)).toBe('Disagree Editor Restricts Member Allows');
    expect(await member.content()).toContain(RAIL);
    // Members settle nothing.
    expect(await member.getByRole('heading', { name: 'Settle the cells' }).count()).toBe(0);

    // The chair tries to close first: refused, with the cell in the way.
    await chair.reload();
    await chair.getByRole('heading', { name: 'Every reviewer’s verdicts' }).waitFor();
    expect(await text(chair.locator('.grid-disagree'))).toContain('Editor Restricts Member Allows');
    await chair.getByRole('button', { name: 'Close the review' }).click();
    await chair.getByRole('alertdialog', { name: 'Close the review?' }).getByRole('button', { name: 'Close the review' }).click();
    await eventually(() => text(chair.locator('.close-review .problem-alert'))).toContain('Resolve every disagreement first');
    expect(await text(chair.locator('.close-review .problem-alert'))).toContain('Model parameters — Share');

    // The chair settles it: Restricts, with the reason and what would cure it.
    const settle = chair.getByRole('form', { name: 'Settle Model parameters — Share' });
    await settle.getByLabel('Verdict').selectOption('restricts');
    await settle.getByLabel('Reason (published with the review)').fill(REASON);
    await settle.getByLabel('Condition: what would cure it').fill(CONDITION);
    await settle.getByRole('button', { name: 'Settle Model parameters — Share' }).click();
    await chair.getByRole('status').filter({ hasText: 'Model parameters — Share settled as Restricts.' }).waitFor();
    expect(await text(chair.locator('.grid-disagree .cell-resolution'))).toBe('Settled: Restricts');

    await chair.getByRole('button', { name: 'Close the review' }).click();
    await chair.getByRole('alertdialog', { name: 'Close the review?' }).getByRole('button', { name: 'Close the review' }).click();
    const outcome = chair.getByRole('region', { name: 'Outcome' });
    await eventually(() => text(outcome.locator('.outcome-line'))).toBe('Conformant if…');
    expect(await text(outcome.locator('.outcome-conditions'))).toBe(CONDITION);
    expect(await text(chair.locator('.review-badges'))).toContain('Closed');
    // The final grid says how the cell was settled, and the badge comes with its embed code.
    const finalGrid = chair.getByRole('region', { name: 'Final verdicts (scrolls sideways)' });
    expect(await text(finalGrid.locator('.mark-restricts'))).toBe(`Restricts Settled by the chair If: ${CONDITION}`);
    expect(await chair.getByRole('img', { name: 'Open Source AI Definition 1.0: Conformant if…' }).getAttribute('src')).toBe(
      `/api/reviews/${s.reviewId}/badge.svg`,
    );
    expect(await chair.getByLabel('Markdown to embed it').inputValue()).toBe(
      `[![Open Source AI Definition 1.0: Conformant if…](${app.baseUrl}/api/reviews/${s.reviewId}/badge.svg)](${app.baseUrl}/groups/${s.slug}/definitions/${s.id}/versions/1.0/register#review-${s.reviewId})`,
    );
    expect(await text(chair.getByRole('region', { name: 'Dissent' }))).toContain(`Settled as Restricts by Chair: ${REASON}`);

    // The Conformance tab lists the review as closed, with its outcome.
    await chair.getByRole('link', { name: 'All conformance reviews of Open Source AI Definition' }).click();
    const reviews = chair.getByRole('region', { name: 'Reviews against version 1.0' });
    await eventually(() => text(reviews.locator('.review-item-head'))).toBe('BLOOM 176B Closed Conformant if…');
    expect(app.problems).toEqual([]);
  });

  it('the public register of a public group shows a visitor the closed review, its outcome and dissent, and its downloads work', async () => {
    const s = await setup('public');
    await markAndSubmit(s);
    await s.call('POST', `/api/reviews/${s.reviewId}/resolutions`, s.users.chair, {
      rowId: 'r1',
      freedom: 3,
      verdict: R,
      reason: REASON,
      condition: CONDITION,
    });
    await s.call('POST', `/api/reviews/${s.reviewId}/close`, s.users.chair);

    const visitor = await app.newPage();
    await visitor.goto(`/groups/${s.slug}/definitions/${s.id}/versions/1.0/register`);
    await visitor.getByRole('heading', { level: 1, name: /^Conformance register/ }).waitFor();
    expect(await text(visitor.getByRole('list', { name: 'Counts' }))).toBe('1 reviewed 0 conformant 1 conformant if conditions are met 0 not conformant');
    const row = visitor.getByRole('row', { name: /BLOOM 176B/ });
    expect(await text(row)).toContain('Conformant if…');
    const entry = visitor.getByRole('article', { name: 'BLOOM 176B' });
    expect(await text(entry.locator('.outcome-conditions'))).toBe(CONDITION);
    const fact = (name: string) =>
      entry
        .locator('.review-facts > div')
        .filter({ has: visitor.locator('dt', { hasText: name }) })
        .locator('dd');
    expect(await text(fact('Reviewers'))).toBe('Editor, Member');
    const dissent = entry.getByRole('region', { name: 'Dissent' });
    expect(await text(dissent)).toBe(
      `Dissent Model parameters — Share Editor: Restricts Member: Allows Settled as Restricts by Chair: ${REASON} Condition: ${CONDITION}`,
    );
    expect(await text(entry.getByRole('region', { name: 'Final verdicts for BLOOM 176B (scrolls sideways)' }).locator('.mark-restricts'))).toContain(
      'Settled by the chair',
    );

    const downloads = visitor.getByRole('navigation', { name: 'Download the register' }).getByRole('link');
    expect(await downloads.allTextContents()).toEqual(['JSON of the register', 'Markdown of the register', 'HTML of the register', 'CSV of the register']);
    const types: string[] = [];
    for (const href of await downloads.evaluateAll((links) => links.map((link) => link.getAttribute('href')!))) {
      const response = await visitor.request.get(href);
      expect(response.status(), href).toBe(200);
      types.push((response.headers()['content-type'] ?? '').split(';')[0]!);
    }
    expect(types).toEqual(['application/json', 'text/markdown', 'text/html', 'text/csv']);
    // The badge is public too.
    expect((await visitor.request.get(`/api/reviews/${s.reviewId}/badge.svg`)).status()).toBe(200);
    expect(app.problems).toEqual([]);
  });

  it('the developer of a private group’s system hears of its review, reads it on its own page and answers on a cell; a member following that link lands inside the definition', async () => {
    const s = await setup();
    const developer = await app.t.register('BigScience');
    const system = await s.call('POST', `/api/groups/${s.slug}/systems`, s.users.editor, { name: 'BLOOMZ', version: '7B', developerEmail: developer.email });
    const until = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const review = await s.call('POST', `/api/checklists/${s.checklistId}/reviews`, s.users.chair, {
      systemId: system.id,
      reviewerIds: [s.users.editor.user.id, s.users.member.user.id],
      responseUntil: until,
    });

    const page = await app.signedInPage(developer);
    await page.goto('/inbox');
    await page.getByRole('link', { name: /^Chair opened a review of “BLOOMZ 7B”, which you develop, against version 1\.0 of “/ }).click();
    await page.waitForURL(`**/reviews/${review.id}`);
    await page.getByRole('heading', { level: 2, name: 'Review of BLOOMZ 7B' }).waitFor();
    // Not a member: the definition's pages (its draft) stay closed; the review says where it belongs and what the developer may do.
    expect(await text(page.locator('.review-context'))).toMatch(/You read this review as the developer of the system it reviews: you may answer/);
    expect(await page.getByRole('link', { name: 'Public register of version 1.0' }).count()).toBe(0);
    expect(await text(page.locator('.blind-notice'))).toMatch(/0 of 2 reviewers have submitted/);

    const form = page.getByRole('form', { name: 'Add a comment' });
    await form.getByLabel('Component').selectOption({ label: 'Training code' });
    await form.getByLabel('About').selectOption({ label: 'Modify' });
    await form.getByLabel('Comment').fill('Training code: https://github.com/bigscience-workshop/Megatron-DeepSpeed (Apache-2.0)');
    await form.getByRole('button', { name: 'Add comment' }).click();
    const thread = page.getByRole('article', { name: 'Comments on Training code' });
    await thread.waitFor();
    expect(await text(thread)).toMatch(/BigScience Developer on Modify .*Megatron-DeepSpeed/);
    const stored = await s.call('GET', `/api/reviews/${review.id}`, s.users.chair);
    expect(stored.comments).toEqual([expect.objectContaining({ rowId: 'r2', freedom: 2, asDeveloper: true })]);
    // A reviewer submits: the developer's open page follows (a hint on their own topic names the review, nothing more).
    await s.call('PUT', `/api/reviews/${review.id}/sheet`, s.users.editor, {
      rows: [
        { rowId: 'r1', evidence: [], verdicts: [A, A, A, A], note: '' },
        { rowId: 'r2', evidence: [], verdicts: [null, A, A, null], note: '' },
      ],
    });
    await s.call('POST', `/api/reviews/${review.id}/submit`, s.users.editor);
    await eventually(() => text(page.locator('.blind-count'))).toBe('1 of 2 reviewers have submitted: Editor.');
    // A reviewer's comment meanwhile stays theirs until all have submitted: the developer is told one is held back.
    await s.call('POST', `/api/reviews/${review.id}/comments`, s.users.editor, { rowId: 'r1', body: 'Marked Share as Restricts.' });
    await eventually(() => text(page.locator('.sealed-comments'))).toBe(
      '1 comment by a reviewer is held back until every reviewer has submitted: what a reviewer writes could tell how they marked.',
    );
    expect(await page.content()).not.toContain('Marked Share as Restricts.');
    await page.close();

    // The chair hears of the answer; the same kind of link takes a member to the review inside the definition.
    const chair = await app.signedInPage(s.users.chair);
    await chair.goto('/inbox');
    await chair.getByRole('link', { name: /^BigScience responded for the developer in the review of “BLOOMZ 7B”/ }).click();
    await chair.waitForURL(`**/groups/${s.slug}/definitions/${s.id}/conformance/reviews/${review.id}`);
    await chair.getByRole('heading', { level: 2, name: 'Review of BLOOMZ 7B' }).waitFor();
    await chair.getByRole('link', { name: 'All conformance reviews of' }).waitFor();
    await chair.close();
  });

  it('the register of systems: an editor edits a system and adds a licence, removes an unreviewed one and is refused the reviewed one; a member only reads it', async () => {
    const s = await setup();
    const developer = await app.t.register('EleutherAI Dev');
    const pythia = await s.call('POST', `/api/groups/${s.slug}/systems`, s.users.editor, {
      name: 'Pythia',
      version: '12B',
      developer: 'EleutherAI',
      licences: [{ spdx: 'Apache-2.0', name: '', url: 'https://www.apache.org/licenses/LICENSE-2.0' }],
      links: [{ label: 'Model card', url: 'https://huggingface.co/EleutherAI/pythia-12b' }],
      developerEmail: developer.email,
    });
    await s.call('POST', `/api/groups/${s.slug}/systems`, s.users.editor, { name: 'Grok', version: '1' });
    const stored = async () => (await s.call('GET', `/api/groups/${s.slug}/systems`, s.users.editor)).systems as { id: string; name: string }[];
    const tab = `/groups/${s.slug}/definitions/${s.id}/conformance`;

    // The editor reads the register: each system with its developer, licences, links and the developer's account.
    const editor = await app.signedInPage(s.users.editor);
    await editor.goto(tab);
    const register = editor.getByRole('region', { name: 'Systems under review' });
    const item = (name: string) => register.getByRole('listitem', { name, exact: true });
    await item('Pythia 12B').waitFor();
    const fact = (name: string, label: string) =>
      item(name)
        .locator('.system-facts > div')
        .filter({ has: editor.locator('dt', { hasText: new RegExp(`^${label}$`) }) })
        .locator('dd');
    expect(await text(fact('Pythia 12B', 'Developer'))).toBe('EleutherAI');
    expect(await text(fact('Pythia 12B', 'Developer’s account'))).toBe('EleutherAI Dev');
    expect(await text(fact('BLOOM 176B', 'Licences'))).toBe(RAIL);
    expect(await text(fact('Grok 1', 'Licences'))).toBe('None recorded');
    const licence = item('Pythia 12B').getByRole('link', { name: 'Apache-2.0' });
    expect(await licence.getAttribute('href')).toBe('https://www.apache.org/licenses/LICENSE-2.0');
    const card = item('Pythia 12B').getByRole('link', { name: 'Model card of Pythia 12B' });
    expect(await card.getAttribute('rel')).toBe('noopener noreferrer');

    // Edits the version and adds a licence; an address that is no address is caught next to it first.
    await item('Pythia 12B').getByRole('button', { name: 'Edit Pythia 12B' }).click();
    const form = editor.getByRole('form', { name: 'Edit Pythia 12B' });
    expect(await form.getByLabel('Version', { exact: true }).inputValue()).toBe('12B');
    expect(await form.getByRole('group', { name: 'Licence 1' }).getByLabel('SPDX id or name').inputValue()).toBe('Apache-2.0');
    expect(await form.getByRole('group', { name: 'Link 1' }).getByLabel('Address').inputValue()).toBe('https://huggingface.co/EleutherAI/pythia-12b');
    await form.getByLabel('Version', { exact: true }).fill('12B-deduped');
    await form.getByRole('button', { name: 'Add a licence' }).click();
    const added = form.getByRole('group', { name: 'Licence 2' });
    await eventually(() => isFocused(added.getByLabel('SPDX id or name'))).toBe(true);
    await added.getByLabel('SPDX id or name').fill('MIT');
    await added.getByLabel('Address (optional)').fill('opensource.org/license/mit');
    await form.getByRole('button', { name: 'Save Pythia 12B' }).click();
    await eventually(() => isFocused(added.getByLabel('Address (optional)'))).toBe(true);
    expect(await descriptionOf(added.getByLabel('Address (optional)'))).toBe('Error: The address must start with http:// or https://');
    await added.getByLabel('Address (optional)').fill('https://opensource.org/license/mit');
    await form.getByRole('button', { name: 'Save Pythia 12B' }).click();
    await register.getByRole('status').filter({ hasText: 'Pythia 12B-deduped saved.' }).waitFor();
    await eventually(() => isFocused(register.getByRole('button', { name: 'Edit Pythia 12B-deduped' }))).toBe(true);
    expect(await form.count()).toBe(0);
    expect(await text(fact('Pythia 12B-deduped', 'Licences'))).toBe('Apache-2.0 MIT');
    expect((await stored()).find((system) => system.id === pythia.id)).toMatchObject({
      version: '12B-deduped',
      licences: [
        { spdx: 'Apache-2.0', name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
        { spdx: 'MIT', name: 'MIT', url: 'https://opensource.org/license/mit' },
      ],
      links: [{ label: 'Model card', url: 'https://huggingface.co/EleutherAI/pythia-12b' }],
      developerAccount: { id: developer.user.id },
    });

    // Adding a system the register already has: the server's refusal is shown at the name.
    await register.getByRole('button', { name: 'Add a system' }).click();
    const add = editor.getByRole('form', { name: 'Add a system' });
    await add.getByLabel('Name', { exact: true }).fill('pythia');
    await add.getByLabel('Version', { exact: true }).fill('12B-deduped');
    await add.getByRole('button', { name: 'Add the system' }).click();
    await eventually(() => descriptionOf(add.getByLabel('Name', { exact: true }))).toBe('Error: This group already has a system with this name and version');

    // Removes a system nobody has reviewed: gone from the page and from the register.
    await add.getByRole('button', { name: 'Cancel' }).click();
    await eventually(() => isFocused(register.getByRole('button', { name: 'Add a system' }))).toBe(true);
    await item('Grok 1').getByRole('button', { name: 'Remove Grok 1' }).click();
    await editor.getByRole('alertdialog', { name: 'Remove Grok 1 from the register?' }).getByRole('button', { name: 'Remove Grok 1' }).click();
    await register.getByRole('status').filter({ hasText: 'Grok 1 removed from the register.' }).waitFor();
    expect(await item('Grok 1').count()).toBe(0);
    expect((await stored()).map((system) => system.name)).toEqual(['BLOOM', 'Pythia']);

    // The reviewed BLOOM stays: the server's refusal is shown at it, and the focus is back on its button.
    const bloom = item('BLOOM 176B');
    await bloom.getByRole('button', { name: 'Remove BLOOM 176B' }).click();
    await editor.getByRole('alertdialog', { name: 'Remove BLOOM 176B from the register?' }).getByRole('button', { name: 'Remove BLOOM 176B' }).click();
    await eventually(() => text(bloom.getByRole('alert'))).toBe('This system has reviews; they stay on the record, and so does the system');
    await eventually(() => isFocused(bloom.getByRole('button', { name: 'Remove BLOOM 176B' }))).toBe(true);
    expect(await bloom.count()).toBe(1);
    expect((await stored()).map((system) => system.name)).toEqual(['BLOOM', 'Pythia']);

    // On a phone, the chair adds a system from the Open-a-review panel with the same form; it is chosen for the review.
    const chair = await app.signedInPage(s.users.chair, { viewport: { width: 390, height: 844 } });
    await chair.goto(tab);
    await chair.getByRole('button', { name: 'Open a review against version 1.0' }).click();
    await chair.getByRole('button', { name: 'Add a system to the register' }).click();
    const fromPanel = chair.getByRole('form', { name: 'Add a system' });
    await fromPanel.getByLabel('Name', { exact: true }).fill('OLMo');
    await fromPanel.getByLabel('Version', { exact: true }).fill('7B');
    await fromPanel.getByRole('group', { name: 'Licence 1' }).getByLabel('SPDX id or name').fill('Apache-2.0');
    await fromPanel.getByRole('button', { name: 'Add the system' }).click();
    await chair.getByRole('status').filter({ hasText: 'OLMo 7B added to the register and chosen below.' }).waitFor();
    await eventually(() => chair.getByLabel('System', { exact: true }).locator('option:checked').textContent()).toBe('OLMo 7B');
    const systems = chair.getByRole('region', { name: 'Systems under review' });
    await systems.getByRole('listitem', { name: 'OLMo 7B' }).waitFor();
    await systems.getByRole('button', { name: 'Edit BLOOM 176B' }).click();
    await chair.getByRole('form', { name: 'Edit BLOOM 176B' }).waitFor();
    expect(await chair.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);

    // A member reads the register, and is offered nothing to change in it.
    const member = await app.signedInPage(s.users.member);
    await member.goto(tab);
    const readOnly = member.getByRole('region', { name: 'Systems under review' });
    await readOnly.getByRole('listitem', { name: 'Pythia 12B-deduped' }).waitFor();
    expect(await readOnly.getByRole('button').count()).toBe(0);
    expect(await readOnly.getByRole('form').count()).toBe(0);
    expect(app.problems).toEqual([]);
  });

  it('on a phone the grids scroll inside their own box, never the page', async () => {
    const s = await setup('public');
    const viewport = { width: 390, height: 844 };
    /** How much wider than the window the page is (0 when it fits), and whether each grid box scrolls. */
    const measure = (page: Page) =>
      page.evaluate(() => ({
        page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        grids: [...document.querySelectorAll<HTMLElement>('.grid-scroll')]
          .filter((box) => box.getClientRects().length > 0)
          .map((box) => ({ overflowX: getComputedStyle(box).overflowX, scrolls: box.scrollWidth > box.clientWidth })),
      }));

    // The widest grid: a reviewer's, a choice in every cell.
    const editor = await openReview(s.users.editor, s.reviewPath, { viewport });
    await cell(editor, 'Model parameters — Use').waitFor();
    const marking = await measure(editor);
    expect(marking.page).toBe(0);
    expect(marking.grids).toContainEqual({ overflowX: 'auto', scrolls: true });
    // Scrolled sideways, the component's name stays in view.
    const box = editor.getByRole('region', { name: 'Your marks (scrolls sideways)' });
    await box.evaluate((element) => element.scrollBy({ left: 400 }));
    const name = (await editor.locator('.grid-marking th[scope="row"]').first().boundingBox())!;
    expect(name.x).toBeGreaterThanOrEqual(0);
    expect(name.x).toBeLessThan(40);

    // The Conformance tab, its checklist shown.
    const tab = await app.signedInPage(s.users.chair, { viewport });
    await tab.goto(`/groups/${s.slug}/definitions/${s.id}/conformance`);
    await tab.getByRole('region', { name: 'Checklist of version 1.0 (scrolls sideways)' }).waitFor();
    await tab.getByRole('link', { name: /^BLOOM 176B/ }).waitFor();
    expect((await measure(tab)).page).toBe(0);

    // Every verdict side by side, and the public register.
    await markAndSubmit(s);
    await s.call('POST', `/api/reviews/${s.reviewId}/resolutions`, s.users.chair, {
      rowId: 'r1',
      freedom: 3,
      verdict: R,
      reason: REASON,
      condition: CONDITION,
    });
    const chair = await openReview(s.users.chair, s.reviewPath, { viewport });
    await chair.getByRole('heading', { name: 'Every reviewer’s verdicts' }).waitFor();
    expect((await measure(chair)).page).toBe(0);
    await s.call('POST', `/api/reviews/${s.reviewId}/close`, s.users.chair);
    const visitor = await app.newPage({ viewport });
    await visitor.goto(`/groups/${s.slug}/definitions/${s.id}/versions/1.0/register`);
    await visitor.getByRole('article', { name: 'BLOOM 176B' }).waitFor();
    await visitor.waitForLoadState('networkidle');
    const register = await measure(visitor);
    expect(register.page).toBe(0);
    expect(register.grids.every((grid) => grid.overflowX === 'auto')).toBe(true);
    expect(app.problems).toEqual([]);
  });
});

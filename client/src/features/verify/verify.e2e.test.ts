import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestUser } from '../../../../server/test/support/app.ts';
import { ballotRules } from '../../../../server/test/support/ballots.ts';
import { eventually, useBrowserApp } from '../../e2e-support.ts';

/**
 * The /verify page: anyone drops an export and sees every closed ballot recounted in the browser with
 * the server's own rule functions, the first difference of a tampered export, and (members) whether
 * the group's log still has the export's audit head.
 */
describe('verifying an export in the browser', () => {
  const app = useBrowserApp();

  async function exported() {
    const { slug, users } = await app.t.groupWithRoles('public');
    const { id, clauseIds } = await app.definitionIn(slug, users.chair, ['Training data is required.']);
    const clauseId = clauseIds[0]!;
    const call = async (method: 'GET' | 'POST' | 'PUT', url: string, as: TestUser, payload?: object) => {
      const response = await app.t.request({ method, url, as, ...(payload && { payload }) });
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
      return response.json();
    };
    const rules = ballotRules();
    const ballot = (await call('POST', `/api/definitions/${id}/ballots`, users.chair, { title: 'Keep clause 1', subject: { kind: 'clause', clauseId }, rules }))
      .id;
    await call('POST', `/api/ballots/${ballot}/open`, users.chair);
    await call('PUT', `/api/ballots/${ballot}/vote`, users.member, { position: 'yes' });
    await call('PUT', `/api/ballots/${ballot}/vote`, users.editor, { position: 'object', rationale: 'Too broad.' });
    await call('POST', `/api/ballots/${ballot}/close`, users.chair);
    const data = await call('GET', `/api/definitions/${id}/export?format=json`, users.member);
    return { data, users };
  }

  const drop = (page: Page, name: string, content: string) =>
    page.getByLabel('Export file (JSON)').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(content) });
  const verdict = (page: Page) => page.locator('.verify-verdict').textContent();

  it('recounts an honest export and finds its audit head; names the first difference of a tampered one; says what it could not check', async () => {
    const { data, users } = await exported();
    // The export says where its head can be checked: this very server.
    data.audit.server = new URL(app.baseUrl).origin;
    const member = await app.signedInPage(users.member);
    await member.goto('/');
    await member.getByRole('link', { name: 'Verify an export' }).click();
    await member.getByRole('heading', { level: 1, name: 'Verify an export' }).waitFor();
    await drop(member, 'osaid.json', JSON.stringify(data));
    await eventually(() => verdict(member)).toBe('Everything checked agrees.');
    const ballots = member.locator('.verify-ballot');
    expect(await ballots.count()).toBe(1);
    expect(await ballots.first().textContent()).toBe('Agrees Keep clause 1 — recounted from every vote');
    expect(await member.locator('.verify-audit').textContent()).toBe(`The log’s event ${data.audit.seq} has the hash the export states.`);

    // One vote changed after the fact: the recount names where it parts from what the export states.
    const tampered = structuredClone(data);
    tampered.decisions.ballots[0].votes.find((vote: { position: string }) => vote.position === 'object').position = 'yes';
    await drop(member, 'tampered.json', JSON.stringify(tampered));
    await eventually(() => verdict(member)).toBe('First difference: ballot “Keep clause 1”, counts.yes.');
    expect(await member.locator('.verify-difference').textContent()).toBe('counts.yes: the export says 1, the recount gives 2.');

    // The audit head rewritten.
    const head = structuredClone(data);
    head.audit.hash = '0'.repeat(64);
    await drop(member, 'head.json', JSON.stringify(head));
    await eventually(() => verdict(member)).toBe('First difference: the audit head.');
    expect(await member.locator('.verify-audit').textContent()).toBe(`Differs: the log’s event ${data.audit.seq} has another hash (${data.audit.hash}).`);

    // Not an export.
    await drop(member, 'notes.json', '{"hello": "world"}');
    await eventually(() => member.getByRole('alert').textContent()).toBe('notes.json: Not a Draftroom export: no decisions.ballots list.');

    // A visitor recounts too (the file stays in the browser); the group's log is its members', and the page says so.
    const visitor = await app.newPage();
    await visitor.goto('/verify');
    await drop(visitor, 'osaid.json', JSON.stringify(data));
    await eventually(() => visitor.locator('.verify-audit').textContent()).toMatch(/^Not checked: a group’s log is shown to its members only/);
    expect(await verdict(visitor)).toBe('Everything checked agrees.');
    expect(app.problems.filter((problem) => !/status of 40[134]/.test(problem))).toEqual([]);
  });
});

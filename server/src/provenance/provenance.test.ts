import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clausesOf } from '@draftroom/shared';
import { type TestUser, useTestApp } from '../../test/support/app.ts';
import { ballotRules } from '../../test/support/ballots.ts';
import { anchorIn, connectClient, synced, type TestClient, waitFor } from '../../test/support/collab.ts';

/**
 * The provenance of a sentence: a clause written by one person, reworded by another's accepted
 * amendment, decided by a ballot with an objection, discussed in a thread, published three times —
 * each part of the record on one answer, for the whole clause or a stretch of it.
 */
describe('provenance of a clause', () => {
  const t = useTestApp();
  let base: string;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => {
    for (const client of clients) client.destroy();
  });

  const ORIGINAL = 'Open Source AI is an AI system made available under terms.';
  const AMENDED = 'Open Source AI is an AI system made available under terms that grant the four freedoms.';

  async function shaped() {
    const { slug, users } = await t.groupWithRoles();
    const call = async (method: 'GET' | 'POST' | 'PUT', url: string, as: TestUser, payload?: object) => {
      const response = await t.request({ method, url, as, ...(payload && { payload }) });
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
      return response.json();
    };
    const definitionId = (await call('POST', `/api/groups/${slug}/definitions`, users.chair, { slug: 'osaid', title: 'OSAID' })).id as string;
    await call('POST', `/api/definitions/${definitionId}/clauses`, users.editor, { text: 'Preamble' });
    const clauseId = (await call('POST', `/api/definitions/${definitionId}/clauses`, users.editor, { text: ORIGINAL })).id as string;
    await call('POST', `/api/definitions/${definitionId}/versions`, users.chair, { label: '0.1', notes: '' });
    const amendment = await call('POST', `/api/definitions/${definitionId}/amendments`, users.member, {
      clauseId,
      text: AMENDED,
      rationale: 'Say which freedoms.',
    });
    const rejected = await call('POST', `/api/definitions/${definitionId}/amendments`, users.chair, {
      clauseId,
      text: 'Open Source AI is whatever its maker says.',
      rationale: 'Simpler.',
    });
    await call('POST', `/api/amendments/${rejected.id}/reject`, users.editor, { reason: 'Defines nothing.' });
    await call('POST', `/api/amendments/${amendment.id}/accept`, users.editor);
    const rules = ballotRules();
    const ballot = (
      await call('POST', `/api/definitions/${definitionId}/ballots`, users.chair, {
        title: 'Adopt the definition clause',
        subject: { kind: 'clause', clauseId },
        rules,
      })
    ).id;
    await call('POST', `/api/ballots/${ballot}/open`, users.chair);
    await call('PUT', `/api/ballots/${ballot}/vote`, users.chair, { position: 'yes' });
    await call('PUT', `/api/ballots/${ballot}/vote`, users.member, { position: 'yes' });
    await call('PUT', `/api/ballots/${ballot}/vote`, users.editor, { position: 'object', rationale: 'The freedoms need naming here.' });
    await call('POST', `/api/ballots/${ballot}/close`, users.chair);
    // A thread on "the four freedoms", anchored in the live text.
    const client = connectClient(base, definitionId, users.editor.cookie);
    clients.push(client);
    await synced(client);
    await waitFor(() => clausesOf(client.doc).has(clauseId), 'the clause');
    const { anchor } = anchorIn(client.doc, clauseId, 'the four freedoms');
    const thread = await call('POST', `/api/definitions/${definitionId}/threads`, users.observer, { clauseId, anchor, body: 'Which four?' });
    await call('POST', `/api/threads/${thread.id}/resolve`, users.editor);
    await call('POST', `/api/definitions/${definitionId}/versions`, users.chair, { label: '0.2', notes: '' });
    await call('POST', `/api/definitions/${definitionId}/versions`, users.chair, { label: '0.3', notes: '' });
    return { users, definitionId, clauseId, amendment, rejected, ballot, thread };
  }

  it('answers who wrote each part, the amendments, the ballot with its dissent, the threads and the versions', async () => {
    const s = await shaped();
    const response = await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/clauses/${s.clauseId}/provenance`, as: s.users.observer });
    expect(response.statusCode).toBe(200);
    const p = response.json();
    expect(p).toMatchObject({ clauseId: s.clauseId, label: 'Clause 2', version: null, text: AMENDED, range: null });
    // Two authors: the editor's words, and the words the member's accepted amendment added.
    expect(p.authors.map((run: { text: string; author: { displayName: string } | null }) => [run.author?.displayName ?? null, run.text])).toEqual([
      ['Editor', 'Open Source AI is an AI system made available under terms'],
      ['Member', ' that grant the four freedoms'],
      ['Editor', '.'],
    ]);
    expect(p.contributors.map((c: { person: { displayName: string } }) => c.person.displayName)).toEqual(['Editor', 'Member']);
    expect(p.authors.map((run: { text: string }) => run.text).join('')).toBe(AMENDED);
    expect(p.amendments).toEqual([
      expect.objectContaining({
        id: s.amendment.id,
        status: 'accepted',
        author: { id: s.users.member.user.id, displayName: 'Member' },
        decidedBy: expect.objectContaining({ displayName: 'Editor' }),
      }),
      expect.objectContaining({ id: s.rejected.id, status: 'rejected', reason: 'Defines nothing.' }),
    ]);
    expect(p.ballots).toEqual([
      expect.objectContaining({
        id: s.ballot,
        status: 'closed',
        outcome: 'passed',
        rules: { kind: 'binding', quorum: 0.5, threshold: 0.5, secret: false },
        turnout: { eligible: 3, voted: 3, abstained: 0, recused: 0 },
        dissent: { objections: 1, reasons: [{ voter: 'Editor', rationale: 'The freedoms need naming here.' }] },
      }),
    ]);
    expect(p.threads).toEqual([
      expect.objectContaining({
        id: s.thread.id,
        status: 'resolved',
        quote: 'the four freedoms',
        comments: 1,
        inRange: null,
        resolvedBy: expect.objectContaining({ displayName: 'Editor' }),
      }),
    ]);
    expect(p.versions.map((v: { label: string; change: string }) => [v.label, v.change])).toEqual([
      ['0.1', 'added'],
      ['0.2', 'changed'],
      ['0.3', 'unchanged'],
    ]);

    // The JSON export says who wrote each clause, of the draft and of a version alike.
    const characters = (text: string) => text.replace(/\s/g, '').length;
    const expected = [
      { name: 'Editor', characters: characters('Open Source AI is an AI system made available under terms.') },
      { name: 'Member', characters: characters(' that grant the four freedoms') },
    ];
    for (const query of ['', '&version=0.2']) {
      const exported = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/export?format=json${query}`, as: s.users.member })).json();
      expect(
        exported.text.clauses.map((c: { label: string; authors: unknown }) => [c.label, c.authors]),
        query,
      ).toEqual([
        ['Clause 1', [{ name: 'Editor', characters: characters('Preamble') }]],
        ['Clause 2', expected],
      ]);
    }
    // The Markdown export says it in the decision record, as shares of each clause.
    const markdown = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/export?format=md`, as: s.users.member })).body;
    const total = expected[0]!.characters + expected[1]!.characters;
    const share = (n: number) => Math.round((n / total) * 100);
    expect(markdown).toContain(
      `### Who wrote each clause\n\n- Clause 1: Editor (100%)\n- Clause 2: Editor (${share(expected[0]!.characters)}%), Member (${share(expected[1]!.characters)}%)\n`,
    );
  });

  it('answers as of a published version: its text, its authors, and the record up to its publication', async () => {
    const s = await shaped();
    const asOf = async (label: string) =>
      t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/clauses/${s.clauseId}/provenance?version=${label}`, as: s.users.member });
    const first = (await asOf('0.1')).json();
    expect(first).toMatchObject({ label: 'Clause 2', text: ORIGINAL, version: { label: '0.1' }, amendments: [], ballots: [], threads: [] });
    expect(first.authors.map((run: { author: { displayName: string } }) => run.author.displayName)).toEqual(['Editor']);
    expect(first.versions.map((v: { label: string; change: string }) => [v.label, v.change])).toEqual([['0.1', 'added']]);
    const second = (await asOf('0.2')).json();
    expect(second.text).toBe(AMENDED);
    expect(second.authors.map((run: { author: { displayName: string }; text: string }) => [run.author.displayName, run.text])).toEqual([
      ['Editor', 'Open Source AI is an AI system made available under terms'],
      ['Member', ' that grant the four freedoms'],
      ['Editor', '.'],
    ]);
    expect(second.amendments).toHaveLength(2);
    expect(second.ballots).toHaveLength(1);
    expect(second.threads).toHaveLength(1);
    expect(second.versions.map((v: { change: string }) => v.change)).toEqual(['added', 'changed']);
    expect((await asOf('9.9')).statusCode).toBe(404);
  });

  it('narrows to a stretch of the clause: its authors, and whether each thread quotes it', async () => {
    const s = await shaped();
    const url = (query: string) => `/api/definitions/${s.definitionId}/clauses/${s.clauseId}/provenance?${query}`;
    const from = AMENDED.indexOf('four');
    const p = (await t.request({ method: 'GET', url: url(`from=${from}&to=${from + 'four freedoms'.length}`), as: s.users.member })).json();
    expect(p.range).toEqual({ from, to: from + 13, text: 'four freedoms' });
    expect(p.authors).toEqual([expect.objectContaining({ text: 'four freedoms', author: { id: s.users.member.user.id, displayName: 'Member' } })]);
    expect(p.threads[0].inRange).toBe(true);
    const start = (await t.request({ method: 'GET', url: url('from=0&to=14'), as: s.users.member })).json();
    expect(start.authors).toEqual([expect.objectContaining({ text: 'Open Source AI', author: expect.objectContaining({ displayName: 'Editor' }) })]);
    expect(start.threads[0].inRange).toBe(false);

    // Bad ranges, unknown clauses, outsiders: the standard error bodies.
    for (const bad of ['from=5&to=5', `from=0&to=${AMENDED.length + 1}`, 'from=-1', 'to=0', 'from=x', 'extra=1']) {
      const refused = await t.request({ method: 'GET', url: url(bad), as: s.users.member });
      expect(refused.statusCode, bad).toBe(400);
      expect(refused.json().error.code, bad).toBe('invalid_input');
    }
    const unknown = await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/clauses/${s.thread.id}/provenance`, as: s.users.member });
    expect(unknown.statusCode).toBe(404);
    expect((await t.request({ method: 'GET', url: url(''), as: s.users.outsider })).statusCode).toBe(404);
    expect((await t.request({ method: 'GET', url: url(''), as: null })).statusCode).toBe(404);
  });
});

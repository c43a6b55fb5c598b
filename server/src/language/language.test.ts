import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.ts';

/** The draft's requirement-language report over HTTP: terms, marks, members only, never blocking. */
describe('requirement language of a draft', () => {
  const t = useTestApp();

  it('lists the defined terms and marks their misuse and inconsistent RFC 2119 keywords, for members only', async () => {
    const { slug, users } = await t.groupWithRoles('public');
    const definitionId = (
      await t.request({ method: 'POST', url: `/api/groups/${slug}/definitions`, as: users.chair, payload: { slug: 'osaid', title: 'OSAID' } })
    ).json().id as string;
    const clause = async (text: string) =>
      (await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/clauses`, as: users.editor, payload: { text } })).json().id as string;
    const first = await clause('Every Open Source AI MUST grant the four freedoms.');
    const defining = await clause('“Open Source AI” means an AI system made available under OSI-approved terms.');
    const third = await clause('Its weights SHALL be published; its data may not be withheld and must be described.');

    const response = await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/language`, as: users.observer });
    expect(response.statusCode).toBe(200);
    const report = response.json();
    expect(report.terms).toEqual([{ term: 'Open Source AI', clauseId: defining, label: 'Clause 2', source: 'definition', glossaryId: null }]);
    // Off until the group turns it on; members read the report either way, writers may configure it.
    expect(report).toMatchObject({ enabled: false, allowedActions: [] });
    expect(report.usesKeywords).toBe(true);
    expect(report.warnings.map((w: { kind: string; clauseId: string; found: string }) => [w.kind, w.clauseId, w.found])).toEqual([
      ['used_before_definition', first, 'Open Source AI'],
      ['mixed_keywords', third, 'SHALL'],
      ['lowercase_keyword', third, 'must'],
    ]);
    // Marks, never a block: the text still edits.
    expect(
      (await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/clauses`, as: users.editor, payload: { text: 'It MAY NOT.' } })).statusCode,
    ).toBe(201);

    // The draft is the members': outsiders of this public group are refused, visitors asked to sign in.
    expect((await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/language`, as: users.outsider })).statusCode).toBe(403);
    expect((await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/language` })).statusCode).toBe(401);
    expect((await t.request({ method: 'GET', url: '/api/definitions/not-a-uuid/language', as: users.member })).json().error.code).toBe('invalid_input');
  });

  it('is turned on per definition and keeps a glossary, by chairs and editors, every change in the log', async () => {
    const { slug, users } = await t.groupWithRoles('private');
    const definitionId = (
      await t.request({ method: 'POST', url: `/api/groups/${slug}/definitions`, as: users.chair, payload: { slug: 'osaid', title: 'OSAID' } })
    ).json().id as string;
    const clause = async (text: string) =>
      (await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/clauses`, as: users.editor, payload: { text } })).json().id as string;
    const first = await clause('Every release ships its Data information.');
    const defining = await clause('Data information: sufficiently detailed information about the training data.');
    const language = `/api/definitions/${definitionId}/language`;
    const glossary = `/api/definitions/${definitionId}/glossary`;

    // Turning it on: writers only.
    for (const [who, status] of [
      [users.member, 403],
      [users.observer, 403],
      [users.outsider, 404],
      [null, 404],
    ] as const) {
      expect((await t.request({ method: 'PUT', url: language, as: who, payload: { enabled: true } })).statusCode).toBe(status);
    }
    expect((await t.request({ method: 'PUT', url: language, as: users.editor, payload: { enabled: 'yes' } })).statusCode).toBe(400);
    const on = await t.request({ method: 'PUT', url: language, as: users.editor, payload: { enabled: true } });
    expect(on.statusCode).toBe(200);
    expect(on.json()).toMatchObject({ enabled: true, allowedActions: ['configure'] });
    // Sending the same again changes (and logs) nothing.
    await t.request({ method: 'PUT', url: language, as: users.chair, payload: { enabled: true } });

    // The text defines nothing in quotes; the glossary says where "Data information" is defined.
    expect((await t.request({ method: 'GET', url: language, as: users.member })).json().warnings).toEqual([]);
    const added = await t.request({ method: 'POST', url: glossary, as: users.chair, payload: { term: '  Data   information ', clauseId: defining } });
    expect(added.statusCode).toBe(201);
    const report = added.json();
    expect(report.terms).toEqual([expect.objectContaining({ term: 'Data information', clauseId: defining, label: 'Clause 2', source: 'glossary' })]);
    expect(report.warnings.map((w: { kind: string; clauseId: string; found: string }) => [w.kind, w.clauseId, w.found])).toEqual([
      ['used_before_definition', first, 'Data information'],
    ]);
    // One entry per term, however written; a clause of the draft; writers only; limits.
    expect((await t.request({ method: 'POST', url: glossary, as: users.editor, payload: { term: 'data-information', clauseId: first } })).statusCode).toBe(409);
    expect((await t.request({ method: 'POST', url: glossary, as: users.editor, payload: { term: 'Weights', clauseId: crypto.randomUUID() } })).statusCode).toBe(
      404,
    );
    expect((await t.request({ method: 'POST', url: glossary, as: users.member, payload: { term: 'Weights', clauseId: first } })).statusCode).toBe(403);
    for (const payload of [
      { term: 'x', clauseId: first },
      { term: 'x'.repeat(81), clauseId: first },
      { term: 'Weights' },
      { term: 'Weights', clauseId: first, note: 1 },
      { term: '- -', clauseId: first },
    ]) {
      expect((await t.request({ method: 'POST', url: glossary, as: users.editor, payload })).statusCode, JSON.stringify(payload)).toBe(400);
    }
    const termId = report.terms[0].glossaryId as string;
    expect((await t.request({ method: 'DELETE', url: `${glossary}/${termId}`, as: users.member })).statusCode).toBe(403);
    const removed = await t.request({ method: 'DELETE', url: `${glossary}/${termId}`, as: users.editor });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().terms).toEqual([]);
    expect((await t.request({ method: 'DELETE', url: `${glossary}/${termId}`, as: users.editor })).statusCode).toBe(404);

    const events = (await t.request({ method: 'GET', url: `/api/groups/${slug}/events`, as: users.chair })).json().events as {
      type: string;
      payload: object;
    }[];
    expect(events.filter((e) => e.type.startsWith('language.') || e.type.startsWith('glossary.')).map((e) => [e.type, e.payload])).toEqual([
      ['glossary.term_removed', { definitionId, term: 'Data information', clauseId: defining }],
      ['glossary.term_added', { definitionId, term: 'Data information', clauseId: defining }],
      ['language.checks_changed', { definitionId, enabled: true }],
    ]);
  });
});

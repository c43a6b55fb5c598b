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
    expect(report.terms).toEqual([{ term: 'Open Source AI', clauseId: defining, label: 'Clause 2' }]);
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
});

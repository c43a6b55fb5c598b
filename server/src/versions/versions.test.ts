import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.ts';
import { editText } from '../text/edit.ts';

describe('published versions and diffs', () => {
  const t = useTestApp();

  async function draft(visibility: 'private' | 'public' = 'private') {
    const group = await t.groupWithRoles(visibility);
    const definitionId = (
      await t.request({
        method: 'POST',
        url: `/api/groups/${group.slug}/definitions`,
        as: group.users.chair,
        payload: { slug: 'osaid', title: 'Open Source AI Definition' },
      })
    ).json().id as string;
    const add = async (text: string, kind: 'heading' | 'clause' = 'clause') =>
      (await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/clauses`, as: group.users.editor, payload: { text, kind } })).json()
        .id as string;
    const replace = (clauseId: string, text: string) =>
      t.request({ method: 'PUT', url: `/api/definitions/${definitionId}/clauses/${clauseId}`, as: group.users.editor, payload: { text } });
    const publish = (label: string, notes = '') =>
      t.request({ method: 'POST', url: `/api/definitions/${definitionId}/versions`, as: group.users.chair, payload: { label, notes } });
    return { ...group, definitionId, add, replace, publish };
  }

  it('publishes a named snapshot with every clause, lists it and serves it as Markdown', async () => {
    const d = await draft();
    await d.add('What is Open Source AI', 'heading');
    await d.add('An Open Source AI is made available under terms that grant the freedoms to use, study, modify and share.');
    const response = await d.publish('0.0.9', 'First public draft.\nComments welcome.');
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      label: '0.0.9',
      notes: 'First public draft.\nComments welcome.',
      clauseCount: 2,
      publishedBy: { id: d.users.chair.user.id },
    });
    expect(response.json().clauses.map((c: { text: string }) => c.text)).toEqual([
      'What is Open Source AI',
      'An Open Source AI is made available under terms that grant the freedoms to use, study, modify and share.',
    ]);

    const list = await t.request({ method: 'GET', url: `/api/definitions/${d.definitionId}/versions`, as: d.users.observer });
    expect(list.json().versions).toEqual([expect.objectContaining({ label: '0.0.9', clauseCount: 2 })]);

    const md = await t.request({ method: 'GET', url: `/api/definitions/${d.definitionId}/versions/0.0.9?format=md`, as: d.users.member });
    expect(md.statusCode).toBe(200);
    expect(md.headers['content-type']).toContain('text/markdown');
    expect(md.headers['content-disposition']).toContain('0.0.9.md');
    expect(md.body).toContain('# Open Source AI Definition — 0.0.9');
    expect(md.body).toContain('> First public draft.\n> Comments welcome.');
    expect(md.body).toContain('## What is Open Source AI\n\n**Clause 1**\n\nAn Open Source AI is made available');

    const events = (await t.request({ method: 'GET', url: `/api/groups/${d.slug}/events?limit=1`, as: d.users.chair })).json().events;
    expect(events[0]).toMatchObject({ type: 'version.published', payload: { label: '0.0.9', clauseCount: 2 } });
  });

  it('never changes a published version: later edits, the database and concurrent publishes cannot', async () => {
    const d = await draft();
    const clause = await d.add('Training data is required.');
    expect((await d.publish('1.0-RC1')).statusCode).toBe(201);
    await d.replace(clause, 'Training data is not required.');
    const version = (await t.request({ method: 'GET', url: `/api/definitions/${d.definitionId}/versions/1.0-RC1`, as: d.users.chair })).json();
    expect(version.clauses[0].text).toBe('Training data is required.');

    await expect(sql`update versions set notes = 'rewritten' where definition_id = ${d.definitionId}`.execute(t.db)).rejects.toThrow(/immutable/);
    await expect(sql`delete from version_clauses where version_id = ${version.id}`.execute(t.db)).rejects.toThrow(/immutable/);
    for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
      const response = await t.request({
        method,
        url: `/api/definitions/${d.definitionId}/versions/1.0-RC1`,
        as: d.users.chair,
        payload: method === 'DELETE' ? undefined : { notes: 'x' },
      });
      expect(response.statusCode, method).toBe(404);
    }
    const [a, b] = await Promise.all([d.publish('1.0', 'first'), d.publish('1.0', 'second')]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    const winner = (await t.request({ method: 'GET', url: `/api/definitions/${d.definitionId}/versions/1.0`, as: d.users.chair })).json();
    expect(['first', 'second']).toContain(winner.notes);
    expect(winner.clauses).toHaveLength(1);
  });

  it.each([
    ['an empty label', { label: '', notes: '' }],
    ['spaces', { label: 'one two', notes: '' }],
    ['a leading dot', { label: '.1', notes: '' }],
    ['the reserved word current', { label: 'current', notes: '' }],
    ['missing notes', { label: '2.0' }],
    ['an unknown field', { label: '2.0', notes: '', draft: true }],
  ])('rejects %s', async (_label, payload) => {
    const d = await draft();
    const response = await t.request({ method: 'POST', url: `/api/definitions/${d.definitionId}/versions`, as: d.users.chair, payload });
    expect(response.statusCode).toBe(400);
    expect((await t.request({ method: 'GET', url: `/api/definitions/${d.definitionId}/versions`, as: d.users.chair })).json().versions).toEqual([]);
  });

  it('lets only chairs publish; public groups show versions to everyone but the draft to members only', async () => {
    const d = await draft('public');
    await d.add('Text');
    for (const who of ['editor', 'member', 'observer', 'outsider'] as const) {
      const response = await t.request({
        method: 'POST',
        url: `/api/definitions/${d.definitionId}/versions`,
        as: d.users[who],
        payload: { label: `by-${who}`, notes: '' },
      });
      expect(response.statusCode, who).toBe(403);
    }
    expect((await d.publish('0.1')).statusCode).toBe(201);
    const anonymousList = await t.request({ method: 'GET', url: `/api/definitions/${d.definitionId}/versions` });
    expect(anonymousList.statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: `/api/definitions/${d.definitionId}/versions/0.1`, as: d.users.outsider })).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: `/api/definitions/${d.definitionId}/diff?from=0.1&to=0.1` })).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: `/api/definitions/${d.definitionId}/diff?from=0.1&to=current` })).statusCode).toBe(401);
    expect((await t.request({ method: 'GET', url: `/api/definitions/${d.definitionId}/diff?from=0.1&to=current`, as: d.users.outsider })).statusCode).toBe(403);
    expect((await t.request({ method: 'GET', url: `/api/definitions/${d.definitionId}`, as: d.users.outsider })).statusCode).toBe(403);

    const hidden = await draft('private');
    await hidden.publish('0.1');
    expect((await t.request({ method: 'GET', url: `/api/definitions/${hidden.definitionId}/versions`, as: hidden.users.outsider })).statusCode).toBe(404);
  });

  it('reports a change of formatting alone (rich text) as a modification', async () => {
    const d = await draft();
    const clause = await d.add('Use it freely.');
    await d.publish('1');
    const bolded = await t.request({
      method: 'PUT',
      url: `/api/definitions/${d.definitionId}/clauses/${clause}`,
      as: d.users.editor,
      payload: {
        content: {
          type: 'doc',
          content: [
            {
              type: 'paragraph',
              content: [
                { type: 'text', text: 'Use it ' },
                { type: 'text', text: 'freely', marks: [{ type: 'bold' }] },
                { type: 'text', text: '.' },
              ],
            },
          ],
        },
      },
    });
    expect(bolded.json().markdown).toBe('Use it **freely**.');
    await d.publish('2');
    const diff = (await t.request({ method: 'GET', url: `/api/definitions/${d.definitionId}/diff?from=1&to=2`, as: d.users.member })).json();
    expect(diff.summary.modified).toBe(1);
    expect(diff.clauses[0]).toMatchObject({ status: 'modified', fromText: 'Use it freely.', toText: 'Use it freely.' });
  });

  it('diffs two versions and a version against the live draft, clause by clause', async () => {
    const d = await draft();
    const preamble = await d.add('Preamble', 'heading');
    const data = await d.add('Training data is required.');
    const code = await d.add('Code must be available.');
    await d.publish('0.1');
    await d.replace(data, 'Training data information is required.');
    const params = await d.add('Parameters must be shared.');
    await d.publish('0.2');

    const diff = (await t.request({ method: 'GET', url: `/api/definitions/${d.definitionId}/diff?from=0.1&to=0.2`, as: d.users.member })).json();
    expect(diff.summary).toEqual({ added: 1, removed: 0, moved: 0, modified: 1, unchanged: 2 });
    const byId = new Map(diff.clauses.map((c: { clauseId: string }) => [c.clauseId, c]));
    expect(byId.get(preamble)).toMatchObject({ status: 'unchanged' });
    expect(byId.get(code)).toMatchObject({ status: 'unchanged' });
    expect(byId.get(params)).toMatchObject({ status: 'added', toText: 'Parameters must be shared.' });
    expect(byId.get(data)).toMatchObject({ status: 'modified', fromText: 'Training data is required.', toText: 'Training data information is required.' });
    expect((byId.get(data) as { changes: { kind: string; text: string }[] }).changes.filter((w) => w.kind === 'insert').map((w) => w.text.trim())).toEqual([
      'information',
    ]);

    // Live: delete a clause and move another, without publishing.
    const groupId = (await t.db.selectFrom('definitions').select('group_id').where('id', '=', d.definitionId).executeTakeFirstOrThrow()).group_id;
    await editText({ db: t.db, registry: t.app.registry }, { id: d.definitionId, group_id: groupId }, async (_tx, text) => {
      text.deleteClause(d.users.editor.user.id, code);
      text.moveClause(d.users.editor.user.id, preamble, 2);
    });
    const live = (await t.request({ method: 'GET', url: `/api/definitions/${d.definitionId}/diff?from=0.2&to=current`, as: d.users.member })).json();
    expect(live.summary).toMatchObject({ removed: 1, moved: 1 });
    expect(live.clauses.find((c: { clauseId: string }) => c.clauseId === code)).toMatchObject({ status: 'removed' });

    const unknown = await t.request({ method: 'GET', url: `/api/definitions/${d.definitionId}/diff?from=0.1&to=9.9`, as: d.users.member });
    expect(unknown.statusCode).toBe(404);
    const missing = await t.request({ method: 'GET', url: `/api/definitions/${d.definitionId}/diff?from=0.1`, as: d.users.member });
    expect(missing.statusCode).toBe(400);
  });
});

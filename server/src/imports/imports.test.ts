import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES, type DraftImport } from '@draftroom/shared';
import { uniqueSlug, useTestApp, type TestUser } from '../../test/support/app.ts';

const FIXTURE = readFileSync(new URL('./fixtures/osaid-like.md', import.meta.url), 'utf8');

/** Importing a definition over HTTP: preview, create, replace the draft; what is written, and what never is. */
describe('importing a definition', () => {
  const t = useTestApp();

  const importInto = (slug: string, as: TestUser | null, payload: object) =>
    t.request({ method: 'POST', url: `/api/groups/${slug}/definitions/import`, as, payload });
  const replaceDraft = (id: string, as: TestUser | null, payload: object) => t.request({ method: 'POST', url: `/api/definitions/${id}/import`, as, payload });
  const clausesOf = async (id: string, as: TestUser) =>
    (await t.request({ method: 'GET', url: `/api/definitions/${id}`, as })).json().clauses as { id: string; kind: string; text: string; markdown: string }[];
  const definitionsOf = async (groupSlug: string) => {
    const group = await t.db.selectFrom('groups').select('id').where('slug', '=', groupSlug).executeTakeFirstOrThrow();
    return t.db.selectFrom('definitions').select(['id', 'slug', 'title']).where('group_id', '=', group.id).execute();
  };
  const eventsOf = (definitionId: string) =>
    t.db
      .selectFrom('events')
      .select(['type', 'payload', 'actor_id'])
      .where(({ eb, ref }) => eb(eb.fn('jsonb_extract_path_text', [ref('payload'), eb.val('definitionId')]), '=', definitionId))
      .orderBy('seq')
      .execute();
  async function started(slug: string, chair: TestUser, texts: string[]): Promise<{ id: string; clauseIds: string[] }> {
    const created = await t.request({
      method: 'POST',
      url: `/api/groups/${slug}/definitions`,
      as: chair,
      payload: { slug: uniqueSlug('def'), title: 'Draft' },
    });
    const id = created.json().id as string;
    const clauseIds: string[] = [];
    for (const text of texts) {
      const kind = text.startsWith('## ') ? 'heading' : 'clause';
      const inserted = await t.request({ method: 'POST', url: `/api/definitions/${id}/clauses`, as: chair, payload: { kind, text: text.replace(/^## /, '') } });
      expect(inserted.statusCode).toBe(201);
      clauseIds.push(inserted.json().id);
    }
    return { id, clauseIds };
  }

  it('previews without writing anything, then creates the definition, its clauses and both audit events in one go', async () => {
    const { slug, users } = await t.groupWithRoles();
    const eventsBefore = await t.db.selectFrom('events').select('seq').execute();

    const preview = await importInto(slug, users.editor, { format: 'markdown', source: FIXTURE, preview: true });
    expect(preview.statusCode).toBe(200);
    const body = preview.json();
    expect(body.title).toBe('The Open Source AI Definition – 1.0');
    expect(body.clauses).toHaveLength(19);
    expect(body.clauses[0]).toEqual({ kind: 'heading', text: 'Preamble', markdown: 'Preamble', html: '' });
    expect(body.clauses[7].markdown).toMatch(/^\* \*\*Use\*\* the system/);
    // Shown as the draft shows a clause before its editor loads: sanitized HTML.
    expect(body.clauses[7].html).toMatch(/^<ul>\n<li><strong>Use<\/strong> the system/);
    expect(body.warnings).toEqual([]);
    expect(body.stripped).toEqual(['The first heading, “The Open Source AI Definition – 1.0”, is the title, not a clause.']);
    // A preview writes nothing: no definition, no event.
    expect(await definitionsOf(slug)).toEqual([]);
    expect(await t.db.selectFrom('events').select('seq').execute()).toHaveLength(eventsBefore.length);

    const created = await importInto(slug, users.editor, { format: 'markdown', source: FIXTURE });
    expect(created.statusCode).toBe(201);
    const definition = created.json();
    expect(definition).toMatchObject({
      groupSlug: slug,
      slug: 'the-open-source-ai-definition-1-0',
      title: 'The Open Source AI Definition – 1.0',
      status: 'drafting',
    });
    expect(definition.allowedActions).toContain('text.edit');
    const clauses = await clausesOf(definition.id, users.member);
    const shape = ({ kind, text, markdown }: { kind: string; text: string; markdown: string }) => ({ kind, text, markdown });
    expect(clauses.map(shape)).toEqual(body.clauses.map(shape));

    const events = await eventsOf(definition.id);
    expect(events.map((event) => event.type)).toEqual(['definition.created', 'definition.imported']);
    expect(events[1]!.payload).toEqual({
      definitionId: definition.id,
      format: 'markdown',
      clauseCount: 19,
      sha256: createHash('sha256').update(FIXTURE).digest('hex'),
    });
    expect(events.every((event) => event.actor_id === users.editor.user.id)).toBe(true);
    // The whole text is one edit, by the importer.
    const updates = await t.db.selectFrom('doc_updates').select('user_id').where('definition_id', '=', definition.id).execute();
    expect(updates).toEqual([{ user_id: users.editor.user.id }]);

    // The same source again: a title-made slug is numbered rather than refused.
    const again = await importInto(slug, users.chair, { format: 'markdown', source: FIXTURE });
    expect(again.statusCode).toBe(201);
    expect(again.json().slug).toBe('the-open-source-ai-definition-1-0-2');
  });

  it('takes a given title and slug; asks for a title when the source has none; refuses a taken slug and writes nothing then', async () => {
    const { slug, users } = await t.groupWithRoles();
    const html = '<h2>Scope</h2><p>Only <b>this</b>.</p>';
    const preview = await importInto(slug, users.chair, { format: 'html', source: html, preview: true });
    expect(preview.json().title).toBeNull();
    const untitled = await importInto(slug, users.chair, { format: 'html', source: html });
    expect(untitled.statusCode).toBe(400);
    expect(untitled.json().error.details).toEqual([{ path: '/title', message: 'is required' }]);

    const created = await importInto(slug, users.chair, { format: 'html', source: html, title: '  My title ', slug: 'mine' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ title: 'My title', slug: 'mine' });
    expect((await clausesOf(created.json().id, users.chair)).map((clause) => [clause.kind, clause.markdown])).toEqual([
      ['heading', 'Scope'],
      ['clause', 'Only **this**.'],
    ]);

    const before = await definitionsOf(slug);
    const eventCount = (await t.db.selectFrom('events').select('seq').execute()).length;
    const taken = await importInto(slug, users.chair, { format: 'html', source: html, title: 'Other', slug: 'mine' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'conflict', details: [{ path: '/slug', message: 'is taken' }] });
    expect(await definitionsOf(slug)).toEqual(before);
    expect(await t.db.selectFrom('events').select('seq').execute()).toHaveLength(eventCount);
  });

  it('refuses bad input with the standard error body and a path, and writes nothing', async () => {
    const { slug, users } = await t.groupWithRoles();
    const cases: [object | string, number, string, string | null][] = [
      ['{"format": "markdown", "source": ', 400, 'malformed_json', null],
      [{ format: 'docx', source: 'x' }, 400, 'invalid_input', '/format'],
      [{ format: 'markdown', source: '' }, 400, 'invalid_input', '/source'],
      [{ format: 'markdown' }, 400, 'invalid_input', '/source'],
      [{ format: 'markdown', source: 'x', extra: true }, 400, 'invalid_input', '/extra'],
      [{ format: 'markdown', source: 'x', slug: 'Not A Slug' }, 400, 'invalid_input', '/slug'],
      [{ format: 'markdown', source: '   \n\n' }, 400, 'invalid_input', '/source'],
      [{ format: 'html', source: '<script>alert(1)</script><img src=x><hr>' }, 400, 'invalid_input', '/source'],
      [{ format: 'text', source: 'x\n\n'.repeat(2001) }, 400, 'invalid_input', '/source'],
      [{ format: 'text', source: 'a'.repeat(MAX_IMPORT_BYTES + 1) }, 413, 'payload_too_large', '/source'],
    ];
    for (const [payload, status, code, path] of cases) {
      const response = await t.request({
        method: 'POST',
        url: `/api/groups/${slug}/definitions/import`,
        as: users.chair,
        headers: { 'content-type': 'application/json' },
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      });
      const label = typeof payload === 'string' ? payload : JSON.stringify(payload).slice(0, 80);
      expect(response.statusCode, label).toBe(status);
      expect(response.json().error.code, label).toBe(code);
      if (path)
        expect(
          response.json().error.details.map((detail: { path: string }) => detail.path),
          label,
        ).toContain(path);
    }
    // A body above the route's own limit is refused before it is read.
    const huge = await importInto(slug, users.chair, { format: 'text', source: 'a'.repeat(5 * 1024 * 1024) });
    expect([huge.statusCode, huge.json().error.code]).toEqual([413, 'payload_too_large']);
    expect(await definitionsOf(slug)).toEqual([]);
  });

  it('answers hostile sources of 1 MB with a preview or a 4xx, never a 5xx, and keeps serving', async () => {
    const { slug, users } = await t.groupWithRoles();
    const fill = (unit: string) => unit.repeat(Math.floor((MAX_IMPORT_BYTES - 64) / unit.length));
    for (const [format, source] of [
      ['html', fill('<div>')],
      ['html', fill('<ul><li>')],
      ['markdown', fill('*a **b ')],
      ['markdown', fill('>')],
      ['markdown', fill('[x](javascript:alert(1)) ')],
      ['text', fill('line\n')],
    ] as const) {
      const response = await importInto(slug, users.chair, { format, source, preview: true });
      expect(response.statusCode, `${format} ${source.slice(0, 20)}`).toBeLessThan(500);
      if (response.statusCode >= 400) expect(response.json().error.details[0].path).toBe('/source');
    }
    expect((await t.request({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    expect(await definitionsOf(slug)).toEqual([]);
  });

  it('replaces the draft: clauses it continues keep their ids (and threads), the diff is shown first, applied in one edit and one event', async () => {
    const { slug, users } = await t.groupWithRoles();
    const { id, clauseIds } = await started(slug, users.chair, [
      '## Preamble',
      'Openness gave software its qualities.',
      'AI should have them too.',
      'A clause that goes away.',
      '## Freedoms',
      'Use, study, modify, share.',
    ]);
    const thread = await t.request({
      method: 'POST',
      url: `/api/definitions/${id}/threads`,
      as: users.member,
      payload: { clauseId: clauseIds[2], body: 'Which ones?' },
    });
    expect(thread.statusCode).toBe(201);
    const source = [
      '# Draft',
      '',
      '## Preamble',
      '',
      'Openness gave software its qualities.',
      '',
      'AI should have **them** too.',
      '',
      '## Freedoms',
      '',
      '- Use',
      '- Study',
      '- Modify',
      '- Share',
      '',
      'A new closing clause.',
    ].join('\n');

    const preview = await replaceDraft(id, users.editor, { format: 'markdown', source, preview: true });
    expect(preview.statusCode).toBe(200);
    const planned = preview.json() as DraftImport;
    expect(planned.applied).toBe(false);
    expect(planned.head).toMatch(/^[0-9a-f]{64}$/);
    expect(planned.diff.summary).toEqual({ added: 1, removed: 1, moved: 0, modified: 2, unchanged: 3 });
    expect(planned.diff.clauses.map((clause) => [clause.status, clause.toText ?? clause.fromText])).toEqual([
      ['unchanged', 'Preamble'],
      ['unchanged', 'Openness gave software its qualities.'],
      ['modified', 'AI should have them too.'],
      ['removed', 'A clause that goes away.'],
      ['unchanged', 'Freedoms'],
      ['modified', 'Use\n\nStudy\n\nModify\n\nShare'],
      ['added', 'A new closing clause.'],
    ]);
    expect(planned.diff.clauses.slice(0, 6).map((clause) => clause.clauseId)).toEqual([
      clauseIds[0],
      clauseIds[1],
      clauseIds[2],
      clauseIds[3],
      clauseIds[4],
      clauseIds[5],
    ]);
    // A change of formatting alone is a change, told in words.
    expect(planned.diff.clauses[2]!.formatting).toEqual(['made bold: “them”']);
    expect(planned.stripped).toEqual(['The first heading, “Draft”, is the title, not a clause.']);
    // Nothing changed yet.
    expect((await clausesOf(id, users.chair)).map((clause) => clause.id)).toEqual(clauseIds);

    const applied = await replaceDraft(id, users.editor, { format: 'markdown', source, expectedHead: planned.head });
    expect(applied.statusCode).toBe(200);
    const result = applied.json() as DraftImport;
    expect(result.applied).toBe(true);
    expect(result.diff.summary).toEqual(planned.diff.summary);
    expect(result.head).not.toBe(planned.head);
    const after = await clausesOf(id, users.chair);
    expect(after.map((clause) => clause.markdown)).toEqual([
      'Preamble',
      'Openness gave software its qualities.',
      'AI should have **them** too.',
      'Freedoms',
      '* Use\n* Study\n* Modify\n* Share',
      'A new closing clause.',
    ]);
    expect(after.map((clause) => clause.id).slice(0, 5)).toEqual([clauseIds[0], clauseIds[1], clauseIds[2], clauseIds[4], clauseIds[5]]);
    expect(clauseIds).not.toContain(after[5]!.id);
    // The thread stays on its (reworded) clause.
    const threads = (await t.request({ method: 'GET', url: `/api/definitions/${id}/threads`, as: users.member })).json().threads;
    expect(threads.map((item: { clauseId: string }) => item.clauseId)).toEqual([clauseIds[2]]);
    const events = (await eventsOf(id)).filter((event) => event.type === 'definition.imported');
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ format: 'markdown', clauseCount: 6, changes: planned.diff.summary });

    // The same again changes nothing: no edit, no event; the head it answers is the draft's.
    const updates = (await t.db.selectFrom('doc_updates').select('id').where('definition_id', '=', id).execute()).length;
    const same = (await replaceDraft(id, users.chair, { format: 'markdown', source, expectedHead: result.head })).json() as DraftImport;
    expect([same.applied, same.diff.summary, same.head]).toEqual([true, { added: 0, removed: 0, moved: 0, modified: 0, unchanged: 6 }, result.head]);
    expect((await t.db.selectFrom('doc_updates').select('id').where('definition_id', '=', id).execute()).length).toBe(updates);
    expect((await eventsOf(id)).filter((event) => event.type === 'definition.imported')).toHaveLength(1);
  });

  it('refuses to apply a preview the draft has moved past, and bad sources, leaving the draft as it was', async () => {
    const { slug, users } = await t.groupWithRoles();
    const { id, clauseIds } = await started(slug, users.chair, ['First.', 'Second.']);
    const preview = (await replaceDraft(id, users.chair, { format: 'text', source: 'First.\n\nChanged.', preview: true })).json() as DraftImport;
    // Someone edits meanwhile.
    expect(
      (await t.request({ method: 'PUT', url: `/api/definitions/${id}/clauses/${clauseIds[1]}`, as: users.editor, payload: { text: 'Edited.' } })).statusCode,
    ).toBe(200);
    const draft = await clausesOf(id, users.chair);
    const eventCount = (await eventsOf(id)).length;

    const stale = await replaceDraft(id, users.chair, { format: 'text', source: 'First.\n\nChanged.', expectedHead: preview.head });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'conflict', details: [{ path: '/expectedHead', message: 'is not the head of the current draft' }] });
    for (const [payload, status] of [
      [{ format: 'html', source: '<style>x</style>' }, 400],
      [{ format: 'markdown', source: 'x', expectedHead: 'not-a-hash' }, 400],
      [{ format: 'markdown', source: 'é'.repeat(MAX_IMPORT_BYTES / 2 + 1) }, 413],
    ] as const) {
      expect((await replaceDraft(id, users.chair, payload)).statusCode, JSON.stringify(payload).slice(0, 60)).toBe(status);
    }
    expect(await clausesOf(id, users.chair)).toEqual(draft);
    expect(await eventsOf(id)).toHaveLength(eventCount);
  });

  it('is for chairs and editors: members and observers are refused, outsiders do not see the group', async () => {
    const { slug, users } = await t.groupWithRoles();
    const { id } = await started(slug, users.chair, ['Kept.']);
    for (const who of ['member', 'observer'] as const) {
      expect((await importInto(slug, users[who], { format: 'text', source: 'x', preview: true })).statusCode, who).toBe(403);
      expect((await replaceDraft(id, users[who], { format: 'text', source: 'x', preview: true })).statusCode, who).toBe(403);
    }
    expect((await importInto(slug, users.outsider, { format: 'text', source: 'x' })).statusCode).toBe(404);
    expect((await replaceDraft(id, null, { format: 'text', source: 'x' })).statusCode).toBe(404);
    expect((await clausesOf(id, users.chair)).map((clause) => clause.text)).toEqual(['Kept.']);
    expect(await definitionsOf(slug)).toHaveLength(1);
  });
});

import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.ts';
import { connectClient, docFromUpdates, synced, textOf, textRuns, waitFor, type TestClient } from '../../test/support/collab.ts';
import { clausesInOrder } from '@draftroom/shared';

describe('REST clause API (for scripts and bots)', () => {
  const t = useTestApp();
  let base: string;
  const clients: TestClient[] = [];
  beforeAll(async () => {
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });

  async function definitionFor() {
    const group = await t.groupWithRoles();
    const response = await t.request({
      method: 'POST',
      url: `/api/groups/${group.slug}/definitions`,
      as: group.users.chair,
      payload: { slug: 'osaid', title: 'OSAID' },
    });
    return { ...group, definitionId: response.json().id as string };
  }

  it('inserts a clause that connected clients see at once, attributed to the caller', async () => {
    const { users, definitionId } = await definitionFor();
    const watcher = connectClient(base, definitionId, users.observer.cookie);
    clients.push(watcher);
    await synced(watcher);

    const response = await t.request({
      method: 'POST',
      url: `/api/definitions/${definitionId}/clauses`,
      as: users.editor,
      payload: { text: 'An Open Source AI is an AI system\nmade available under terms that grant the freedoms to:\n\nuse, study, modify and share.' },
    });
    expect(response.statusCode).toBe(201);
    const clause = response.json();
    expect(clause).toMatchObject({
      kind: 'clause',
      position: 0,
      text: 'An Open Source AI is an AI system\nmade available under terms that grant the freedoms to:\n\nuse, study, modify and share.',
    });
    expect(clause.markdown).toBe(
      'An Open Source AI is an AI system\\\nmade available under terms that grant the freedoms to:\n\nuse, study, modify and share.',
    );
    await waitFor(() => clausesInOrder(watcher.doc).some((c) => c.id === clause.id), 'the watcher to see the clause');

    const rows = await t.db.selectFrom('doc_updates').select('user_id').where('definition_id', '=', definitionId).execute();
    expect(rows.map((r) => r.user_id)).toEqual([users.editor.user.id]);
    const detail = (await t.request({ method: 'GET', url: `/api/definitions/${definitionId}`, as: users.member })).json();
    expect(detail.clauses).toEqual([
      {
        ...clause,
        html: '<p>An Open Source AI is an AI system<br>\nmade available under terms that grant the freedoms to:</p>\n<p>use, study, modify and share.</p>\n',
      },
    ]);
  });

  it('inserts rich content at a position and renders Markdown', async () => {
    const { users, definitionId } = await definitionFor();
    await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/clauses`, as: users.chair, payload: { text: 'Second' } });
    const heading = await t.request({
      method: 'POST',
      url: `/api/definitions/${definitionId}/clauses`,
      as: users.chair,
      payload: { kind: 'heading', position: 0, text: 'Preamble' },
    });
    expect(heading.json()).toMatchObject({ kind: 'heading', position: 0 });
    const rich = await t.request({
      method: 'POST',
      url: `/api/definitions/${definitionId}/clauses`,
      as: users.chair,
      payload: {
        content: {
          type: 'doc',
          content: [
            {
              type: 'paragraph',
              content: [
                { type: 'text', text: 'Use ' },
                { type: 'text', text: 'freely', marks: [{ type: 'bold' }] },
                { type: 'text', text: ', see ' },
                { type: 'text', text: 'OSI', marks: [{ type: 'link', attrs: { href: 'https://opensource.org' } }] },
              ],
            },
            {
              type: 'bulletList',
              content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'code', marks: [{ type: 'code' }] }] }] }],
            },
          ],
        },
      },
    });
    expect(rich.statusCode).toBe(201);
    expect(rich.json().markdown).toBe('Use **freely**, see [OSI](https://opensource.org)\n\n* `code`');
    const detail = (await t.request({ method: 'GET', url: `/api/definitions/${definitionId}`, as: users.member })).json();
    expect(detail.clauses.map((c: { text: string }) => c.text)).toEqual(['Preamble', 'Second', 'Use freely, see OSI\n\ncode']);
    // The page shows this HTML until its editor has loaded: formatting kept, headings as their text.
    expect(detail.clauses.map((c: { html: string }) => c.html)).toEqual([
      '',
      '<p>Second</p>\n',
      '<p>Use <strong>freely</strong>, see <a href="https://opensource.org" rel="nofollow noopener noreferrer ugc">OSI</a></p>\n<ul>\n<li><code>code</code></li>\n</ul>\n',
    ]);
  });

  it('replaces a clause with a minimal change: unchanged text keeps its author', async () => {
    const { users, definitionId } = await definitionFor();
    const created = (
      await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/clauses`, as: users.editor, payload: { text: 'Training data is required.' } })
    ).json();
    const replaced = await t.request({
      method: 'PUT',
      url: `/api/definitions/${definitionId}/clauses/${created.id}`,
      as: users.chair,
      payload: { text: 'Training data is not required.' },
    });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ id: created.id, text: 'Training data is not required.' });

    const doc = docFromUpdates(
      (await t.db.selectFrom('doc_updates').select('update').where('definition_id', '=', definitionId).orderBy('id').execute()).map((row) => row.update),
    );
    expect(textOf(doc, created.id)).toBe('Training data is not required.');
    const owners = await t.db.selectFrom('doc_client_ids').select(['client_id', 'user_id']).where('definition_id', '=', definitionId).execute();
    const ownerOf = new Map(owners.map((o) => [Number(o.client_id), o.user_id]));
    // Walk the text items: "Training data is " stays the editor's; "not " is the chair's.
    const runs = textRuns(doc, created.id).map((run) => [run.text, ownerOf.get(run.clientId)!] as const);
    const chairText = runs
      .filter(([, owner]) => owner === users.chair.user.id)
      .map(([s]) => s)
      .join('');
    const editorText = runs
      .filter(([, owner]) => owner === users.editor.user.id)
      .map(([s]) => s)
      .join('');
    expect(chairText.trim()).toBe('not');
    expect(editorText).toBe('Training data is required.');
  });

  it.each([
    [
      'a javascript: link',
      {
        content: {
          type: 'doc',
          content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] }],
        },
      },
    ],
    ['an unknown node', { content: { type: 'doc', content: [{ type: 'script', text: 'x' }] } }],
    ['a node in the wrong place', { content: { type: 'doc', content: [{ type: 'text', text: 'bare text in doc' }] } }],
    ['text and content together', { text: 'a', content: { type: 'doc', content: [] } }],
    ['an unknown field', { text: 'a', html: '<b>a</b>' }],
    ['a negative position', { text: 'a', position: -1 }],
    ['a wrong kind', { text: 'a', kind: 'section' }],
  ])('rejects %s with 400 and changes nothing', async (_label, payload) => {
    const { users, definitionId } = await definitionFor();
    const response = await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/clauses`, as: users.chair, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_input');
    expect(await t.db.selectFrom('doc_updates').select('id').where('definition_id', '=', definitionId).execute()).toEqual([]);
  });

  it('allows only chairs and editors, hides private groups, and 404s an unknown clause', async () => {
    const { users, definitionId } = await definitionFor();
    const statuses: Record<string, number> = {};
    for (const who of ['chair', 'editor', 'member', 'observer', 'outsider'] as const) {
      statuses[who] = (await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/clauses`, as: users[who], payload: { text: who } })).statusCode;
    }
    statuses.anonymous = (await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/clauses`, payload: { text: 'anon' } })).statusCode;
    expect(statuses).toEqual({ chair: 201, editor: 201, member: 403, observer: 403, outsider: 404, anonymous: 404 });
    const missing = await t.request({
      method: 'PUT',
      url: `/api/definitions/${definitionId}/clauses/${randomUUID()}`,
      as: users.chair,
      payload: { text: 'x' },
    });
    expect(missing.statusCode).toBe(404);
    const replaceAsMember = await t.request({
      method: 'PUT',
      url: `/api/definitions/${definitionId}/clauses/${randomUUID()}`,
      as: users.member,
      payload: { text: 'x' },
    });
    expect(replaceAsMember.statusCode).toBe(403);
  });
});

import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { editText } from '../text/edit.ts';
import { useTestApp, type TestUser } from '../../test/support/app.ts';
import * as Y from 'yjs';
import { addClause, appendText, bodyOf, connectClient, synced, textOf, waitFor, type TestClient } from '../../test/support/collab.ts';

describe('history, blame and restore', () => {
  const t = useTestApp();
  let base: string;
  const clients: TestClient[] = [];
  beforeAll(async () => {
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });

  async function setup() {
    const group = await t.groupWithRoles();
    const second = await t.register('Second Editor');
    await t.request({ method: 'POST', url: `/api/groups/${group.slug}/members`, as: group.users.chair, payload: { email: second.email, role: 'editor' } });
    const definitionId = (
      await t.request({ method: 'POST', url: `/api/groups/${group.slug}/definitions`, as: group.users.chair, payload: { slug: 'osaid', title: 'OSAID' } })
    ).json().id as string;
    const groupId = (await t.db.selectFrom('definitions').select('group_id').where('id', '=', definitionId).executeTakeFirstOrThrow()).group_id;
    return { ...group, second, definitionId, groupId };
  }

  const connect = async (definitionId: string, user: TestUser) => {
    const client = connectClient(base, definitionId, user.cookie);
    clients.push(client);
    await synced(client);
    return client;
  };
  const stored = async (definitionId: string) => (await t.db.selectFrom('doc_updates').select('id').where('definition_id', '=', definitionId).execute()).length;

  it('blames each run of a clause on the user who wrote it, over the socket and through REST', async () => {
    const s = await setup();
    const chair = await connect(s.definitionId, s.users.chair);
    const editor = await connect(s.definitionId, s.users.editor);
    const clauseId = randomUUID();
    addClause(chair.doc, clauseId, 'Open Source AI');
    await waitFor(() => textOf(editor.doc, clauseId), 'editor sees clause');
    appendText(editor.doc, clauseId, ' grants freedoms');
    await waitFor(() => textOf(chair.doc, clauseId)?.endsWith('freedoms'), 'chair sees edit');
    appendText(chair.doc, clauseId, ' to use');
    await waitFor(() => textOf(editor.doc, clauseId)?.endsWith('to use'), 'editor sees chair');
    await waitFor(async () => (await stored(s.definitionId)) >= 3, 'stored');
    const rest = await t.request({
      method: 'PUT',
      url: `/api/definitions/${s.definitionId}/clauses/${clauseId}`,
      as: s.second,
      payload: { text: 'Open Source AI grants freedoms to use and study' },
    });
    expect(rest.statusCode).toBe(200);

    const blame = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/blame?clause=${clauseId}`, as: s.users.observer })).json();
    expect(blame.text).toBe('Open Source AI grants freedoms to use and study');
    expect(blame.runs.map((r: { text: string }) => r.text).join('')).toBe(blame.text);
    const byAuthor = (id: string) =>
      blame.runs
        .filter((r: { author: { id: string } | null }) => r.author?.id === id)
        .map((r: { text: string }) => r.text)
        .join('');
    expect(byAuthor(s.users.chair.user.id)).toBe('Open Source AI to use');
    expect(byAuthor(s.users.editor.user.id)).toBe(' grants freedoms');
    expect(byAuthor(s.second.user.id)).toBe(' and study');
    expect(blame.runs.every((r: { at: string | null; author: unknown }) => r.at !== null && r.author !== null)).toBe(true);
    expect(blame.runs[0].author.displayName).toBe('Chair');

    const unknown = await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/blame?clause=${randomUUID()}`, as: s.users.observer });
    expect(unknown.statusCode).toBe(404);
    const outsider = await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/blame?clause=${clauseId}`, as: s.users.outsider });
    expect(outsider.statusCode).toBe(404);
  });

  it('groups a burst of edits by one author into one entry, with versions as milestones, newest first', async () => {
    const s = await setup();
    const add = (text: string, as: TestUser) => t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/clauses`, as, payload: { text } });
    const first = (await add('Training data is required.', s.users.chair)).json().id;
    await t.request({
      method: 'PUT',
      url: `/api/definitions/${s.definitionId}/clauses/${first}`,
      as: s.users.chair,
      payload: { text: 'Training data is not required.' },
    });
    await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/versions`, as: s.users.chair, payload: { label: '0.1', notes: '' } });
    const second = (await add('Code must be available.', s.users.editor)).json().id;
    await t.request({
      method: 'PUT',
      url: `/api/definitions/${s.definitionId}/clauses/${first}`,
      as: s.users.editor,
      payload: { text: 'Training data information is required.' },
    });

    const page = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/history`, as: s.users.member })).json();
    expect(page.entries.map((e: { type: string; author: { displayName: string } }) => `${e.type}:${e.author.displayName}`)).toEqual([
      'edit:Editor',
      'version:Chair',
      'edit:Chair',
    ]);
    const [editorBurst, version, chairBurst] = page.entries;
    expect(version.label).toBe('0.1');
    expect(chairBurst.updates).toBe(2);
    expect(chairBurst.clauses).toEqual([{ clauseId: first, change: 'created', changes: [{ kind: 'insert', text: 'Training data is not required.' }] }]);
    expect(editorBurst.clauses).toEqual(
      expect.arrayContaining([
        { clauseId: second, change: 'created', changes: [{ kind: 'insert', text: 'Code must be available.' }] },
        expect.objectContaining({ clauseId: first, change: 'edited' }),
      ]),
    );
    const edited = editorBurst.clauses.find((c: { clauseId: string }) => c.clauseId === first);
    const changed = edited.changes.filter((w: { kind: string }) => w.kind !== 'equal').map((w: { kind: string; text: string }) => `${w.kind}:${w.text.trim()}`);
    expect(changed.sort()).toEqual(['delete:not', 'insert:information']);

    const onlySecond = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/history?clause=${second}`, as: s.users.member })).json();
    expect(onlySecond.entries.map((e: { type: string }) => e.type)).toEqual(['edit', 'version']);
    expect(onlySecond.entries[0].clauses).toHaveLength(1);

    const paged = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/history?limit=2`, as: s.users.member })).json();
    expect(paged.entries).toHaveLength(2);
    expect(paged.nextCursor).toBe(2);
    const rest = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/history?limit=2&cursor=2`, as: s.users.member })).json();
    expect(rest).toMatchObject({ entries: [{ type: 'edit' }], nextCursor: null });
  });

  it('two people typing at once in one clause: one entry each, with only their own words', async () => {
    const s = await setup();
    const id = (
      await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/clauses`, as: s.users.chair, payload: { text: 'Code is required.' } })
    ).json().id as string;
    const editor = await connect(s.definitionId, s.users.editor);
    const second = await connect(s.definitionId, s.second);
    await waitFor(() => textOf(editor.doc, id) === 'Code is required.' && textOf(second.doc, id) === 'Code is required.', 'both see the clause');
    const prepend = (client: TestClient, text: string) => ((bodyOf(client.doc, id).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, text);
    // Interleaved, each waiting to see the other's last edit: the editor appends, the second editor prepends.
    let expected = 'Code is required.';
    for (const [word, front] of [
      ['alpha', 'One'],
      ['beta', 'Two'],
      ['gamma', 'Three'],
    ] as const) {
      appendText(editor.doc, id, ` ${word}`);
      expected = `${expected} ${word}`;
      await waitFor(() => textOf(second.doc, id) === expected, `the second editor sees ${word}`);
      prepend(second, `${front} `);
      expected = `${front} ${expected}`;
      await waitFor(() => textOf(editor.doc, id) === expected, `the editor sees ${front}`);
    }
    await waitFor(async () => (await stored(s.definitionId)) >= 7, 'stored');

    const page = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/history?clause=${id}`, as: s.users.member })).json();
    const edits = page.entries.filter((e: { type: string; author?: { displayName: string } }) => e.type === 'edit' && e.author?.displayName !== 'Chair');
    expect(edits.map((e: { author: { displayName: string } }) => e.author.displayName).sort()).toEqual(['Editor', 'Second Editor']);
    const words = (name: string) => {
      const entry = edits.find((e: { author: { displayName: string } }) => e.author.displayName === name);
      expect(entry.updates).toBe(3);
      return entry.clauses[0].changes
        .filter((w: { kind: string }) => w.kind !== 'equal')
        .map((w: { kind: string; text: string }) => `${w.kind}:${w.text.trim()}`)
        .filter((w: string) => w !== 'insert:');
    };
    expect(words('Editor')).toEqual(['insert:alpha beta gamma']);
    expect(words('Second Editor')).toEqual(['insert:Three Two One']);
  });

  it('names formatting changes: a word made bold, a paragraph made a list item', async () => {
    const s = await setup();
    const id = (
      await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/clauses`, as: s.users.chair, payload: { text: 'Code is required.' } })
    ).json().id as string;
    const editor = await connect(s.definitionId, s.users.editor);
    await waitFor(() => textOf(editor.doc, id) === 'Code is required.', 'the editor sees the clause');
    const before = await stored(s.definitionId);
    ((bodyOf(editor.doc, id).get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 4, { bold: {} });
    await waitFor(async () => (await stored(s.definitionId)) > before, 'stored');
    // Connected after: synced, it has the bold word.
    const second = await connect(s.definitionId, s.second);
    const beforeList = await stored(s.definitionId);
    // The paragraph becomes the one item of a bullet list, as the editor's list button does it.
    second.doc.transact(() => {
      const body = bodyOf(second.doc, id);
      const paragraph = body.get(0) as Y.XmlElement;
      const copy = paragraph.clone();
      body.delete(0, 1);
      const list = new Y.XmlElement('bulletList');
      const item = new Y.XmlElement('listItem');
      body.insert(0, [list]);
      list.insert(0, [item]);
      item.insert(0, [copy]);
    });
    await waitFor(async () => (await stored(s.definitionId)) > beforeList, 'stored');

    const page = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/history?clause=${id}`, as: s.users.member })).json();
    const byName = (name: string) =>
      page.entries.find((e: { type: string; author?: { displayName: string } }) => e.type === 'edit' && e.author?.displayName === name);
    expect(byName('Editor').clauses).toEqual([
      { clauseId: id, change: 'formatted', changes: [{ kind: 'equal', text: 'Code is required.' }], formatting: ['made bold: “Code”'] },
    ]);
    expect(byName('Second Editor').clauses).toEqual([expect.objectContaining({ change: 'formatted', formatting: ['became a list item'] })]);
  });

  it('never merges edits across a published version, even by the same author at once', async () => {
    const s = await setup();
    const id = (await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/clauses`, as: s.users.chair, payload: { text: 'Base' } })).json().id;
    await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/versions`, as: s.users.chair, payload: { label: '0.1', notes: '' } });
    await t.request({ method: 'PUT', url: `/api/definitions/${s.definitionId}/clauses/${id}`, as: s.users.chair, payload: { text: 'Base plus' } });
    await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/versions`, as: s.users.chair, payload: { label: '0.2', notes: '' } });
    await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/clauses/${id}/restore`, as: s.users.chair, payload: { version: '0.1' } });
    const page = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/history?clause=${id}`, as: s.users.chair })).json();
    expect(
      page.entries.map((e: { type: string; label?: string; clauses?: { change: string }[] }) => (e.type === 'version' ? e.label : e.clauses![0]!.change)),
    ).toEqual(['edited', '0.2', 'edited', '0.1', 'created']);
  });

  it('starts a new entry after a pause, even for the same author', async () => {
    const s = await setup();
    const id = (await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/clauses`, as: s.users.chair, payload: { text: 'One' } })).json().id;
    await t.request({ method: 'PUT', url: `/api/definitions/${s.definitionId}/clauses/${id}`, as: s.users.chair, payload: { text: 'One two' } });
    const rows = await t.db.selectFrom('doc_updates').select('id').where('definition_id', '=', s.definitionId).orderBy('id').execute();
    await sql`update doc_updates set created_at = now() + interval '10 minutes' where id = ${rows.at(-1)!.id}`.execute(t.db);
    const page = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/history`, as: s.users.chair })).json();
    expect(page.entries).toHaveLength(2);
    expect(page.entries[0].clauses[0].change).toBe('edited');
    expect(page.entries[1].clauses[0].change).toBe('created');
  });

  it('restores a clause from a version while someone types in it, and everyone converges', async () => {
    const s = await setup();
    const writer = await connect(s.definitionId, s.users.editor);
    const clauseId = randomUUID();
    addClause(writer.doc, clauseId, 'Freedom to use.');
    await waitFor(async () => (await stored(s.definitionId)) > 0, 'stored');
    await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/versions`, as: s.users.chair, payload: { label: '1.0', notes: '' } });
    appendText(writer.doc, clauseId, ' Vandalised');

    let typing = true;
    const typist = (async () => {
      for (let i = 0; typing && i < 200; i++) {
        appendText(writer.doc, clauseId, 'x');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const restored = await t.request({
      method: 'POST',
      url: `/api/definitions/${s.definitionId}/clauses/${clauseId}/restore`,
      as: s.users.chair,
      payload: { version: '1.0' },
    });
    typing = false;
    await typist;
    expect(restored.statusCode).toBe(200);
    expect(restored.json().text.startsWith('Freedom to use.')).toBe(true);

    const observer = await connect(s.definitionId, s.users.observer);
    await waitFor(() => textOf(observer.doc, clauseId) === textOf(writer.doc, clauseId), 'the writer and a fresh reader to agree', 10_000);
    await waitFor(async () => {
      const detail = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}`, as: s.users.member })).json();
      return detail.clauses[0]?.text === textOf(writer.doc, clauseId);
    }, 'the stored text to agree');
    expect(textOf(writer.doc, clauseId)).not.toContain('Vandalised');
  });

  it('resets a whole definition to a version: order, texts, removed and added clauses', async () => {
    const s = await setup();
    const add = async (text: string) =>
      (await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/clauses`, as: s.users.editor, payload: { text } })).json().id as string;
    const a = await add('A');
    const b = await add('B');
    const c = await add('C');
    await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/versions`, as: s.users.chair, payload: { label: '1.0', notes: '' } });
    await t.request({ method: 'PUT', url: `/api/definitions/${s.definitionId}/clauses/${a}`, as: s.users.editor, payload: { text: 'A changed' } });
    await add('D');
    await editText({ db: t.db, registry: t.app.registry }, { id: s.definitionId, group_id: s.groupId }, async (_tx, text) => {
      text.deleteClause(s.users.editor.user.id, b);
      text.moveClause(s.users.editor.user.id, c, 0);
    });

    for (const who of ['editor', 'member'] as const) {
      const denied = await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/restore`, as: s.users[who], payload: { version: '1.0' } });
      expect(denied.statusCode, who).toBe(403);
    }
    const reset = await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/restore`, as: s.users.chair, payload: { version: '1.0' } });
    expect(reset.statusCode).toBe(204);
    const detail = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}`, as: s.users.member })).json();
    expect(detail.clauses.map((x: { id: string; text: string }) => [x.id, x.text])).toEqual([
      [a, 'A'],
      [b, 'B'],
      [c, 'C'],
    ]);
    const diff = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/diff?from=1.0&to=current`, as: s.users.member })).json();
    expect(diff.summary).toEqual({ added: 0, removed: 0, moved: 0, modified: 0, unchanged: 3 });
    const events = (await t.request({ method: 'GET', url: `/api/groups/${s.slug}/events?limit=1`, as: s.users.chair })).json().events;
    expect(events[0]).toMatchObject({ type: 'definition.restored', payload: { label: '1.0' } });
    const missing = await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/restore`, as: s.users.chair, payload: { version: '9.9' } });
    expect(missing.statusCode).toBe(404);
  });
});

import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.ts';
import { appendText, connectClient, synced, textOf, waitFor, type TestClient } from '../../test/support/collab.ts';

describe('amendments', () => {
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
    const definitionId = (
      await t.request({ method: 'POST', url: `/api/groups/${group.slug}/definitions`, as: group.users.chair, payload: { slug: 'osaid', title: 'OSAID' } })
    ).json().id as string;
    const clauseId = (
      await t.request({
        method: 'POST',
        url: `/api/definitions/${definitionId}/clauses`,
        as: group.users.editor,
        payload: { text: 'Training data is required.' },
      })
    ).json().id as string;
    const propose = (as = group.users.member, text = 'Training data information is required.') =>
      t.request({
        method: 'POST',
        url: `/api/definitions/${definitionId}/amendments`,
        as,
        payload: { clauseId, text, rationale: 'Data itself cannot always be shared.' },
      });
    return { ...group, definitionId, clauseId, propose };
  }

  it('records a suggestion against the text it started from: after a change meanwhile it is flagged, and a batch will not apply it', async () => {
    const s = await setup();
    const doc = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
    const suggest = (base: object) =>
      t.request({
        method: 'POST',
        url: `/api/definitions/${s.definitionId}/amendments`,
        as: s.users.member,
        payload: { clauseId: s.clauseId, content: doc('Training data information is required.'), baseContent: base, rationale: '' },
      });

    // Started from the text as it reads: nothing to flag.
    const fresh = await suggest(doc('Training data is required.'));
    expect(fresh.statusCode).toBe(201);
    expect(fresh.json()).toMatchObject({ baseText: 'Training data is required.', stale: false });

    // Someone changed the clause while the member was writing: the suggestion was written for the older
    // text, and says so — its diff against the clause now would otherwise read as removing "strongly".
    const changed = await t.request({
      method: 'PUT',
      url: `/api/definitions/${s.definitionId}/clauses/${s.clauseId}`,
      as: s.users.editor,
      payload: { text: 'Training data is strongly required.' },
    });
    expect(changed.statusCode).toBe(200);
    const late = await suggest(doc('Training data is required.'));
    expect(late.statusCode).toBe(201);
    expect(late.json()).toMatchObject({ baseText: 'Training data is required.', currentText: 'Training data is strongly required.', stale: true });
    const batch = await t.request({
      method: 'POST',
      url: `/api/definitions/${s.definitionId}/amendments/decide`,
      as: s.users.chair,
      payload: { action: 'accept', ids: [late.json().id] },
    });
    expect(batch.statusCode).toBe(409);
    expect(batch.json().error.message).toContain('changed since a suggestion on it was made');

    // A base that does not fit the clause schema is refused, naming the field, and nothing is written.
    const before = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/amendments`, as: s.users.member })).json().amendments.length;
    const bad = await suggest({ type: 'doc', content: [{ type: 'script', content: [] }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'invalid_input', details: [{ path: '/baseContent' }] });
    const after = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/amendments`, as: s.users.member })).json().amendments.length;
    expect(after).toBe(before);
  });

  it('records a proposal against the current text and shows it as a word diff', async () => {
    const s = await setup();
    const response = await s.propose();
    expect(response.statusCode).toBe(201);
    const amendment = response.json();
    expect(amendment).toMatchObject({
      clauseId: s.clauseId,
      status: 'proposed',
      baseText: 'Training data is required.',
      proposedText: 'Training data information is required.',
      currentText: 'Training data is required.',
      stale: false,
      author: { id: s.users.member.user.id },
      allowedActions: ['withdraw'],
    });
    expect(amendment.changes.filter((c: { kind: string }) => c.kind === 'insert').map((c: { text: string }) => c.text.trim())).toEqual(['information']);
    const asEditor = (await t.request({ method: 'GET', url: `/api/amendments/${amendment.id}`, as: s.users.editor })).json();
    expect(asEditor.allowedActions).toEqual(['accept', 'reject']);

    await t.request({
      method: 'PUT',
      url: `/api/definitions/${s.definitionId}/clauses/${s.clauseId}`,
      as: s.users.editor,
      payload: { text: 'Training data is strongly required.' },
    });
    const list = await waitFor(async () => {
      const body = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/amendments`, as: s.users.observer })).json();
      return body.amendments[0]?.stale === true && body;
    }, 'the stale flag');
    expect(list.amendments[0]).toMatchObject({ currentText: 'Training data is strongly required.', baseText: 'Training data is required.' });
  });

  it('accepting applies the text live, attributed to the proposer, with the acceptor recorded', async () => {
    const s = await setup();
    const watcher = connectClient(base, s.definitionId, s.users.observer.cookie);
    clients.push(watcher);
    await synced(watcher);
    const amendment = (await s.propose()).json();
    const accepted = await t.request({ method: 'POST', url: `/api/amendments/${amendment.id}/accept`, as: s.users.editor });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({
      status: 'accepted',
      decidedBy: { id: s.users.editor.user.id },
      currentText: 'Training data information is required.',
      allowedActions: [],
    });
    await waitFor(() => textOf(watcher.doc, s.clauseId) === 'Training data information is required.', 'the watcher to see the accepted text');

    const rows = await t.db.selectFrom('doc_updates').select(['user_id']).where('definition_id', '=', s.definitionId).orderBy('id').execute();
    expect(rows.at(-1)!.user_id).toBe(s.users.member.user.id);
    const blame = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/blame?clause=${s.clauseId}`, as: s.users.chair })).json();
    const textBy = (id: string) =>
      blame.runs
        .filter((r: { author: { id: string } }) => r.author?.id === id)
        .map((r: { text: string }) => r.text)
        .join('');
    // The minimal change may split the insertion differently ("nformation i"), but the proposer wrote
    // exactly the inserted characters and the editor's original text is untouched.
    expect(textBy(s.users.member.user.id)).toHaveLength('information '.length);
    expect(textBy(s.users.editor.user.id)).toBe('Training data is required.');

    const again = await t.request({ method: 'POST', url: `/api/amendments/${amendment.id}/accept`, as: s.users.chair });
    expect(again.statusCode).toBe(409);
    const events = (await t.request({ method: 'GET', url: `/api/groups/${s.slug}/events?limit=2`, as: s.users.chair })).json().events;
    expect(events.map((e: { type: string }) => e.type)).toEqual(['amendment.accepted', 'amendment.proposed']);
  });

  it('accepting while someone types in the same clause converges for everyone', async () => {
    const s = await setup();
    const typist = connectClient(base, s.definitionId, s.users.chair.cookie);
    clients.push(typist);
    await synced(typist);
    await waitFor(() => textOf(typist.doc, s.clauseId), 'clause');
    const amendment = (await s.propose()).json();
    let typing = true;
    const typingDone = (async () => {
      for (let i = 0; typing && i < 200; i++) {
        appendText(typist.doc, s.clauseId, '!');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    expect((await t.request({ method: 'POST', url: `/api/amendments/${amendment.id}/accept`, as: s.users.editor })).statusCode).toBe(200);
    typing = false;
    await typingDone;
    const reader = connectClient(base, s.definitionId, s.users.member.cookie);
    clients.push(reader);
    await synced(reader);
    await waitFor(() => textOf(reader.doc, s.clauseId) === textOf(typist.doc, s.clauseId), 'convergence');
    // Concurrent typing may land inside the inserted words; what matters is that nothing is lost.
    const final = textOf(reader.doc, s.clauseId)!;
    expect(final.replaceAll('!', '')).toBe('Training data information is required.');
    await waitFor(async () => {
      const detail = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}`, as: s.users.chair })).json();
      return detail.clauses[0].text === final;
    }, 'the stored text to match');
  });

  it('rejects with a reason, lets only the author withdraw, and refuses decisions twice', async () => {
    const s = await setup();
    const first = (await s.propose()).json();
    expect((await t.request({ method: 'POST', url: `/api/amendments/${first.id}/reject`, as: s.users.editor, payload: {} })).statusCode).toBe(400);
    expect((await t.request({ method: 'POST', url: `/api/amendments/${first.id}/reject`, as: s.users.member, payload: { reason: 'mine' } })).statusCode).toBe(
      403,
    );
    const rejected = await t.request({
      method: 'POST',
      url: `/api/amendments/${first.id}/reject`,
      as: s.users.chair,
      payload: { reason: 'Out of scope for 1.0' },
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected', decisionReason: 'Out of scope for 1.0' });
    expect((await t.request({ method: 'POST', url: `/api/amendments/${first.id}/withdraw`, as: s.users.member })).statusCode).toBe(409);

    const second = (await s.propose(s.users.member, 'Another wording.')).json();
    expect((await t.request({ method: 'POST', url: `/api/amendments/${second.id}/withdraw`, as: s.users.editor })).statusCode).toBe(403);
    const withdrawn = await t.request({ method: 'POST', url: `/api/amendments/${second.id}/withdraw`, as: s.users.member });
    expect(withdrawn.json().status).toBe('withdrawn');
    expect((await t.request({ method: 'POST', url: `/api/amendments/${second.id}/accept`, as: s.users.chair })).statusCode).toBe(409);
    const text = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}`, as: s.users.chair })).json().clauses[0].text;
    expect(text).toBe('Training data is required.');
    const filtered = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/amendments?status=withdrawn`, as: s.users.chair })).json();
    expect(filtered.amendments.map((a: { id: string }) => a.id)).toEqual([second.id]);
  });

  it('follows the roles: observers cannot propose, outsiders see nothing, bad input changes nothing', async () => {
    const s = await setup();
    expect((await s.propose(s.users.observer)).statusCode).toBe(403);
    expect((await s.propose(s.users.outsider)).statusCode).toBe(404);
    const amendment = (await s.propose()).json();
    expect((await t.request({ method: 'GET', url: `/api/amendments/${amendment.id}`, as: s.users.outsider })).statusCode).toBe(404);
    expect((await t.request({ method: 'POST', url: `/api/amendments/${amendment.id}/accept`, as: s.users.observer })).statusCode).toBe(403);
    for (const payload of [
      { clauseId: randomUUID(), text: 'x', rationale: '' },
      { clauseId: s.clauseId, rationale: '', content: { type: 'doc', content: [{ type: 'image' }] } },
      { clauseId: s.clauseId, text: 'x' },
      { clauseId: 'nope', text: 'x', rationale: '' },
    ]) {
      const response = await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/amendments`, as: s.users.member, payload });
      expect([400, 404]).toContain(response.statusCode);
    }
    const all = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/amendments`, as: s.users.chair })).json();
    expect(all.amendments).toHaveLength(1);
  });
});

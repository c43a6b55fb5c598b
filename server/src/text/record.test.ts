import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type * as Y from 'yjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestApp, type TestUser } from '../../test/support/app.ts';
import { addClause, appendText, bodyOf, connectClient, synced, textOf, waitFor, type TestClient } from '../../test/support/collab.ts';

/**
 * What the record says about the text — ballots, amendments, restores, the clause API — is the
 * committed text at that moment, and a text change commits together with its record or not at all.
 */
describe('the record of the text', () => {
  const t = useTestApp({ COLLAB_FLUSH_MS: '0' });
  let base: string;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });

  const connect = (definitionId: string, user: TestUser) => {
    const client = connectClient(base, definitionId, user.cookie);
    clients.push(client);
    return client;
  };

  async function setup() {
    const group = await t.groupWithRoles();
    const definitionId = (
      await t.request({ method: 'POST', url: `/api/groups/${group.slug}/definitions`, as: group.users.chair, payload: { slug: 'osaid', title: 'OSAID' } })
    ).json().id as string;
    return { ...group, definitionId };
  }

  const ballotRules = {
    kind: 'binding',
    eligibleRoles: ['chair', 'editor', 'member'],
    quorum: 0.5,
    threshold: 0.5,
    blockingObjectionFails: false,
    secret: false,
    resultsVisibility: 'after_close',
    closesAt: new Date(Date.now() + 3_600_000).toISOString(),
  };

  it('ballots, the definition and amendments read the text every client already has, at once', async () => {
    const s = await setup();
    const editor = connect(s.definitionId, s.users.editor);
    const watcher = connect(s.definitionId, s.users.observer);
    await Promise.all([synced(editor), synced(watcher)]);
    const clauseId = randomUUID();
    addClause(editor.doc, clauseId, 'Training data is required.');
    await waitFor(() => textOf(watcher.doc, clauseId) === 'Training data is required.', 'the clause at the watcher');
    const ballot = (
      await t.request({
        method: 'POST',
        url: `/api/definitions/${s.definitionId}/ballots`,
        as: s.users.chair,
        payload: { title: 'Required?', subject: { kind: 'clause', clauseId }, rules: ballotRules },
      })
    ).json();
    const amendment = (
      await t.request({
        method: 'POST',
        url: `/api/definitions/${s.definitionId}/amendments`,
        as: s.users.member,
        payload: { clauseId, text: 'Training data is optional.', rationale: 'r' },
      })
    ).json();
    expect(amendment).toMatchObject({ baseText: 'Training data is required.', stale: false });

    // An edit every client has received: whatever is read right after must include it.
    appendText(editor.doc, clauseId, ' Always.');
    await waitFor(() => textOf(watcher.doc, clauseId) === 'Training data is required. Always.', 'the edit at the watcher');
    const opened = (await t.request({ method: 'POST', url: `/api/ballots/${ballot.id}/open`, as: s.users.chair })).json();
    expect(opened.subjectText).toBe('Training data is required. Always.');
    const detail = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}`, as: s.users.member })).json();
    expect(detail.clauses.map((c: { text: string }) => c.text)).toEqual(['Training data is required. Always.']);
    const read = (await t.request({ method: 'GET', url: `/api/amendments/${amendment.id}`, as: s.users.member })).json();
    expect(read).toMatchObject({ currentText: 'Training data is required. Always.', stale: true });

    // A vote records the text the voter saw, and closing right after another edit records that one.
    const voted = (await t.request({ method: 'PUT', url: `/api/ballots/${ballot.id}/vote`, as: s.users.member, payload: { position: 'yes' } })).json();
    expect(voted.myVote.textSeen).toBe('Training data is required. Always.');
    appendText(editor.doc, clauseId, ' Really.');
    await waitFor(() => textOf(watcher.doc, clauseId)?.endsWith('Really.'), 'the second edit at the watcher');
    const closed = (await t.request({ method: 'POST', url: `/api/ballots/${ballot.id}/close`, as: s.users.chair })).json();
    expect(closed).toMatchObject({ finalText: 'Training data is required. Always. Really.', textChanged: true });
    expect(closed.votes.map((v: { outdated: boolean }) => v.outdated)).toEqual([true]);
  });

  it('accepts an amendment word by word: other authors keep their words, the proposer gets whole words, formatting survives', async () => {
    const s = await setup();
    const inserted = await t.request({
      method: 'POST',
      url: `/api/definitions/${s.definitionId}/clauses`,
      as: s.users.editor,
      payload: {
        content: {
          type: 'doc',
          content: [
            {
              type: 'paragraph',
              content: [
                { type: 'text', text: 'Anyone may ' },
                { type: 'text', text: 'study', marks: [{ type: 'bold' }] },
                { type: 'text', text: ' the system.' },
              ],
            },
          ],
        },
      },
    });
    const clauseId = inserted.json().id as string;
    const proposal = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'All may ' },
            { type: 'text', text: 'study', marks: [{ type: 'bold' }] },
            { type: 'text', text: ' and ' },
            { type: 'text', text: 'modify', marks: [{ type: 'italic' }] },
            { type: 'text', text: ' the system.' },
          ],
        },
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'including its weights' }] }] }] },
      ],
    };
    const amendment = (
      await t.request({
        method: 'POST',
        url: `/api/definitions/${s.definitionId}/amendments`,
        as: s.users.member,
        payload: { clauseId, content: proposal, rationale: 'wider' },
      })
    ).json();
    expect(amendment.proposedMarkdown).toBe('All may **study** and *modify* the system.\n\n* including its weights');
    const accepted = await t.request({ method: 'POST', url: `/api/amendments/${amendment.id}/accept`, as: s.users.chair });
    expect(accepted.statusCode).toBe(200);

    const detail = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}`, as: s.users.member })).json();
    expect(detail.clauses[0].markdown).toBe('All may **study** and *modify* the system.\n\n* including its weights');
    const blame = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/blame?clause=${clauseId}`, as: s.users.member })).json();
    const byAuthor = blame.runs.map((run: { text: string; author: { id: string } | null }) => [
      run.text,
      run.author?.id === s.users.member.user.id ? 'member' : run.author?.id === s.users.editor.user.id ? 'editor' : null,
    ]);
    expect(byAuthor).toEqual([
      ['All', 'member'],
      [' may study ', 'editor'],
      ['and modify ', 'member'],
      ['the system.', 'editor'],
      ['\n\n', null],
      ['including its weights', 'member'],
    ]);
  });

  it('commits a text change and its audit event together, or neither', async () => {
    const s = await setup();
    const watcher = connect(s.definitionId, s.users.observer);
    await synced(watcher);
    const clauseId = (
      await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/clauses`, as: s.users.editor, payload: { text: 'Original wording.' } })
    ).json().id as string;
    await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/versions`, as: s.users.chair, payload: { label: '1.0', notes: '' } });
    await t.request({ method: 'PUT', url: `/api/definitions/${s.definitionId}/clauses/${clauseId}`, as: s.users.editor, payload: { text: 'Second wording.' } });
    const amendment = (
      await t.request({
        method: 'POST',
        url: `/api/definitions/${s.definitionId}/amendments`,
        as: s.users.member,
        payload: { clauseId, text: 'Proposed wording.', rationale: 'r' },
      })
    ).json();
    await waitFor(() => textOf(watcher.doc, clauseId) === 'Second wording.', 'the watcher to have the text');
    const rowsBefore = await t.db
      .selectFrom('doc_updates')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('definition_id', '=', s.definitionId)
      .executeTakeFirstOrThrow();

    // The audit log refuses these events (as a full disk or a broken constraint would).
    await sql`create or replace function refuse_text_events() returns trigger language plpgsql as $$
      begin
        if new.type in ('amendment.accepted', 'clause.restored', 'definition.restored') then raise exception 'audit log unavailable'; end if;
        return new;
      end $$`.execute(t.db);
    await sql`create trigger refuse_text_events before insert on events for each row execute function refuse_text_events()`.execute(t.db);
    try {
      const accept = await t.request({ method: 'POST', url: `/api/amendments/${amendment.id}/accept`, as: s.users.chair });
      expect(accept.statusCode).toBe(500);
      const restoreClause = await t.request({
        method: 'POST',
        url: `/api/definitions/${s.definitionId}/clauses/${clauseId}/restore`,
        as: s.users.editor,
        payload: { version: '1.0' },
      });
      expect(restoreClause.statusCode).toBe(500);
      const restoreAll = await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/restore`, as: s.users.chair, payload: { version: '1.0' } });
      expect(restoreAll.statusCode).toBe(500);
    } finally {
      await sql`drop trigger refuse_text_events on events`.execute(t.db);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(textOf(watcher.doc, clauseId)).toBe('Second wording.');
    const rowsAfter = await t.db
      .selectFrom('doc_updates')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('definition_id', '=', s.definitionId)
      .executeTakeFirstOrThrow();
    expect(rowsAfter.n).toBe(rowsBefore.n);
    expect((await t.request({ method: 'GET', url: `/api/amendments/${amendment.id}`, as: s.users.member })).json()).toMatchObject({
      status: 'proposed',
      currentText: 'Second wording.',
    });
    const detail = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}`, as: s.users.member })).json();
    expect(detail.clauses.map((c: { text: string }) => c.text)).toEqual(['Second wording.']);

    // With the audit log back, the same accept goes through and everyone sees it.
    expect((await t.request({ method: 'POST', url: `/api/amendments/${amendment.id}/accept`, as: s.users.chair })).statusCode).toBe(200);
    await waitFor(() => textOf(watcher.doc, clauseId) === 'Proposed wording.', 'the accepted text at the watcher');
  });

  it('answers every clause insert racing a restore with the clause it made, never an error', async () => {
    const s = await setup();
    const first = (
      await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/clauses`, as: s.users.editor, payload: { text: 'Kept.' } })
    ).json().id as string;
    await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/versions`, as: s.users.chair, payload: { label: '1.0', notes: '' } });
    const inserts = Array.from({ length: 40 }, (_, i) =>
      t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/clauses`, as: s.users.editor, payload: { text: `Added ${i}.` } }),
    );
    const restores = Array.from({ length: 3 }, () =>
      t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/restore`, as: s.users.chair, payload: { version: '1.0' } }),
    );
    const responses = await Promise.all(inserts);
    expect((await Promise.all(restores)).map((r) => r.statusCode)).toEqual([204, 204, 204]);
    expect(responses.map((r) => r.statusCode)).toEqual(Array(40).fill(201));
    const ids = responses.map((r) => r.json().id as string);
    expect(new Set(ids).size).toBe(40);
    for (const [i, r] of responses.entries()) expect(r.json().text).toBe(`Added ${i}.`);
    // The text holds the version's clause plus exactly the inserts that came after the last restore, once each.
    const detail = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}`, as: s.users.member })).json();
    const texts = detail.clauses.map((c: { text: string }) => c.text);
    expect(texts[0] === 'Kept.' || texts.includes('Kept.')).toBe(true);
    expect(new Set(texts).size).toBe(texts.length);
    expect(
      detail.clauses
        .map((c: { id: string }) => c.id)
        .filter((id: string) => id !== first)
        .every((id: string) => ids.includes(id)),
    ).toBe(true);
  });

  it('keeps formatting and every other word when a clause is replaced through the API', async () => {
    const s = await setup();
    const editor = connect(s.definitionId, s.users.editor);
    await synced(editor);
    const clauseId = randomUUID();
    addClause(editor.doc, clauseId, 'The freedom to study the system.');
    ((bodyOf(editor.doc, clauseId).get(0) as Y.XmlElement).get(0) as Y.XmlText).format(4, 7, { bold: {} });
    await waitFor(
      async () =>
        (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}`, as: s.users.member })).json().clauses[0]?.markdown ===
        'The **freedom** to study the system.',
      'stored',
    );
    const replaced = await t.request({
      method: 'PUT',
      url: `/api/definitions/${s.definitionId}/clauses/${clauseId}`,
      as: s.users.chair,
      payload: {
        content: {
          type: 'doc',
          content: [
            {
              type: 'paragraph',
              content: [
                { type: 'text', text: 'The ' },
                { type: 'text', text: 'freedom', marks: [{ type: 'bold' }] },
                { type: 'text', text: ' to inspect the system.' },
              ],
            },
          ],
        },
      },
    });
    expect(replaced.json().markdown).toBe('The **freedom** to inspect the system.');
    const blame = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/blame?clause=${clauseId}`, as: s.users.member })).json();
    expect(blame.runs.map((run: { text: string; author: { id: string } }) => [run.text, run.author.id === s.users.chair.user.id ? 'chair' : 'editor'])).toEqual(
      [
        ['The freedom to ', 'editor'],
        ['inspect', 'chair'],
        [' the system.', 'editor'],
      ],
    );
  });
});

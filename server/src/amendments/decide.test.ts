import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestApp, type TestUser } from '../../test/support/app.ts';

/** "Accept all" / "Reject all": several suggestions decided at once, all or nothing. */
describe('deciding suggestions in a batch', () => {
  const t = useTestApp();

  async function setup() {
    const group = await t.groupWithRoles();
    const definitionId = (
      await t.request({ method: 'POST', url: `/api/groups/${group.slug}/definitions`, as: group.users.chair, payload: { slug: 'osaid', title: 'OSAID' } })
    ).json().id as string;
    const clause = async (text: string) =>
      (await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/clauses`, as: group.users.editor, payload: { text } })).json().id as string;
    const first = await clause('Training data is required.');
    const second = await clause('Code is required.');
    const propose = async (clauseId: string, text: string, as: TestUser = group.users.member) => {
      const response = await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/amendments`, as, payload: { clauseId, text, rationale: '' } });
      expect(response.statusCode, response.body).toBe(201);
      return response.json().id as string;
    };
    const decide = (payload: object, as: TestUser = group.users.chair) =>
      t.request({ method: 'POST', url: `/api/definitions/${definitionId}/amendments/decide`, as, payload });
    const texts = async () =>
      ((await t.request({ method: 'GET', url: `/api/definitions/${definitionId}`, as: group.users.chair })).json().clauses as { text: string }[]).map(
        (c) => c.text,
      );
    const statuses = async (ids: string[]) => {
      const list = (await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/amendments`, as: group.users.chair })).json().amendments as {
        id: string;
        status: string;
      }[];
      return ids.map((id) => list.find((a) => a.id === id)?.status);
    };
    const events = async () =>
      (
        (await t.request({ method: 'GET', url: `/api/groups/${group.slug}/events?limit=100`, as: group.users.chair })).json().events as { type: string }[]
      ).filter((e) => e.type.startsWith('amendment.')).length;
    return { ...group, definitionId, first, second, propose, decide, texts, statuses, events };
  }

  it('accepts suggestions on several clauses at once: every text changes, each decision is recorded and its author told', async () => {
    const s = await setup();
    const a = await s.propose(s.first, 'Training data information is required.');
    const b = await s.propose(s.second, 'Source code is required.', s.users.editor);
    const before = await s.events();
    const response = await s.decide({ action: 'accept', ids: [a, b] });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().amendments.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual(
      expect.arrayContaining([
        [a, 'accepted'],
        [b, 'accepted'],
      ]),
    );
    expect(await s.texts()).toEqual(['Training data information is required.', 'Source code is required.']);
    expect((await s.events()) - before).toBe(2);
    const inbox = (await t.request({ method: 'GET', url: '/api/notifications', as: s.users.member })).json().notifications as { kind: string }[];
    expect(inbox.filter((n) => n.kind === 'amendment_accepted')).toHaveLength(1);
  });

  it('refuses the whole batch when two suggestions change one clause (the second would undo the first): nothing decided, text unchanged', async () => {
    const s = await setup();
    const a = await s.propose(s.first, 'Training data information is required.');
    const b = await s.propose(s.first, 'Training data is optional.');
    const c = await s.propose(s.second, 'Source code is required.');
    const before = await s.events();
    const response = await s.decide({ action: 'accept', ids: [c, a, b] });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({ code: 'conflict', message: expect.stringContaining('Clause 1 changed since a suggestion on it was made') });
    expect(await s.statuses([a, b, c])).toEqual(['proposed', 'proposed', 'proposed']);
    expect(await s.texts()).toEqual(['Training data is required.', 'Code is required.']);
    expect(await s.events()).toBe(before);
  });

  it('rejects all with one reason; without a reason it refuses', async () => {
    const s = await setup();
    const a = await s.propose(s.first, 'Training data information is required.');
    const b = await s.propose(s.second, 'Source code is required.');
    for (const payload of [
      { action: 'reject', ids: [a, b] },
      { action: 'reject', ids: [a, b], reason: '   ' },
    ]) {
      const refused = await s.decide(payload);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.code).toBe('invalid_input');
    }
    expect(await s.statuses([a, b])).toEqual(['proposed', 'proposed']);
    const rejected = await s.decide({ action: 'reject', ids: [a, b], reason: 'Out of scope for 1.0' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(await s.statuses([a, b])).toEqual(['rejected', 'rejected']);
    expect(await s.texts()).toEqual(['Training data is required.', 'Code is required.']);
  });

  it('out of order or unknown: an already decided suggestion, or one of another definition, refuses the batch and decides nothing', async () => {
    const s = await setup();
    const a = await s.propose(s.first, 'Training data information is required.');
    const b = await s.propose(s.second, 'Source code is required.');
    expect((await t.request({ method: 'POST', url: `/api/amendments/${a}/withdraw`, as: s.users.member })).statusCode).toBe(200);
    const conflict = await s.decide({ action: 'accept', ids: [b, a] });
    expect(conflict.statusCode).toBe(409);
    expect(await s.statuses([a, b])).toEqual(['withdrawn', 'proposed']);

    const other = await setup();
    const foreign = await other.propose(other.first, 'Elsewhere.');
    for (const ids of [
      [b, foreign],
      [b, randomUUID()],
    ]) {
      const missing = await s.decide({ action: 'accept', ids });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.code).toBe('not_found');
    }
    expect(await s.statuses([b])).toEqual(['proposed']);
    expect(await other.statuses([foreign])).toEqual(['proposed']);
  });

  it('refuses malformed and oversized batches with the standard body, and anyone but chairs and editors', async () => {
    const s = await setup();
    const a = await s.propose(s.first, 'Training data information is required.');
    for (const payload of [
      {},
      { action: 'accept', ids: [] },
      { action: 'accept', ids: [a, a] },
      { action: 'accept', ids: ['not-a-uuid'] },
      { action: 'approve', ids: [a] },
      { action: 'accept', ids: Array.from({ length: 101 }, () => randomUUID()) },
      { action: 'accept', ids: [a], extra: true },
      { action: 'reject', ids: [a], reason: 'x'.repeat(20_001) },
    ]) {
      const response = await s.decide(payload);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(response.json()).toEqual({ error: expect.objectContaining({ code: 'invalid_input', message: expect.any(String) }) });
    }
    for (const who of ['member', 'observer'] as const) {
      const response = await s.decide({ action: 'accept', ids: [a] }, s.users[who]);
      expect(response.statusCode).toBe(403);
    }
    expect(await s.statuses([a])).toEqual(['proposed']);
    // An editor may.
    expect((await s.decide({ action: 'accept', ids: [a] }, s.users.editor)).statusCode).toBe(200);
  });
});

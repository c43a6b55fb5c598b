import { describe, expect, it } from 'vitest';
import { uniqueSlug, useTestApp } from '../../test/support/app.ts';

describe('definitions', () => {
  const t = useTestApp();

  async function setup(visibility: 'public' | 'private' = 'private') {
    const group = await t.groupWithRoles(visibility);
    const created = await t.request({
      method: 'POST',
      url: `/api/groups/${group.slug}/definitions`,
      as: group.users.editor,
      payload: { slug: 'osaid', title: 'The Open Source AI Definition' },
    });
    expect(created.statusCode).toBe(201);
    return { ...group, definition: created.json() };
  }

  it('an editor starts a definition in drafting status; it is listed and recorded', async () => {
    const { slug, users, definition } = await setup();
    expect(definition).toMatchObject({ slug: 'osaid', title: 'The Open Source AI Definition', status: 'drafting', groupSlug: slug, myRole: 'editor' });
    expect(definition.allowedActions.sort()).toEqual(['amendment.decide', 'amendment.propose', 'definition.rename', 'draft.read', 'text.edit']);
    const asChair = (await t.request({ method: 'GET', url: `/api/definitions/${definition.id}`, as: users.chair })).json();
    expect(asChair.allowedActions.sort()).toEqual([
      'amendment.decide',
      'amendment.propose',
      'ballot.manage',
      'definition.rename',
      'definition.reset',
      'definition.setStatus',
      'draft.read',
      'text.edit',
      'version.publish',
    ]);
    const list = await t.request({ method: 'GET', url: `/api/groups/${slug}/definitions`, as: users.observer });
    expect(list.json().definitions).toEqual([expect.objectContaining({ id: definition.id, allowedActions: ['draft.read'] })]);
    const asMember = (await t.request({ method: 'GET', url: `/api/definitions/${definition.id}`, as: users.member })).json();
    expect(asMember.allowedActions.sort()).toEqual(['amendment.propose', 'draft.read']);
    const detail = await t.request({ method: 'GET', url: `/api/definitions/${definition.id}`, as: users.member });
    expect(detail.json()).toMatchObject({ id: definition.id, clauses: [] });
    const events = await t.request({ method: 'GET', url: `/api/groups/${slug}/events?limit=1`, as: users.chair });
    expect(events.json().events[0]).toMatchObject({ type: 'definition.created', payload: { definitionId: definition.id } });
  });

  it('refuses a duplicate slug within a group with 409 but allows it in another group', async () => {
    const { slug, users } = await setup();
    const again = await t.request({ method: 'POST', url: `/api/groups/${slug}/definitions`, as: users.chair, payload: { slug: 'osaid', title: 'Again' } });
    expect(again.statusCode).toBe(409);
    const other = await t.createGroup(users.chair, { slug: uniqueSlug() });
    const elsewhere = await t.request({
      method: 'POST',
      url: `/api/groups/${other}/definitions`,
      as: users.chair,
      payload: { slug: 'osaid', title: 'Elsewhere' },
    });
    expect(elsewhere.statusCode).toBe(201);
  });

  it('lets editors rename, only chairs change status, and records both', async () => {
    const { slug, users, definition } = await setup();
    const renamed = await t.request({ method: 'PATCH', url: `/api/definitions/${definition.id}`, as: users.editor, payload: { title: 'OSAID 1.0' } });
    expect(renamed.json()).toMatchObject({ title: 'OSAID 1.0', status: 'drafting' });
    const editorStatus = await t.request({ method: 'PATCH', url: `/api/definitions/${definition.id}`, as: users.editor, payload: { status: 'final' } });
    expect(editorStatus.statusCode).toBe(403);
    const mixed = await t.request({
      method: 'PATCH',
      url: `/api/definitions/${definition.id}`,
      as: users.editor,
      payload: { title: 'Sneaky', status: 'final' },
    });
    expect(mixed.statusCode).toBe(403);
    const unchanged = await t.request({ method: 'GET', url: `/api/definitions/${definition.id}`, as: users.editor });
    expect(unchanged.json()).toMatchObject({ title: 'OSAID 1.0', status: 'drafting' });
    const chairStatus = await t.request({ method: 'PATCH', url: `/api/definitions/${definition.id}`, as: users.chair, payload: { status: 'public-comment' } });
    expect(chairStatus.json().status).toBe('public-comment');
    const types = (await t.request({ method: 'GET', url: `/api/groups/${slug}/events?limit=2`, as: users.chair }))
      .json()
      .events.map((e: { type: string }) => e.type);
    expect(types).toEqual(['definition.status_changed', 'definition.renamed']);
  });

  it.each([
    ['a bad status', { status: 'published' }],
    ['an empty body', {}],
    ['an unknown field', { title: 'x', owner: 'me' }],
    ['a blank title', { title: '  ' }],
  ])('rejects %s with 400', async (_label, payload) => {
    const { users, definition } = await setup();
    const response = await t.request({ method: 'PATCH', url: `/api/definitions/${definition.id}`, as: users.chair, payload });
    expect(response.statusCode).toBe(400);
  });

  it('answers unknown and malformed ids with 404 and 400', async () => {
    const { users } = await setup();
    expect((await t.request({ method: 'GET', url: '/api/definitions/00000000-0000-4000-8000-000000000000', as: users.chair })).statusCode).toBe(404);
    expect((await t.request({ method: 'GET', url: '/api/definitions/osaid', as: users.chair })).statusCode).toBe(400);
  });
});

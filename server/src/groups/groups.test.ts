import { describe, expect, it } from 'vitest';
import { uniqueSlug, useTestApp } from '../../test/support/app.ts';

describe('working groups', () => {
  const t = useTestApp();

  const eventsOf = (slug: string) =>
    t.db
      .selectFrom('events')
      .innerJoin('groups', 'groups.id', 'events.group_id')
      .select(['events.type', 'events.payload', 'events.seq'])
      .where('groups.slug', '=', slug)
      .orderBy('events.seq')
      .execute();

  it('creates a group whose creator is its only chair, and records it', async () => {
    const ada = await t.register('Ada');
    const slug = uniqueSlug('osaid');
    const response = await t.request({
      method: 'POST',
      url: '/api/groups',
      as: ada,
      payload: { slug, name: '  Open Source AI  ', charter: 'Define it.', visibility: 'public' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      slug,
      name: 'Open Source AI',
      charter: 'Define it.',
      visibility: 'public',
      myRole: 'chair',
      memberCount: 1,
    });
    expect(response.json().allowedActions).toContain('members.manage');
    const members = await t.request({ method: 'GET', url: `/api/groups/${slug}/members`, as: ada });
    expect(members.json().members).toEqual([expect.objectContaining({ userId: ada.user.id, role: 'chair' })]);
    expect((await eventsOf(slug)).map((e) => e.type)).toEqual(['group.created']);
  });

  it('defaults to private', async () => {
    const ada = await t.register('Ada');
    const slug = await t.createGroup(ada, { slug: uniqueSlug() });
    const response = await t.request({ method: 'GET', url: `/api/groups/${slug}`, as: ada });
    expect(response.json().visibility).toBe('private');
  });

  it.each([
    ['upper case', 'Open-AI'],
    ['too short', 'ab'],
    ['a leading hyphen', '-abc'],
    ['a trailing hyphen', 'abc-'],
    ['spaces', 'open ai'],
    ['too long', 'a'.repeat(41)],
    ['a reserved word', 'admin'],
  ])('rejects a slug with %s', async (_label, slug) => {
    const ada = await t.register('Ada');
    const response = await t.request({ method: 'POST', url: '/api/groups', as: ada, payload: { slug, name: 'X' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toContainEqual(expect.objectContaining({ path: '/slug' }));
    expect(await t.db.selectFrom('groups').select('id').where('slug', '=', slug).executeTakeFirst()).toBeUndefined();
  });

  it('refuses a duplicate slug with 409 and leaves the first group untouched', async () => {
    const ada = await t.register('Ada');
    const bob = await t.register('Bob');
    const slug = await t.createGroup(ada);
    const response = await t.request({ method: 'POST', url: '/api/groups', as: bob, payload: { slug, name: 'Hijack' } });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({ code: 'conflict', details: [{ path: '/slug' }] });
    const group = await t.request({ method: 'GET', url: `/api/groups/${slug}`, as: ada });
    expect(group.json()).toMatchObject({ name: `Group ${slug}`, memberCount: 1 });
  });

  it('hides a private group from outsiders and anonymous users with 404, and shows a public one', async () => {
    const ada = await t.register('Ada');
    const eve = await t.register('Eve');
    const hidden = await t.createGroup(ada, { visibility: 'private' });
    const open = await t.createGroup(ada, { visibility: 'public' });
    for (const as of [eve, null]) {
      const response = await t.request({ method: 'GET', url: `/api/groups/${hidden}`, as });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('not_found');
      expect((await t.request({ method: 'GET', url: `/api/groups/${open}`, as })).json()).toMatchObject({ myRole: null, allowedActions: [] });
    }
    const unknown = await t.request({ method: 'GET', url: '/api/groups/no-such-group', as: eve });
    expect(unknown.json()).toEqual((await t.request({ method: 'GET', url: `/api/groups/${hidden}`, as: eve })).json());

    const listed = (await t.request({ method: 'GET', url: '/api/groups', as: eve })).json().groups.map((g: { slug: string }) => g.slug);
    expect(listed).toContain(open);
    expect(listed).not.toContain(hidden);
    const mine = (await t.request({ method: 'GET', url: '/api/groups', as: ada })).json().groups;
    expect(mine.map((g: { slug: string }) => g.slug)).toEqual(expect.arrayContaining([hidden, open]));
  });

  it('lets the chair change name, charter and visibility, and records what changed', async () => {
    const ada = await t.register('Ada');
    const slug = await t.createGroup(ada);
    const response = await t.request({
      method: 'PATCH',
      url: `/api/groups/${slug}`,
      as: ada,
      payload: { name: 'Renamed', visibility: 'public' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ name: 'Renamed', visibility: 'public', charter: '' });
    const events = await eventsOf(slug);
    expect(events.at(-1)).toMatchObject({ type: 'group.updated', payload: { changes: { name: 'Renamed', visibility: 'public' } } });
    const empty = await t.request({ method: 'PATCH', url: `/api/groups/${slug}`, as: ada, payload: {} });
    expect(empty.statusCode).toBe(400);
  });

  describe('members', () => {
    it('adds a registered user by email, in any case, with a role', async () => {
      const ada = await t.register('Ada');
      const bob = await t.register('Bob');
      const slug = await t.createGroup(ada);
      const response = await t.request({
        method: 'POST',
        url: `/api/groups/${slug}/members`,
        as: ada,
        payload: { email: ` ${bob.email.toUpperCase()} `, role: 'editor' },
      });
      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({ userId: bob.user.id, role: 'editor', displayName: 'Bob' });
      const group = await t.request({ method: 'GET', url: `/api/groups/${slug}`, as: bob });
      expect(group.json()).toMatchObject({ myRole: 'editor', memberCount: 2 });
      expect((await eventsOf(slug)).at(-1)).toMatchObject({ type: 'member.added', payload: { userId: bob.user.id, role: 'editor' } });
    });

    it('answers an unknown email with 404 and an existing member with 409, writing nothing', async () => {
      const ada = await t.register('Ada');
      const bob = await t.register('Bob');
      const slug = await t.createGroup(ada);
      const unknown = await t.request({
        method: 'POST',
        url: `/api/groups/${slug}/members`,
        as: ada,
        payload: { email: 'nobody@example.org', role: 'member' },
      });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.details).toEqual([{ path: '/email', message: 'has no account' }]);
      await t.request({ method: 'POST', url: `/api/groups/${slug}/members`, as: ada, payload: { email: bob.email, role: 'member' } });
      const before = await eventsOf(slug);
      const again = await t.request({ method: 'POST', url: `/api/groups/${slug}/members`, as: ada, payload: { email: bob.email, role: 'chair' } });
      expect(again.statusCode).toBe(409);
      expect(await eventsOf(slug)).toEqual(before);
      const members = (await t.request({ method: 'GET', url: `/api/groups/${slug}/members`, as: ada })).json().members;
      expect(members.find((m: { userId: string }) => m.userId === bob.user.id).role).toBe('member');
    });

    it('rejects an unknown role, a bad user id and unknown fields', async () => {
      const { slug, users } = await t.groupWithRoles();
      const badRole = await t.request({
        method: 'PATCH',
        url: `/api/groups/${slug}/members/${users.member.user.id}`,
        as: users.chair,
        payload: { role: 'king' },
      });
      expect(badRole.statusCode).toBe(400);
      const badId = await t.request({ method: 'PATCH', url: `/api/groups/${slug}/members/not-a-uuid`, as: users.chair, payload: { role: 'editor' } });
      expect(badId.statusCode).toBe(400);
      expect(badId.json().error.details[0].path).toBe('/params/userId');
      const extra = await t.request({
        method: 'PATCH',
        url: `/api/groups/${slug}/members/${users.member.user.id}`,
        as: users.chair,
        payload: { role: 'editor', admin: true },
      });
      expect(extra.statusCode).toBe(400);
      const stranger = await t.request({
        method: 'PATCH',
        url: `/api/groups/${slug}/members/${users.outsider.user.id}`,
        as: users.chair,
        payload: { role: 'editor' },
      });
      expect(stranger.statusCode).toBe(404);
    });

    it('changes a role and records from/to', async () => {
      const { slug, users } = await t.groupWithRoles();
      const response = await t.request({
        method: 'PATCH',
        url: `/api/groups/${slug}/members/${users.member.user.id}`,
        as: users.chair,
        payload: { role: 'editor' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json().role).toBe('editor');
      expect((await eventsOf(slug)).at(-1)).toMatchObject({ type: 'member.role_changed', payload: { from: 'member', to: 'editor' } });
    });

    it('never leaves a group without a chair', async () => {
      const { slug, users } = await t.groupWithRoles();
      const demote = await t.request({
        method: 'PATCH',
        url: `/api/groups/${slug}/members/${users.chair.user.id}`,
        as: users.chair,
        payload: { role: 'member' },
      });
      expect(demote.statusCode).toBe(409);
      const leave = await t.request({ method: 'DELETE', url: `/api/groups/${slug}/members/${users.chair.user.id}`, as: users.chair });
      expect(leave.statusCode).toBe(409);
      const still = await t.request({ method: 'GET', url: `/api/groups/${slug}`, as: users.chair });
      expect(still.json().myRole).toBe('chair');

      await t.request({ method: 'PATCH', url: `/api/groups/${slug}/members/${users.editor.user.id}`, as: users.chair, payload: { role: 'chair' } });
      const nowOk = await t.request({
        method: 'PATCH',
        url: `/api/groups/${slug}/members/${users.chair.user.id}`,
        as: users.chair,
        payload: { role: 'member' },
      });
      expect(nowOk.statusCode).toBe(200);
    });

    it('two chairs demoting each other at once leave exactly one chair', async () => {
      const { slug, users } = await t.groupWithRoles();
      await t.request({ method: 'PATCH', url: `/api/groups/${slug}/members/${users.editor.user.id}`, as: users.chair, payload: { role: 'chair' } });
      const [a, b] = await Promise.all([
        t.request({ method: 'PATCH', url: `/api/groups/${slug}/members/${users.chair.user.id}`, as: users.chair, payload: { role: 'member' } }),
        t.request({ method: 'PATCH', url: `/api/groups/${slug}/members/${users.editor.user.id}`, as: users.editor, payload: { role: 'member' } }),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
      const members = (await t.request({ method: 'GET', url: `/api/groups/${slug}/members`, as: users.member })).json().members;
      expect(members.filter((m: { role: string }) => m.role === 'chair')).toHaveLength(1);
    });

    it('lets a chair remove a member and a member leave, recording both', async () => {
      const { slug, users } = await t.groupWithRoles();
      const removed = await t.request({ method: 'DELETE', url: `/api/groups/${slug}/members/${users.observer.user.id}`, as: users.chair });
      expect(removed.statusCode).toBe(204);
      const left = await t.request({ method: 'DELETE', url: `/api/groups/${slug}/members/${users.member.user.id}`, as: users.member });
      expect(left.statusCode).toBe(204);
      expect((await t.request({ method: 'GET', url: `/api/groups/${slug}`, as: users.member })).statusCode).toBe(404);
      expect((await eventsOf(slug)).slice(-2).map((e) => e.type)).toEqual(['member.removed', 'member.left']);
      const gone = await t.request({ method: 'DELETE', url: `/api/groups/${slug}/members/${users.member.user.id}`, as: users.chair });
      expect(gone.statusCode).toBe(404);
    });

    it('lists members with chairs first', async () => {
      const { slug, users } = await t.groupWithRoles();
      const members = (await t.request({ method: 'GET', url: `/api/groups/${slug}/members`, as: users.observer })).json().members;
      expect(members.map((m: { role: string }) => m.role)).toEqual(['chair', 'editor', 'member', 'observer']);
    });
  });
});

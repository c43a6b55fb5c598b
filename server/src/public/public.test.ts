import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PublicOverview, PublishedDefinition } from '@draftroom/shared';
import { useTestApp, type TestUser } from '../../test/support/app.ts';

describe('the front door and published versions for the public', () => {
  const t = useTestApp();

  async function definition(slug: string, chair: TestUser, title: string, texts: string[]): Promise<string> {
    const created = await t.request({
      method: 'POST',
      url: `/api/groups/${slug}/definitions`,
      as: chair,
      payload: { slug: `def-${randomBytes(3).toString('hex')}`, title },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    for (const text of texts)
      expect((await t.request({ method: 'POST', url: `/api/definitions/${id}/clauses`, as: chair, payload: { text } })).statusCode).toBe(201);
    return id;
  }

  async function publish(id: string, chair: TestUser, label: string): Promise<void> {
    expect((await t.request({ method: 'POST', url: `/api/definitions/${id}/versions`, as: chair, payload: { label, notes: '' } })).statusCode).toBe(201);
  }

  async function patch(id: string, chair: TestUser, payload: object): Promise<void> {
    expect((await t.request({ method: 'PATCH', url: `/api/definitions/${id}`, as: chair, payload })).statusCode).toBe(200);
  }

  const overview = async (as: TestUser | null = null): Promise<PublicOverview> => {
    const response = await t.request({ method: 'GET', url: '/api/public/overview', as });
    expect(response.statusCode).toBe(200);
    return response.json();
  };
  const titles = (list: PublishedDefinition[]) => list.map((d) => d.title);

  it('shows anyone the public groups, what is open for comment (nearest deadline first) and the latest publications — nothing of private groups, to members either', async () => {
    const open = await t.groupWithRoles('public');
    const closed = await t.groupWithRoles('private');
    const chair = open.users.chair;

    const later = await definition(open.slug, chair, 'Later deadline', ['Later text.']);
    const sooner = await definition(open.slug, chair, 'Sooner deadline', ['Sooner text.']);
    const noDeadline = await definition(open.slug, chair, 'No deadline', ['Open text.']);
    const passed = await definition(open.slug, chair, 'Deadline passed', ['Passed text.']);
    const unpublished = await definition(open.slug, chair, 'Nothing published', ['Draft only.']);
    const drafting = await definition(open.slug, chair, 'Still drafting', ['Drafting text.']);
    const secret = await definition(closed.slug, closed.users.chair, 'Private work', ['Private text.']);
    for (const id of [later, sooner, noDeadline, passed, drafting]) await publish(id, chair, '0.1');
    await publish(secret, closed.users.chair, '0.1');
    await patch(secret, closed.users.chair, { status: 'public-comment' });
    const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    await patch(later, chair, { status: 'public-comment', commentDeadline: inDays(20) });
    await patch(sooner, chair, { status: 'public-comment', commentDeadline: inDays(2) });
    await patch(noDeadline, chair, { status: 'public-comment' });
    await patch(passed, chair, { status: 'public-comment', commentDeadline: new Date(Date.now() - 1000).toISOString() });
    await patch(unpublished, chair, { status: 'public-comment' });
    await publish(later, chair, '0.2');

    const seen = await overview();
    expect(seen.groups.map((g) => g.slug)).toContain(open.slug);
    expect(seen.groups.map((g) => g.slug)).not.toContain(closed.slug);
    const group = seen.groups.find((g) => g.slug === open.slug)!;
    expect(group).toMatchObject({ name: `Group ${open.slug}`, memberCount: 4, definitionCount: 6 });

    const openHere = seen.openForComment.filter((d) => d.groupSlug === open.slug);
    expect(titles(openHere)).toEqual(['Sooner deadline', 'Later deadline', 'No deadline']);
    expect(openHere[0]).toMatchObject({ definitionId: sooner, status: 'public-comment', commentsOpen: true, groupName: `Group ${open.slug}` });
    expect(openHere[1]!.latestVersion.label).toBe('0.2');
    expect(openHere[2]!.commentDeadline).toBeNull();

    const latestHere = seen.latestVersions.filter((d) => d.groupSlug === open.slug);
    expect(latestHere[0]).toMatchObject({ title: 'Later deadline', latestVersion: { label: '0.2' } });
    expect(titles(latestHere)).not.toContain('Nothing published');
    expect(titles(latestHere).find((title) => title === 'Deadline passed')).toBeDefined();
    expect(latestHere.find((d) => d.title === 'Deadline passed')!.commentsOpen).toBe(false);

    // The same for every caller: a member of the private group is shown none of it here.
    for (const as of [closed.users.chair, open.users.member, open.users.outsider]) {
      const theirs = await overview(as);
      expect(JSON.stringify(theirs)).not.toContain('Private work');
      expect(theirs.groups.map((g) => g.slug)).not.toContain(closed.slug);
    }
    expect(JSON.stringify(seen)).not.toMatch(/Private work|Private text|Draft only/);

    // A group made private leaves the front door at once.
    expect((await t.request({ method: 'PATCH', url: `/api/groups/${open.slug}`, as: chair, payload: { visibility: 'private' } })).statusCode).toBe(200);
    const after = await overview();
    expect(after.groups.map((g) => g.slug)).not.toContain(open.slug);
    expect([...after.openForComment, ...after.latestVersions].filter((d) => d.groupSlug === open.slug)).toEqual([]);
  });

  it('lists a group’s published definitions to whoever reads the group; a private group is not found by outsiders', async () => {
    for (const visibility of ['public', 'private'] as const) {
      const { slug, users } = await t.groupWithRoles(visibility);
      const a = await definition(slug, users.chair, 'B title', ['First.']);
      const b = await definition(slug, users.chair, 'A title', ['Second.']);
      await definition(slug, users.chair, 'Unpublished', ['Third.']);
      await publish(a, users.chair, '1.0');
      await publish(b, users.chair, '0.1');
      await publish(b, users.chair, '0.2');
      const url = `/api/groups/${slug}/published`;
      const asMember = await t.request({ method: 'GET', url, as: users.observer });
      expect(asMember.statusCode).toBe(200);
      expect(asMember.json().definitions.map((d: PublishedDefinition) => [d.title, d.latestVersion.label])).toEqual([
        ['A title', '0.2'],
        ['B title', '1.0'],
      ]);
      for (const as of [users.outsider, null]) {
        const response = await t.request({ method: 'GET', url, as });
        if (visibility === 'public') {
          expect(response.statusCode).toBe(200);
          expect(response.json()).toEqual(asMember.json());
        } else {
          expect(response.statusCode).toBe(404);
          expect(response.json().error.code).toBe('not_found');
        }
      }
    }
    const missing = await t.request({ method: 'GET', url: '/api/groups/no-such-group/published' });
    expect(missing.statusCode).toBe(404);
    const oversized = await t.request({ method: 'GET', url: `/api/groups/${'a'.repeat(65)}/published` });
    expect(oversized.statusCode).toBe(400);
    expect(oversized.json().error).toMatchObject({ code: 'invalid_input' });
  });

  it('reads an older published version by its label on the public page; only the latest takes comments', async () => {
    const { slug, users } = await t.groupWithRoles('public');
    const id = await definition(slug, users.chair, 'Versions', ['The first wording.']);
    await publish(id, users.chair, '0.1');
    const clauseId = (await t.request({ method: 'GET', url: `/api/definitions/${id}`, as: users.chair })).json().clauses[0].id as string;
    expect(
      (await t.request({ method: 'PUT', url: `/api/definitions/${id}/clauses/${clauseId}`, as: users.chair, payload: { text: 'The second wording.' } }))
        .statusCode,
    ).toBeLessThan(300);
    await publish(id, users.chair, '0.2');

    const latest = (await t.request({ method: 'GET', url: `/api/definitions/${id}/public` })).json();
    expect(latest.version).toMatchObject({ label: '0.2', latest: true });
    expect(latest.versions.map((v: { label: string }) => v.label)).toEqual(['0.2', '0.1']);
    expect(latest.clauses[0].text).toBe('The second wording.');

    const older = await t.request({ method: 'GET', url: `/api/definitions/${id}/public?version=0.1` });
    expect(older.statusCode).toBe(200);
    expect(older.json().version).toMatchObject({ label: '0.1', latest: false });
    expect(older.json().clauses[0].text).toBe('The first wording.');

    for (const [query, status] of [
      ['version=9.9', 404],
      ['version=', 400],
      [`version=${'1'.repeat(65)}`, 400],
      ['other=1', 400],
    ] as const) {
      const response = await t.request({ method: 'GET', url: `/api/definitions/${id}/public?${query}` });
      expect(response.statusCode, query).toBe(status);
      expect(response.json().error.code).toBeTypeOf('string');
    }
  });
});

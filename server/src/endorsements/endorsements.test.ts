import { describeNotification, type Notification } from '@draftroom/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { ORIGIN, useTestApp, type TestUser } from '../../test/support/app.ts';
import { registerConfirmed, startTestMailServer } from '../../test/support/mail.ts';

type App = ReturnType<typeof useTestApp>;

/** A definition with one clause, published as `label`, in the chair's group. */
async function published(t: App, slug: string, chair: TestUser, label = '1.0'): Promise<string> {
  const id = (await t.request({ method: 'POST', url: `/api/groups/${slug}/definitions`, as: chair, payload: { slug: 'osaid', title: 'OSAID' } })).json()
    .id as string;
  await t.request({ method: 'POST', url: `/api/definitions/${id}/clauses`, as: chair, payload: { text: 'Open Source AI grants four freedoms.' } });
  expect((await t.request({ method: 'POST', url: `/api/definitions/${id}/versions`, as: chair, payload: { label, notes: '' } })).statusCode).toBe(201);
  return id;
}

describe('endorsements of a published version', () => {
  const t = useTestApp();
  const list = (id: string, label: string, as: TestUser | null = null) =>
    t.request({ method: 'GET', url: `/api/definitions/${id}/versions/${label}/endorsements`, as });
  const endorse = (id: string, label: string, as: TestUser | null, payload: object) =>
    t.request({ method: 'POST', url: `/api/definitions/${id}/versions/${label}/endorsements`, as, payload });

  it('lets anyone signed in endorse a public group’s version, shows it to everyone, and keeps a withdrawal on the record with its date', async () => {
    const { slug, users } = await t.groupWithRoles('public');
    const id = await published(t, slug, users.chair);
    const supporter = users.outsider;
    expect((await endorse(id, '1.0', null, { kind: 'individual', name: 'Ana' })).statusCode).toBe(401);
    const created = await endorse(id, '1.0', supporter, {
      kind: 'individual',
      name: ' Ana Ruiz ',
      organisation: 'University of Somewhere',
      role: 'Researcher',
      statement: 'It is workable.',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ kind: 'individual', name: 'Ana Ruiz', verification: null, withdrawn: null, endorsedBy: { id: supporter.user.id } });
    expect((await endorse(id, '1.0', supporter, { kind: 'individual', name: 'Ana again' })).statusCode).toBe(409);
    expect((await endorse(id, '9.9', supporter, { kind: 'individual', name: 'Ana' })).statusCode).toBe(404);

    const shown = (await list(id, '1.0')).json();
    expect(shown).toMatchObject({ counts: { individuals: 1, organisations: 0, verifiedOrganisations: 0, withdrawn: 0 }, mine: null });
    expect(shown.endorsements.map((e: { name: string }) => e.name)).toEqual(['Ana Ruiz']);
    expect((await list(id, '1.0', supporter)).json().mine).toMatchObject({ id: created.json().id });

    const endorsementId = created.json().id as string;
    expect((await t.request({ method: 'POST', url: `/api/endorsements/${endorsementId}/withdraw`, as: users.chair, payload: {} })).statusCode).toBe(403);
    const withdrawn = await t.request({
      method: 'POST',
      url: `/api/endorsements/${endorsementId}/withdraw`,
      as: supporter,
      payload: { reason: 'The data clause changed my mind.' },
    });
    expect(withdrawn.json()).toMatchObject({ withdrawn: { at: expect.any(String), reason: 'The data clause changed my mind.' } });
    expect((await t.request({ method: 'POST', url: `/api/endorsements/${endorsementId}/withdraw`, as: supporter, payload: {} })).statusCode).toBe(409);
    const after = (await list(id, '1.0')).json();
    expect(after.endorsements).toEqual([]);
    expect(after.withdrawn).toEqual([
      expect.objectContaining({ id: endorsementId, withdrawn: expect.objectContaining({ reason: 'The data clause changed my mind.' }) }),
    ]);
    expect(after.counts).toEqual({ individuals: 0, organisations: 0, verifiedOrganisations: 0, withdrawn: 1 });
    // Withdrawing frees the place: a new endorsement may follow, and the old one stays.
    expect((await endorse(id, '1.0', supporter, { kind: 'individual', name: 'Ana Ruiz' })).statusCode).toBe(201);
    expect((await list(id, '1.0')).json().counts).toEqual({ individuals: 1, organisations: 0, verifiedOrganisations: 0, withdrawn: 1 });

    const types = (await t.request({ method: 'GET', url: `/api/groups/${slug}/events?kind=conformance`, as: users.chair }))
      .json()
      .events.map((e: { type: string }) => e.type);
    expect(types).toEqual(['endorsement.created', 'endorsement.withdrawn', 'endorsement.created']);
  });

  it('has a chair verify an organisation’s endorsement with a note; nobody else, and never an individual’s', async () => {
    const { slug, users } = await t.groupWithRoles('public');
    const id = await published(t, slug, users.chair);
    const org = await endorse(id, '1.0', users.outsider, {
      kind: 'organisation',
      name: 'Sam Lee',
      organisation: 'Example Lab',
      role: 'Director',
      link: 'https://lab.example.org',
    });
    expect(org.statusCode).toBe(201);
    expect((await endorse(id, '1.0', users.member, { kind: 'organisation', name: 'Kim' })).json().error.details).toEqual([
      { path: '/organisation', message: 'is required' },
    ]);
    const person = (await endorse(id, '1.0', users.member, { kind: 'individual', name: 'Kim' })).json().id as string;
    const verify = (endorsementId: string, as: TestUser) =>
      t.request({ method: 'POST', url: `/api/endorsements/${endorsementId}/verify`, as, payload: { note: 'Called their office on 3 March.' } });
    expect((await verify(org.json().id, users.editor)).statusCode).toBe(403);
    // The list offers verifying to whom the route allows it: chairs.
    for (const who of ['chair', 'editor', 'member', 'observer', 'outsider'] as const)
      expect((await t.request({ method: 'GET', url: `/api/definitions/${id}/versions/1.0/endorsements`, as: users[who] })).json().allowed, who).toEqual(
        who === 'chair' ? ['verify'] : [],
      );
    expect((await list(id, '1.0')).json().allowed).toEqual([]);
    expect((await verify(person, users.chair)).statusCode).toBe(409);
    const verified = (await verify(org.json().id, users.chair)).json();
    expect(verified.verification).toMatchObject({ method: 'chair', by: { id: users.chair.user.id }, note: 'Called their office on 3 March.' });
    const shown = (await list(id, '1.0')).json();
    expect(shown.counts).toMatchObject({ organisations: 1, verifiedOrganisations: 1, individuals: 1 });
    expect(shown.endorsements.map((e: { kind: string }) => e.kind)).toEqual(['organisation', 'individual']);
    // The register of the version counts them too.
    expect((await t.request({ method: 'GET', url: `/api/definitions/${id}/versions/1.0/register` })).json().endorsements).toEqual({
      individuals: 1,
      organisations: 1,
      verifiedOrganisations: 1,
      withdrawn: 0,
    });
    // This server sends no mail: confirming by mail is refused, not silently dropped.
    expect(
      (
        await endorse(id, '1.0', users.observer, {
          kind: 'organisation',
          name: 'Jo',
          organisation: 'Example Lab',
          link: 'https://lab.example.org',
          email: 'jo@example.org',
        })
      ).statusCode,
    ).toBe(409);
  });

  it('keeps a private group’s endorsements to its members', async () => {
    const { slug, users } = await t.groupWithRoles('private');
    const id = await published(t, slug, users.chair);
    expect((await endorse(id, '1.0', users.outsider, { kind: 'individual', name: 'Out' })).statusCode).toBe(404);
    expect((await list(id, '1.0')).statusCode).toBe(404);
    expect((await endorse(id, '1.0', users.observer, { kind: 'individual', name: 'Obs' })).statusCode).toBe(201);
    expect((await list(id, '1.0', users.member)).json().counts.individuals).toBe(1);
  });

  it('never carries an endorsement to a later version: its endorsers are counted as not yet renewed there', async () => {
    const { slug, users } = await t.groupWithRoles('public');
    const id = await published(t, slug, users.chair);
    await endorse(id, '1.0', users.outsider, { kind: 'individual', name: 'Ana' });
    await endorse(id, '1.0', users.member, { kind: 'individual', name: 'Kim' });
    await endorse(id, '1.0', users.chair, { kind: 'individual', name: 'Ada' });
    const gone = (await endorse(id, '1.0', users.observer, { kind: 'individual', name: 'Olu' })).json().id as string;
    await t.request({ method: 'POST', url: `/api/endorsements/${gone}/withdraw`, as: users.observer, payload: {} });
    await t.request({ method: 'POST', url: `/api/definitions/${id}/versions`, as: users.chair, payload: { label: '1.1', notes: '' } });
    // Its endorsers are invited to endorse the new version: the outsider too, not the publisher, not who withdrew.
    const renewals = async (who: TestUser) =>
      ((await t.request({ method: 'GET', url: '/api/notifications', as: who })).json().notifications as Notification[]).filter(
        (n) => n.kind === 'endorsement_renewal',
      );
    const [invitation] = await renewals(users.outsider);
    expect(invitation).toMatchObject({ link: `/groups/${slug}/definitions/${id}/public?version=1.1`, details: { versionLabel: '1.1', endorsedLabel: '1.0' } });
    expect(describeNotification(invitation!)).toBe(
      'Chair published version 1.1 of “OSAID”. You endorsed version 1.0; your endorsement does not carry over — endorse 1.1 if you still do',
    );
    expect((await renewals(users.member)).map((n) => n.link)).toEqual([`/groups/${slug}/definitions/${id}/versions?version=1.1`]);
    expect(await renewals(users.chair)).toEqual([]);
    expect(await renewals(users.observer)).toEqual([]);
    const next = (await list(id, '1.1')).json();
    expect(next).toMatchObject({ endorsements: [], counts: { individuals: 0 }, notYetRenewed: 3 });
    expect((await list(id, '1.0')).json().endorsements.map((e: { laterVersion: string | null }) => e.laterVersion)).toEqual(['1.1', '1.1', '1.1']);
    await endorse(id, '1.1', users.outsider, { kind: 'individual', name: 'Ana' });
    expect((await list(id, '1.1')).json()).toMatchObject({ counts: { individuals: 1 }, notYetRenewed: 2 });
    // Every answer about an endorsement of 1.0 says that 1.1 came after it, a withdrawal's too.
    const kim = (await list(id, '1.0', users.member)).json().mine.id as string;
    const withdrawn = await t.request({ method: 'POST', url: `/api/endorsements/${kim}/withdraw`, as: users.member, payload: {} });
    expect(withdrawn.json()).toMatchObject({ laterVersion: '1.1', withdrawn: { at: expect.any(String) } });
  });
});

// A real SMTP server on loopback: the confirmation mail to an organisation's address.
const mail = await startTestMailServer();
afterAll(() => mail.close());

describe('an organisation confirming its endorsement from its own domain (SMTP_URL set)', () => {
  const t = useTestApp({ SMTP_URL: mail.url, PUBLIC_URL: ORIGIN });

  it('mails a link to the address at the organisation’s domain, stores only the domain, and verifies once', async () => {
    const chair = await registerConfirmed(t, mail, 'Chair');
    const slug = await t.createGroup(chair, { visibility: 'public' });
    const id = await published(t, slug, chair);
    const endorser = await registerConfirmed(t, mail, 'Lab Director');
    const endorse = (payload: object) => t.request({ method: 'POST', url: `/api/definitions/${id}/versions/1.0/endorsements`, as: endorser, payload });
    const base = { kind: 'organisation', name: 'Dr. Lee', organisation: 'Example Lab', role: 'Director', link: 'https://www.lab.example.org/about' };
    expect((await endorse({ ...base, email: 'lee@gmail.com' })).json().error.details).toEqual([
      { path: '/email', message: 'is not at the domain of www.lab.example.org' },
    ]);
    expect((await endorse({ ...base, link: undefined, email: 'lee@lab.example.org' })).statusCode).toBe(400);
    expect((await endorse({ ...base, kind: 'individual', email: 'lee@lab.example.org' })).statusCode).toBe(400);

    const address = `lee.${Date.now()}@lab.example.org`;
    const created = await endorse({ ...base, email: address });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ verification: null, pendingDomain: 'lab.example.org' });
    const message = await mail.waitFor((m) => m.to.includes(address));
    expect(message.subject).toBe('Confirm "Example Lab"\'s endorsement');
    const token = /\/endorsements\/confirm#token=([A-Za-z0-9_-]+)/.exec(message.text)![1]!;
    // The address is not kept anywhere in the row, nor in the log.
    const row = await t.db.selectFrom('endorsements').selectAll().where('id', '=', created.json().id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(address);
    expect(JSON.stringify(row)).not.toContain(token);
    expect(t.logs.join('\n')).not.toContain(token);

    expect((await t.request({ method: 'POST', url: '/api/endorsements/confirm', payload: { token: `${token.slice(0, -2)}xx` } })).statusCode).toBe(404);
    const confirmed = await t.request({ method: 'POST', url: '/api/endorsements/confirm', payload: { token } });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ verification: { method: 'email_domain', domain: 'lab.example.org' }, pendingDomain: null });
    expect((await t.request({ method: 'POST', url: '/api/endorsements/confirm', payload: { token } })).statusCode).toBe(404);
    const last = (await t.request({ method: 'GET', url: `/api/groups/${slug}/events?kind=conformance&limit=1`, as: chair })).json().events[0];
    expect(last).toMatchObject({ type: 'endorsement.verified', actor: null, payload: { method: 'email_domain', domain: 'lab.example.org' } });
  });
});

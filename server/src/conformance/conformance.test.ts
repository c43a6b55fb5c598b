import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTestApp, type TestUser } from '../../test/support/app.ts';
import { OSI_VALIDATION_COMPONENTS } from './fixtures/osi-validation.ts';

/**
 * Conformance reviews through HTTP and PostgreSQL: the register of systems, checklists bound to a
 * published version, blind double review, disagreements settled by the chair with reasons, the
 * outcome under the rule frozen at opening, and the developer's response period.
 */
describe('conformance reviews', () => {
  const t = useTestApp();

  const COMPONENTS_CLAUSE = 'The required components are: data information, code and parameters, each under OSI-approved terms.';

  async function setup(visibility: 'private' | 'public' = 'private') {
    const group = await t.groupWithRoles(visibility);
    const { users } = group;
    const definitionId = (
      await t.request({ method: 'POST', url: `/api/groups/${group.slug}/definitions`, as: users.chair, payload: { slug: 'osaid', title: 'OSAID' } })
    ).json().id as string;
    const clauseId = (
      await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/clauses`, as: users.editor, payload: { text: COMPONENTS_CLAUSE } })
    ).json().id as string;
    const publish = async (label: string) =>
      expect(
        (await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/versions`, as: users.chair, payload: { label, notes: '' } })).statusCode,
      ).toBe(201);
    const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, as: TestUser | null, payload?: object) =>
      t.request({ method, url, as, ...(payload && { payload }) });
    const system = async (name: string, extra: object = {}) => {
      const response = await call('POST', `/api/groups/${group.slug}/systems`, users.editor, { name, version: '1', developer: 'Lab', ...extra });
      expect(response.statusCode).toBe(201);
      return response.json().id as string;
    };
    const checklist = async (label: string, rows?: object[]) => {
      const response = await call('POST', `/api/definitions/${definitionId}/checklists`, users.chair, {
        versionLabel: label,
        rows: rows ?? [
          { component: 'Model parameters', category: 'Model' },
          { component: 'Training code', category: 'Code', required: [false, true, true, false] },
        ],
      });
      expect(response.statusCode).toBe(201);
      return response.json().id as string;
    };
    const open = async (checklistId: string, systemId: string, extra: object = {}) => {
      const response = await call('POST', `/api/checklists/${checklistId}/reviews`, users.chair, {
        systemId,
        reviewerIds: [users.editor.user.id, users.member.user.id],
        ...extra,
      });
      expect(response.statusCode).toBe(201);
      return response.json().id as string;
    };
    const sheet = (r1: (string | null)[], r2: (string | null)[], evidence: object[] = []) => ({
      rows: [
        { rowId: 'r1', evidence, verdicts: r1, note: '' },
        { rowId: 'r2', evidence: [], verdicts: r2, note: '' },
      ],
    });
    return { ...group, definitionId, clauseId, publish, call, system, checklist, open, sheet };
  }

  const A = 'allows';
  const R = 'restricts';

  it('keeps a register of systems: names with versions are unique, the developer is an existing account, a reviewed system stays', async () => {
    const s = await setup();
    const developer = await t.register('Pythia Dev');
    const created = await s.call('POST', `/api/groups/${s.slug}/systems`, s.users.editor, {
      name: ' Pythia ',
      version: '12B',
      developer: 'EleutherAI',
      links: [{ label: 'Model card', url: 'https://huggingface.co/EleutherAI/pythia-12b' }],
      licences: [{ spdx: ' Apache-2.0 ', name: '' }],
      developerEmail: developer.email.toUpperCase(),
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      name: 'Pythia',
      version: '12B',
      licences: [{ spdx: 'Apache-2.0', name: 'Apache-2.0', url: null }],
      developerAccount: { id: developer.user.id },
    });
    const again = await s.call('POST', `/api/groups/${s.slug}/systems`, s.users.chair, { name: 'pythia', version: '12b' });
    expect(again.statusCode).toBe(409);
    expect(
      (await s.call('POST', `/api/groups/${s.slug}/systems`, s.users.chair, { name: 'Amber', developerEmail: 'nobody@example.org' })).json().error.details,
    ).toEqual([{ path: '/developerEmail', message: expect.any(String) }]);
    expect(
      (await s.call('POST', `/api/groups/${s.slug}/systems`, s.users.chair, { name: 'Amber', links: [{ label: 'x', url: 'javascript:alert(1)' }] })).statusCode,
    ).toBe(400);
    const list = (await s.call('GET', `/api/groups/${s.slug}/systems`, s.users.observer)).json().systems;
    expect(list.map((x: { name: string }) => x.name)).toEqual(['Pythia']);

    const id = created.json().id as string;
    const renamed = await s.call('PATCH', `/api/systems/${id}`, s.users.chair, { version: '12B-deduped', developerEmail: null });
    expect(renamed.json()).toMatchObject({ version: '12B-deduped', developerAccount: null });

    await s.publish('1.0');
    const checklistId = await s.checklist('1.0');
    await s.open(checklistId, id);
    expect((await s.call('DELETE', `/api/systems/${id}`, s.users.chair)).statusCode).toBe(409);
    const other = await s.system('Grok');
    expect((await s.call('DELETE', `/api/systems/${other}`, s.users.chair)).statusCode).toBe(204);
    const types = (await s.call('GET', `/api/groups/${s.slug}/events?kind=conformance`, s.users.chair)).json().events.map((e: { type: string }) => e.type);
    expect(types).toEqual(['system.deleted', 'system.created', 'review.opened', 'checklist.created', 'system.updated', 'system.created']);
  });

  it('says what each role may do with the register of systems and the checklists, as the routes decide', async () => {
    const s = await setup('public');
    const expected = {
      chair: { systems: ['manage'], checklists: ['create', 'open'] },
      editor: { systems: ['manage'], checklists: [] },
      member: { systems: [], checklists: [] },
      observer: { systems: [], checklists: [] },
    } as const;
    for (const [role, allowed] of Object.entries(expected)) {
      const who = s.users[role as keyof typeof expected];
      expect((await s.call('GET', `/api/groups/${s.slug}/systems`, who)).json().allowed, role).toEqual(allowed.systems);
      expect((await s.call('GET', `/api/definitions/${s.definitionId}/checklists`, who)).json().allowed, role).toEqual(allowed.checklists);
      // What is offered is what the route then allows.
      const created = await s.call('POST', `/api/groups/${s.slug}/systems`, who, { name: `System of the ${role}` });
      expect(created.statusCode, role).toBe(allowed.systems.length > 0 ? 201 : 403);
    }
    // Outside the group, even a public one: conformance work in progress is the members'.
    expect((await s.call('GET', `/api/groups/${s.slug}/systems`, s.users.outsider)).statusCode).toBe(403);
  });

  it('binds a checklist to one published version; criteria quote that version word for word; a new version gets its own', async () => {
    const s = await setup();
    expect(
      (await s.call('POST', `/api/definitions/${s.definitionId}/checklists`, s.users.chair, { versionLabel: '1.0', rows: [{ component: 'Code' }] })).statusCode,
    ).toBe(404);
    await s.publish('1.0');
    const bad = (rows: object[]) => s.call('POST', `/api/definitions/${s.definitionId}/checklists`, s.users.chair, { versionLabel: '1.0', rows });
    expect((await bad([{ component: 'Code', criteria: [{ clauseId: s.clauseId, quote: 'data information, code' }] }])).statusCode).toBe(201);
    await s.publish('1.1');
    const quoteMissing = await s.call('POST', `/api/definitions/${s.definitionId}/checklists`, s.users.chair, {
      versionLabel: '1.1',
      rows: [{ component: 'Code', criteria: [{ clauseId: s.clauseId, quote: 'training data is required' }] }],
    });
    expect(quoteMissing.json().error.details).toEqual([{ path: '/rows/0/criteria/0/quote', message: 'not found in the clause' }]);
    const wrongWidth = await s.call('POST', `/api/definitions/${s.definitionId}/checklists`, s.users.chair, {
      versionLabel: '1.1',
      rows: [{ component: 'Code', required: [true, false] }],
    });
    expect(wrongWidth.json().error.details).toEqual([{ path: '/rows/0/required', message: 'needs 4 values' }]);
    expect(
      (
        await s.call('POST', `/api/definitions/${s.definitionId}/checklists`, s.users.chair, {
          versionLabel: '1.1',
          rows: [{ component: 'Code' }, { component: 'code' }],
        })
      ).statusCode,
    ).toBe(400);
    expect((await s.call('POST', `/api/definitions/${s.definitionId}/checklists`, s.users.chair, { versionLabel: '1.1' })).statusCode).toBe(400);
    // One checklist per version.
    expect((await bad([{ component: 'Other' }])).statusCode).toBe(409);

    const second = await s.checklist('1.1');
    const list = (await s.call('GET', `/api/definitions/${s.definitionId}/checklists`, s.users.observer)).json().checklists;
    expect(list.map((c: { version: { label: string } }) => c.version.label)).toEqual(['1.1', '1.0']);
    const shown = (await s.call('GET', `/api/checklists/${second}`, s.users.member)).json();
    expect(shown).toMatchObject({
      version: { label: '1.1' },
      freedoms: ['Use', 'Study', 'Modify', 'Share'],
      rows: [
        { id: 'r1', component: 'Model parameters', required: [true, true, true, true] },
        { id: 'r2', component: 'Training code', required: [false, true, true, false] },
      ],
      source: { kind: 'chair' },
    });
  });

  it('takes a checklist’s rows from a closed component-matrix ballot: each component with the freedoms it was found Required for', async () => {
    const s = await setup();
    await s.publish('1.0');
    const ballot = (
      await s.call('POST', `/api/definitions/${s.definitionId}/ballots`, s.users.chair, {
        title: 'Required components',
        subject: { kind: 'matrix', rows: ['Training data', 'Code', 'Weights'], columns: ['Use', 'Study', 'Modify', 'Share'] },
        rules: {
          kind: 'binding',
          eligibleRoles: ['chair', 'editor', 'member'],
          quorum: 0.5,
          threshold: 0.5,
          blockingObjectionFails: false,
          secret: false,
          resultsVisibility: 'after_close',
          closesAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
      })
    ).json().id as string;
    const fromBallot = () => s.call('POST', `/api/definitions/${s.definitionId}/checklists`, s.users.chair, { versionLabel: '1.0', fromBallot: ballot });
    expect((await fromBallot()).statusCode).toBe(409); // a draft has no result
    await s.call('POST', `/api/ballots/${ballot}/open`, s.users.chair);
    const N = 'not_required';
    const Q = 'required';
    const marks = [
      [N, N, N, N],
      [N, Q, Q, N],
      [Q, Q, Q, Q],
    ];
    for (const who of [s.users.chair, s.users.editor, s.users.member])
      expect((await s.call('PUT', `/api/ballots/${ballot}/vote`, who, { position: 'marks', marks })).statusCode).toBe(200);
    await s.call('POST', `/api/ballots/${ballot}/close`, s.users.chair);
    expect(
      (await s.call('POST', `/api/definitions/${s.definitionId}/checklists`, s.users.chair, { versionLabel: '1.0', fromBallot: ballot, freedoms: ['A'] }))
        .statusCode,
    ).toBe(400);
    const created = await fromBallot();
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      freedoms: ['Use', 'Study', 'Modify', 'Share'],
      rows: [
        { id: 'r1', component: 'Code', required: [false, true, true, false] },
        { id: 'r2', component: 'Weights', required: [true, true, true, true] },
      ],
      source: { kind: 'ballot', ballotId: ballot, ballotTitle: 'Required components' },
    });
  });

  it('keeps each reviewer’s marks from everyone else until all have submitted, then lists the disagreements cell by cell', async () => {
    const s = await setup();
    await s.publish('1.0');
    const checklistId = await s.checklist('1.0');
    const reviewId = await s.open(checklistId, await s.system('Llama 2'));
    const { editor: first, member: second, chair, observer } = s.users;

    const evidence = [{ kind: 'licence', url: 'https://ai.meta.com/llama/license/', text: 'Llama 2 Community License' }];
    const saved = await s.call('PUT', `/api/reviews/${reviewId}/sheet`, first, s.sheet([A, A, A, R], [null, A, A, null], evidence));
    expect(saved.statusCode).toBe(200);
    expect(saved.json().reviewers[0]).toMatchObject({ person: { id: first.user.id }, submittedAt: null, sheet: expect.any(Array) });

    // Nobody else sees what the first reviewer marked: not the other reviewer, not the chair, not an observer.
    for (const who of [second, chair, observer]) {
      const view = (await s.call('GET', `/api/reviews/${reviewId}`, who)).json();
      expect(view.reviewers[0].sheet, who.email).toBeNull();
      expect(view.disagreements).toBeNull();
      expect(JSON.stringify(view)).not.toContain('Llama 2 Community License');
    }
    // Nor the group's log.
    const log = await s.call('GET', `/api/groups/${s.slug}/events`, chair);
    expect(log.body).not.toContain('Llama 2 Community License');
    expect(log.body).not.toContain('"verdicts"');

    // Only assigned reviewers mark; marks must fit the checklist.
    expect((await s.call('PUT', `/api/reviews/${reviewId}/sheet`, chair, s.sheet([A, A, A, A], [null, A, A, null]))).statusCode).toBe(403);
    expect((await s.call('PUT', `/api/reviews/${reviewId}/sheet`, second, s.sheet([A, A, A, A], [A, A, A, null]))).json().error.details).toEqual([
      { path: '/rows/1/verdicts/0', message: 'must be null' },
    ]);
    expect(
      (await s.call('PUT', `/api/reviews/${reviewId}/sheet`, second, { rows: [{ rowId: 'r9', evidence: [], verdicts: [A, A, A, A], note: '' }] })).statusCode,
    ).toBe(400);
    expect(
      (await s.call('PUT', `/api/reviews/${reviewId}/sheet`, second, s.sheet([A, A, A, A], [null, A, A, null], [{ kind: 'url', text: 'x' }]))).json().error
        .details,
    ).toEqual([{ path: '/rows/0/evidence/0/url', message: 'required' }]);

    // Submitting needs every required cell marked.
    await s.call('PUT', `/api/reviews/${reviewId}/sheet`, second, s.sheet([A, A, A, A], [null, A, null, null]));
    const early = await s.call('POST', `/api/reviews/${reviewId}/submit`, second);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.details).toEqual([{ path: '/rows/r2/verdicts/2', message: 'Training code — Modify: not marked' }]);

    const submitted = (await s.call('POST', `/api/reviews/${reviewId}/submit`, first)).json();
    expect(submitted).toMatchObject({ status: 'marking' });
    // Submitted marks can no longer change, and the review no longer offers marking to their author; the other reviewer still may.
    expect(submitted.allowed).toEqual(['comment']);
    expect((await s.call('GET', `/api/reviews/${reviewId}`, second)).json().allowed).toEqual(['mark', 'comment']);
    expect((await s.call('PUT', `/api/reviews/${reviewId}/sheet`, first, s.sheet([A, A, A, A], [null, A, A, null]))).statusCode).toBe(409);
    // Who has submitted is known; still not what.
    const waiting = (await s.call('GET', `/api/reviews/${reviewId}`, second)).json();
    expect(waiting.reviewers[0]).toMatchObject({ submittedAt: expect.any(String), sheet: null });
    expect((await s.call('POST', `/api/reviews/${reviewId}/resolutions`, chair, { rowId: 'r1', freedom: 3, verdict: R, reason: 'x' })).statusCode).toBe(409);
    // What a reviewer writes meanwhile could tell how they marked: theirs alone until all have submitted.
    const note = 'I marked Share as Restricts: the licence limits redistribution.';
    const commented = (await s.call('POST', `/api/reviews/${reviewId}/comments`, first, { rowId: 'r1', freedom: 3, body: note })).json();
    expect(commented).toMatchObject({ comments: [{ body: note }], sealedComments: 0 });
    for (const who of [second, chair, s.users.observer]) {
      const seen = (await s.call('GET', `/api/reviews/${reviewId}`, who)).json();
      expect(seen.comments, who.user.displayName).toEqual([]);
      expect(seen.sealedComments, who.user.displayName).toBe(1);
    }
    // A member who is not a reviewer speaks openly.
    await s.call('POST', `/api/reviews/${reviewId}/comments`, chair, { rowId: 'r1', body: 'Please cite the licence text.' });
    expect((await s.call('GET', `/api/reviews/${reviewId}`, second)).json().comments.map((c: { body: string }) => c.body)).toEqual([
      'Please cite the licence text.',
    ]);

    await s.call('PUT', `/api/reviews/${reviewId}/sheet`, second, s.sheet([A, A, A, A], [null, A, R, null]));
    const revealed = (await s.call('POST', `/api/reviews/${reviewId}/submit`, second)).json();
    expect(revealed.status).toBe('reconciling');
    expect(revealed).toMatchObject({ sealedComments: 0 });
    expect(revealed.comments.map((c: { body: string }) => c.body)).toEqual([note, 'Please cite the licence text.']);
    expect(revealed.reviewers.map((r: { sheet: unknown }) => r.sheet !== null)).toEqual([true, true]);
    expect(revealed.disagreements).toEqual([
      {
        rowId: 'r1',
        freedom: 3,
        verdicts: [
          { reviewer: { id: first.user.id, displayName: expect.any(String) }, verdict: R },
          { reviewer: { id: second.user.id, displayName: expect.any(String) }, verdict: A },
        ],
        resolution: null,
      },
      {
        rowId: 'r2',
        freedom: 2,
        verdicts: [
          { reviewer: { id: first.user.id, displayName: expect.any(String) }, verdict: A },
          { reviewer: { id: second.user.id, displayName: expect.any(String) }, verdict: R },
        ],
        resolution: null,
      },
    ]);
    expect((await s.call('GET', `/api/reviews/${reviewId}`, observer)).json().reviewers[0].sheet[0].evidence).toEqual(evidence);
    const events = (await s.call('GET', `/api/groups/${s.slug}/events?kind=conformance`, chair)).json().events;
    expect(events[0]).toMatchObject({ type: 'review.revealed', payload: { disagreements: ['r1/3', 'r2/2'] } });
    expect(events.filter((e: { type: string }) => e.type === 'review.submitted')).toHaveLength(2);
  });

  it('settles disagreements with the chair’s reasons and closes under the frozen rule: Conformant if…, with its conditions', async () => {
    const s = await setup();
    await s.publish('1.0');
    const checklistId = await s.checklist('1.0');
    const reviewId = await s.open(checklistId, await s.system('BLOOM'), { rule: { curable: ['restricts'] } });
    const { editor: first, member: second, chair } = s.users;
    await s.call('PUT', `/api/reviews/${reviewId}/sheet`, first, s.sheet([A, A, A, R], [null, A, A, null]));
    await s.call('PUT', `/api/reviews/${reviewId}/sheet`, second, s.sheet([A, A, A, A], [null, A, A, null]));
    await s.call('POST', `/api/reviews/${reviewId}/submit`, first);
    await s.call('POST', `/api/reviews/${reviewId}/submit`, second);
    await s.call('POST', `/api/reviews/${reviewId}/comments`, second, { rowId: 'r1', freedom: 3, body: 'The RAIL licence restricts some uses.' });

    const close = () => s.call('POST', `/api/reviews/${reviewId}/close`, chair);
    expect((await close()).json().error.details).toEqual([{ path: '/cells/r1/3', message: 'Model parameters — Share' }]);
    expect((await s.call('POST', `/api/reviews/${reviewId}/resolutions`, first, { rowId: 'r1', freedom: 3, verdict: R, reason: 'x' })).statusCode).toBe(403);
    expect((await s.call('POST', `/api/reviews/${reviewId}/resolutions`, chair, { rowId: 'r2', freedom: 0, verdict: R, reason: 'x' })).statusCode).toBe(400);
    expect((await s.call('POST', `/api/reviews/${reviewId}/resolutions`, chair, { rowId: 'r1', freedom: 3, verdict: R, reason: '   ' })).statusCode).toBe(400);

    await s.call('POST', `/api/reviews/${reviewId}/resolutions`, chair, {
      rowId: 'r1',
      freedom: 3,
      verdict: R,
      reason: 'RAIL use restrictions apply to sharing.',
    });
    // Restricts is curable under this rule, but only with a condition that says what would cure it.
    expect((await close()).json().error.details).toEqual([{ path: '/cells/r1/3', message: 'Model parameters — Share' }]);
    const resolved = (
      await s.call('POST', `/api/reviews/${reviewId}/resolutions`, chair, {
        rowId: 'r1',
        freedom: 3,
        verdict: R,
        reason: 'RAIL use restrictions apply to sharing.',
        condition: 'The weights are released under an OSI-approved licence',
      })
    ).json();
    expect(resolved.disagreements[0].resolution).toMatchObject({
      verdict: R,
      condition: 'The weights are released under an OSI-approved licence',
      by: { id: chair.user.id },
    });

    const closed = await close();
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({
      status: 'closed',
      outcome: 'conditional',
      conditions: ['The weights are released under an OSI-approved licence'],
      allowed: [],
    });
    expect(closed.json().cells).toHaveLength(6);
    expect(closed.json().cells).toContainEqual({
      rowId: 'r1',
      freedom: 3,
      verdict: R,
      settledBy: 'chair',
      condition: 'The weights are released under an OSI-approved licence',
    });
    expect(closed.json().comments).toEqual([
      expect.objectContaining({ rowId: 'r1', freedom: 3, asDeveloper: false, body: 'The RAIL licence restricts some uses.' }),
    ]);
    // Closed is closed.
    expect((await close()).statusCode).toBe(409);
    expect(
      (await s.call('POST', `/api/reviews/${reviewId}/resolutions`, chair, { rowId: 'r1', freedom: 3, verdict: A, reason: 'changed my mind' })).statusCode,
    ).toBe(409);
    expect((await s.call('POST', `/api/reviews/${reviewId}/comments`, second, { rowId: 'r1', body: 'late' })).statusCode).toBe(409);
    const last = (await s.call('GET', `/api/groups/${s.slug}/events?kind=conformance&limit=1`, chair)).json().events[0];
    expect(last).toMatchObject({ type: 'review.closed', payload: { outcome: 'conditional', rule: { curable: ['restricts'] }, versionLabel: '1.0' } });
  });

  it('gives Not conformant when a cell is not curable under the rule, and Conformant when every cell allows', async () => {
    const s = await setup();
    await s.publish('1.0');
    const checklistId = await s.checklist('1.0');
    const run = async (name: string, r1: string[], rule?: object) => {
      const reviewId = await s.open(checklistId, await s.system(name), rule ? { rule } : {});
      for (const who of [s.users.editor, s.users.member]) {
        await s.call('PUT', `/api/reviews/${reviewId}/sheet`, who, s.sheet(r1, [null, A, A, null]));
        await s.call('POST', `/api/reviews/${reviewId}/submit`, who);
      }
      return (await s.call('POST', `/api/reviews/${reviewId}/close`, s.users.chair)).json();
    };
    expect(await run('OLMo', [A, A, A, A])).toMatchObject({ outcome: 'conformant', conditions: [] });
    expect(await run('Grok', [A, 'not_available', A, A])).toMatchObject({ outcome: 'not_conformant' });
    expect(await run('Mixtral', [A, A, A, R], { curable: [] })).toMatchObject({ outcome: 'not_conformant' });
  });

  it('lets the developer read and answer during the response period, and does not close before it ends', async () => {
    const s = await setup();
    const developer = await t.register('Starcoder team');
    await s.publish('1.0');
    const checklistId = await s.checklist('1.0');
    const systemId = await s.system('Starcoder2', { developerEmail: developer.email });
    expect(
      (
        await s.call('POST', `/api/checklists/${checklistId}/reviews`, s.users.chair, {
          systemId,
          reviewerIds: [s.users.editor.user.id, s.users.member.user.id],
          responseUntil: new Date(Date.now() - 1000).toISOString(),
        })
      ).statusCode,
    ).toBe(400);
    const reviewId = await s.open(checklistId, systemId, { responseUntil: new Date(Date.now() + 3_600_000).toISOString() });
    // The developer is not a member of this private group, yet reads the review of their system, grid included…
    const seen = await s.call('GET', `/api/reviews/${reviewId}`, developer);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().checklist).toMatchObject({ freedoms: ['Use', 'Study', 'Modify', 'Share'], rows: [{ id: 'r1' }, { id: 'r2' }] });
    // …but nothing else of the group.
    expect((await s.call('GET', `/api/checklists/${checklistId}`, developer)).statusCode).toBe(404);
    expect((await s.call('GET', `/api/reviews/${reviewId}`, s.users.outsider)).statusCode).toBe(404);
    const answered = await s.call('POST', `/api/reviews/${reviewId}/comments`, developer, {
      rowId: 'r2',
      body: 'Training code: https://github.com/bigcode-project',
    });
    expect(answered.json().comments).toEqual([
      expect.objectContaining({ asDeveloper: true, author: { id: developer.user.id, displayName: 'Starcoder team' } }),
    ]);
    expect((await s.call('PUT', `/api/reviews/${reviewId}/sheet`, developer, s.sheet([A, A, A, A], [null, A, A, null]))).statusCode).toBe(403);

    for (const who of [s.users.editor, s.users.member]) {
      await s.call('PUT', `/api/reviews/${reviewId}/sheet`, who, s.sheet([A, A, A, A], [null, A, A, null]));
      await s.call('POST', `/api/reviews/${reviewId}/submit`, who);
    }
    const tooEarly = await s.call('POST', `/api/reviews/${reviewId}/close`, s.users.chair);
    expect(tooEarly.statusCode).toBe(409);
    expect(tooEarly.json().error.message).toMatch(/may respond until/);
    // The period ends (moved into the past rather than waited for).
    await t.db
      .updateTable('reviews')
      .set({ response_until: new Date(Date.now() - 1000) })
      .where('id', '=', reviewId)
      .execute();
    expect((await s.call('POST', `/api/reviews/${reviewId}/comments`, developer, { rowId: 'r2', body: 'One more thing' })).statusCode).toBe(403);
    expect((await s.call('POST', `/api/reviews/${reviewId}/close`, s.users.chair)).json()).toMatchObject({ outcome: 'conformant' });
  });

  it('tells the people a review concerns, and only while they may read it: reviewers, the developer, the chair', async () => {
    const s = await setup();
    const developer = await t.register('BLOOM team');
    await s.publish('1.0');
    const checklistId = await s.checklist('1.0');
    const systemId = await s.system('BLOOM', { developerEmail: developer.email });
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const reviewId = await s.open(checklistId, systemId, { responseUntil: until });
    type Seen = { kind: string; link: string; details: Record<string, unknown>; definition: { title: string } | null };
    const inbox = async (who: TestUser) => {
      const response = await s.call('GET', '/api/notifications', who);
      expect(response.statusCode).toBe(200);
      return (response.json().notifications as Seen[]).filter((n) => n.kind.startsWith('review_'));
    };
    const link = `/reviews/${reviewId}`;
    for (const reviewer of [s.users.editor, s.users.member])
      expect(await inbox(reviewer)).toEqual([
        expect.objectContaining({
          kind: 'review_assigned',
          link,
          details: { versionLabel: '1.0', systemName: 'BLOOM 1' },
          definition: expect.objectContaining({ title: 'OSAID' }),
        }),
      ]);
    // The developer is no member of this private group, yet hears of the review of their system, with its deadline.
    expect(await inbox(developer)).toEqual([
      expect.objectContaining({ kind: 'review_response_invited', link, details: { versionLabel: '1.0', systemName: 'BLOOM 1', responseUntil: until } }),
    ]);
    expect(await inbox(s.users.chair)).toEqual([]);
    expect(await inbox(s.users.observer)).toEqual([]);

    // The developer answers twice: the reviewers and the chair hear of it once that day.
    for (const body of ['Licence: RAIL', 'Data: ROOTS corpus documented'])
      expect((await s.call('POST', `/api/reviews/${reviewId}/comments`, developer, { rowId: 'r1', body })).statusCode).toBe(200);
    for (const who of [s.users.chair, s.users.editor, s.users.member])
      expect((await inbox(who)).filter((n) => n.kind === 'review_developer_responded')).toHaveLength(1);
    // A member's comment is no developer response.
    await s.call('POST', `/api/reviews/${reviewId}/comments`, s.users.editor, { rowId: 'r1', body: 'Noted' });
    expect((await inbox(s.users.chair)).filter((n) => n.kind === 'review_developer_responded')).toHaveLength(1);

    await s.call('PUT', `/api/reviews/${reviewId}/sheet`, s.users.editor, s.sheet([A, A, A, A], [null, A, A, null]));
    await s.call('POST', `/api/reviews/${reviewId}/submit`, s.users.editor);
    // One submitted is nothing to tell: the marks are still hidden.
    expect((await inbox(s.users.chair)).map((n) => n.kind)).toEqual(['review_developer_responded']);
    await s.call('PUT', `/api/reviews/${reviewId}/sheet`, s.users.member, s.sheet([A, R, A, A], [null, A, R, null]));
    await s.call('POST', `/api/reviews/${reviewId}/submit`, s.users.member);
    for (const who of [s.users.chair, s.users.editor])
      expect((await inbox(who))[0]).toMatchObject({ kind: 'review_revealed', link, details: { disagreements: 2 } });
    // Not the reviewer whose submission revealed them: they are looking at it.
    expect((await inbox(s.users.member)).map((n) => n.kind)[0]).toBe('review_developer_responded');
    expect((await inbox(developer)).map((n) => n.kind)).toEqual(['review_response_invited']);

    for (const [rowId, freedom] of [
      ['r1', 1],
      ['r2', 2],
    ] as const)
      expect(
        (await s.call('POST', `/api/reviews/${reviewId}/resolutions`, s.users.chair, { rowId, freedom, verdict: A, reason: 'The licence text allows it' }))
          .statusCode,
      ).toBe(200);
    await t.db
      .updateTable('reviews')
      .set({ response_until: new Date(Date.now() - 1000) })
      .where('id', '=', reviewId)
      .execute();
    expect((await s.call('POST', `/api/reviews/${reviewId}/close`, s.users.chair)).statusCode).toBe(200);
    for (const who of [developer, s.users.editor, s.users.member])
      expect((await inbox(who))[0]).toMatchObject({ kind: 'review_closed', link, details: { outcome: 'conformant', systemName: 'BLOOM 1' } });
    expect((await inbox(s.users.chair)).map((n) => n.kind)[0]).toBe('review_revealed');

    // Who may no longer read the review no longer has its notifications: the developer account unlinked, a reviewer gone.
    await s.call('PATCH', `/api/systems/${systemId}`, s.users.chair, { developerEmail: null });
    expect(await inbox(developer)).toEqual([]);
    const memberId = s.users.member.user.id;
    expect((await s.call('DELETE', `/api/groups/${s.slug}/members/${memberId}`, s.users.chair)).statusCode).toBe(204);
    expect(await inbox(s.users.member)).toEqual([]);
  });

  it('opens a review only with reviewers who are participating members, once per system and checklist, never with the developer reviewing', async () => {
    const s = await setup();
    await s.publish('1.0');
    const checklistId = await s.checklist('1.0');
    const systemId = await s.system('Phi-2', { developerEmail: s.users.member.email });
    const open = (reviewerIds: string[]) => s.call('POST', `/api/checklists/${checklistId}/reviews`, s.users.chair, { systemId, reviewerIds });
    expect((await open([s.users.editor.user.id, s.users.observer.user.id])).json().error.details).toEqual([
      { path: '/reviewerIds/1', message: 'is an observer' },
    ]);
    expect((await open([s.users.editor.user.id, s.users.outsider.user.id])).json().error.details).toEqual([
      { path: '/reviewerIds/1', message: 'is not a member' },
    ]);
    expect((await open([s.users.editor.user.id])).statusCode).toBe(400);
    expect((await open([s.users.editor.user.id, s.users.member.user.id])).json().error.details).toEqual([
      { path: '/reviewerIds', message: 'includes the developer' },
    ]);
    expect((await open([s.users.editor.user.id, s.users.chair.user.id])).statusCode).toBe(201);
    expect((await open([s.users.editor.user.id, s.users.chair.user.id])).statusCode).toBe(409);
    const list = (await s.call('GET', `/api/checklists/${checklistId}/reviews`, s.users.observer)).json().reviews;
    expect(list).toEqual([expect.objectContaining({ system: expect.objectContaining({ name: 'Phi-2' }), status: 'marking', outcome: null })]);
  });

  it('keeps a closed review bound to the version it used when a new version and checklist come', async () => {
    const s = await setup();
    await s.publish('1.0');
    const first = await s.checklist('1.0');
    const systemId = await s.system('T5');
    const reviewId = await s.open(first, systemId);
    for (const who of [s.users.editor, s.users.member]) {
      await s.call('PUT', `/api/reviews/${reviewId}/sheet`, who, s.sheet([A, A, A, A], [null, A, A, null]));
      await s.call('POST', `/api/reviews/${reviewId}/submit`, who);
    }
    await s.call('POST', `/api/reviews/${reviewId}/close`, s.users.chair);
    await s.call('PUT', `/api/definitions/${s.definitionId}/clauses/${s.clauseId}`, s.users.editor, { text: 'Changed for 1.1.' });
    await s.publish('1.1');
    const second = await s.checklist('1.1', [{ component: 'Data information' }]);
    const again = await s.open(second, systemId);
    expect((await s.call('GET', `/api/reviews/${reviewId}`, s.users.member)).json()).toMatchObject({
      version: { label: '1.0' },
      outcome: 'conformant',
      checklistId: first,
    });
    expect((await s.call('GET', `/api/reviews/${again}`, s.users.member)).json()).toMatchObject({
      version: { label: '1.1' },
      status: 'marking',
      checklistId: second,
    });
  });

  it('refuses malformed and out-of-order input with the standard error body and writes nothing', async () => {
    const s = await setup();
    await s.publish('1.0');
    const checklistId = await s.checklist('1.0');
    const reviewId = await s.open(checklistId, await s.system('CrystalCoder'));
    const before = await t.db.selectFrom('review_reviewers').select(['sheet']).where('review_id', '=', reviewId).execute();
    for (const payload of [
      { rows: 'nope' },
      { rows: [{ rowId: 'r1; drop table reviews', evidence: [], verdicts: [A, A, A, A], note: '' }] },
      { rows: [{ rowId: 'r1', evidence: [], verdicts: ['maybe', A, A, A], note: '' }] },
      { rows: [{ rowId: 'r1', evidence: [], verdicts: [A, A, A, A], note: 'x'.repeat(5000) }] },
      { rows: [{ rowId: 'r1', evidence: [], verdicts: [A, A, A], note: '' }] },
      '{"rows":[{"rowId":"r1","evidence":[],"verdicts":["allows","allows","allows","allows"],"note":"","__proto__":{"admin":true}}]}',
    ]) {
      const response = await t.request({
        method: 'PUT',
        url: `/api/reviews/${reviewId}/sheet`,
        as: s.users.editor,
        payload,
        ...(typeof payload === 'string' && { headers: { 'content-type': 'application/json' } }),
      });
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(response.json().error).toMatchObject({ code: expect.stringMatching(/^(invalid_input|malformed_json)$/), message: expect.any(String) });
    }
    expect(await t.db.selectFrom('review_reviewers').select(['sheet']).where('review_id', '=', reviewId).execute()).toEqual(before);
    expect((await s.call('GET', '/api/reviews/not-a-uuid', s.users.chair)).statusCode).toBe(400);
    expect((await s.call('GET', '/api/reviews/00000000-0000-4000-8000-000000000000', s.users.chair)).statusCode).toBe(404);
    expect((await s.call('POST', `/api/reviews/${reviewId}/close`, s.users.chair)).statusCode).toBe(409);
  });

  it('publishes the register of closed reviews per version: outcome, evidence per cell, reviewers, dissent — to anyone for a public group', async () => {
    const s = await setup('public');
    await s.publish('1.0');
    expect((await s.call('GET', `/api/definitions/${s.definitionId}/versions/1.0/register`, null)).json()).toMatchObject({ checklist: null, entries: [] });
    const checklistId = await s.checklist('1.0');
    const bloom = await s.open(
      checklistId,
      await s.system('BLOOM <script>alert(1)</script>', { licences: [{ spdx: null, name: 'BigScience RAIL License v1.0' }] }),
    );
    const pending = await s.open(checklistId, await s.system('Grok'));
    const evidence = [{ kind: 'licence', url: 'https://huggingface.co/spaces/bigscience/license', text: 'BigScience RAIL License v1.0' }];
    await s.call('PUT', `/api/reviews/${bloom}/sheet`, s.users.editor, s.sheet([A, A, A, R], [null, A, A, null], evidence));
    await s.call('PUT', `/api/reviews/${bloom}/sheet`, s.users.member, s.sheet([A, A, A, A], [null, A, A, null]));
    for (const who of [s.users.editor, s.users.member]) await s.call('POST', `/api/reviews/${bloom}/submit`, who);
    await s.call('POST', `/api/reviews/${bloom}/resolutions`, s.users.chair, {
      rowId: 'r1',
      freedom: 3,
      verdict: R,
      reason: 'Use restrictions travel with every copy.',
      condition: 'The weights are released under an OSI-approved licence',
    });
    expect((await s.call('POST', `/api/reviews/${bloom}/close`, s.users.chair)).statusCode).toBe(200);

    const register = await s.call('GET', `/api/definitions/${s.definitionId}/versions/1.0/register`, null);
    expect(register.statusCode).toBe(200);
    expect(register.json()).toMatchObject({
      version: { label: '1.0' },
      checklist: { id: checklistId, freedoms: ['Use', 'Study', 'Modify', 'Share'] },
      counts: { conformant: 0, conditional: 1, not_conformant: 0 },
      inProgress: 1,
    });
    const [entry] = register.json().entries;
    expect(register.json().entries).toHaveLength(1);
    expect(entry).toMatchObject({
      reviewId: bloom,
      outcome: 'conditional',
      conditions: ['The weights are released under an OSI-approved licence'],
      rule: { curable: ['restricts'] },
      reviewers: [{ id: s.users.editor.user.id }, { id: s.users.member.user.id }],
      evidence: [{ rowId: 'r1', reviewer: { id: s.users.editor.user.id }, evidence }],
      dissent: [{ rowId: 'r1', freedom: 3, resolution: { verdict: R, reason: 'Use restrictions travel with every copy.', by: { id: s.users.chair.user.id } } }],
    });
    expect(entry.cells).toHaveLength(6);

    const md = await s.call('GET', `/api/definitions/${s.definitionId}/versions/1.0/register?format=md`, null);
    expect(md.headers['content-type']).toContain('text/markdown');
    expect(md.body).toContain('1 reviewed: 0 conformant, 1 conformant if conditions are met, 0 not conformant; 1 in progress.');
    expect(md.body).toContain('| Model parameters | Allows | Allows | Allows | Restricts |');
    expect(md.body).toContain('Settled as Restricts by Chair: Use restrictions travel with every copy.');
    const page = await s.call('GET', `/api/definitions/${s.definitionId}/versions/1.0/register?format=html`, null);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body).toContain('BLOOM &#60;script&#62;alert(1)&#60;/script&#62;');
    // A name cannot bring a line break (and with it a Markdown block) into the register.
    await s.call('PATCH', `/api/systems/${register.json().entries[0].system.id}`, s.users.chair, { name: 'BLOOM\n# Everything conforms\n' });
    const renamed = await s.call('GET', `/api/definitions/${s.definitionId}/versions/1.0/register?format=md`, null);
    expect(renamed.body).toContain('## BLOOM # Everything conforms 1');
    expect(renamed.body).not.toMatch(/^# Everything/m);

    const badge = await s.call('GET', `/api/reviews/${bloom}/badge.svg`, null);
    expect(badge.statusCode).toBe(200);
    expect(badge.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(badge.body).toMatch(/^<svg [^>]*role="img" aria-label="OSAID 1.0: Conformant if…"/);
    expect((await s.call('GET', `/api/reviews/${pending}/badge.svg`, null)).statusCode).toBe(404);
    expect((await s.call('GET', `/api/definitions/${s.definitionId}/versions/9.9/register`, null)).statusCode).toBe(404);
  });

  it('keeps a private group’s register and badges to its members', async () => {
    const s = await setup('private');
    await s.publish('1.0');
    const checklistId = await s.checklist('1.0');
    const reviewId = await s.open(checklistId, await s.system('OLMo'));
    for (const who of [s.users.editor, s.users.member]) {
      await s.call('PUT', `/api/reviews/${reviewId}/sheet`, who, s.sheet([A, A, A, A], [null, A, A, null]));
      await s.call('POST', `/api/reviews/${reviewId}/submit`, who);
    }
    await s.call('POST', `/api/reviews/${reviewId}/close`, s.users.chair);
    for (const who of [null, s.users.outsider]) {
      expect((await s.call('GET', `/api/definitions/${s.definitionId}/versions/1.0/register`, who)).statusCode).toBe(404);
      expect((await s.call('GET', `/api/reviews/${reviewId}/badge.svg`, who)).statusCode).toBe(404);
    }
    expect((await s.call('GET', `/api/definitions/${s.definitionId}/versions/1.0/register`, s.users.observer)).json().counts).toEqual({
      conformant: 1,
      conditional: 0,
      not_conformant: 0,
    });
    expect((await s.call('GET', `/api/reviews/${reviewId}/badge.svg`, s.users.observer)).body).toContain('>Conformant<');
  });

  const FIXTURE = readFileSync(new URL('./fixtures/osi-validation.csv', import.meta.url), 'utf8');
  const FIXTURE_COMPONENTS = OSI_VALIDATION_COMPONENTS;
  const OSI_RESULTS = {
    Pythia: 'conformant',
    OLMo: 'conformant',
    Amber: 'conformant',
    CrystalCoder: 'conformant',
    T5: 'conformant',
    BLOOM: 'conditional',
    Starcoder2: 'conditional',
    'Llama 2': 'not_conformant',
    Grok: 'not_conformant',
    'Phi-2': 'not_conformant',
    Mixtral: 'not_conformant',
  };

  it('imports OSI’s 2024 validation spreadsheet (eleven systems) as closed imported reviews, with OSI’s results, and exports it back as CSV', async () => {
    const s = await setup('public');
    await s.publish('1.0');
    const checklistId = await s.checklist('1.0', FIXTURE_COMPONENTS);
    const url = `/api/checklists/${checklistId}/import`;

    const preview = await s.call('POST', url, s.users.chair, { csv: FIXTURE, file: 'osi-validation.csv' });
    expect(preview.statusCode).toBe(200);
    expect(preview.json().applied).toBe(false);
    expect(Object.fromEntries(preview.json().systems.map((x: { name: string; outcome: string }) => [x.name, x.outcome]))).toEqual(OSI_RESULTS);
    // A preview writes nothing.
    expect((await s.call('GET', `/api/groups/${s.slug}/systems`, s.users.chair)).json().systems).toEqual([]);
    expect((await s.call('POST', url, s.users.editor, { csv: FIXTURE, apply: true })).statusCode).toBe(403);

    const applied = (await s.call('POST', url, s.users.chair, { csv: FIXTURE, file: 'osi-validation.csv', apply: true })).json();
    expect(applied.applied).toBe(true);
    expect(applied.systems.every((x: { reviewId: string | null }) => typeof x.reviewId === 'string')).toBe(true);
    const register = (await s.call('GET', `/api/definitions/${s.definitionId}/versions/1.0/register`, null)).json();
    expect(register.counts).toEqual({ conformant: 5, conditional: 2, not_conformant: 4 });
    const bloom = register.entries.find((e: { system: { name: string } }) => e.system.name === 'BLOOM');
    expect(bloom).toMatchObject({
      outcome: 'conditional',
      conditions: [expect.stringMatching(/licen[cs]e/i)],
      reviewers: [],
      importedFrom: {
        reviewers: [expect.stringMatching(/^Volunteer /), expect.stringMatching(/^Volunteer /)],
        by: { id: s.users.chair.user.id },
        file: 'osi-validation.csv',
      },
    });
    expect(bloom.cells.every((c: { settledBy: string }) => c.settledBy === 'import')).toBe(true);
    expect(bloom.evidence.length).toBeGreaterThan(0);
    expect(bloom.evidence[0].reviewer).toBeNull();
    const review = (await s.call('GET', `/api/reviews/${bloom.reviewId}`, s.users.member)).json();
    expect(review).toMatchObject({ status: 'closed', importedFrom: { reviewers: bloom.importedFrom.reviewers }, reviewers: [] });
    const types = (await s.call('GET', `/api/groups/${s.slug}/events?kind=conformance&limit=100`, s.users.chair))
      .json()
      .events.map((e: { type: string }) => e.type);
    expect(types.filter((type: string) => type === 'review.imported')).toHaveLength(11);
    expect(types.filter((type: string) => type === 'system.created')).toHaveLength(11);

    // The same file again: every system already has its review.
    const again = await s.call('POST', url, s.users.chair, { csv: FIXTURE, apply: true });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details).toHaveLength(11);

    // Export → import into the next version's checklist gives the same outcomes and cells.
    const csv = await s.call('GET', `/api/definitions/${s.definitionId}/versions/1.0/register?format=csv`, null);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toBe(
      'Definition,Version,System,System version,Developer,Component,Category,Licence,Evidence,Use,Study,Modify,Share,Note,Outcome,Conditions,Reviewers,Closed',
    );
    await s.publish('1.1');
    const next = await s.checklist('1.1', FIXTURE_COMPONENTS);
    const reimported = (await s.call('POST', `/api/checklists/${next}/import`, s.users.chair, { csv: csv.body, apply: true })).json();
    expect(Object.fromEntries(reimported.systems.map((x: { name: string; outcome: string }) => [x.name, x.outcome]))).toEqual(OSI_RESULTS);
    expect(reimported.systems.every((x: { known: boolean }) => x.known)).toBe(true);
    const second = (await s.call('GET', `/api/definitions/${s.definitionId}/versions/1.1/register`, null)).json();
    for (const entry of second.entries) {
      const first = register.entries.find((e: { system: { name: string } }) => e.system.name === entry.system.name);
      expect(entry.cells, entry.system.name).toEqual(first.cells);
      expect(entry.conditions, entry.system.name).toEqual(first.conditions);
    }
  });

  it('refuses a spreadsheet whose stated outcome its own cells contradict, or that is malformed — and writes nothing', async () => {
    const s = await setup();
    await s.publish('1.0');
    const checklistId = await s.checklist('1.0', FIXTURE_COMPONENTS);
    const url = `/api/checklists/${checklistId}/import`;
    // Someone marks Pythia's weights as Restricts in one line but leaves its outcome as Conformant.
    const lines = FIXTURE.split('\r\n');
    const index = lines.findIndex((line) => line.includes(',Pythia,') && line.includes(',Model parameters,'));
    const tampered = [...lines];
    tampered[index] = tampered[index]!.replace('Allows,Allows,Allows,Allows', 'Allows,Allows,Allows,Restricts');
    const refused = await s.call('POST', url, s.users.chair, { csv: tampered.join('\r\n'), apply: true });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details).toEqual([
      { path: expect.stringMatching(/^\/line\/\d+$/), message: expect.stringContaining('Pythia: the spreadsheet says Conformant') },
    ]);

    const broken = await s.call('POST', url, s.users.chair, { csv: 'System,Component,Use\r\nPythia,Model parameters,Maybe', apply: true });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.details).toContainEqual({ path: '/header', message: 'missing column "Study"' });
    expect((await s.call('POST', url, s.users.chair, { csv: '', apply: true })).statusCode).toBe(400);
    // Oversized: past the schema's 2,000,000 characters a clear 400; past the route's 4 MiB body limit a 413.
    const long = await s.call('POST', url, s.users.chair, { csv: `System,Component,Use,Study,Modify,Share\r\n${'x'.repeat(2_000_001)}` });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.code).toBe('invalid_input');
    expect((await s.call('POST', url, s.users.chair, { csv: 'y'.repeat(5 * 1024 * 1024) })).statusCode).toBe(413);
    // Built to be slow: one unterminated quote before two million characters of separators.
    const slow = await s.call('POST', url, s.users.chair, { csv: `System,Component,Use,Study,Modify,Share\r\n"${',\r\n'.repeat(600_000)}` });
    expect(slow.statusCode).toBe(400);
    expect((await s.call('GET', `/api/groups/${s.slug}/systems`, s.users.chair)).json().systems).toEqual([]);
    expect(await t.db.selectFrom('reviews').select('id').where('checklist_id', '=', checklistId).execute()).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { useTestApp, type TestUser } from '../../test/support/app.ts';

/** Choice ballots (custom options, a clause against its amendments) and the component matrix. */
describe('ballot formats', () => {
  const t = useTestApp();

  const rules = (overrides: Record<string, unknown> = {}) => ({
    kind: 'binding',
    eligibleRoles: ['chair', 'editor', 'member'],
    quorum: 0.5,
    threshold: 0,
    blockingObjectionFails: false,
    secret: false,
    resultsVisibility: 'after_close',
    closesAt: new Date(Date.now() + 3_600_000).toISOString(),
    ...overrides,
  });

  async function setup() {
    const group = await t.groupWithRoles();
    const { users } = group;
    const definitionId = (
      await t.request({ method: 'POST', url: `/api/groups/${group.slug}/definitions`, as: users.chair, payload: { slug: 'osaid', title: 'OSAID' } })
    ).json().id as string;
    const clause = async (text: string) =>
      (await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/clauses`, as: users.editor, payload: { text } })).json().id as string;
    const propose = async (clauseId: string, text: string, as: TestUser) =>
      (await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/amendments`, as, payload: { clauseId, text, rationale: 'Better.' } })).json()
        .id as string;
    const create = (subject: object, ruleOverrides: Record<string, unknown> = {}) =>
      t.request({
        method: 'POST',
        url: `/api/definitions/${definitionId}/ballots`,
        as: users.chair,
        payload: { title: 'Which wording?', subject, rules: rules(ruleOverrides) },
      });
    const act = (ballotId: string, path: string, as: TestUser) => t.request({ method: 'POST', url: `/api/ballots/${ballotId}${path}`, as });
    const vote = (ballotId: string, as: TestUser, payload: object) => t.request({ method: 'PUT', url: `/api/ballots/${ballotId}/vote`, as, payload });
    return { ...group, definitionId, clause, propose, create, act, vote };
  }

  it('chooses between a clause and its amendments by plurality, and names the winner', async () => {
    const s = await setup();
    const clauseId = await s.clause('Training data is required.');
    const otherClause = await s.clause('Code is required.');
    const first = await s.propose(clauseId, 'Data information is required.', s.users.member);
    const second = await s.propose(clauseId, 'Training data is required where lawful.', s.users.editor);
    const elsewhere = await s.propose(otherClause, 'Code is optional.', s.users.member);

    expect((await s.create({ kind: 'amendments', clauseId, amendmentIds: [first, elsewhere] })).statusCode).toBe(400);
    expect((await s.create({ kind: 'amendments', clauseId, amendmentIds: [first] }, { kind: 'consensus' })).json().error.details).toEqual([
      { path: '/rules/kind', message: expect.any(String) },
    ]);
    expect((await s.create({ kind: 'amendments', clauseId, amendmentIds: [first] }, { options: ['A', 'B'] })).statusCode).toBe(400);
    const created = await s.create({ kind: 'amendments', clauseId, amendmentIds: [first, second] });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      format: 'choice',
      options: [
        { id: 'current', label: 'Keep the current text', text: 'Training data is required.' },
        { id: first, label: 'Amendment 1 by Member', text: 'Data information is required.', amendmentStatus: 'proposed' },
        { id: second, label: 'Amendment 2 by Editor', text: 'Training data is required where lawful.' },
        { id: 'abstain' },
        { id: 'recuse' },
      ],
    });
    const ballotId = created.json().id as string;
    await s.act(ballotId, '/open', s.users.chair);
    expect((await s.vote(ballotId, s.users.member, { position: 'yes' })).json().error.details).toEqual([
      { path: '/position', message: expect.stringContaining('current') },
    ]);
    expect((await s.vote(ballotId, s.users.member, { position: 'current', marks: [['required']] })).statusCode).toBe(400);
    expect((await s.vote(ballotId, s.users.member, { position: first })).json().myVote).toMatchObject({ position: first, marks: null });
    await s.vote(ballotId, s.users.editor, { position: second });
    await s.vote(ballotId, s.users.chair, { position: second, rationale: 'Lawful is the point.' });
    const closed = (await s.act(ballotId, '/close', s.users.chair)).json();
    expect(closed.result).toMatchObject({ outcome: 'passed', winner: second, counts: { current: 0, [first]: 1, [second]: 2, abstain: 0, recuse: 0 } });
    expect(closed.result.decidedBy).toContain('Amendment 2 by Editor');
    // The ballot decides; a person applies the winner (the chair here), and the option shows it.
    expect((await t.request({ method: 'POST', url: `/api/amendments/${second}/accept`, as: s.users.chair })).statusCode).toBe(200);
    const after = (await t.request({ method: 'GET', url: `/api/ballots/${ballotId}`, as: s.users.member })).json();
    expect(after.options.find((o: { id: string }) => o.id === second)).toMatchObject({ amendmentStatus: 'accepted' });

    const markdown = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/export?format=md`, as: s.users.observer })).body;
    expect(markdown).toContain('against 2 amendments');
    expect(markdown).toContain('“Amendment 2 by Editor” chosen');
  });

  it('refuses amendments that are no longer proposed, and custom options where they do not belong', async () => {
    const s = await setup();
    const clauseId = await s.clause('Model parameters are required.');
    const withdrawn = await s.propose(clauseId, 'Weights are required.', s.users.member);
    await t.request({ method: 'POST', url: `/api/amendments/${withdrawn}/withdraw`, as: s.users.member });
    expect((await s.create({ kind: 'amendments', clauseId, amendmentIds: [withdrawn] })).json()).toMatchObject({ error: { code: 'invalid_input' } });
    expect((await s.create({ kind: 'matrix', rows: ['Code'], columns: ['Use'] }, { options: ['A', 'B'] })).statusCode).toBe(400);
    expect((await s.create({ kind: 'clause', clauseId }, { countUnsure: false })).statusCode).toBe(400);
    expect((await s.create({ kind: 'clause', clauseId }, { options: ['Same', 'Same'] })).statusCode).toBe(400);
    expect((await s.create({ kind: 'clause', clauseId }, { options: ['Only one'] })).statusCode).toBe(400);
    expect(await t.db.selectFrom('ballots').select('id').where('definition_id', '=', s.definitionId).execute()).toEqual([]);
  });

  it('runs a clause ballot on custom options', async () => {
    const s = await setup();
    const clauseId = await s.clause('Open weights suffice.');
    const ballot = (
      await s.create(
        { kind: 'clause', clauseId },
        { options: ['Keep as is', 'Drop it', 'Send back to the drafting team'], resultsVisibility: 'live', quorum: 0 },
      )
    ).json();
    expect(ballot.options.map((o: { id: string }) => o.id)).toEqual(['option-1', 'option-2', 'option-3', 'abstain', 'recuse']);
    await s.act(ballot.id, '/open', s.users.chair);
    await s.vote(ballot.id, s.users.member, { position: 'option-3' });
    await s.vote(ballot.id, s.users.editor, { position: 'option-2' });
    const live = (await t.request({ method: 'GET', url: `/api/ballots/${ballot.id}`, as: s.users.observer })).json();
    expect(live.result).toMatchObject({ outcome: 'failed', winner: null });
    expect(live.result.decidedBy).toMatch(/^plurality: tie between “Drop it” and “Send back to the drafting team”/);
  });

  it('collects the component matrix cell by cell and reports a verdict, counts and turnout per cell', async () => {
    const s = await setup();
    const subject = { kind: 'matrix', rows: ['Training data', 'Code'], columns: ['Use', 'Study', 'Modify'] };
    expect((await s.create({ ...subject, rows: [] })).statusCode).toBe(400);
    expect((await s.create({ ...subject, rows: Array.from({ length: 25 }, (_, i) => `Row ${i}`) })).statusCode).toBe(400);
    const ballot = (await s.create(subject, { threshold: 2 / 3, countUnsure: true, secret: true })).json();
    expect(ballot).toMatchObject({ format: 'matrix', options: [{ id: 'marks' }, { id: 'abstain' }, { id: 'recuse' }], subjectText: null });
    await s.act(ballot.id, '/open', s.users.chair);

    const R = 'required';
    const N = 'not_required';
    const U = 'unsure';
    expect((await s.vote(ballot.id, s.users.member, { position: 'marks' })).json().error.details).toEqual([{ path: '/marks', message: 'is required' }]);
    expect((await s.vote(ballot.id, s.users.member, { position: 'marks', marks: [[R, R, R]] })).statusCode).toBe(400);
    expect(
      (
        await s.vote(ballot.id, s.users.member, {
          position: 'marks',
          marks: [
            [R, R],
            [R, R],
          ],
        })
      ).json().error.details,
    ).toEqual([{ path: '/marks/0', message: 'does not match the matrix' }]);
    expect(
      (
        await s.vote(ballot.id, s.users.member, {
          position: 'marks',
          marks: [
            [R, R, 'maybe'],
            [R, R, R],
          ],
        })
      ).statusCode,
    ).toBe(400);
    expect((await s.vote(ballot.id, s.users.member, { position: 'yes' })).statusCode).toBe(400);
    expect(await t.db.selectFrom('ballot_votes').select('id').where('ballot_id', '=', ballot.id).execute()).toEqual([]);

    const mine = (
      await s.vote(ballot.id, s.users.member, {
        position: 'marks',
        marks: [
          [R, R, N],
          [R, U, U],
        ],
      })
    ).json();
    expect(mine.myVote).toMatchObject({
      position: 'marks',
      marks: [
        [R, R, N],
        [R, U, U],
      ],
    });
    await s.vote(ballot.id, s.users.editor, {
      position: 'marks',
      marks: [
        [R, N, N],
        [R, R, U],
      ],
    });
    await s.vote(ballot.id, s.users.chair, {
      position: 'marks',
      marks: [
        [R, R, U],
        [N, N, U],
      ],
    });
    await s.vote(ballot.id, s.users.chair, {
      position: 'marks',
      marks: [
        [R, R, N],
        [N, N, U],
      ],
    }); // changed
    const closed = (await s.act(ballot.id, '/close', s.users.chair)).json();
    expect(closed.result).toMatchObject({ outcome: 'decided', turnout: { eligible: 3, voted: 3 }, counts: { marks: 3, abstain: 0, recuse: 0 } });
    const verdicts = closed.result.cells.map((row: { verdict: string }[]) => row.map((cell) => cell.verdict));
    expect(verdicts).toEqual([
      ['required', 'required', 'not_required'],
      ['required', 'undecided', 'undecided'],
    ]);
    expect(closed.result.cells[0][1]).toEqual({
      counts: { required: 2, not_required: 1, unsure: 0 },
      turnout: { marked: 3, electorate: 3 },
      share: 2 / 3,
      verdict: 'required',
    });
    // Secret: the chair sees the grid's result, not anyone's marks.
    expect(closed.votes).toEqual([]);
    expect(closed.myVote.marks).toEqual([
      [R, R, N],
      [N, N, U],
    ]);
    const asMember = JSON.stringify((await t.request({ method: 'GET', url: `/api/ballots/${ballot.id}`, as: s.users.member })).json());
    expect(asMember).not.toContain(
      JSON.stringify([
        [R, N, N],
        [R, R, U],
      ]),
    );

    const markdown = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/export?format=md`, as: s.users.member })).body;
    expect(markdown).toContain('| Component | Use | Study | Modify |');
    expect(markdown).toContain(
      '| Training data | Required (3 R / 0 N / 0 U; 3 of 3) | Required (2 R / 1 N / 0 U; 3 of 3) | Not required (0 R / 3 N / 0 U; 3 of 3) |',
    );
    const html = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/export?format=html`, as: s.users.member })).body;
    expect(html).toContain('<th>Study</th>');
    const json = JSON.stringify((await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/export?format=json`, as: s.users.chair })).json());
    expect(json).not.toContain('"marks":[[');
  });
});

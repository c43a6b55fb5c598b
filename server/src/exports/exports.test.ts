import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.ts';

describe('definition export with the decision record', () => {
  const t = useTestApp();

  it('exports text, ballots, accepted amendments, threads and the audit hash in JSON, Markdown and HTML', async () => {
    const { slug, users } = await t.groupWithRoles();
    const definitionId = (
      await t.request({ method: 'POST', url: `/api/groups/${slug}/definitions`, as: users.chair, payload: { slug: 'osaid', title: 'OSAID <b>1.0</b>' } })
    ).json().id;
    const clauseId = (
      await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/clauses`, as: users.editor, payload: { text: 'Training data is required.' } })
    ).json().id;
    await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/versions`, as: users.chair, payload: { label: '0.9', notes: '' } });
    const amendment = (
      await t.request({
        method: 'POST',
        url: `/api/definitions/${definitionId}/amendments`,
        as: users.member,
        payload: { clauseId, text: 'Data information is required.', rationale: 'Sharing data is not always lawful.' },
      })
    ).json();
    await t.request({ method: 'POST', url: `/api/amendments/${amendment.id}/accept`, as: users.editor });
    const thread = (
      await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/threads`, as: users.member, payload: { clauseId, body: 'Which data?' } })
    ).json();
    await t.request({ method: 'POST', url: `/api/threads/${thread.id}/resolve`, as: users.editor });
    const rules = {
      kind: 'binding',
      eligibleRoles: ['chair', 'editor', 'member'],
      quorum: 0.5,
      threshold: 0.5,
      blockingObjectionFails: false,
      secret: true,
      resultsVisibility: 'after_close',
      closesAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
    const ballot = (
      await t.request({
        method: 'POST',
        url: `/api/definitions/${definitionId}/ballots`,
        as: users.chair,
        payload: { title: 'Adopt clause 1', subject: { kind: 'clause', clauseId }, rules },
      })
    ).json();
    await t.request({ method: 'POST', url: `/api/ballots/${ballot.id}/open`, as: users.chair });
    await t.request({ method: 'PUT', url: `/api/ballots/${ballot.id}/vote`, as: users.member, payload: { position: 'object', rationale: 'Too vague' } });
    await t.request({ method: 'PUT', url: `/api/ballots/${ballot.id}/vote`, as: users.editor, payload: { position: 'yes' } });
    await t.request({ method: 'POST', url: `/api/ballots/${ballot.id}/close`, as: users.chair });

    const json = await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/export?format=json`, as: users.observer });
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-disposition']).toContain('.json');
    const data = json.json();
    expect(data.text).toMatchObject({ source: 'current draft', clauses: [{ id: clauseId, text: 'Data information is required.' }] });
    expect(data.decisions.ballots).toEqual([
      expect.objectContaining({
        title: 'Adopt clause 1',
        status: 'closed',
        result: expect.objectContaining({ outcome: 'passed', counts: expect.objectContaining({ yes: 1, object: 1 }) }),
      }),
    ]);
    expect(data.decisions.acceptedAmendments).toEqual([
      expect.objectContaining({ id: amendment.id, acceptedBy: 'Editor', proposedText: 'Data information is required.' }),
    ]);
    expect(data.decisions.threads).toEqual([expect.objectContaining({ clauseId, open: 0, resolved: 1 })]);
    const events = (await t.request({ method: 'GET', url: `/api/groups/${slug}/events?limit=1`, as: users.chair })).json().events;
    expect(data.audit).toMatchObject({ seq: events[0].seq, hash: events[0].hash });
    // The secret ballot's export names nobody's position.
    expect(json.body).not.toContain(users.member.user.id);
    expect(json.body).not.toContain('Too vague');

    const version = (await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/export?format=json&version=0.9`, as: users.member })).json();
    expect(version.text).toMatchObject({ source: 'version 0.9', clauses: [{ text: 'Training data is required.' }] });

    const md = await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/export?format=md`, as: users.member });
    expect(md.headers['content-type']).toContain('text/markdown');
    expect(md.body).toContain('## Decision record');
    expect(md.body).toContain('Result: **passed** — threshold: 1 Yes of 2 Yes + Object = 50%');
    expect(md.body).toContain('proposed by Member, accepted by Editor');
    expect(md.body).toContain(`hash \`${events[0].hash}\``);

    const html = await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/export?format=html`, as: users.member });
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('<title>OSAID &#60;b&#62;1.0&#60;/b&#62;</title>');
    expect(html.body).not.toContain('<b>1.0</b>');
    expect(html.body).toContain('<h2>Decision record</h2>');
  });

  it('names clauses as the editor numbers them: headings are not counted as clauses', async () => {
    const { slug, users } = await t.groupWithRoles();
    const definitionId = (
      await t.request({ method: 'POST', url: `/api/groups/${slug}/definitions`, as: users.chair, payload: { slug: 'osaid', title: 'OSAID' } })
    ).json().id;
    const add = async (kind: 'heading' | 'clause', text: string) =>
      (await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/clauses`, as: users.editor, payload: { kind, text } })).json().id as string;
    await add('heading', 'Scope');
    await add('clause', 'Open Source AI is an AI system.');
    await add('heading', 'Freedoms');
    const second = await add('clause', 'It grants four freedoms.');
    const rules = {
      kind: 'advisory',
      eligibleRoles: ['chair', 'editor', 'member'],
      quorum: 0,
      threshold: 0.5,
      blockingObjectionFails: false,
      secret: false,
      resultsVisibility: 'live',
      closesAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
    const ballot = (
      await t.request({
        method: 'POST',
        url: `/api/definitions/${definitionId}/ballots`,
        as: users.chair,
        payload: { title: 'Keep the freedoms', subject: { kind: 'clause', clauseId: second }, rules },
      })
    ).json();
    expect((await t.request({ method: 'POST', url: `/api/ballots/${ballot.id}/open`, as: users.chair })).statusCode).toBe(200);
    await t.request({
      method: 'POST',
      url: `/api/definitions/${definitionId}/threads`,
      as: users.member,
      payload: { clauseId: second, body: 'Which freedoms?' },
    });

    const data = (await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/export?format=json`, as: users.member })).json();
    expect(data.text.clauses.map((c: { label: string }) => c.label)).toEqual(['Heading 1', 'Clause 1', 'Heading 2', 'Clause 2']);
    expect(data.text.clauses[3]).toMatchObject({ id: second, position: 3, label: 'Clause 2' });

    // The editor calls the ballot's clause "Clause 2"; so does the record (its position would make it the fourth).
    const md = (await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/export?format=md`, as: users.member })).body;
    expect(md).toContain('**Clause 2**\n\nIt grants four freedoms.');
    expect(md).toContain('#### Keep the freedoms (Clause 2) — open');
    expect(md).toContain('- Clause 2: 1 open, 0 resolved');
    expect(md).not.toMatch(/clause [34]/i);
    const html = (await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/export?format=html`, as: users.member })).body;
    expect(html).toContain('<h4>Keep the freedoms (Clause 2) — open</h4>');
  });

  it('prints: an embedded stylesheet with print rules, the decision record, escaped user text and the chain head in the footer', async () => {
    const { slug, users } = await t.groupWithRoles();
    const definitionId = (
      await t.request({
        method: 'POST',
        url: `/api/groups/${slug}/definitions`,
        as: users.chair,
        payload: { slug: 'osaid', title: 'OSAID "1.0" & <i>more</i>' },
      })
    ).json().id;
    const clauseId = (
      await t.request({
        method: 'POST',
        url: `/api/definitions/${definitionId}/clauses`,
        as: users.editor,
        payload: { text: 'Data <script>alert(1)</script> is required.' },
      })
    ).json().id;
    await t.request({
      method: 'POST',
      url: `/api/definitions/${definitionId}/versions`,
      as: users.chair,
      payload: { label: '0.9', notes: 'First <b>draft</b>' },
    });
    const amendment = (
      await t.request({
        method: 'POST',
        url: `/api/definitions/${definitionId}/amendments`,
        as: users.member,
        payload: { clauseId, text: 'Data information is required.', rationale: 'Lawful <em>sharing</em>' },
      })
    ).json();
    expect((await t.request({ method: 'POST', url: `/api/amendments/${amendment.id}/accept`, as: users.editor })).statusCode).toBe(200);
    const rules = {
      kind: 'binding',
      eligibleRoles: ['chair', 'editor', 'member'],
      quorum: 0.5,
      threshold: 0.5,
      blockingObjectionFails: false,
      secret: false,
      resultsVisibility: 'live',
      closesAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
    const ballot = (
      await t.request({
        method: 'POST',
        url: `/api/definitions/${definitionId}/ballots`,
        as: users.chair,
        payload: { title: 'Adopt <u>clause</u> 1', subject: { kind: 'clause', clauseId }, rules },
      })
    ).json();
    await t.request({ method: 'POST', url: `/api/ballots/${ballot.id}/open`, as: users.chair });
    await t.request({ method: 'PUT', url: `/api/ballots/${ballot.id}/vote`, as: users.member, payload: { position: 'yes' } });
    await t.request({ method: 'PUT', url: `/api/ballots/${ballot.id}/vote`, as: users.editor, payload: { position: 'yes' } });
    await t.request({ method: 'POST', url: `/api/ballots/${ballot.id}/close`, as: users.chair });

    const res = await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/export?format=html`, as: users.observer });
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body).toMatch(/<style>[\s\S]*@media print[\s\S]*<\/style>/);
    expect(body).toContain('@page');
    expect(body).toContain('break-before: page');
    expect(body).toContain('<section class="decision-record">');
    expect(body).toContain('<h3>Ballots</h3>');
    expect(body).toContain('Turnout: 2 of 3 eligible');
    expect(body).toContain('Result: <strong>passed</strong>');
    expect(body).toContain('<h3>Accepted amendments</h3>');
    expect(body).toContain('<h3>Versions</h3>');
    expect(body).toContain('Version 0.9, published by Chair');
    // User text reads as written, never as markup.
    expect(body).not.toMatch(/<script|<b>draft|<em>sharing|<u>clause|<i>more/i);
    expect(body).toContain('&lt;b&gt;draft&lt;/b&gt;');
    expect(body).toContain('<title>OSAID &#34;1.0&#34; &#38; &#60;i&#62;more&#60;/i&#62;</title>');
    // The footer carries the head of the group's hash chain, as verify reports it.
    const verify = (await t.request({ method: 'GET', url: `/api/groups/${slug}/events/verify`, as: users.chair })).json();
    const footer = body.slice(body.indexOf('<footer class="audit-footer">'));
    expect(footer).toContain(`<code class="audit-head">${verify.headHash}</code>`);
    expect(verify.headHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is for members, and refuses bad formats and unknown versions', async () => {
    const { slug, users } = await t.groupWithRoles();
    const definitionId = (
      await t.request({ method: 'POST', url: `/api/groups/${slug}/definitions`, as: users.chair, payload: { slug: 'osaid', title: 'OSAID' } })
    ).json().id;
    expect((await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/export?format=json`, as: users.outsider })).statusCode).toBe(404);
    expect((await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/export?format=json` })).statusCode).toBe(404);
    expect((await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/export?format=pdf`, as: users.chair })).statusCode).toBe(400);
    expect((await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/export`, as: users.chair })).statusCode).toBe(400);
    expect((await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/export?format=md&version=9.9`, as: users.chair })).statusCode).toBe(404);
  });
});

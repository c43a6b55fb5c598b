import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.ts';

/**
 * Markdown we produce is read by other programs, many of which render HTML inside Markdown. User text
 * in it must read as the text it is: a renderer that allows raw HTML still shows no tag, no link.
 */
describe('Markdown we produce', () => {
  const t = useTestApp();
  const permissive = new MarkdownIt({ html: true, linkify: true });
  const HOSTILE = '<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)> &lt;b&gt; | cell |';

  /** What a renderer that allows HTML makes of it: no element or link from the user text may appear. */
  function expectInert(markdown: string, where: string) {
    const html = permissive.render(markdown);
    expect(html, where).not.toMatch(/<script|<img|href="javascript|<b>|<table/i);
    expect(html, where).toContain('alert(1)'); // the words are still there, as text
  }

  it('escapes user text in clause Markdown, versions, exports and the public page', async () => {
    const { slug, users } = await t.groupWithRoles('public');
    const definitionId = (
      await t.request({ method: 'POST', url: `/api/groups/${slug}/definitions`, as: users.chair, payload: { slug: 'hostile', title: `Title ${HOSTILE}` } })
    ).json().id as string;
    const clause = await t.request({
      method: 'POST',
      url: `/api/definitions/${definitionId}/clauses`,
      as: users.editor,
      payload: { text: `${HOSTILE}\n- not a list\n1. nor this\n# nor a heading` },
    });
    expect(clause.statusCode).toBe(201);
    const clauseId = clause.json().id as string;
    const thread = await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/threads`, as: users.member, payload: { clauseId, body: HOSTILE } });
    expect(thread.statusCode).toBe(201);
    expect(
      (await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/versions`, as: users.chair, payload: { label: '1.0', notes: HOSTILE } }))
        .statusCode,
    ).toBe(201);
    await t.request({ method: 'PATCH', url: `/api/definitions/${definitionId}`, as: users.chair, payload: { status: 'public-comment' } });

    const detail = (await t.request({ method: 'GET', url: `/api/definitions/${definitionId}`, as: users.member })).json();
    expectInert(detail.clauses[0].markdown, 'clause markdown');
    // Lines after a hard break stay lines of the paragraph: no list, no heading.
    const clauseHtml = permissive.render(detail.clauses[0].markdown);
    expect(clauseHtml).not.toMatch(/<li>|<ol|<ul|<h1/);
    // The HTML the page shows before its editor loads: the words as text, no element or link from them.
    expect(detail.clauses[0].html).not.toMatch(/<script|<img|href="javascript|<b>|<li>|<h1/i);
    expect(detail.clauses[0].html).toContain('&lt;script&gt;alert(1)');

    const version = await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/versions/1.0?format=md`, as: users.member });
    expect(version.statusCode).toBe(200);
    expectInert(version.body, 'version Markdown');
    expect(permissive.render(version.body)).not.toMatch(/<li>|<ol/);

    const exported = await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/export?format=md`, as: users.member });
    expect(exported.statusCode).toBe(200);
    expectInert(exported.body, 'export Markdown');
    const exportedHtml = await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/export?format=html`, as: users.member });
    expect(exportedHtml.body).not.toMatch(/<script|<img|href="javascript/i);

    const publicPage = await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/public` });
    expect(publicPage.statusCode).toBe(200);
    const [publicClause] = publicPage.json().clauses;
    expectInert(publicClause.markdown, 'public markdown');
    expect(publicClause.html).not.toMatch(/<script|<img|href="javascript/i);
  });
});

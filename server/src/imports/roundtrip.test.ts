import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DraftImport } from '@draftroom/shared';
import { useTestApp, type TestUser } from '../../test/support/app.ts';
import { ballotRules } from '../../test/support/ballots.ts';

const FIXTURE = readFileSync(new URL('./fixtures/osaid-like.md', import.meta.url), 'utf8');

type Shape = { kind: string; text: string; markdown: string };
const shape = ({ kind, text, markdown }: Shape): Shape => ({ kind, text, markdown });

/** Export → import gives the same clauses (kinds, order, text, formatting), through the real routes. */
describe('import round trip with Draftroom’s exports', () => {
  const t = useTestApp();

  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, as: TestUser, payload?: object) => {
    const response = await t.request({ method, url, as, ...(payload && { payload }) });
    expect(response.statusCode, `${method} ${url}: ${response.body.slice(0, 300)}`).toBeLessThan(300);
    return response;
  };
  const draftOf = async (id: string, as: TestUser): Promise<Shape[]> => (await call('GET', `/api/definitions/${id}`, as)).json().clauses.map(shape);
  const previewOf = async (slug: string, as: TestUser, format: string, source: string) =>
    (await call('POST', `/api/groups/${slug}/definitions/import`, as, { format, source, preview: true })).json();
  const exported = async (id: string, as: TestUser, format: 'md' | 'html', version?: string) =>
    (await call('GET', `/api/definitions/${id}/export?format=${format}${version ? `&version=${version}` : ''}`, as)).body;

  it('reads the OSAID-like document back from its Markdown and HTML exports as the same clauses, and as no change to its own draft', async () => {
    const { slug, users } = await t.groupWithRoles();
    const created = (await call('POST', `/api/groups/${slug}/definitions/import`, users.chair, { format: 'markdown', source: FIXTURE })).json();
    const draft = await draftOf(created.id, users.chair);
    expect(draft).toHaveLength(19);
    // Headings, the four freedoms as a list, the three components with their nested lists, links and emphasis.
    expect(draft.filter((clause) => clause.kind === 'heading').map((clause) => clause.text)).toEqual([
      'Preamble',
      'Why we need Open Source AI',
      'What is Open Source AI',
      'Preferred form to make modifications to machine-learning systems',
      'Open Source models and Open Source weights',
      'How this definition is maintained',
    ]);
    expect(draft.find((clause) => clause.markdown.startsWith('* **Data information:**'))!.markdown).toMatch(/\n {2}\* a list of all the training data/);

    for (const format of ['md', 'html'] as const) {
      const text = await exported(created.id, users.member, format);
      const again = await previewOf(slug, users.editor, format === 'md' ? 'markdown' : 'html', text);
      expect(again.title, format).toBe('The Open Source AI Definition – 1.0');
      expect(again.clauses.map(shape), format).toEqual(draft);
      expect(again.warnings, format).toEqual([]);
      // Imported into the definition it came from, it changes nothing.
      const into = (
        await call('POST', `/api/definitions/${created.id}/import`, users.editor, {
          format: format === 'md' ? 'markdown' : 'html',
          source: text,
          preview: true,
        })
      ).json() as DraftImport;
      expect(into.diff.summary, format).toEqual({ added: 0, removed: 0, moved: 0, modified: 0, unchanged: 19 });
    }

    // And again from the second generation: Markdown → export → import → export → import is stable.
    const second = (
      await call('POST', `/api/groups/${slug}/definitions/import`, users.chair, { format: 'markdown', source: await exported(created.id, users.chair, 'md') })
    ).json();
    expect(await draftOf(second.id, users.chair)).toEqual(draft);
    expect((await previewOf(slug, users.chair, 'html', await exported(second.id, users.chair, 'html'))).clauses.map(shape)).toEqual(draft);
  });

  it('reads a demo-like draft with a decision record back from its exports, the draft and a version alike', async () => {
    const { slug, users } = await t.groupWithRoles();
    const id = (await call('POST', `/api/groups/${slug}/definitions`, users.chair, { slug: 'osaid', title: 'The Open Source AI Definition' })).json()
      .id as string;
    const text = (value: string, marks?: object[]) => ({ type: 'text', text: value, ...(marks && { marks }) });
    const paragraph = (...content: object[]) => ({ type: 'paragraph', content });
    const item = (...content: object[]) => ({ type: 'listItem', content });
    const clauses: ({ kind: 'heading'; text: string } | { kind: 'clause'; content: object })[] = [
      { kind: 'heading', text: 'Preamble' },
      {
        kind: 'clause',
        content: {
          type: 'doc',
          content: [
            paragraph(
              text('AI systems should be available under terms that grant '),
              text('the freedoms', [{ type: 'bold' }]),
              text(' the '),
              text('open source', [{ type: 'italic' }]),
              text(' movement secured for '),
              text('software', [{ type: 'link', attrs: { href: 'https://opensource.org/osd' } }]),
              text('.'),
            ),
          ],
        },
      },
      { kind: 'heading', text: 'What is Open Source AI' },
      {
        kind: 'clause',
        content: {
          type: 'doc',
          content: [
            paragraph(text('An Open Source AI grants the freedoms to:')),
            {
              type: 'bulletList',
              content: ['Use', 'Study', 'Modify', 'Share'].map((freedom) => item(paragraph(text(freedom, [{ type: 'bold' }]), text(' the system.')))),
            },
          ],
        },
      },
      { kind: 'heading', text: 'Preferred form to make modifications' },
      {
        kind: 'clause',
        content: {
          type: 'doc',
          content: [
            {
              type: 'orderedList',
              attrs: { start: 1 },
              content: [
                item(paragraph(text('Data information:', [{ type: 'bold' }]), text(' enough detail to rebuild the system.')), {
                  type: 'bulletList',
                  content: [item(paragraph(text('its provenance'))), item(paragraph(text('its filtering, with '), text('code', [{ type: 'code' }])))],
                }),
                item(paragraph(text('Code:', [{ type: 'bold' }]), text(' the complete source code.'))),
                item(paragraph(text('Parameters:', [{ type: 'bold' }]), text(' weights and settings.'))),
              ],
            },
          ],
        },
      },
      {
        kind: 'clause',
        content: {
          type: 'doc',
          content: [
            paragraph(
              text('Characters that look like markup stay text: * _ ` [x](y) <b> & | # 1. \\ and a line'),
              { type: 'hardBreak' },
              text('- broken here.'),
            ),
            paragraph(text('Write to '), text('the group', [{ type: 'link', attrs: { href: 'mailto:wg@example.org' } }]), text('.')),
          ],
        },
      },
    ];
    const ids: string[] = [];
    for (const clause of clauses) {
      const payload = clause.kind === 'heading' ? { kind: 'heading', text: clause.text } : { kind: 'clause', content: clause.content };
      ids.push((await call('POST', `/api/definitions/${id}/clauses`, users.editor, payload)).json().id);
    }
    // A decision record to leave out: a version, a closed ballot, an accepted amendment and a thread.
    await call('POST', `/api/definitions/${id}/versions`, users.chair, { label: '0.9', notes: 'First *public* draft.\n\n> quoted' });
    const ballot = (
      await call('POST', `/api/definitions/${id}/ballots`, users.chair, { title: 'Adopt', subject: { kind: 'clause', clauseId: ids[1] }, rules: ballotRules() })
    ).json();
    await call('POST', `/api/ballots/${ballot.id}/open`, users.chair);
    await call('PUT', `/api/ballots/${ballot.id}/vote`, users.member, { position: 'yes' });
    await call('POST', `/api/ballots/${ballot.id}/close`, users.chair);
    const amendment = (
      await call('POST', `/api/definitions/${id}/amendments`, users.member, { clauseId: ids[3], text: 'Clause 9', rationale: 'A label-like text.' })
    ).json();
    await call('POST', `/api/amendments/${amendment.id}/reject`, users.editor, { reason: 'No.' });
    await call('POST', `/api/definitions/${id}/threads`, users.member, { clauseId: ids[1], body: '## Not a heading\n\n**Clause 2**' });

    const draft = await draftOf(id, users.chair);
    expect(draft.map((clause) => clause.kind)).toEqual(clauses.map((clause) => clause.kind));
    for (const version of [undefined, '0.9']) {
      for (const format of ['md', 'html'] as const) {
        const source = await exported(id, users.member, format, version);
        expect(source, `${format} ${version}`).toContain('Decision record');
        const again = await previewOf(slug, users.editor, format === 'md' ? 'markdown' : 'html', source);
        expect(again.clauses.map(shape), `${format} ${version ?? 'draft'}`).toEqual(draft);
        expect(again.title).toBe('The Open Source AI Definition');
        expect(again.warnings).toEqual([]);
        expect(again.stripped.join('\n')).toMatch(/export note[\s\S]*decision record[\s\S]*4 clause labels/);
      }
    }
  });
});

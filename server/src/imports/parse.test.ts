import { readFileSync } from 'node:fs';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { describe, expect, it } from 'vitest';
import { clauseLabels, MAX_IMPORT_BYTES, MAX_IMPORT_CLAUSES, type ImportFormat } from '@draftroom/shared';
import { AppError } from '../errors.ts';
import { exportHtml, exportMarkdown, type DefinitionExport } from '../exports/service.ts';
import { renderContent } from '../text/content.ts';
import { contentFromJson } from '../text/write.ts';
import { MAX_DEPTH } from '../text/schema.ts';
import { versionMarkdown } from '../versions/service.ts';
import { MAX_INLINE_RUNS, MAX_LIST_LEVELS } from './blocks.ts';
import { parseImport, type ParsedImport } from './parse.ts';

const FIXTURE = readFileSync(new URL('./fixtures/osaid-like.md', import.meta.url), 'utf8');

const md = (source: string) => parseImport('markdown', source);
const html = (source: string) => parseImport('html', source);
const shapes = (parsed: ParsedImport) => parsed.clauses.map(({ kind, markdown }) => [kind, markdown]);

function refusal(format: ImportFormat, source: string): AppError {
  try {
    parseImport(format, source);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('parsed without refusing');
}

function depthOf(node: ProseMirrorNode): number {
  let deepest = 0;
  node.forEach((child) => {
    deepest = Math.max(deepest, depthOf(child));
  });
  return deepest + 1;
}

/** An export of these clauses as Draftroom's exports write it (labels, note, decision record, footer). */
function exportOf(parsed: ParsedImport, title = 'Exported'): DefinitionExport {
  const labels = clauseLabels(parsed.clauses.map((clause) => clause.kind));
  return {
    definition: { id: '00000000-0000-4000-8000-000000000001', title, status: 'drafting' },
    text: {
      source: 'current draft',
      clauses: parsed.clauses.map((clause, i) => ({
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        kind: clause.kind,
        position: i,
        label: labels[i]!,
        text: clause.text,
        markdown: clause.markdown,
        authors: [],
      })),
    },
    decisions: {
      ballots: [],
      acceptedAmendments: [],
      threads: [],
      dispositions: [],
      versions: [{ label: '0.9', notes: 'A *first* draft — with **notes**.', publishedBy: 'Ada', publishedAt: '2026-01-02T03:04:05.000Z' }],
    },
    audit: { chain: 'group:x', seq: 7, hash: 'ab'.repeat(32), server: null },
    exportedAt: '2026-02-03T04:05:06.789Z',
  };
}

describe('reading Markdown as clauses', () => {
  it('makes headings heading clauses, paragraphs and top-level lists clauses, and keeps bold, italic, code and links', () => {
    const parsed = md(
      [
        '# Title',
        '',
        '## Part one',
        '',
        'Some **bold**, *italic*, `code` and a [link](https://example.org/a_b) with [mail](mailto:wg@example.org).',
        'A soft break joins lines; a hard one  ',
        'keeps them apart.',
        '',
        '- one',
        '- two',
        '  - nested *one*',
        '',
        '3. third',
        '4. fourth',
        '',
        '###### Deepest',
        '',
        '# A later level-one heading',
      ].join('\n'),
    );
    expect(parsed.title).toBe('Title');
    expect(shapes(parsed)).toEqual([
      ['heading', 'Part one'],
      [
        'clause',
        'Some **bold**, *italic*, `code` and a [link](https://example.org/a_b) with [mail](mailto:wg@example.org). A soft break joins lines; a hard one\\\nkeeps them apart.',
      ],
      ['clause', '* one\n* two\n  * nested *one*'],
      ['clause', '3. third\n4. fourth'],
      ['heading', 'Deepest'],
      ['heading', 'A later level-one heading'],
    ]);
    expect(parsed.clauses[1]!.text).toBe('Some bold, italic, code and a link with mail. A soft break joins lines; a hard one\nkeeps them apart.');
    expect(parsed.warnings).toEqual([]);
    expect(parsed.stripped).toEqual(['The first heading, “Title”, is the title, not a clause.']);
    // The source is named in the audit log by its hash.
    expect(parsed.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('turns what a clause cannot hold into the nearest thing it can, and reports each loss with its line', () => {
    const parsed = md(
      [
        'Intro with a [script link](javascript:alert(1)), ~~struck~~ and <b>inline</b> tags.', // 1
        '', // 2
        '> Quoted wisdom', // 3
        '', // 4
        '| a | b |', // 5
        '|---|---|', // 6
        '| 1 | 2 |', // 7
        '', // 8
        '```js', // 9
        'run(1);', // 10
        '```', // 11
        '', // 12
        '![A diagram](https://example.org/d.png)', // 13
        '', // 14
        '---', // 15
        '', // 16
        '<div onclick="steal()">raw <script>alert(2)</script></div>', // 17
        '', // 18
        'After <!-- a comment --> all.', // 19
        '', // 20
        '## **Bold** heading', // 21
      ].join('\n'),
    );
    expect(shapes(parsed)).toEqual([
      ['clause', 'Intro with a script link, struck and inline tags.'],
      ['clause', 'Quoted wisdom'],
      ['clause', 'a \\| b'],
      ['clause', '1 \\| 2'],
      ['clause', '`run(1);`'],
      ['clause', 'A diagram'],
      ['clause', 'After all.'],
      ['heading', 'Bold heading'],
    ]);
    expect(parsed.warnings).toEqual([
      { line: 1, message: 'The link to “javascript:alert(1)” is not kept (only http, https and mailto links are); its text is.' },
      { line: 1, message: 'Strikethrough is not kept: the struck text reads as ordinary text.' },
      { line: 1, message: 'Inline HTML tags are not imported; the text between them is.' },
      { line: 3, message: 'A block quote became plain paragraphs.' },
      { line: 5, message: 'A table became one paragraph per row, its cells separated by “ | ”.' },
      { line: 9, message: 'A code block became a paragraph in code font.' },
      { line: 13, message: 'An image became its description, “A diagram”.' },
      { line: 15, message: 'A horizontal rule is not kept.' },
      { line: 17, message: 'A block of raw HTML is not imported.' },
      { line: 21, message: 'Formatting in a heading is not kept: headings are plain text.' },
    ]);
    // Nothing of the raw HTML survives, not even as text that a renderer allowing HTML would run.
    expect(parsed.clauses.map((clause) => clause.markdown).join('\n')).not.toMatch(/steal|alert\(2\)|<script|<div/);
  });

  it('keeps only http, https and mailto links, in both formats', () => {
    for (const href of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html;base64,PHNjcmlwdD4=',
      'vbscript:x',
      '/relative',
      '#anchor',
      'file:///etc/passwd',
    ]) {
      for (const parsed of [md(`A [link](${href}) here.`), html(`<p>A <a href="${href.replaceAll('"', '&quot;')}">link</a> here.</p>`)]) {
        expect(
          parsed.clauses.map((clause) => clause.markdown),
          href,
        ).toEqual(['A link here.']);
        expect(parsed.warnings[0]?.message, href).toMatch(/^The link to “.*” is not kept/);
      }
    }
    expect(shapes(html('<p><a href=" https://example.org/ü?q=a b ">x</a></p>'))).toEqual([['clause', '[x](https://example.org/%C3%BC?q=a%20b)']]);
  });

  it('keeps nested lists, and flattens those nested deeper than a clause may be', () => {
    const deep = Array.from({ length: MAX_LIST_LEVELS + 5 }, (_, i) => `${'  '.repeat(i)}- level ${i + 1}`).join('\n');
    const parsed = md(deep);
    expect(parsed.clauses).toHaveLength(1);
    const clause = parsed.clauses[0]!;
    // Every word is kept; the deepest paragraph is within the document's depth.
    for (let i = 1; i <= MAX_LIST_LEVELS + 5; i++) expect(clause.text).toContain(`level ${i}`);
    expect(depthOf(clause.content)).toBeLessThanOrEqual(MAX_DEPTH + 1);
    expect(parsed.warnings.map((warning) => warning.message)).toContain(
      `A list nested more than ${MAX_LIST_LEVELS} levels deep became paragraphs of its parent item.`,
    );
    // Within the limit, nothing is flattened.
    const shallow = md(Array.from({ length: MAX_LIST_LEVELS }, (_, i) => `${'  '.repeat(i)}- level ${i + 1}`).join('\n'));
    expect(shallow.warnings).toEqual([]);
    expect(shallow.clauses[0]!.markdown.split('\n').at(-1)).toBe(`${'  '.repeat(MAX_LIST_LEVELS - 1)}* level ${MAX_LIST_LEVELS}`);
  });

  it('reads back a nested list numbered from another number than 1, as the clause Markdown writes it', () => {
    const text = (t: string) => ({ type: 'text', text: t });
    const item = (...content: object[]) => ({ type: 'listItem', content });
    const paragraph = (t: string) => ({ type: 'paragraph', content: [text(t)] });
    const doc = {
      type: 'doc',
      content: [
        {
          type: 'bulletList',
          content: [
            item(paragraph('Components'), { type: 'orderedList', attrs: { start: 7 }, content: [item(paragraph('Code')), item(paragraph('Weights'))] }),
            item(paragraph('Freedoms')),
          ],
        },
      ],
    };
    const written = renderContent(contentFromJson(doc)).markdown;
    const read = md(written);
    expect(read.clauses).toHaveLength(1);
    expect(read.clauses[0]!.markdown).toBe(written);
    expect(read.clauses[0]!.text).toBe(renderContent(contentFromJson(doc)).text);
    expect(JSON.stringify(read.clauses[0]!.content)).toContain('"start":7');
  });

  it('reads plain text as paragraphs separated by blank lines, its line breaks kept and nothing read as markup', () => {
    const parsed = parseImport('text', 'First *line*\r\n# not a heading\n\n\n  <b>Second</b> [x](javascript:y)  \n');
    expect(parsed.clauses.map((clause) => clause.text)).toEqual(['First *line*\n# not a heading', '  <b>Second</b> [x](javascript:y)']);
    expect(parsed.clauses[0]!.markdown).toBe('First \\*line\\*\\\n\\# not a heading');
    expect(parsed.title).toBeNull();
  });

  it('never stores a NUL, and does not read a byte order mark as text', () => {
    const parsed = md('\uFEFF# T\n\nA\u0000B');
    expect(parsed.title).toBe('T');
    expect(parsed.clauses[0]!.text).toBe('A\uFFFDB');
  });
});

describe('reading HTML as clauses', () => {
  it('reads it as a browser shows it: implied ends, collapsed white space, entities, breaks and formatting', () => {
    const parsed = html(`<!doctype html>
<html><head><title>Ignored  title</title><style>p { color: red }</style><script>alert(1)</script></head>
<body onload="steal()">
  <h1>The   <em>Real</em> title</h1>
  <p>First &amp; <b>bold <i>both</i></b>
     then <code>code</code>,<br>a new line &nbsp;and&#x20;<a href="https://example.org">a link</a>
  <p>Second paragraph, never closed
  <ul><li>one<li>two<ul><li>nested</ul></ul>
  <ol start="4"><li><p>four</p><p>still four</p><li>five</ol>
  Loose text <span class="x">in a span</span>
  <div><div><h2>A  heading</h2></div></div>
</body></html>`);
    expect(parsed.title).toBe('The Real title');
    expect(shapes(parsed)).toEqual([
      ['clause', 'First \\& **bold *both*** then `code`,\\\na new line \u00a0and [a link](https://example.org)'],
      ['clause', 'Second paragraph, never closed'],
      ['clause', '* one\n* two\n  * nested'],
      ['clause', '4. four\n\n   still four\n5. five'],
      ['clause', 'Loose text in a span'],
      ['heading', 'A heading'],
    ]);
    expect(parsed.warnings).toEqual([{ line: 4, message: 'Formatting in a heading is not kept: headings are plain text.' }]);
  });

  it('drops scripts, styles, frames and forms with a warning, never their text into a clause', () => {
    const parsed = html(
      '<p>Keep</p>\n<script>document.cookie</script>\n<iframe src="https://evil.example"></iframe>\n<p>Also <svg><text>svg text</text></svg>kept <button>Click</button></p>\n<style>body{}</style>',
    );
    expect(parsed.clauses.map((clause) => clause.text)).toEqual(['Keep', 'Also kept']);
    expect(parsed.warnings).toEqual([
      { line: 2, message: 'A <script> element is not imported.' },
      { line: 3, message: 'A <iframe> element is not imported.' },
      { line: 4, message: 'A <svg> element is not imported.' },
      { line: 4, message: 'A <button> element is not imported.' },
      { line: 5, message: 'A <style> element is not imported.' },
    ]);
  });

  it('turns tables, quotes, code, images and rules into paragraphs, reporting each', () => {
    const parsed = html(
      '<table><tr><th>Component</th><th>Required</th></tr><tr><td><b>Code</b></td><td>yes</td></tr></table>\n<blockquote><p>Quote</p></blockquote>\n<pre>\n  x = 1\n  y = 2</pre>\n<p><img src="a.png" alt="Chart"> and <img src="b.png"></p><hr>',
    );
    expect(shapes(parsed)).toEqual([
      ['clause', 'Component \\| Required'],
      ['clause', '**Code** \\| yes'],
      ['clause', 'Quote'],
      ['clause', '`  x = 1`\\\n`  y = 2`'],
      ['clause', 'Chart and'],
    ]);
    expect(parsed.warnings.map((warning) => [warning.line, warning.message.split(/[,:]/)[0]])).toEqual([
      [1, 'A table became one paragraph per row'],
      [2, 'A block quote became plain paragraphs.'],
      [3, 'A code block became a paragraph in code font.'],
      [6, 'An image became its description'],
      [6, 'An image without a description is not imported.'],
      [6, 'A horizontal rule is not kept.'],
    ]);
  });

  it('takes the <title> as the title when the body has no leading level-1 heading', () => {
    expect(html('<title>Doc &amp; title</title><h2>First</h2><p>Text</p>').title).toBe('Doc & title');
    expect(html('<h2>First</h2><p>Text</p>').title).toBeNull();
  });

  it('keeps the text of elements nested deeper than it builds', () => {
    const parsed = html(`<p>${'<span>'.repeat(500)}deep text${'</span>'.repeat(500)} after</p><p>next</p>`);
    expect(parsed.clauses.map((clause) => clause.text)).toEqual(['deep text after', 'next']);
    expect(parsed.warnings.map((warning) => warning.message)).toEqual(['Elements nested more than 200 deep are read as their text.']);
  });
});

describe('reading Draftroom’s own exports back', () => {
  const original = md(FIXTURE);

  it('reads the OSAID-like fixture as its headings, paragraphs and lists', () => {
    expect(original.title).toBe('The Open Source AI Definition – 1.0');
    expect(original.clauses.map((clause) => clause.kind)).toEqual([
      'heading',
      'heading',
      'clause',
      'clause',
      'clause',
      'heading',
      'clause',
      'clause',
      'clause',
      'heading',
      'clause',
      'clause',
      'clause',
      'heading',
      'clause',
      'clause',
      'clause',
      'heading',
      'clause',
    ]);
    const freedoms = original.clauses[7]!;
    expect(freedoms.markdown.split('\n').map((line) => line.slice(0, 12))).toEqual(['* **Use** th', '* **Study** ', '* **Modify**', '* **Share** ']);
    const components = original.clauses[11]!.markdown;
    expect(components).toMatch(/^\* \*\*Data information:\*\* /);
    expect(components).toContain('\n  * a list of all the training data that is publicly available;\n');
    expect(components).toMatch(/\n\* \*\*Code:\*\* /);
    expect(components).toMatch(/\n\* \*\*Parameters:\*\* /);
    expect(original.clauses[12]!.markdown).toContain('[Open Source Initiative](https://opensource.org/licenses)');
    expect(original.clauses[15]!.markdown).toMatch(/^1\. An \*\*Open Source model\*\*/);
    expect(original.warnings).toEqual([]);
  });

  it('reads an export as the clauses it exported: labels, note, decision record and footer left out', () => {
    for (const [format, text] of [
      ['markdown', exportMarkdown(exportOf(original))],
      ['html', exportHtml(exportOf(original))],
    ] as const) {
      const again = parseImport(format, text);
      expect(again.title, format).toBe('Exported');
      expect(shapes(again), format).toEqual(shapes(original));
      expect(
        again.clauses.map((clause) => clause.text),
        format,
      ).toEqual(original.clauses.map((clause) => clause.text));
      expect(again.warnings, format).toEqual([]);
      expect(again.stripped.join(' '), format).toMatch(/title.*export note.*decision record/i);
      expect(again.stripped.join(' '), format).toContain('13 clause labels');
    }
  });

  it('keeps a clause of several paragraphs and lists one clause, and text that looks like markup as text', () => {
    const text = (value: string) => ({ type: 'text', text: value });
    const paragraph = (...content: object[]) => ({ type: 'paragraph', content });
    const content = contentFromJson({
      type: 'doc',
      content: [
        paragraph(
          text('Stars *a*, ticks `b`, <i>tags</i> & | pipes, [not](a link)'),
          { type: 'hardBreak' },
          text('# not a heading'),
          { type: 'hardBreak' },
          text('1. nor a list'),
        ),
        {
          type: 'bulletList',
          content: [
            {
              type: 'listItem',
              content: [
                paragraph(text('item')),
                { type: 'orderedList', attrs: { start: 1 }, content: [{ type: 'listItem', content: [paragraph(text('sub'))] }] },
              ],
            },
          ],
        },
        paragraph({ type: 'text', text: 'closing', marks: [{ type: 'italic' }] }),
      ],
    });
    const clause = { kind: 'clause' as const, content, ...renderContent(content) };
    const exported = exportOf({ ...original, clauses: [clause, original.clauses[0]!] });
    for (const [format, source] of [
      ['markdown', exportMarkdown(exported)],
      ['html', exportHtml(exported)],
    ] as const) {
      const again = parseImport(format, source);
      expect(shapes(again), format).toEqual([
        ['clause', clause.markdown],
        ['heading', 'Preamble'],
      ]);
      expect(again.clauses[0]!.text, format).toBe(
        'Stars *a*, ticks `b`, <i>tags</i> & | pipes, [not](a link)\n# not a heading\n1. nor a list\n\nitem\n\nsub\n\nclosing',
      );
      expect(again.clauses[0]!.content.toJSON(), format).toEqual(content.toJSON());
    }
  });

  it('reads a version download (title, "Published" line, quoted notes) as its clauses', () => {
    // The second clause is a paragraph and its list: the download's labels keep them one clause.
    const single = md('## Scope\n\n**Clause 1**\n\nOne **clause**.\n\n**Clause 2**\n\nAnother, with a [link](https://example.org):\n\n- and a list\n- of two');
    expect(shapes(single).map(([kind]) => kind)).toEqual(['heading', 'clause', 'clause']);
    const text = versionMarkdown({
      id: '00000000-0000-4000-8000-000000000001',
      definitionId: '00000000-0000-4000-8000-000000000002',
      label: '1.0',
      notes: 'Line one of the notes.\nLine two.',
      publishedAt: '2026-03-04T05:06:07.000Z',
      publishedBy: { id: '00000000-0000-4000-8000-000000000003', displayName: 'Ada Chair' },
      clauseCount: 3,
      definitionTitle: 'OSAID',
      clauses: single.clauses.map((clause, i) => ({
        id: `00000000-0000-4000-8000-00000000001${i}`,
        kind: clause.kind,
        position: i,
        text: clause.text,
        markdown: clause.markdown,
      })),
    });
    const again = md(text);
    expect(again.title).toBe('OSAID — 1.0');
    expect(shapes(again)).toEqual(shapes(single));
    expect(again.stripped).toContain('The version’s release notes (the quoted paragraphs under it).');
  });
});

describe('limits', () => {
  it('refuses a source with nothing that can become a clause, naming what was dropped', () => {
    for (const [format, source] of [
      ['markdown', '   \n\n'],
      ['markdown', '---\n\n<div>only html</div>\n\n![](x.png)'],
      ['html', '<script>alert(1)</script><img src=x><hr>'],
      ['html', '<head><title>Only a title</title></head>'],
      ['text', '\n \n\t\n'],
    ] as const) {
      const error = refusal(format, source);
      expect(error.statusCode, source).toBe(400);
      expect((error.details as { path: string }[])[0], source).toEqual({ path: '/source', message: 'has no headings, paragraphs or lists' });
    }
    expect((refusal('html', '<script>alert(1)</script>').details as { message: string }[])[1]!.message).toBe('line 1: A <script> element is not imported.');
  });

  it('refuses more than 2,000 clauses, a source over 1 MB (413) and too many formatted runs', () => {
    expect(parseImport('text', Array.from({ length: MAX_IMPORT_CLAUSES }, (_, i) => `p${i}`).join('\n\n')).clauses).toHaveLength(MAX_IMPORT_CLAUSES);
    const tooMany = refusal('text', Array.from({ length: MAX_IMPORT_CLAUSES + 1 }, (_, i) => `p${i}`).join('\n\n'));
    expect([tooMany.statusCode, tooMany.details]).toEqual([400, [{ path: '/source', message: `has more than ${MAX_IMPORT_CLAUSES} clauses` }]]);

    // Bytes, not characters: "é" is two.
    expect(() => parseImport('text', 'é'.repeat(MAX_IMPORT_BYTES / 2))).not.toThrow();
    const large = refusal('text', 'é'.repeat(MAX_IMPORT_BYTES / 2 + 1));
    expect([large.statusCode, large.code, large.details]).toEqual([
      413,
      'payload_too_large',
      [{ path: '/source', message: `must be at most ${MAX_IMPORT_BYTES} bytes` }],
    ]);

    const runs = refusal('markdown', '*a* b '.repeat(MAX_INLINE_RUNS));
    expect([runs.statusCode, runs.details]).toEqual([400, [{ path: '/source', message: 'is too complex to import' }]]);
  });

  it('lists 100 warnings at most, and counts the rest', () => {
    const parsed = md(Array.from({ length: 150 }, (_, i) => `> quote ${i}`).join('\n\n'));
    expect(parsed.clauses).toHaveLength(150);
    expect(parsed.warnings).toHaveLength(101);
    expect(parsed.warnings.at(-1)).toEqual({ message: '50 more warnings like these are not listed.' });
  });

  // Each at the 1 MB limit. Quadratic work on any of them would take minutes; linear work takes well under a second.
  const ONE_MB = MAX_IMPORT_BYTES - 64;
  const fill = (unit: string) => unit.repeat(Math.floor(ONE_MB / unit.length));
  const HOSTILE: [string, ImportFormat, string][] = [
    ['100,000 levels of block quotes', 'markdown', `${'>'.repeat(100_000)} deep\n${'>'.repeat(ONE_MB - 100_010)}`],
    [
      'lists nested 3,000 deep',
      'markdown',
      Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i * 2)}- a`)
        .join('\n')
        .slice(0, ONE_MB),
    ],
    ["'*' repeated", 'markdown', fill('*')],
    ["'_a' repeated (emphasis openers)", 'markdown', fill('_a')],
    ["'**a *b' repeated", 'markdown', fill('**a *b ')],
    ['one long line', 'markdown', fill('word ')],
    ['unclosed backticks', 'markdown', fill('`a``')],
    ['raw HTML tags in Markdown', 'markdown', fill('<div>')],
    ['100,000+ unclosed <div>', 'html', fill('<div>')],
    ['unclosed <b>', 'html', fill('<b>')],
    ['unclosed lists', 'html', fill('<ul><li>')],
    ['unclosed <div> then stray </p>', 'html', `${'<div>'.repeat(100_000)}${'</p>'.repeat(100_000)}`],
    ['unclosed comments', 'html', fill('<!--')],
    ['one open tag with many attributes', 'html', `<a ${fill('href=x ')}`],
    ['lone angle brackets', 'html', fill('<')],
    ['entities', 'html', fill('&amp;')],
    ['one long text line', 'text', fill('word ')],
  ];
  for (const [name, format, source] of HOSTILE) {
    it(`reads 1 MB of ${name} (${format}) in linear time`, () => {
      expect(Buffer.byteLength(source)).toBeLessThanOrEqual(MAX_IMPORT_BYTES);
      // This process's CPU time, not the wall clock: other processes on a busy machine do not count.
      const started = process.cpuUsage();
      try {
        parseImport(format, source);
      } catch (error) {
        // Refusing (nothing to import, too many runs) is an answer too, as long as it is a 4xx.
        if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
      }
      const used = process.cpuUsage(started);
      expect((used.user + used.system) / 1000).toBeLessThan(2000);
    });
  }
});

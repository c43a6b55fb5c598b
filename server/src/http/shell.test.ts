import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageShell } from './shell.ts';

const ID = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const INDEX = `<!doctype html>
<html lang="en">
  <head>
    <title>Draftroom</title>
    <script type="module" crossorigin src="/assets/index-A.js"></script>
    <link rel="modulepreload" crossorigin href="/assets/react-B.js">
  </head>
  <body><div id="root"></div></body>
</html>`;

describe('the page shell: hints for the definition pages', () => {
  let dir: string;
  let shell: PageShell;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'draftroom-shell-'));
    await mkdir(path.join(dir, '.vite'));
    await writeFile(path.join(dir, 'index.html'), INDEX);
    // As Vite writes it when the definition page's chunk is shared with the pages under it.
    const manifest = {
      'index.html': { file: 'assets/index-A.js', imports: ['_react-B.js'] },
      '_react-B.js': { file: 'assets/react-B.js' },
      '_DefinitionPage-C.js': { file: 'assets/DefinitionPage-C.js', name: 'DefinitionPage', imports: ['_react-B.js', 'index.html', '_shared-D.js'] },
      '_shared-D.js': { file: 'assets/shared-D.js', imports: ['_react-B.js'] },
      'src/features/definitions/LiveEditing.tsx': { file: 'assets/LiveEditing-E.js', isDynamicEntry: true },
    };
    await writeFile(path.join(dir, '.vite', 'manifest.json'), JSON.stringify(manifest));
    shell = PageShell.load(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const hintsIn = (html: string) => html.match(/<link rel="(?:modulepreload|preload)"[^>]*>/g) ?? [];

  it('on a definition page and its sections: its code and its first two reads, each once', () => {
    for (const url of [
      `/groups/osi/definitions/${ID}`,
      `/groups/osi/definitions/${ID}/amendments`,
      `/groups/osi/definitions/${ID}?thread=x#top`,
      `/groups/osi/definitions/${ID}/versions`,
      `/groups/osi/definitions/${ID}/conformance/reviews/${ID}`,
    ]) {
      const html = shell.forPath(url);
      expect(hintsIn(html), url).toEqual([
        '<link rel="modulepreload" crossorigin href="/assets/react-B.js">',
        '<link rel="modulepreload" crossorigin href="/assets/DefinitionPage-C.js">',
        '<link rel="modulepreload" crossorigin href="/assets/shared-D.js">',
        '<link rel="preload" as="fetch" crossorigin="anonymous" href="/api/me">',
        `<link rel="preload" as="fetch" crossorigin="anonymous" href="/api/definitions/${ID}">`,
      ]);
      expect(html.indexOf('/api/me')).toBeLessThan(html.indexOf('</head>'));
    }
  });

  it('nowhere else: other pages, the public page (other reads), an id that is not a UUID', () => {
    for (const url of [
      '/',
      '/groups/osi',
      `/groups/osi/definitions/${ID}/public`,
      `/groups/osi/definitions/${ID}/public?version=1.0`,
      `/groups/osi/definitions/${ID}/versions/1.0/register`,
      `/groups/osi/definitions/${ID}/versions/1.0-rc1/register?x=1`,
      '/groups/osi/definitions/not-an-id',
      `/groups/osi/definitions/${ID}x`,
      '/groups/osi/definitions/"><script>alert(1)</script>',
      `/groups/osi/definitions/${ID}%22%3E%3Cscript%3E`,
    ]) {
      expect(shell.forPath(url), url).toBe(INDEX);
    }
  });

  it('without a build manifest: still the reads', async () => {
    const bare = await mkdtemp(path.join(os.tmpdir(), 'draftroom-shell-'));
    try {
      await writeFile(path.join(bare, 'index.html'), INDEX);
      expect(hintsIn(PageShell.load(bare).forPath(`/groups/osi/definitions/${ID}`))).toEqual([
        '<link rel="modulepreload" crossorigin href="/assets/react-B.js">',
        '<link rel="preload" as="fetch" crossorigin="anonymous" href="/api/me">',
        `<link rel="preload" as="fetch" crossorigin="anonymous" href="/api/definitions/${ID}">`,
      ]);
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });
});

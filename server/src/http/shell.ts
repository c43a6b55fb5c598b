import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isUuid } from '@draftroom/shared';

/** One chunk in Vite's build manifest (client/dist/.vite/manifest.json). */
interface ManifestChunk {
  file: string;
  name?: string;
  imports?: string[];
}

/**
 * The module of the definition pages, as the build manifest names it: by its source when it is a chunk
 * of its own, by its chunk's name when the bundler shares the chunk with the pages under it.
 */
const DEFINITION_PAGE = { source: 'src/features/definitions/DefinitionPage.tsx', chunkName: 'DefinitionPage' };

/**
 * /groups/<slug>/definitions/<id>, and its sections; not the public page nor a version's public
 * register (other routes, outside the definition page, with other reads).
 */
const DEFINITION_ROUTE = /^\/groups\/[^/]+\/definitions\/([^/?#]+)(?:\/(?!public(?:[/?#]|$)|versions\/[^/?#]+\/register(?:[/?#]|$))[^?#]*)?(?:[?#].*)?$/;

/**
 * The client's page (index.html) with hints for the definition pages, whose first clause a reader on a
 * slow phone waits for: the browser is told, while it is still reading the page, to fetch the code of
 * the definition page and the two reads that page starts with (who is signed in, the definition). It
 * would otherwise find each only after the one before it had arrived and run — three round trips, on
 * Slow 4G 1.7 s before the first clause could show. Reads the browser does not use are only wasted
 * bytes; they carry the visitor's own cookie, as the page's reads would.
 */
export class PageShell {
  private constructor(
    private readonly html: string,
    private readonly definitionPageScripts: string[],
  ) {}

  static load(clientDir: string): PageShell {
    const html = readFileSync(path.join(clientDir, 'index.html'), 'utf8');
    const manifestFile = path.join(clientDir, '.vite', 'manifest.json');
    if (!existsSync(manifestFile)) return new PageShell(html, []);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>;
    const scripts: string[] = [];
    const visit = (key: string) => {
      const chunk = manifest[key];
      if (!chunk || scripts.includes(chunk.file)) return;
      scripts.push(chunk.file);
      for (const imported of chunk.imports ?? []) visit(imported);
    };
    const page = Object.entries(manifest).find(([key, chunk]) => key === DEFINITION_PAGE.source || chunk.name === DEFINITION_PAGE.chunkName);
    if (page) visit(page[0]);
    // What the page itself already loads or preloads needs no second hint.
    return new PageShell(
      html,
      scripts.filter((file) => !html.includes(`/${file}"`)),
    );
  }

  /** The page for a request path (its query string included). */
  forPath(url: string): string {
    const match = DEFINITION_ROUTE.exec(url);
    const definitionId = match?.[1];
    if (!definitionId || !isUuid(definitionId)) return this.html;
    const hints = [
      ...this.definitionPageScripts.map((file) => `<link rel="modulepreload" crossorigin href="/${file}">`),
      // crossorigin="anonymous" is the fetch the page makes: same-origin, with the cookie.
      '<link rel="preload" as="fetch" crossorigin="anonymous" href="/api/me">',
      `<link rel="preload" as="fetch" crossorigin="anonymous" href="/api/definitions/${definitionId}">`,
    ];
    return this.html.replace('</head>', `    ${hints.join('\n    ')}\n  </head>`);
  }
}

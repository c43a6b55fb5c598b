import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const API_ORIGIN = 'http://localhost:3000';

// The proxy keeps the browser's Host header, so the API's Origin check sees a same-origin request.
const proxy = { '/api': { target: API_ORIGIN, ws: true } };

// Vendors in chunks of their own, so a deploy of our code leaves them cached. The editor stack (Tiptap,
// ProseMirror, Yjs) is its own chunk, reached only through the lazy definition routes (and sign-out,
// which clears the offline copies): sign-in, the front door and group pages never load it.
const EDITOR =
  /[\\/]node_modules[\\/](@tiptap|prosemirror-[^\\/]+|yjs|y-[^\\/]+|lib0|@y|orderedmap|rope-sequence|w3c-keyname|linkifyjs|markdown-it|@floating-ui)[\\/]/;
const REACT = /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack|cookie|set-cookie-parser)[\\/]/;

// Vite 8 bundles with Rolldown, whose manual chunks are `codeSplitting` groups. React is taken first
// (higher priority): the editor's React bindings depend on it, and it must not be pulled into the editor chunk.
const codeSplitting = {
  groups: [
    { name: 'react', test: REACT, priority: 20 },
    { name: 'editor', test: EDITOR, priority: 10 },
  ],
};

/**
 * Writes `name.br` (quality 11) and `name.gz` (level 9) beside every hashed script and stylesheet, once
 * per build: the server sends them as they are (@fastify/static `preCompressed`), so the client gets the
 * smallest files without the server compressing half a megabyte on every request.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'draftroom:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const assets = path.join(outDir, 'assets');
      for (const name of readdirSync(assets)) {
        if (!/\.(js|css)$/.test(name)) continue;
        const body = readFileSync(path.join(assets, name));
        writeFileSync(path.join(assets, `${name}.br`), brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        writeFileSync(path.join(assets, `${name}.gz`), gzipSync(body, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), precompress()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // .vite/manifest.json: which chunks a route needs, for the server's hints in the page (server/src/http/shell.ts).
    manifest: true,
    rolldownOptions: {
      output: { codeSplitting },
      // The shared schemas (TypeBox) are for the server's validation; the client uses only constants and
      // helpers beside them. Building a schema has no side effect, so unused ones (and TypeBox) drop out.
      treeshake: { manualPureFunctions: ['Type'] },
    },
  },
  server: { port: 5173, strictPort: true, proxy },
  preview: { port: 4173, proxy },
});

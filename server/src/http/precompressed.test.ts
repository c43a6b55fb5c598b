import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.ts';

// The client build writes .br and .gz beside each hashed asset (client/vite.config.ts); the server sends
// those files as they are, and with COMPRESSION=off neither them nor anything compressed on the fly.
const clientDir = mkdtempSync(path.join(tmpdir(), 'draftroom-precompressed-'));
mkdirSync(path.join(clientDir, 'assets'));
const script = `export const words = [${Array.from({ length: 500 }, (_, i) => `"word ${i}"`).join(',')}];\n`;
const br = brotliCompressSync(script, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
const gz = gzipSync(script, { level: 9 });
writeFileSync(path.join(clientDir, 'assets', 'editor-Zz9Yy8Xx.js'), script);
writeFileSync(path.join(clientDir, 'assets', 'editor-Zz9Yy8Xx.js.br'), br);
writeFileSync(path.join(clientDir, 'assets', 'editor-Zz9Yy8Xx.js.gz'), gz);
writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><script type="module" src="/assets/editor-Zz9Yy8Xx.js"></script>');
const url = '/assets/editor-Zz9Yy8Xx.js';

describe('precompressed client assets', () => {
  const t = useTestApp({ CLIENT_DIR: clientDir });

  it('sends the build’s .br and .gz files as they are, immutable, and the plain file for identity', async () => {
    const asBr = await t.request({ method: 'GET', url, headers: { 'accept-encoding': 'br, gzip' } });
    expect(asBr.statusCode).toBe(200);
    expect(asBr.headers['content-encoding']).toBe('br');
    expect(asBr.rawPayload.equals(br)).toBe(true);
    expect(brotliDecompressSync(asBr.rawPayload).toString('utf8')).toBe(script);
    expect(asBr.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const asGz = await t.request({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
    expect(asGz.headers['content-encoding']).toBe('gzip');
    expect(asGz.rawPayload.equals(gz)).toBe(true);
    expect(gunzipSync(asGz.rawPayload).toString('utf8')).toBe(script);
    expect(asGz.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const plain = await t.request({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
  });
});

describe('COMPRESSION=off', () => {
  const t = useTestApp({ CLIENT_DIR: clientDir, COMPRESSION: 'off' });

  it('sends assets and API JSON uncompressed whatever the browser accepts', async () => {
    const asset = await t.request({ method: 'GET', url, headers: { 'accept-encoding': 'br, gzip' } });
    expect(asset.headers['content-encoding']).toBeUndefined();
    expect(asset.body).toBe(script);
    const spec = await t.request({ method: 'GET', url: '/api/openapi.json', headers: { 'accept-encoding': 'br, gzip' } });
    expect(spec.statusCode).toBe(200);
    expect(spec.headers['content-encoding']).toBeUndefined();
    expect((spec.json() as { openapi?: string }).openapi).toBeTruthy();
  });
});

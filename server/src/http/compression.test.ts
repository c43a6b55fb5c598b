import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.ts';

// A built client in miniature: a hashed script under /assets/ and the page that loads it.
const clientDir = mkdtempSync(path.join(tmpdir(), 'draftroom-client-'));
mkdirSync(path.join(clientDir, 'assets'));
const script = `export const clauses = [${Array.from({ length: 400 }, (_, i) => `"clause ${i}"`).join(',')}];\n`;
writeFileSync(path.join(clientDir, 'assets', 'index-AbC123xy.js'), script);
writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><script type="module" src="/assets/index-AbC123xy.js"></script>');

function decode(encoding: string | undefined, body: Buffer): string {
  if (encoding === 'br') return brotliDecompressSync(body).toString('utf8');
  if (encoding === 'gzip') return gunzipSync(body).toString('utf8');
  return body.toString('utf8');
}

describe('weight: compression and caching', () => {
  const t = useTestApp({ CLIENT_DIR: clientDir });

  it.each(['br', 'gzip', 'identity'])('serves a hashed asset with Accept-Encoding %s, decoding to the same bytes, cached for a year', async (encoding) => {
    const response = await t.request({ method: 'GET', url: '/assets/index-AbC123xy.js', headers: { 'accept-encoding': encoding } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBe(encoding === 'identity' ? undefined : encoding);
    expect(decode(response.headers['content-encoding'] as string | undefined, response.rawPayload)).toBe(script);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers index.html and client routes with no-cache, so a deploy is picked up', async () => {
    const response = await t.request({ method: 'GET', url: '/g/some-group/d/some-definition', headers: { 'accept-encoding': 'br' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(decode(response.headers['content-encoding'] as string | undefined, response.rawPayload)).toContain('/assets/index-AbC123xy.js');
  });

  it('compresses API JSON above the threshold and leaves small answers alone', async () => {
    const big = await t.request({ method: 'GET', url: '/api/openapi.json', headers: { 'accept-encoding': 'br, gzip' } });
    expect(big.statusCode).toBe(200);
    expect(big.headers['content-encoding']).toBe('br');
    const spec = JSON.parse(decode('br', big.rawPayload)) as { openapi?: string };
    expect(spec.openapi).toBeTruthy();
    const gz = await t.request({ method: 'GET', url: '/api/openapi.json', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(decode('gzip', gz.rawPayload))).toEqual(spec);
    const small = await t.request({ method: 'GET', url: '/api/health', headers: { 'accept-encoding': 'br, gzip' } });
    expect(small.headers['content-encoding']).toBeUndefined();
  });
});

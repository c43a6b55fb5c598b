/**
 * HTTP framing no client library sends: pipelined requests followed by garbage, Content-Length and
 * Transfer-Encoding together, bad chunk sizes, broken request lines and headers, truncated bodies,
 * oversized headers, bad upgrades. Each case goes out on its own TCP connection, written at once (the
 * last well-formed request asks for `Connection: close`; a half-close would make Node drop the requests
 * unanswered), and the status lines that come back within an idle second are counted. Shared by the
 * campaign and the test.
 */
import net from 'node:net';
import fc from 'fast-check';

export interface RawCase {
  kind: string;
  payload: Buffer;
}

const CRLF = '\r\n';

function rawCases(host: string, cookie: string | null, definitionId: string): fc.Arbitrary<RawCase> {
  const auth = cookie ? `Cookie: ${cookie}${CRLF}` : '';
  const close = `Connection: close${CRLF}`;
  const get = (path: string, extra = '', last = true) => `GET ${path} HTTP/1.1${CRLF}Host: ${host}${CRLF}${auth}${last ? close : ''}${extra}${CRLF}`;
  const post = (path: string, body: string, extra = '') =>
    `POST ${path} HTTP/1.1${CRLF}Host: ${host}${CRLF}${auth}${close}Origin: http://${host}${CRLF}Content-Type: application/json${CRLF}${extra}${CRLF}${body}`;
  const paths = fc.constantFrom('/api/me', '/api/health', '/api/groups', `/api/definitions/${definitionId}`, '/api/notifications');
  const garbage = fc.oneof(
    fc.constantFrom('{}', 'x', '\u0000\u0001garbage\r\n\r\n', 'GET', `${CRLF}${CRLF}`, 'HTTP/1.1 200 OK\r\n\r\n', '\r\n0\r\n\r\n'),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  );
  const c = (kind: string, text: string | Buffer): RawCase => ({ kind, payload: typeof text === 'string' ? Buffer.from(text, 'latin1') : text });
  return fc.oneof(
    fc.tuple(paths, garbage).map(([path, junk]) => c('request then garbage', get(path, '', false) + junk)),
    fc.tuple(paths, paths, garbage).map(([a, b, junk]) => c('pipelined then garbage', get(a, '', false) + get(b, '', false) + junk)),
    fc.tuple(paths, paths, paths).map(([a, b, d]) => c('pipelined', get(a, '', false) + get(b, '', false) + get(d))),
    fc.constant(c('CL and TE', post('/api/auth/login', `5${CRLF}{"a":${CRLF}0${CRLF}${CRLF}`, `Content-Length: 4${CRLF}Transfer-Encoding: chunked${CRLF}`))),
    fc.constant(c('two Content-Lengths', post('/api/auth/login', '{}', `Content-Length: 2${CRLF}Content-Length: 40${CRLF}`))),
    fc.constant(c('bad chunk size', post('/api/auth/login', `zz${CRLF}{}${CRLF}0${CRLF}${CRLF}`, `Transfer-Encoding: chunked${CRLF}`))),
    fc.constant(c('chunk size overflow', post('/api/auth/login', `ffffffffffffffffff${CRLF}{}${CRLF}0${CRLF}${CRLF}`, `Transfer-Encoding: chunked${CRLF}`))),
    fc.constant(c('unterminated chunks', post('/api/auth/login', `2${CRLF}{}${CRLF}`, `Transfer-Encoding: chunked${CRLF}`))),
    fc.constant(c('TE obfuscated', post('/api/auth/login', `0${CRLF}${CRLF}`, `Transfer-Encoding: xchunked${CRLF}Content-Length: 2${CRLF}`))),
    fc.constant(c('truncated body', post('/api/auth/login', '{"email":"a', `Content-Length: 400${CRLF}`))),
    fc.constant(c('huge Content-Length', post('/api/auth/login', '{}', `Content-Length: 99999999999999999999${CRLF}`))),
    fc.constant(c('negative Content-Length', post('/api/auth/login', '{}', `Content-Length: -2${CRLF}`))),
    fc.constant(c('expect 100-continue', post('/api/auth/login', '{"email":"a@b.c","password":"x"}', `Content-Length: 33${CRLF}Expect: 100-continue${CRLF}`))),
    fc.constant(c('expect unknown', get('/api/me', `Expect: 418-teapot${CRLF}`))),
    fc
      .constantFrom('G ET', 'GET  ', 'get', 'PRI', 'CONNECT', 'TRACE', '\u0000GET', 'GET\tX')
      .map((method) => c('bad method', `${method} /api/me HTTP/1.1${CRLF}Host: ${host}${CRLF}${CRLF}`)),
    fc
      .constantFrom('HTTP/0.9', 'HTTP/2.0', 'HTTP/1.2', 'HTTP/1', 'http/1.1', 'HTTP/1.1 extra', '')
      .map((version) => c('bad version', `GET /api/me ${version}${CRLF}Host: ${host}${CRLF}${CRLF}`)),
    fc
      .constantFrom('http://evil.example/api/me', '*', '//api/me', 'api/me', '/api/me#frag', '/api/me?a=%', '/%', '/api/%ZZ', '/\u00ff', '/api/me\u0000')
      .map((target) => c('odd target', `GET ${target} HTTP/1.1${CRLF}Host: ${host}${CRLF}${CRLF}`)),
    fc.constant(c('no Host', `GET /api/me HTTP/1.1${CRLF}${CRLF}`)),
    fc.constant(c('two Hosts', `GET /api/me HTTP/1.1${CRLF}Host: ${host}${CRLF}Host: evil.example${CRLF}${CRLF}`)),
    fc.constant(c('LF only', `GET /api/me HTTP/1.1\nHost: ${host}\n\n`)),
    fc
      .constantFrom('X-A : b', 'X-A', ': b', 'X A: b', 'X-A: b\u0000c', ' X-A: b', 'X-A: b\r\n folded', 'Content-Type: application/json\u0000')
      .map((header) => c('bad header', `GET /api/me HTTP/1.1${CRLF}Host: ${host}${CRLF}${header}${CRLF}${CRLF}`)),
    fc.constantFrom(9000, 17_000, 70_000).map((size) => c('long header', get('/api/me', `X-Long: ${'a'.repeat(size)}${CRLF}`))),
    fc.constant(c('many headers', get('/api/me', Array.from({ length: 300 }, (_, i) => `X-H${i}: ${i}${CRLF}`).join('')))),
    fc
      .constantFrom(
        `draftroom_session=${'A'.repeat(9000)}`,
        'draftroom_session=a; draftroom_session=b',
        'draftroom_session="x"',
        'draftroom_session=%ZZ',
        '=; ;=;',
      )
      .map((value) => c('odd cookie', `GET /api/me HTTP/1.1${CRLF}Host: ${host}${CRLF}Cookie: ${value}${CRLF}${CRLF}`)),
    fc.constant(c('partial headers', `GET /api/me HTTP/1.1${CRLF}Host: ${host}${CRLF}X-Half: `)),
    fc
      .constantFrom('13', '8', 'x', '')
      .map((version) =>
        c(
          'bad websocket upgrade',
          `GET /api/collab/${definitionId} HTTP/1.1${CRLF}Host: ${host}${CRLF}${auth}Upgrade: websocket${CRLF}Connection: Upgrade${CRLF}Sec-WebSocket-Key: ${version ? 'dGhlIHNhbXBsZSBub25jZQ==' : ''}${CRLF}Sec-WebSocket-Version: ${version}${CRLF}${CRLF}`,
        ),
      ),
    fc.constant(
      c(
        'upgrade elsewhere',
        get('/api/me', `Upgrade: websocket${CRLF}Connection: Upgrade${CRLF}Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==${CRLF}Sec-WebSocket-Version: 13${CRLF}`),
      ),
    ),
    fc.constant(
      c('h2c upgrade', get('/api/me', `Upgrade: h2c${CRLF}Connection: Upgrade, HTTP2-Settings${CRLF}HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA${CRLF}`)),
    ),
    fc.constant(c('HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')),
    fc.uint8Array({ minLength: 1, maxLength: 256 }).map((bytes) => c('random bytes', Buffer.from(bytes))),
  );
}

export interface RawTally {
  connections: number;
  /** Per case kind: status lines seen ("400", "200", "none"). */
  byKind: Map<string, Map<string, number>>;
  serverErrors: { kind: string; status: string; payload: string }[];
}

export function emptyRawTally(): RawTally {
  return { connections: 0, byKind: new Map(), serverErrors: [] };
}

function sendRaw(port: number, payload: Buffer, idleMs: number): Promise<string[]> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    const done = () => {
      socket.destroy();
      resolve([...text.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => m[1]!));
    };
    let timer = setTimeout(done, idleMs);
    socket.on('connect', () => socket.write(payload));
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      clearTimeout(timer);
      timer = setTimeout(done, idleMs);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      done();
    });
  });
}

/** Sends `count` generated cases from `seed`, `concurrency` connections at a time. */
export async function fuzzRaw(options: {
  port: number;
  host: string;
  cookie: string | null;
  definitionId: string;
  count: number;
  seed: number;
  concurrency: number;
  tally?: RawTally;
}): Promise<RawTally> {
  const tally = options.tally ?? emptyRawTally();
  const cases = fc.sample(rawCases(options.host, options.cookie, options.definitionId), { seed: options.seed, numRuns: options.count });
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const item = cases[next++]!;
      const statuses = await sendRaw(options.port, item.payload, 1000);
      tally.connections++;
      const map = tally.byKind.get(item.kind) ?? tally.byKind.set(item.kind, new Map()).get(item.kind)!;
      for (const status of statuses.length > 0 ? statuses : ['none']) {
        map.set(status, (map.get(status) ?? 0) + 1);
        if (status.startsWith('5') && tally.serverErrors.length < 20) {
          tally.serverErrors.push({ kind: item.kind, status, payload: JSON.stringify(item.payload.toString('latin1').slice(0, 300)) });
        }
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return tally;
}

export function rawSummary(tally: RawTally): string[] {
  const out = [`raw connections: ${tally.connections}`];
  for (const [kind, map] of [...tally.byKind.entries()].sort()) {
    out.push(
      `  ${kind.padEnd(26)} ${[...map.entries()]
        .sort()
        .map(([status, count]) => `${status}×${count}`)
        .join(' ')}`,
    );
  }
  return out;
}

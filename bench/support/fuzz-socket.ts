/**
 * Live-editing socket fuzzing shared by the campaign (bench/fuzz.ts) and its seeded slice in `npm test`
 * (server/src/http/fuzz.test.ts). Workers connect to /api/collab/:definitionId as an editor or an
 * observer and send frames in short bursts: random bytes, truncated varints, unknown message types,
 * sync and awareness frames with garbage payloads, updates whose content the clause schema refuses
 * (unknown elements and marks, javascript: links, non-UUID clause ids, root-type confusion…), updates
 * under another user's client id, updates behind clock gaps, hand-encoded structs, delete sets, text
 * frames and oversized frames — mixed with genuine edits. Each burst ends with a sync step 1 whose
 * answer says the server has processed everything before it; a closed socket is reopened.
 *
 * The server may close a socket for any of these (1007, 1008, 1009, 4403, 4413, 4422) but never with
 * 1011 (server error), never without answering, and it must stay up.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { CLOSE_CODES, clausesOf, insertClause, orderOf } from '@draftroom/shared';
import { parseMessage } from '../../server/src/collab/protocol.ts';

// ---------------------------------------------------------------------------------------------------
// Frames

export type FramePlan =
  | { k: 'random-bytes'; bytes: Uint8Array }
  | { k: 'truncated-varint'; bytes: Uint8Array }
  | { k: 'truncated-frame'; of: 'step1' | 'awareness' | 'update'; cut: number; client: number }
  | { k: 'sync-step1'; sv: 'mirror' | 'empty' | 'garbage' | 'huge'; bytes: Uint8Array; client: number }
  | { k: 'update-garbage'; step: 1 | 2; payload: Uint8Array }
  | { k: 'awareness'; entries: { client: number; clock: number; state: string }[]; countDelta: number }
  | { k: 'query-awareness'; trailing: Uint8Array }
  | { k: 'unknown-type'; type: number; rest: Uint8Array }
  | { k: 'valid-edit'; text: string; bold: boolean }
  | { k: 'invalid-schema'; variant: number; text: string; client: number }
  | { k: 'invalid-existing'; variant: number; client: number }
  | { k: 'forged'; variant: 'next' | 'gap' | 'past' | 'after-text' | 'map-entry'; text: string }
  | { k: 'gap'; gap: number; size: number; viaOrigin: boolean; client: number }
  | { k: 'raw-struct'; client: number; clock: number; info: number; parent: number; key: string; rest: Uint8Array }
  | { k: 'delete-set'; target: 'victim' | 'own' | 'random'; client: number; clock: number; length: number }
  | { k: 'zero-length'; content: 'string' | 'any' | 'deleted'; parent: 'order' | 'clauses' | 'after-own'; client: number }
  | { k: 'empty-update' }
  | { k: 'empty-frame' }
  | { k: 'text-frame'; text: string }
  | { k: 'oversize' };

/** Closes the server may answer fuzzed frames or connections with. Anything else is reported. */
export const EXPECTED_CLOSES: ReadonlySet<number> = new Set([
  CLOSE_CODES.invalidMessage,
  CLOSE_CODES.tooMuchHeld,
  CLOSE_CODES.messageTooBig,
  CLOSE_CODES.forbidden,
  CLOSE_CODES.unauthenticated,
  CLOSE_CODES.notFound,
  CLOSE_CODES.documentTooLarge,
  CLOSE_CODES.invalidContent,
]);

const clientId = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 0xfffffffe }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 0xffffffff, 2 ** 32, 2 ** 53 - 1) },
);
const smallBytes = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max });
const stateJson = fc.oneof(
  fc.constantFrom(
    'null',
    '{}',
    '{',
    '',
    '[]',
    '"x"',
    '{"user":{"name":"<img src=x onerror=alert(1)>","color":"javascript:alert(1)"}}',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    `{"user":{"name":"${'x'.repeat(10_000)}"}}`,
    '{"cursor":{"anchor":{"type":{"client":1,"clock":1}},"head":null}}',
    '1e999',
    '\u0000',
  ),
  fc.json({ maxDepth: 3 }),
);

const WORD = fc.constantFrom('open', ' source', ' AI', ' freedom', ', ', ' ünï', ' Ωμ', ' データ', ' 🙂', ' study', ' share');

/** How many builders `invalidSchemaUpdate` has. */
const INVALID_SCHEMA_VARIANTS = 30;
const INVALID_EXISTING_VARIANTS = 6;

export const framePlan: fc.Arbitrary<FramePlan> = fc.oneof(
  { weight: 10, arbitrary: fc.oneof(smallBytes(48), smallBytes(4096)).map((bytes) => ({ k: 'random-bytes' as const, bytes })) },
  {
    weight: 5,
    arbitrary: fc
      .constantFrom(
        [0x80],
        [0xff, 0xff, 0xff],
        [0, 0x80],
        [0, 0, 0xff],
        [1, 0x80],
        [0, 2, 0x81],
        [0, 1, 0xff, 0xff],
        [1, 5, 1, 0x80],
        [3, 0x80],
        [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
      )
      .map((bytes) => ({ k: 'truncated-varint' as const, bytes: Uint8Array.from(bytes) })),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({ of: fc.constantFrom('step1' as const, 'awareness' as const, 'update' as const), cut: fc.nat(), client: clientId })
      .map((r) => ({ k: 'truncated-frame' as const, ...r })),
  },
  {
    weight: 8,
    arbitrary: fc
      .record({
        sv: fc.oneof(
          { weight: 6, arbitrary: fc.constant('mirror' as const) },
          { weight: 1, arbitrary: fc.constantFrom('empty' as const, 'garbage' as const, 'huge' as const) },
        ),
        bytes: smallBytes(32),
        client: clientId,
      })
      .map((r) => ({ k: 'sync-step1' as const, ...r })),
  },
  {
    weight: 6,
    arbitrary: fc
      .record({ step: fc.constantFrom(1 as const, 2 as const), payload: fc.oneof(smallBytes(64), smallBytes(2048)) })
      .map((r) => ({ k: 'update-garbage' as const, ...r })),
  },
  {
    weight: 6,
    arbitrary: fc
      .record({
        entries: fc.array(fc.record({ client: clientId, clock: fc.oneof(fc.nat(100), fc.constantFrom(2 ** 32, 2 ** 53 - 1)), state: stateJson }), {
          maxLength: 12,
        }),
        countDelta: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -2, max: 3 }) }),
      })
      .map((r) => ({ k: 'awareness' as const, ...r })),
  },
  { weight: 2, arbitrary: fc.oneof(fc.constant(new Uint8Array()), smallBytes(8)).map((trailing) => ({ k: 'query-awareness' as const, trailing })) },
  {
    weight: 3,
    arbitrary: fc
      .record({ type: fc.oneof(fc.constantFrom(2, 4, 5, 100, 2 ** 31, 2 ** 53 - 1), fc.nat(300)), rest: smallBytes(16) })
      .map((r) => ({ k: 'unknown-type' as const, ...r })),
  },
  {
    weight: 16,
    arbitrary: fc
      .record({ text: fc.array(WORD, { minLength: 1, maxLength: 3 }).map((w) => w.join('')), bold: fc.boolean() })
      .map((r) => ({ k: 'valid-edit' as const, ...r })),
  },
  {
    weight: 10,
    arbitrary: fc
      .record({
        variant: fc.nat(INVALID_SCHEMA_VARIANTS - 1),
        text: fc.string({ minLength: 1, maxLength: 12 }),
        client: fc.integer({ min: 1, max: 0xfffffffe }),
      })
      .map((r) => ({ k: 'invalid-schema' as const, ...r })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ variant: fc.nat(INVALID_EXISTING_VARIANTS - 1), client: fc.integer({ min: 1, max: 0xfffffffe }) })
      .map((r) => ({ k: 'invalid-existing' as const, ...r })),
  },
  {
    weight: 5,
    arbitrary: fc
      .record({
        variant: fc.constantFrom('next' as const, 'gap' as const, 'past' as const, 'after-text' as const, 'map-entry' as const),
        text: fc.string({ minLength: 1, maxLength: 8 }),
      })
      .map((r) => ({ k: 'forged' as const, ...r })),
  },
  {
    weight: 5,
    arbitrary: fc
      .record({
        gap: fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.constantFrom(2 ** 31, 2 ** 53 - 10)),
        size: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 200 }) }, { weight: 1, arbitrary: fc.integer({ min: 20_000, max: 70_000 }) }),
        viaOrigin: fc.boolean(),
        client: fc.integer({ min: 1, max: 0xfffffffe }),
      })
      .map((r) => ({ k: 'gap' as const, ...r })),
  },
  {
    weight: 5,
    arbitrary: fc
      .record({
        client: clientId,
        clock: fc.oneof(fc.constant(0), fc.nat(1000)),
        info: fc.nat(255),
        parent: fc.nat(3),
        key: fc.constantFrom('order', 'clauses', 'evil', '', '__proto__'),
        rest: smallBytes(24),
      })
      .map((r) => ({ k: 'raw-struct' as const, ...r })),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({
        target: fc.constantFrom('victim' as const, 'own' as const, 'random' as const),
        client: clientId,
        clock: fc.oneof(fc.nat(50), fc.constantFrom(2 ** 31, 2 ** 53 - 1)),
        length: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constantFrom(0, 2 ** 31, 2 ** 53 - 1)),
      })
      .map((r) => ({ k: 'delete-set' as const, ...r })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        content: fc.constantFrom('string' as const, 'any' as const, 'deleted' as const),
        parent: fc.constantFrom('order' as const, 'clauses' as const, 'after-own' as const),
        client: fc.integer({ min: 1, max: 0xfffffffe }),
      })
      .map((r) => ({ k: 'zero-length' as const, ...r })),
  },
  { weight: 2, arbitrary: fc.constant({ k: 'empty-update' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'empty-frame' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(fc.string({ maxLength: 40 }), fc.constantFrom('{"type":"sync"}', '\u0000\u0000', 'ping'))
      .map((text) => ({ k: 'text-frame' as const, text })),
  },
  { weight: 1, arbitrary: fc.nat(400).map((n) => (n === 0 ? { k: 'oversize' as const } : { k: 'empty-update' as const })) },
);

// --- encoding helpers ------------------------------------------------------------------------------

function frame(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

const syncFrame = (step: number, payload: Uint8Array) =>
  frame(0, (e) => {
    encoding.writeVarUint(e, step);
    encoding.writeVarUint8Array(e, payload);
  });

export const syncStep1Frame = (stateVector: Uint8Array) => syncFrame(0, stateVector);
export const updateFrame = (update: Uint8Array) => syncFrame(2, update);

interface RawItem {
  client: number;
  clock: number;
  origin?: [number, number];
  rightOrigin?: [number, number];
  parentRoot?: string;
  parentId?: [number, number];
  parentSub?: string;
  content: { ref: 4; text: string } | { ref: 8; values: unknown[] } | { ref: 1; length: number } | { ref: 7; typeRef: number; name?: string };
}

/** A Yjs update (v1 encoding) written by hand: items at any client and clock, and a delete set. */
export function encodeRawUpdate(items: RawItem[], deletes: [client: number, clock: number, length: number][] = []): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, items.length);
  for (const item of items) {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, item.client);
    encoding.writeVarUint(e, item.clock);
    const info = (item.content.ref & 31) | (item.origin ? 128 : 0) | (item.rightOrigin ? 64 : 0) | (item.parentSub !== undefined ? 32 : 0);
    encoding.writeUint8(e, info);
    if (item.origin) {
      encoding.writeVarUint(e, item.origin[0]);
      encoding.writeVarUint(e, item.origin[1]);
    }
    if (item.rightOrigin) {
      encoding.writeVarUint(e, item.rightOrigin[0]);
      encoding.writeVarUint(e, item.rightOrigin[1]);
    }
    if (!item.origin && !item.rightOrigin) {
      if (item.parentId) {
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, item.parentId[0]);
        encoding.writeVarUint(e, item.parentId[1]);
      } else {
        encoding.writeVarUint(e, 1);
        encoding.writeVarString(e, item.parentRoot ?? 'order');
      }
      if (item.parentSub !== undefined) encoding.writeVarString(e, item.parentSub);
    }
    const content = item.content;
    if (content.ref === 4) encoding.writeVarString(e, content.text);
    else if (content.ref === 8) {
      encoding.writeVarUint(e, content.values.length);
      for (const value of content.values) encoding.writeAny(e, value as string);
    } else if (content.ref === 1) encoding.writeVarUint(e, content.length);
    else {
      encoding.writeVarUint(e, content.typeRef);
      if (content.typeRef === 3 || content.typeRef === 5) encoding.writeVarString(e, content.name ?? 'paragraph');
    }
  }
  encoding.writeVarUint(e, deletes.length);
  for (const [client, clock, length] of deletes) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, clock);
    encoding.writeVarUint(e, length);
  }
  return encoding.toUint8Array(e);
}

/** Runs `change` on `doc` and returns the update it made. */
function changeOf(doc: Y.Doc, change: () => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  doc.transact(change);
  return Y.encodeStateAsUpdate(doc, before);
}

function paragraphWith(text: string, attributes?: Record<string, unknown>): Y.XmlElement {
  const paragraph = new Y.XmlElement('paragraph');
  const node = new Y.XmlText();
  paragraph.insert(0, [node]);
  node.insert(0, text, attributes);
  return paragraph;
}

/** A fresh document under `client` holding one kind of content the layout or clause schema refuses. */
function invalidSchemaUpdate(variant: number, text: string, client: number): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = client;
  const clause = () => insertClause(doc, randomUUID(), 'clause');
  const build: (() => void)[] = [
    () => clause().insert(0, [new Y.XmlElement('script')]),
    () => clause().insert(0, [new Y.XmlElement('heading')]),
    () => clause().insert(0, [paragraphWith(text, { underline: {} })]),
    () => clause().insert(0, [paragraphWith(text, { link: { href: 'javascript:alert(document.cookie)' } })]),
    () => insertClause(doc, 'not-a-uuid', 'clause'),
    () => (clause().parent as Y.Map<unknown>).set('kind', 'chapter'),
    () => (clause().parent as Y.Map<unknown>).set('kind', 42),
    () => {
      const entry = new Y.Map<unknown>();
      clausesOf(doc).set(randomUUID(), entry);
      entry.set('kind', 'clause');
      entry.set('body', new Y.Text('not a fragment'));
    },
    () => orderOf(doc).insert(0, [42 as unknown as string]),
    () => orderOf(doc).insert(0, [new Y.Map() as unknown as string]),
    () => doc.getMap('evil').set('x', 1),
    () => doc.getText('order').insert(0, text),
    () => clause().insert(0, [paragraphWith(`nul \u0000 ${text}`)]),
    () => {
      let node: Y.XmlElement = paragraphWith(text);
      for (let i = 0; i < 40; i++) {
        const item = new Y.XmlElement('listItem');
        item.insert(0, [node]);
        const list = new Y.XmlElement('bulletList');
        list.insert(0, [item]);
        node = list;
      }
      clause().insert(0, [node]);
    },
    () => {
      const paragraph = paragraphWith(text);
      paragraph.setAttribute('onclick', 'alert(1)');
      clause().insert(0, [paragraph]);
    },
    () => {
      const list = new Y.XmlElement('orderedList');
      list.setAttribute('start', 'x');
      clause().insert(0, [list]);
    },
    () => (clause().parent as Y.Map<unknown>).set('__proto__', 'x'),
    () => clausesOf(doc).set(randomUUID(), 'a string' as unknown as Y.Map<unknown>),
    () => {
      const body = clause();
      const paragraph = paragraphWith(text);
      body.insert(0, [paragraph]);
      (paragraph.get(0) as Y.XmlText).insertEmbed(0, { image: 'http://evil.example/x.png' });
    },
    () => clause().insert(0, [new Y.XmlText(text)]),
    () => {
      const hardBreak = new Y.XmlElement('hardBreak');
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [hardBreak]);
      hardBreak.insert(0, [new Y.XmlText(text)]);
      clause().insert(0, [paragraph]);
    },
    () => clause().insert(0, [paragraphWith(text, { link: { href: `https://example.org/${'x'.repeat(3000)}` } })]),
    () => {
      const item = new Y.XmlElement('listItem');
      item.insert(0, [paragraphWith(text)]);
      clause().insert(0, [item]);
    },
    () => clause().insert(0, [new Y.XmlHook('hook') as unknown as Y.XmlElement]),
    () => orderOf(doc).insert(0, [new Uint8Array([1, 2, 3]) as unknown as string]),
    () => clausesOf(doc).set(randomUUID(), new Y.Doc() as unknown as Y.Map<unknown>),
    () => insertClause(doc, '', 'clause'),
    () => clause().insert(0, [paragraphWith(text, { link: null })]),
    () => clause().insert(0, [paragraphWith(text, { bold: { evil: 'x'.repeat(5000) } })]),
    () => {
      const entry = new Y.Map<unknown>();
      clausesOf(doc).set(randomUUID(), entry);
      entry.set('kind', 'clause');
      entry.set('body', new Y.XmlFragment());
      entry.set('body', new Y.XmlFragment());
      orderOf(doc).insert(0, ['x'.repeat(10_000)]);
    },
  ];
  return changeOf(doc, build[variant % build.length]!);
}

/** Content the schema refuses, written into clauses that already exist (needs a copy of the document). */
function invalidExistingUpdate(mirror: Y.Doc, variant: number, client: number): Uint8Array | null {
  const clauses = [...clausesOf(mirror).entries()].filter(([, entry]) => entry instanceof Y.Map);
  if (clauses.length === 0) return null;
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(mirror));
  // Set afterwards (Yjs picks a new id when a remote update writes under its own), and never one in use.
  copy.clientID = Y.getState(copy.store, client) === 0 ? client : (client ^ 0x5a5a5a5a) >>> 0 || 1;
  const [id] = clauses[variant % clauses.length]!;
  const entry = clausesOf(copy).get(id)!;
  const body = entry.get('body');
  if (!(body instanceof Y.XmlFragment)) return null;
  const firstText = () => {
    const paragraph = body.get(0);
    return paragraph instanceof Y.XmlElement && paragraph.get(0) instanceof Y.XmlText ? (paragraph.get(0) as Y.XmlText) : null;
  };
  return changeOf(copy, () => {
    switch (variant % INVALID_EXISTING_VARIANTS) {
      case 0:
        body.insert(body.length, [new Y.XmlElement('iframe')]);
        break;
      case 1: {
        const text = firstText();
        if (text) text.format(0, Math.max(1, text.length), { link: { href: 'javascript:alert(1)' } });
        else body.insert(0, [new Y.XmlElement('script')]);
        break;
      }
      case 2:
        entry.set('kind', 'preamble');
        break;
      case 3:
        entry.set('body', 'gone');
        break;
      case 4: {
        const text = firstText();
        if (text) text.insert(0, '\u0000');
        else body.insert(0, [new Y.XmlText('top')]);
        break;
      }
      default:
        orderOf(copy).insert(0, ['../../etc/passwd']);
    }
  });
}

export interface FrameContext {
  role: 'editor' | 'observer';
  mirror: Y.Doc;
  /** The clause this worker types into (created by its first genuine edit). */
  ownClause: { id: string | null };
  /** Another user's client id and its clock, as far as we know it. */
  victim(): { client: number; clock: number } | null;
}

export interface BuiltFrame {
  kind: string;
  data: Uint8Array | string;
  /** The server may close the socket because of it: the burst ends here. */
  terminal: boolean;
  /** A well-formed sync step 1: the server answers it with a sync step 2. */
  step1: boolean;
}

let oversizeFrame: Uint8Array | null = null;

/** Turns a plan into bytes, with what is known now (the mirror, the victim's clock). */
export function buildFrame(plan: FramePlan, ctx: FrameContext): BuiltFrame | null {
  let data: Uint8Array | string;
  switch (plan.k) {
    case 'random-bytes':
    case 'truncated-varint':
      data = plan.bytes;
      break;
    case 'truncated-frame': {
      const whole =
        plan.of === 'step1'
          ? syncStep1Frame(Y.encodeStateVector(ctx.mirror))
          : plan.of === 'awareness'
            ? frame(1, (e) => encoding.writeVarUint8Array(e, awarenessPayload([{ client: plan.client, clock: 1, state: '{"user":{"name":"x"}}' }], 0)))
            : updateFrame(invalidSchemaUpdate(0, 'x', plan.client));
      data = whole.slice(0, Math.max(1, plan.cut % whole.length));
      break;
    }
    case 'sync-step1': {
      let sv: Uint8Array;
      if (plan.sv === 'mirror') sv = Y.encodeStateVector(ctx.mirror);
      else if (plan.sv === 'empty') sv = Uint8Array.of(0);
      else if (plan.sv === 'garbage') sv = plan.bytes;
      else {
        const e = encoding.createEncoder();
        encoding.writeVarUint(e, 2);
        encoding.writeVarUint(e, plan.client);
        encoding.writeVarUint(e, 2 ** 53 - 1);
        encoding.writeVarUint(e, ctx.mirror.clientID);
        encoding.writeVarUint(e, 2 ** 31);
        sv = encoding.toUint8Array(e);
      }
      data = syncStep1Frame(sv);
      break;
    }
    case 'update-garbage':
      data = syncFrame(plan.step, plan.payload);
      break;
    case 'awareness':
      data = frame(1, (e) => encoding.writeVarUint8Array(e, awarenessPayload(plan.entries, plan.countDelta)));
      break;
    case 'query-awareness':
      data = Uint8Array.from([3, ...plan.trailing]);
      break;
    case 'unknown-type':
      data = frame(plan.type, (e) => encoding.writeUint8Array(e, plan.rest));
      break;
    case 'valid-edit': {
      if (ctx.role !== 'editor') {
        const doc = new Y.Doc();
        data = updateFrame(changeOf(doc, () => insertClause(doc, randomUUID(), 'clause').insert(0, [paragraphWith(plan.text)])));
        break;
      }
      const mirror = ctx.mirror;
      const id = ctx.ownClause.id;
      const entry = id ? clausesOf(mirror).get(id) : undefined;
      const body = entry instanceof Y.Map ? entry.get('body') : undefined;
      const paragraph = body instanceof Y.XmlFragment ? body.get(0) : undefined;
      const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : undefined;
      if (text instanceof Y.XmlText) {
        data = updateFrame(changeOf(mirror, () => text.insert(text.length, plan.text, plan.bold ? { bold: {} } : undefined)));
      } else {
        const fresh = randomUUID();
        ctx.ownClause.id = fresh;
        data = updateFrame(changeOf(mirror, () => insertClause(mirror, fresh, 'clause').insert(0, [paragraphWith(`fuzz ${plan.text}`)])));
      }
      break;
    }
    case 'invalid-schema':
      data = updateFrame(invalidSchemaUpdate(plan.variant, plan.text, plan.client));
      break;
    case 'invalid-existing': {
      const update = invalidExistingUpdate(ctx.mirror, plan.variant, plan.client);
      if (!update) return null;
      data = updateFrame(update);
      break;
    }
    case 'forged': {
      const victim = ctx.victim();
      if (!victim) return null;
      const clock = plan.variant === 'gap' ? victim.clock + 5 : plan.variant === 'past' ? Math.max(0, victim.clock - 1) : victim.clock;
      const item: RawItem =
        plan.variant === 'after-text' && victim.clock > 0
          ? { client: victim.client, clock, origin: [victim.client, victim.clock - 1], content: { ref: 4, text: plan.text } }
          : plan.variant === 'map-entry'
            ? { client: victim.client, clock, parentRoot: 'clauses', parentSub: randomUUID(), content: { ref: 7, typeRef: 1 } }
            : { client: victim.client, clock, parentRoot: 'order', content: { ref: 8, values: [randomUUID()] } };
      data = updateFrame(encodeRawUpdate([item]));
      break;
    }
    case 'gap': {
      // Clause ids (what `order` may hold), so that it is held for what it waits for, not refused.
      const content = { ref: 8 as const, values: Array.from({ length: Math.max(1, Math.floor(plan.size / 37)) }, () => randomUUID()) };
      const item: RawItem = plan.viaOrigin
        ? { client: plan.client, clock: 0, origin: [plan.client ^ 1, plan.gap], content }
        : { client: plan.client, clock: plan.gap, parentRoot: 'order', content };
      data = updateFrame(encodeRawUpdate([item]));
      break;
    }
    case 'raw-struct': {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, plan.client);
      encoding.writeVarUint(e, plan.clock);
      encoding.writeUint8(e, plan.info);
      if ((plan.info & 0xc0) === 0) {
        encoding.writeVarUint(e, plan.parent);
        encoding.writeVarString(e, plan.key);
      }
      encoding.writeUint8Array(e, plan.rest);
      data = updateFrame(encoding.toUint8Array(e));
      break;
    }
    case 'delete-set': {
      const victim = ctx.victim();
      const client = plan.target === 'victim' ? (victim?.client ?? plan.client) : plan.target === 'own' ? ctx.mirror.clientID : plan.client;
      data = updateFrame(encodeRawUpdate([], [[client, plan.clock, plan.length]]));
      break;
    }
    case 'zero-length': {
      // Structs of length 0: no editor makes them, and a clock check (`clock + length <= state`) reads them as known.
      const content =
        plan.content === 'string' ? { ref: 4 as const, text: '' } : plan.content === 'any' ? { ref: 8 as const, values: [] } : { ref: 1 as const, length: 0 };
      const own = ctx.mirror.clientID;
      const ownClock = Y.getState(ctx.mirror.store, own);
      const item: RawItem =
        plan.parent === 'after-own' && ownClock > 0
          ? { client: own, clock: ownClock, origin: [own, ownClock - 1], content }
          : plan.parent === 'clauses'
            ? { client: plan.client, clock: 0, parentRoot: 'clauses', parentSub: randomUUID(), content }
            : { client: plan.client, clock: 0, parentRoot: 'order', content };
      data = updateFrame(encodeRawUpdate([item]));
      break;
    }
    case 'empty-update':
      data = updateFrame(encodeRawUpdate([]));
      break;
    case 'empty-frame':
      data = new Uint8Array();
      break;
    case 'text-frame':
      data = plan.text;
      break;
    case 'oversize':
      oversizeFrame ??= updateFrame(new Uint8Array(2 * 1024 * 1024 + 16));
      data = oversizeFrame;
      break;
  }
  const bytes = typeof data === 'string' ? new Uint8Array(Buffer.from(data)) : data;
  let terminal = true;
  let step1 = false;
  if (plan.k !== 'oversize') {
    try {
      const message = parseMessage(bytes);
      step1 = message.kind === 'syncStep1';
      terminal = message.kind === 'update' && ctx.role === 'editor' && plan.k !== 'valid-edit' && plan.k !== 'empty-update';
    } catch {
      terminal = true;
    }
  }
  return { kind: plan.k, data, terminal, step1 };
}

function awarenessPayload(entries: { client: number; clock: number; state: string }[], countDelta: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, Math.max(0, entries.length + countDelta));
  for (const entry of entries) {
    encoding.writeVarUint(e, entry.client);
    encoding.writeVarUint(e, entry.clock);
    encoding.writeVarString(e, entry.state);
  }
  return encoding.toUint8Array(e);
}

const hex = (data: Uint8Array | string, max = 2048) => {
  const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return bytes.length > max ? `${bytes.subarray(0, max).toString('hex')}…(${bytes.length} bytes)` : bytes.toString('hex');
};

// ---------------------------------------------------------------------------------------------------
// Connections

export interface SentFrame {
  kind: string;
  hex: string;
  text: boolean;
}

export interface SocketIncident {
  what: string;
  role: string;
  code: number | null;
  reason: string;
  /** The frames this connection sent last, oldest first (the last one is the likeliest culprit). */
  recent: SentFrame[];
}

export interface SocketFuzzReport {
  framesSent: number;
  framesByKind: Map<string, number>;
  connections: number;
  /** Close codes the server sent, e.g. "1007" → count; "client" for sockets the fuzzer closed itself. */
  closeCodes: Map<string, number>;
  /** Per frame kind: which close followed a burst that ended with it. */
  closesAfter: Map<string, Map<string, number>>;
  refusedTargets: Map<string, number>;
  incidents: SocketIncident[];
  /** Bursts whose sync step 2 never came while the socket stayed open. */
  stalls: number;
  serverErrors: number;
  connectFailures: number;
  /** Messages from the server that a Yjs client (the fuzzer's copy of the document) could not apply. */
  unapplicable: { error: string; hex: string }[];
  unapplicableCount: number;
}

export function emptySocketReport(): SocketFuzzReport {
  return {
    framesSent: 0,
    framesByKind: new Map(),
    connections: 0,
    closeCodes: new Map(),
    closesAfter: new Map(),
    refusedTargets: new Map(),
    incidents: [],
    stalls: 0,
    serverErrors: 0,
    connectFailures: 0,
    unapplicable: [],
    unapplicableCount: 0,
  };
}

const bump = (map: Map<string, number>, key: string, by = 1) => map.set(key, (map.get(key) ?? 0) + by);

class FuzzConnection {
  readonly ws: WebSocket;
  closeInfo: { code: number; reason: string } | null = null;
  readonly closed: Promise<{ code: number; reason: string }>;
  step1Sent = 0;
  step2Received = 0;
  /** The state vector the server greeted us with (its sync step 1), once it came. */
  serverStateVector: Uint8Array | null = null;
  lastError: string | null = null;
  private readonly waiters: (() => void)[] = [];
  readonly recent: SentFrame[] = [];

  constructor(url: string, headers: Record<string, string>, mirror: Y.Doc, report?: SocketFuzzReport) {
    this.ws = new WebSocket(url, { headers, handshakeTimeout: 10_000 });
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        resolve(this.closeInfo);
        this.wake();
      });
    });
    this.ws.on('error', (error) => {
      this.lastError = error.message;
    });
    this.ws.on('message', (data: WebSocket.RawData, isBinary) => {
      if (!isBinary) return;
      try {
        const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        const decoder = decoding.createDecoder(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
        if (decoding.readVarUint(decoder) !== 0) return;
        const step = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (step === 0) this.serverStateVector = payload;
        else {
          if (step === 1) this.step2Received++;
          // Whatever the server sends is committed content: the mirror follows it, as a browser would.
          try {
            Y.applyUpdate(mirror, payload, 'server');
          } catch (error) {
            if (report) {
              report.unapplicableCount++;
              if (report.unapplicable.length < 10)
                report.unapplicable.push({ error: error instanceof Error ? error.message : String(error), hex: hex(payload, 4096) });
            }
          }
        }
      } catch {
        // a frame that is not a sync message: not ours to judge here
      }
      this.wake();
    });
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Waits until `probe` holds or the socket closes; false after `timeoutMs`. */
  async until(probe: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!probe() && !this.closeInfo) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return true;
  }

  opened(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.OPEN) return resolve(true);
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.ws.once('open', () => {
        clearTimeout(timer);
        resolve(true);
      });
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
  }

  send(frame: { kind: string; data: Uint8Array | string }): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(frame.data, { binary: typeof frame.data !== 'string' });
    this.recent.push({ kind: frame.kind, hex: hex(frame.data), text: typeof frame.data === 'string' });
    if (this.recent.length > 12) this.recent.shift();
    return true;
  }
}

export interface SocketFuzzOptions {
  /** ws://host:port */
  url: string;
  definitionId: string;
  /** Sent as Origin on every upgrade (a browser sends its page's origin). */
  origin: string;
  cookies: { editor: string; observer: string; outsider: string | null };
  victim: () => { client: number; clock: number } | null;
  frames: number;
  workers: number;
  seed: number;
  /** Stop at this time (ms since the epoch) even below `frames`. */
  deadline: number;
  report?: SocketFuzzReport;
  onProgress?: (report: SocketFuzzReport) => void;
  /** Frame kinds not to send (the test leaves out kinds that hit a known, reported defect). */
  exclude?: readonly FramePlan['k'][];
}

/** Connections that must be refused (signed out, outsider, no such definition, foreign origin). */
function refusedTarget(index: number, options: SocketFuzzOptions): { label: string; path: string; headers: Record<string, string> } {
  const base = `/api/collab/${options.definitionId}`;
  const targets = [
    { label: 'signed out', path: base, headers: { origin: options.origin } },
    { label: 'forged session', path: base, headers: { origin: options.origin, cookie: 'draftroom_session=AAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBB' } },
    { label: 'outsider', path: base, headers: { origin: options.origin, ...(options.cookies.outsider && { cookie: options.cookies.outsider }) } },
    { label: 'not a uuid', path: '/api/collab/not-a-uuid', headers: { origin: options.origin, cookie: options.cookies.editor } },
    { label: 'unknown definition', path: `/api/collab/${randomUUID()}`, headers: { origin: options.origin, cookie: options.cookies.editor } },
    { label: 'foreign origin', path: base, headers: { origin: 'https://evil.example', cookie: options.cookies.editor } },
    {
      label: 'hostile id',
      path: `/api/collab/${encodeURIComponent("'; drop table definitions; --")}`,
      headers: { origin: options.origin, cookie: options.cookies.editor },
    },
    { label: 'traversal', path: `/api/collab/..%2f..%2fhealth`, headers: { origin: options.origin, cookie: options.cookies.editor } },
  ];
  return targets[index % targets.length]!;
}

/** Runs `workers` fuzzing connections until `frames` frames were sent (or the deadline). */
export async function fuzzSocket(options: SocketFuzzOptions): Promise<SocketFuzzReport> {
  const report = options.report ?? emptySocketReport();
  const target = report.framesSent + options.frames;
  const done = () => report.framesSent >= target || Date.now() >= options.deadline;

  const worker = async (index: number) => {
    const mirror = new Y.Doc();
    const ownClause = { id: null as string | null };
    let chunk = 0;
    let plans: FramePlan[] = [];
    let cursor = 0;
    const nextPlan = (): FramePlan => {
      for (;;) {
        if (cursor >= plans.length) {
          plans = fc.sample(framePlan, { seed: (options.seed + index * 1_000_003 + chunk++ * 7919) | 0, numRuns: 400 });
          cursor = 0;
        }
        const plan = plans[cursor++]!;
        if (!options.exclude?.includes(plan.k)) return plan;
      }
    };
    for (let connection = 0; !done(); connection++) {
      // One connection in 25 goes where it must be refused.
      if (connection % 25 === 24) {
        const refused = refusedTarget(index + connection, options);
        const probe = new FuzzConnection(`${options.url}${refused.path}`, refused.headers, new Y.Doc());
        const opened = await probe.opened(10_000);
        const info = opened ? await Promise.race([probe.closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000))]) : probe.closeInfo;
        if (!info) {
          report.incidents.push({
            what: `${refused.label}: the server did not close the socket within 10 s`,
            role: refused.label,
            code: null,
            reason: '',
            recent: [],
          });
          report.stalls++;
        } else {
          const refusal = info.code === 1006 && probe.lastError ? `1006 (${probe.lastError.slice(0, 60)})` : String(info.code);
          bump(report.refusedTargets, `${refused.label} → ${refusal}`);
          if (info.code === CLOSE_CODES.loadFailed) {
            report.serverErrors++;
            report.incidents.push({ what: `${refused.label}: closed with 1011`, role: refused.label, code: info.code, reason: info.reason, recent: [] });
          }
        }
        probe.ws.terminate();
        continue;
      }
      const role: 'editor' | 'observer' = (connection + index) % 3 === 2 ? 'observer' : 'editor';
      const conn = new FuzzConnection(
        `${options.url}/api/collab/${options.definitionId}`,
        { origin: options.origin, cookie: options.cookies[role] },
        mirror,
        report,
      );
      report.connections++;
      if (!(await conn.opened(10_000))) {
        report.connectFailures++;
        bump(report.closeCodes, `connect failed (${conn.closeInfo?.code ?? 'timeout'})`);
        conn.ws.terminate();
        continue;
      }
      const ctx: FrameContext = { role, mirror, ownClause, victim: options.victim };
      // Like a real client: once greeted, send what the server lacks of our own edits (it may have
      // missed some when an earlier connection closed mid-burst).
      await conn.until(() => conn.serverStateVector !== null, 10_000);
      if (role === 'editor' && conn.serverStateVector) {
        const missing = Y.encodeStateAsUpdate(mirror, conn.serverStateVector);
        if (Y.decodeUpdate(missing).structs.length > 0) conn.send({ kind: 'resync', data: syncFrame(1, missing) });
      }
      let lastKind = 'open';
      const bursts = 5 + ((connection * 37 + index * 11) % 60);
      for (let burst = 0; burst < bursts && !conn.closeInfo && !done(); burst++) {
        const length = 1 + ((burst * 7 + connection) % 10);
        for (let i = 0; i < length && !done(); i++) {
          let built: BuiltFrame | null;
          try {
            built = buildFrame(nextPlan(), ctx);
          } catch (error) {
            // Building from the mirror failed (Yjs refused to copy it): counted, since the mirror only
            // holds what the server sent and what this worker typed.
            bump(report.framesByKind, `not built (${error instanceof Error ? error.message : String(error)})`);
            continue;
          }
          if (!built) continue;
          if (!conn.send(built)) break;
          report.framesSent++;
          bump(report.framesByKind, built.kind);
          if (built.step1) conn.step1Sent++;
          lastKind = built.kind;
          if (built.terminal) break;
        }
        // Everything before this sync step 1 has been handled once its answer arrives.
        if (!conn.send({ kind: 'ping', data: syncStep1Frame(Y.encodeStateVector(mirror)) })) break;
        conn.step1Sent++;
        const expected = conn.step1Sent;
        const answered = await conn.until(() => conn.step2Received >= expected, 20_000);
        if (!answered) {
          report.stalls++;
          report.incidents.push({ what: 'no answer to a sync step 1 within 20 s', role, code: null, reason: '', recent: [...conn.recent] });
          break;
        }
        options.onProgress?.(report);
      }
      if (!conn.closeInfo) {
        conn.ws.close(1000);
        await Promise.race([conn.closed, new Promise((resolve) => setTimeout(resolve, 2000))]);
        bump(report.closeCodes, 'closed by the fuzzer');
        conn.ws.terminate();
        continue;
      }
      const { code, reason } = conn.closeInfo;
      bump(report.closeCodes, String(code));
      const after = report.closesAfter.get(lastKind) ?? report.closesAfter.set(lastKind, new Map()).get(lastKind)!;
      bump(after, String(code));
      if (code === CLOSE_CODES.loadFailed) report.serverErrors++;
      if (!EXPECTED_CLOSES.has(code) && report.incidents.length < 100) {
        report.incidents.push({ what: `unexpected close ${code}`, role, code, reason, recent: [...conn.recent] });
      }
    }
  };
  await Promise.all(Array.from({ length: options.workers }, (_, index) => worker(index)));
  return report;
}

/**
 * Sends each frame of an incident alone on a fresh connection (after the greeting) and reports the
 * close code it gets: which frame, by itself, makes the server close with `code`.
 */
export async function replayFrames(
  options: Pick<SocketFuzzOptions, 'url' | 'definitionId' | 'origin' | 'cookies'>,
  role: 'editor' | 'observer',
  frames: SentFrame[],
): Promise<{ frame: SentFrame; close: number | null }[]> {
  const out: { frame: SentFrame; close: number | null }[] = [];
  for (const sent of frames) {
    if (sent.hex.includes('…')) continue;
    const conn = new FuzzConnection(
      `${options.url}/api/collab/${options.definitionId}`,
      { origin: options.origin, cookie: options.cookies[role] },
      new Y.Doc(),
    );
    if (!(await conn.opened(10_000))) continue;
    await conn.until(() => conn.serverStateVector !== null, 5000);
    const bytes = Buffer.from(sent.hex, 'hex');
    conn.send({ kind: sent.kind, data: sent.text ? bytes.toString() : new Uint8Array(bytes) });
    conn.send({ kind: 'ping', data: syncStep1Frame(Uint8Array.of(0)) });
    await conn.until(() => conn.step2Received >= 1, 5000);
    out.push({ frame: sent, close: conn.closeInfo?.code ?? null });
    conn.ws.terminate();
  }
  return out;
}

export function socketSummary(report: SocketFuzzReport): string[] {
  const line = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k}×${n}`)
      .join(' ');
  const out = [
    `frames sent: ${report.framesSent} over ${report.connections} connections (+ refused-target probes)`,
    `frames per kind: ${line(report.framesByKind)}`,
    `close codes: ${line(report.closeCodes)}`,
    `refused targets: ${line(report.refusedTargets)}`,
    'close after a burst ending with:',
  ];
  for (const [kind, map] of [...report.closesAfter.entries()].sort()) out.push(`  ${kind.padEnd(18)} ${line(map)}`);
  out.push(`1011 closes: ${report.serverErrors}, stalls: ${report.stalls}, connect failures: ${report.connectFailures}, incidents: ${report.incidents.length}`);
  out.push(`server messages a Yjs client could not apply: ${report.unapplicableCount}`);
  for (const sample of report.unapplicable.slice(0, 3)) out.push(`  ${sample.error}: ${sample.hex.slice(0, 600)}`);
  return out;
}

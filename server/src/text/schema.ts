import type { ContentMatch, MarkType, NodeType } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { BODY_KEY, CLAUSES_KEY, KIND_KEY, ORDER_KEY } from '@draftroom/shared';
import { clauseSchema, isSafeHref } from '@draftroom/shared/collab-schema';
import { isUuid } from '@draftroom/shared';

/**
 * What may be written into a definition's Y.Doc, checked struct by struct before anything is applied:
 *
 *   root 'order'    → strings (clause ids)
 *   root 'clauses'  → id → Y.Map (a clause)
 *   a clause map    → 'kind' → 'heading' | 'clause',  'body' → Y.XmlFragment
 *   a body          → block elements the clause schema allows at the top of a doc
 *   an element      → the children its content expression can ever hold, the attributes its spec names
 *   an XmlText      → strings and formatting by the schema's marks, with valid attributes
 *
 * The checks are local (parent → child), so they hold whatever order concurrent edits arrive in. Whether a
 * node's children match its content expression *in sequence* (a list item starting with a paragraph)
 * cannot be guaranteed per update — two valid concurrent edits can combine into an invalid sequence —
 * so rendering repairs that (see render.ts) instead of refusing it.
 */

export class InvalidContent extends Error {
  override name = 'InvalidContent';
}

/** Deeper nesting than any real clause needs; bounds the recursion of validation and rendering. */
export const MAX_DEPTH = 32;
const MAX_ATTRIBUTE_STRING = 2048;
/** Clause ids are v4-style UUIDs (the browser and the server make them so; PostgreSQL stores them as uuid). */
/** PostgreSQL text and jsonb cannot hold NUL; text holding one could never be mirrored or published. */
const hasNul = (value: string) => value.includes('\u0000');

export type Role =
  | { kind: 'order' }
  | { kind: 'clauses' }
  | { kind: 'clause' }
  | { kind: 'body' }
  | { kind: 'element'; node: NodeType; depth: number }
  | { kind: 'text'; parent: NodeType }
  /** Anything that cannot hold children (a string, a value, a format marker, deleted content). */
  | { kind: 'leaf' };

const ORDER: Role = { kind: 'order' };
const CLAUSES: Role = { kind: 'clauses' };
const CLAUSE: Role = { kind: 'clause' };
const BODY: Role = { kind: 'body' };
const LEAF: Role = { kind: 'leaf' };

/** Every node type a content expression can ever admit, at any place. */
function admitted(match: ContentMatch): Set<NodeType> {
  const seen = new Set<ContentMatch>();
  const types = new Set<NodeType>();
  const stack = [match];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (seen.has(current)) continue;
    seen.add(current);
    for (let i = 0; i < current.edgeCount; i++) {
      const edge = current.edge(i);
      types.add(edge.type);
      stack.push(edge.next);
    }
  }
  return types;
}

const childrenOf = new Map<NodeType, Set<NodeType>>(Object.values(clauseSchema.nodes).map((type) => [type, admitted(type.contentMatch)]));
const docChildren = childrenOf.get(clauseSchema.topNodeType)!;

/** Whether `child` can appear anywhere in `parent`'s content. */
export const admits = (parent: NodeType, child: NodeType): boolean => childrenOf.get(parent)?.has(child) ?? false;
const textType = clauseSchema.nodes.text!;

/** y-prosemirror stores overlapping marks as `name--<8 chars of hash>`; ours never overlap, but accept the form. */
const HASHED_MARK = /^(.+)--[a-zA-Z0-9+/=]{8}$/;

export function markTypeOf(key: string): MarkType | null {
  const name = HASHED_MARK.exec(key)?.[1] ?? key;
  return Object.hasOwn(clauseSchema.marks, name) ? clauseSchema.marks[name]! : null;
}

export function nodeTypeOf(name: string): NodeType | null {
  return Object.hasOwn(clauseSchema.nodes, name) ? clauseSchema.nodes[name]! : null;
}

function plainValue(value: unknown): boolean {
  if (value === null || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && value.length <= MAX_ATTRIBUTE_STRING && !hasNul(value);
}

/** A node attribute as y-prosemirror writes it (null values are never written). */
export function validNodeAttribute(node: NodeType, name: string, value: unknown): boolean {
  if (!node.spec.attrs || !Object.hasOwn(node.spec.attrs, name)) return false;
  if (node.name === 'orderedList' && name === 'start') return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 1_000_000;
  return plainValue(value);
}

/** A mark's attributes as stored in a format marker: an object (or null, which ends the mark). */
export function validMarkValue(mark: MarkType, value: unknown): boolean {
  if (value === null) return true;
  if (typeof value !== 'object' || Array.isArray(value)) return false;
  const attrs = mark.spec.attrs ?? {};
  for (const [name, attr] of Object.entries(value as Record<string, unknown>)) {
    if (!Object.hasOwn(attrs, name) || !plainValue(attr)) return false;
  }
  if (mark.name === 'link') {
    const href = (value as { href?: unknown }).href;
    if (typeof href !== 'string' || !isSafeHref(href)) return false;
  }
  return true;
}

function rootRole(name: string): Role | null {
  if (name === ORDER_KEY) return ORDER;
  if (name === CLAUSES_KEY) return CLAUSES;
  return null;
}

const fail = (reason: string): never => {
  throw new InvalidContent(reason);
};

/**
 * The one rule: may `content` sit in a type of role `parent` under `key` (null for list children)?
 * Returns the role of the content (what it may hold in turn), or throws InvalidContent.
 */
export function checkStruct(parent: Role, key: string | null, content: Y.Item['content']): Role {
  if (content instanceof Y.ContentDeleted) return LEAF;
  switch (parent.kind) {
    case 'order':
      if (key !== null) fail('the clause order is a list');
      if (!(content instanceof Y.ContentAny)) fail('the clause order holds clause ids only');
      for (const value of (content as Y.ContentAny).arr) {
        if (typeof value !== 'string' || !isUuid(value)) fail('a clause id is a UUID');
      }
      return LEAF;
    case 'clauses':
      if (key === null || !isUuid(key)) fail('clauses are keyed by clause id (a UUID)');
      if (!(content instanceof Y.ContentType) || content.type.constructor !== Y.Map) fail('a clause is a map');
      return CLAUSE;
    case 'clause':
      if (key === KIND_KEY) {
        const arr = content instanceof Y.ContentAny ? content.arr : null;
        if (arr?.length !== 1 || (arr[0] !== 'heading' && arr[0] !== 'clause')) fail('a clause kind is "heading" or "clause"');
        return LEAF;
      }
      if (key === BODY_KEY) {
        if (!(content instanceof Y.ContentType) || content.type.constructor !== Y.XmlFragment) fail('a clause body is an XML fragment');
        return BODY;
      }
      return fail(`a clause has no "${String(key).slice(0, 40)}"`);
    case 'body':
    case 'element': {
      const node = parent.kind === 'body' ? clauseSchema.topNodeType : parent.node;
      const depth = parent.kind === 'body' ? 0 : parent.depth;
      const allowed = parent.kind === 'body' ? docChildren : childrenOf.get(node)!;
      if (key !== null) {
        if (parent.kind === 'body') fail('a clause body has no attributes');
        const arr = content instanceof Y.ContentAny ? content.arr : null;
        if (arr?.length !== 1 || !validNodeAttribute(node, key, arr[0])) fail(`${node.name} has no valid attribute "${key.slice(0, 40)}"`);
        return LEAF;
      }
      if (!(content instanceof Y.ContentType)) fail(`${node.name} holds nodes, not raw values`);
      const type = (content as Y.ContentType).type;
      if (type.constructor === Y.XmlText) {
        if (!allowed.has(textType)) fail(`${node.name} cannot hold text`);
        return { kind: 'text', parent: node };
      }
      if (type.constructor !== Y.XmlElement) fail(`${node.name} holds elements and text only`);
      const childType = nodeTypeOf((type as Y.XmlElement).nodeName);
      if (!childType || childType === textType) fail(`unknown element "${String((type as Y.XmlElement).nodeName).slice(0, 40)}"`);
      if (!allowed.has(childType!)) fail(`${node.name} cannot hold ${childType!.name}`);
      if (depth + 1 > MAX_DEPTH) fail('nested too deeply');
      return { kind: 'element', node: childType!, depth: depth + 1 };
    }
    case 'text': {
      if (key !== null) fail('text has no attributes');
      if (content instanceof Y.ContentString) {
        if (hasNul(content.str)) fail('text cannot contain NUL characters');
        return LEAF;
      }
      if (content instanceof Y.ContentFormat) {
        const mark = markTypeOf(content.key);
        if (!mark) fail(`unknown mark "${content.key.slice(0, 40)}"`);
        if (!parent.parent.allowsMarkType(mark!)) fail(`${parent.parent.name} does not allow ${mark!.name}`);
        if (!validMarkValue(mark!, content.value)) fail(`invalid ${mark!.name} attributes`);
        return LEAF;
      }
      return fail('text holds characters and marks only');
    }
    case 'leaf':
      return fail('this value cannot hold anything');
  }
}

/** Roles of types already in a document. A type's role never changes, so it is computed once. */
export class RoleIndex {
  private readonly roles = new WeakMap<Y.AbstractType<unknown>, Role | null>();

  /** The role of an integrated type, or null when it has none (it should not exist). */
  roleOf(type: Y.AbstractType<unknown>, depth = 0): Role | null {
    const known = this.roles.get(type);
    if (known !== undefined) return known;
    let role: Role | null;
    const item = type._item;
    if (item === null) {
      role = rootRole(Y.findRootTypeKey(type));
    } else if (depth > MAX_DEPTH + 4) {
      role = null;
    } else {
      const parentRole = this.roleOf(item.parent as Y.AbstractType<unknown>, depth + 1);
      try {
        role = parentRole === null ? null : checkStruct(parentRole, item.parentSub, item.content);
      } catch {
        role = null;
      }
    }
    this.roles.set(type, role);
    return role;
  }
}

type Resolved = { role: Role; identity: object; key: string | null } | 'gc' | 'missing';

type StructList = (Y.Item | Y.GC | Y.Skip)[];

/**
 * Checks every struct of an update that the document does not have yet, against the rule above, before
 * any of it is applied. Parents are found the way Yjs finds them when integrating (explicit parent,
 * else the left origin's, else the right origin's), in the document or in the update itself.
 * Structs whose parent cannot be found yet (they wait for missing updates) are not judged here; the
 * caller keeps them aside and they are checked again, with what they waited for, when retried.
 * Throws InvalidContent.
 */
export function checkUpdateStructs(doc: Y.Doc, roles: RoleIndex, structs: StructList): void {
  const byClient = new Map<number, StructList>();
  for (const struct of structs) {
    const list = byClient.get(struct.id.client);
    if (list) list.push(struct);
    else byClient.set(struct.id.client, [struct]);
  }
  for (const list of byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock);
  const store = doc.store;
  const memo = new Map<Y.Item, Resolved>();

  /** The struct holding `id`: from the document if it has it, else from the update, else null. */
  const lookup = (id: Y.ID): { from: 'doc'; struct: Y.Item | Y.GC } | { from: 'update'; struct: Y.Item | Y.GC | Y.Skip } | null => {
    if (id.clock < Y.getState(store, id.client)) return { from: 'doc', struct: Y.getItem(store, id) as Y.Item | Y.GC };
    const list = byClient.get(id.client);
    if (!list) return null;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const struct = list[mid]!;
      if (id.clock < struct.id.clock) high = mid - 1;
      else if (id.clock >= struct.id.clock + struct.length) low = mid + 1;
      else return { from: 'update', struct };
    }
    return null;
  };

  const ofDocType = (type: Y.AbstractType<unknown>, key: string | null): Resolved => {
    const role = roles.roleOf(type);
    if (role === null) fail('the parent is not part of a definition');
    return { role: role!, identity: type, key };
  };

  /** Role of a type created by a struct of this update. */
  const roleOfNewType = (item: Y.Item, depth: number): Role | 'gc' | 'missing' => {
    const parent = resolve(item, depth + 1);
    if (parent === 'gc' || parent === 'missing') return parent;
    return checkStruct(parent.role, parent.key, item.content);
  };

  const earlier = (struct: Y.Item, ref: Y.ID) => {
    // Yjs never waits for a struct's own client: a same-client reference must point backwards.
    if (ref.client === struct.id.client && ref.clock >= struct.id.clock) fail('a struct refers forward to its own client');
  };

  const resolve = (start: Y.Item, depth: number): Resolved => {
    if (depth > MAX_DEPTH * 2 + 8) fail('nested too deeply');
    const path: Y.Item[] = [];
    let result: Resolved | undefined;
    let current = start;
    // Follow left (else right) origins iteratively: typing produces long chains of them in one update.
    for (;;) {
      const known = memo.get(current);
      if (known !== undefined) {
        result = known;
        break;
      }
      path.push(current);
      const parent = current.parent as unknown;
      if (typeof parent === 'string') {
        const role = rootRole(parent);
        if (!role) fail(`unknown top-level type "${parent.slice(0, 40)}"`);
        result = { role: role!, identity: doc, key: current.parentSub };
        break;
      }
      if (parent instanceof Y.ID) {
        earlier(current, parent);
        const found = lookup(parent);
        if (!found || found.struct instanceof Y.Skip) {
          result = 'missing';
          break;
        }
        if (found.struct instanceof Y.GC) {
          result = 'gc';
          break;
        }
        const item = found.struct as Y.Item;
        if (!(item.content instanceof Y.ContentType)) fail('the parent is not a type');
        if (found.from === 'doc') {
          result = ofDocType((item.content as Y.ContentType).type, current.parentSub);
        } else {
          const role = roleOfNewType(item, depth);
          result = role === 'gc' || role === 'missing' ? role : { role, identity: item, key: current.parentSub };
        }
        break;
      }
      if (current.origin) earlier(current, current.origin);
      if (current.rightOrigin) earlier(current, current.rightOrigin);
      const left = current.origin ? lookup(current.origin) : null;
      const right = current.rightOrigin ? lookup(current.rightOrigin) : null;
      if ((current.origin && (!left || left.struct instanceof Y.Skip)) || (current.rightOrigin && (!right || right.struct instanceof Y.Skip))) {
        result = 'missing';
        break;
      }
      if (left?.struct instanceof Y.GC || right?.struct instanceof Y.GC) {
        result = 'gc';
        break;
      }
      const neighbour = (left ?? right)?.struct as Y.Item | undefined;
      if (!neighbour) fail('a struct has no parent');
      if ((left ?? right)!.from === 'doc') {
        result = ofDocType(neighbour!.parent as Y.AbstractType<unknown>, neighbour!.parentSub);
        break;
      }
      current = neighbour!;
    }
    for (const item of path) memo.set(item, result);
    return result;
  };

  /** Where a neighbour reference puts a struct, for comparing its left and right neighbours. */
  const placeOf = (ref: Y.ID, depth: number): Resolved => {
    const found = lookup(ref);
    if (!found || found.struct instanceof Y.Skip) return 'missing';
    if (found.struct instanceof Y.GC) return 'gc';
    const item = found.struct as Y.Item;
    if (found.from === 'doc') return ofDocType(item.parent as Y.AbstractType<unknown>, item.parentSub);
    return resolve(item, depth);
  };

  for (const list of byClient.values()) {
    for (const struct of list) {
      // No editor makes a struct of length 0, and Yjs cannot encode a document holding one again.
      if (struct.length < 1) fail('a struct of length 0');
      if (!(struct instanceof Y.Item)) continue; // GC and Skip carry no content
      if (struct.id.clock + struct.length <= Y.getState(store, struct.id.client)) continue; // already known
      const parent = resolve(struct, 0);
      if (parent === 'gc' || parent === 'missing') continue;
      if (struct.origin && struct.rightOrigin && struct.parent === null) {
        const left = placeOf(struct.origin, 0);
        const right = placeOf(struct.rightOrigin, 0);
        if (typeof left === 'object' && typeof right === 'object' && (left.identity !== right.identity || left.key !== right.key)) {
          fail('a struct sits between two different parents');
        }
      }
      checkStruct(parent.role, parent.key, struct.content);
    }
  }
}

/**
 * Items already in the document that the rules refuse (written before they existed): they are deleted
 * by the caller, whose transaction then records the repair like any other edit.
 */
export function invalidItems(doc: Y.Doc, roles: RoleIndex): Y.Item[] {
  const out: Y.Item[] = [];
  for (const structs of doc.store.clients.values()) {
    for (const struct of structs) {
      if (!(struct instanceof Y.Item) || struct.deleted) continue;
      const parentRole = roles.roleOf(struct.parent as Y.AbstractType<unknown>);
      if (parentRole === null) {
        // Inside an invalid type, only that type's own item is deleted (which deletes what it holds);
        // a top-level type nobody knows has no item, so its children go one by one.
        if ((struct.parent as Y.AbstractType<unknown>)._item === null) out.push(struct);
        continue;
      }
      try {
        checkStruct(parentRole, struct.parentSub, struct.content);
      } catch {
        out.push(struct);
      }
    }
  }
  return out;
}

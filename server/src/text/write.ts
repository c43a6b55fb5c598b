import { diffArrays } from 'diff';
import type { Mark, Node as ProseMirrorNode } from '@tiptap/pm/model';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { clauseSchema } from '@draftroom/shared/collab-schema';
import { clauseNode, elementNode } from './render.ts';

/**
 * Writing a clause body so that it reads like a target ProseMirror doc while changing as little as
 * possible, word by word: unchanged words keep their Yjs items (so their authors, times and marks), a
 * changed word is deleted and inserted whole (so the new wording is credited to whoever writes it, not
 * split between two people at some shared letters), and formatting changes on kept words only add
 * formatting. Blocks are matched first (kept, edited in place, or replaced), then words inside each
 * edited paragraph.
 */

/** Beyond this many differing tokens or blocks, a paragraph or list is replaced whole instead. */
const MAX_EDIT_LENGTH = 4000;

type Attrs = Record<string, unknown>;

/** Marks as y-prosemirror stores them on text: { markName: attrs }. */
function markAttrs(marks: readonly Mark[]): Attrs {
  const out: Attrs = {};
  for (const mark of marks) out[mark.type.name] = mark.attrs;
  return out;
}

function stable(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  const entries = Object.entries(value as Attrs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`;
}

/** The Yjs form of a node, as y-prosemirror writes it (attributes with null values are left out). */
export function createYNode(node: ProseMirrorNode): Y.XmlElement {
  const element = new Y.XmlElement(node.type.name);
  for (const [name, value] of Object.entries(node.attrs)) if (value !== null) element.setAttribute(name, value as string);
  element.insert(0, yChildren(node));
  return element;
}

function yChildren(node: ProseMirrorNode): (Y.XmlElement | Y.XmlText)[] {
  const out: (Y.XmlElement | Y.XmlText)[] = [];
  let delta: { insert: string; attributes: Attrs }[] | null = null;
  const endText = () => {
    if (delta && delta.length > 0) {
      const text = new Y.XmlText();
      text.applyDelta(delta);
      out.push(text);
    }
    delta = null;
  };
  node.forEach((child) => {
    if (child.isText) {
      delta ??= [];
      delta.push({ insert: child.text!, attributes: markAttrs(child.marks) });
    } else {
      endText();
      out.push(createYNode(child));
    }
  });
  endText();
  return out;
}

// ---------- words inside a paragraph ----------

type Token = { kind: 'text'; text: string; attrs: Attrs } | { kind: 'break' };

/** Words, runs of whitespace, and single other characters (punctuation stays its own token). */
const WORD = /\s+|[\p{L}\p{M}\p{N}_]+|[^\s\p{L}\p{M}\p{N}_]/gu;

const keyOf = (token: Token) => (token.kind === 'break' ? '\n' : `t${token.text}`);
const tokenLength = (token: Token) => (token.kind === 'break' ? 1 : token.text.length);

function splitWords(text: string, attrs: Attrs, out: Token[]): void {
  for (const match of text.matchAll(WORD)) out.push({ kind: 'text', text: match[0], attrs });
}

function currentTokens(paragraph: Y.XmlElement): Token[] {
  const out: Token[] = [];
  for (const child of paragraph.toArray()) {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as { insert: unknown; attributes?: Attrs }[]) {
        if (typeof op.insert === 'string') splitWords(op.insert, op.attributes ?? {}, out);
      }
    } else {
      out.push({ kind: 'break' });
    }
  }
  return out;
}

function targetTokens(node: ProseMirrorNode): Token[] {
  const out: Token[] = [];
  node.forEach((child) => {
    if (child.isText) splitWords(child.text!, markAttrs(child.marks), out);
    else out.push({ kind: 'break' });
  });
  return out;
}

type Child = Y.XmlText | Y.XmlElement;
const unitLength = (child: Child) => (child instanceof Y.XmlText ? child.length : 1);

/** The child holding unit `position` (a character of a text, or a whole inline element). */
function unitAt(paragraph: Y.XmlElement, position: number): { child: Child; index: number; offset: number } {
  let start = 0;
  const children = paragraph.toArray() as Child[];
  for (let index = 0; index < children.length; index++) {
    const length = unitLength(children[index]!);
    if (position < start + length) return { child: children[index]!, index, offset: position - start };
    start += length;
  }
  throw new Error('position beyond the paragraph');
}

/** Where an insertion at `position` goes: into a text (preferring the one that ends there), or between children. */
function gapAt(paragraph: Y.XmlElement, position: number): { text: Y.XmlText; offset: number; index: number } | { text: null; index: number } {
  let start = 0;
  const children = paragraph.toArray() as Child[];
  for (let index = 0; index < children.length; index++) {
    const child = children[index]!;
    const length = unitLength(child);
    if (child instanceof Y.XmlText && position <= start + length) return { text: child, offset: position - start, index };
    if (position < start + length || (position === start && !(child instanceof Y.XmlText))) return { text: null, index };
    start += length;
  }
  return { text: null, index: children.length };
}

function insertText(paragraph: Y.XmlElement, position: number, text: string, attrs: Attrs): void {
  const gap = gapAt(paragraph, position);
  if (gap.text) {
    gap.text.insert(gap.offset, text, attrs);
    return;
  }
  const created = new Y.XmlText();
  created.applyDelta([{ insert: text, attributes: attrs }]);
  paragraph.insert(gap.index, [created]);
}

function insertBreak(paragraph: Y.XmlElement, position: number): void {
  const gap = gapAt(paragraph, position);
  if (!gap.text) {
    paragraph.insert(gap.index, [new Y.XmlElement('hardBreak')]);
    return;
  }
  if (gap.offset === 0) {
    paragraph.insert(gap.index, [new Y.XmlElement('hardBreak')]);
    return;
  }
  if (gap.offset === gap.text.length) {
    paragraph.insert(gap.index + 1, [new Y.XmlElement('hardBreak')]);
    return;
  }
  // A break inside a text splits it: the tail moves to a new text after the break.
  const tail: { insert: string; attributes?: Attrs }[] = [];
  let start = 0;
  for (const op of gap.text.toDelta() as { insert: string; attributes?: Attrs }[]) {
    const end = start + op.insert.length;
    if (end > gap.offset) tail.push({ insert: op.insert.slice(Math.max(0, gap.offset - start)), attributes: op.attributes ?? {} });
    start = end;
  }
  gap.text.delete(gap.offset, gap.text.length - gap.offset);
  const rest = new Y.XmlText();
  rest.applyDelta(tail);
  paragraph.insert(gap.index + 1, [new Y.XmlElement('hardBreak'), rest]);
}

function replaceContent(element: Y.XmlElement, node: ProseMirrorNode): void {
  if (element.length > 0) element.delete(0, element.length);
  element.insert(0, yChildren(node));
}

/** Makes a paragraph's words read like `node`'s, word by word. */
function syncTextblock(paragraph: Y.XmlElement, node: ProseMirrorNode): void {
  const before = currentTokens(paragraph);
  const after = targetTokens(node);
  const changes = diffArrays(before, after, { comparator: (a, b) => keyOf(a) === keyOf(b), maxEditLength: MAX_EDIT_LENGTH });
  if (!changes) {
    replaceContent(paragraph, node);
    return;
  }
  let position = 0;
  let beforeIndex = 0;
  let afterIndex = 0;
  for (const change of changes) {
    if (change.removed) {
      for (let i = 0; i < change.count; i++) {
        const token = before[beforeIndex++]!;
        const unit = unitAt(paragraph, position);
        if (token.kind === 'break') paragraph.delete(unit.index, 1);
        else (unit.child as Y.XmlText).delete(unit.offset, token.text.length);
      }
      continue;
    }
    if (change.added) {
      for (let i = 0; i < change.count; i++) {
        const token = after[afterIndex++]!;
        if (token.kind === 'break') insertBreak(paragraph, position);
        else insertText(paragraph, position, token.text, token.attrs);
        position += tokenLength(token);
      }
      continue;
    }
    for (let i = 0; i < change.count; i++) {
      const old = before[beforeIndex++]!;
      const wanted = after[afterIndex++]!;
      if (old.kind === 'text' && wanted.kind === 'text' && stable(old.attrs) !== stable(wanted.attrs)) {
        const unit = unitAt(paragraph, position);
        const patch: Attrs = { ...wanted.attrs };
        for (const name of Object.keys(old.attrs)) if (!(name in wanted.attrs)) patch[name] = null;
        (unit.child as Y.XmlText).format(unit.offset, old.text.length, patch);
      }
      position += tokenLength(old);
    }
  }
}

// ---------- blocks ----------

function blockKey(child: unknown): string {
  if (!(child instanceof Y.XmlElement)) return '\u0000not a block';
  const node = elementNode(child, 1);
  return node ? stable(node.toJSON()) : '\u0000invalid';
}

function syncAttributes(element: Y.XmlElement, node: ProseMirrorNode): void {
  const wanted = Object.entries(node.attrs).filter(([, value]) => value !== null);
  for (const [name, value] of wanted) if (stable(element.getAttribute(name)) !== stable(value)) element.setAttribute(name, value as string);
  for (const name of Object.keys(element.getAttributes())) if (!wanted.some(([key]) => key === name)) element.removeAttribute(name);
}

function syncNode(element: Y.XmlElement, node: ProseMirrorNode): void {
  syncAttributes(element, node);
  if (node.isTextblock) syncTextblock(element, node);
  else syncChildren(element, childrenOf(node));
}

const childrenOf = (node: ProseMirrorNode): ProseMirrorNode[] => {
  const out: ProseMirrorNode[] = [];
  node.forEach((child) => {
    out.push(child);
  });
  return out;
};

/**
 * Matches existing blocks with wanted ones (identical blocks stay untouched); between matches, blocks of
 * the same type are edited in place and the rest are deleted or inserted.
 */
function syncChildren(parent: Y.XmlFragment | Y.XmlElement, wanted: ProseMirrorNode[]): void {
  const existing = parent.toArray();
  const keys = existing.map(blockKey);
  const wantedKeys = wanted.map((node) => stable(node.toJSON()));
  const changes = diffArrays(keys, wantedKeys, { maxEditLength: MAX_EDIT_LENGTH });
  if (!changes) {
    if (parent.length > 0) parent.delete(0, parent.length);
    parent.insert(0, wanted.map(createYNode));
    return;
  }
  let index = 0;
  let existingIndex = 0;
  let wantedIndex = 0;
  let removed: number[] = [];
  let added: ProseMirrorNode[] = [];
  const settle = () => {
    const paired = Math.min(removed.length, added.length);
    for (let i = 0; i < paired; i++) {
      const element = existing[removed[i]!];
      const node = added[i]!;
      if (element instanceof Y.XmlElement && element.nodeName === node.type.name) {
        syncNode(element, node);
      } else {
        parent.delete(index, 1);
        parent.insert(index, [createYNode(node)]);
      }
      index += 1;
    }
    if (removed.length > paired) parent.delete(index, removed.length - paired);
    if (added.length > paired) {
      parent.insert(index, added.slice(paired).map(createYNode));
      index += added.length - paired;
    }
    removed = [];
    added = [];
  };
  for (const change of changes) {
    if (change.removed) {
      for (let i = 0; i < change.count; i++) removed.push(existingIndex++);
    } else if (change.added) {
      for (let i = 0; i < change.count; i++) added.push(wanted[wantedIndex++]!);
    } else {
      settle();
      index += change.count;
      existingIndex += change.count;
      wantedIndex += change.count;
    }
  }
  settle();
}

/**
 * Makes `body` read like `target` with a word-level change (call inside a transaction). If the result
 * does not render exactly as the target — it always should — the body is rewritten by y-prosemirror's
 * own diff instead: the record must say what was decided, attribution comes second.
 */
export function writeBody(body: Y.XmlFragment, target: ProseMirrorNode): void {
  syncChildren(body, childrenOf(target));
  if (stable(clauseNode(body).toJSON()) !== normalised(target)) prosemirrorJSONToYXmlFragment(clauseSchema, target.toJSON(), body);
}

/** The target as the renderer reads it back from Yjs (normalised the same way as stored text). */
function normalised(target: ProseMirrorNode): string {
  const doc = new Y.Doc();
  try {
    const fragment = doc.getXmlFragment('target');
    fragment.insert(0, childrenOf(target).map(createYNode));
    return stable(clauseNode(fragment).toJSON());
  } finally {
    doc.destroy();
  }
}

/**
 * Stored ProseMirror JSON (a version's clause) as a valid node, whatever it holds: it goes through the
 * same tolerant reading as the live text, so content from before updates were checked still restores.
 */
export function contentFromJson(json: unknown): ProseMirrorNode {
  try {
    const node = clauseSchema.nodeFromJSON(json);
    node.check();
    return node;
  } catch {
    const doc = new Y.Doc();
    try {
      const fragment = doc.getXmlFragment('stored');
      const content = (json as { content?: unknown })?.content;
      fragment.insert(
        0,
        (Array.isArray(content) ? content : []).flatMap((child) => jsonToY(child, 0)),
      );
      return clauseNode(fragment);
    } finally {
      doc.destroy();
    }
  }
}

function jsonToY(json: unknown, depth: number): (Y.XmlElement | Y.XmlText)[] {
  if (!json || typeof json !== 'object' || depth > 64) return [];
  const node = json as { type?: unknown; text?: unknown; marks?: unknown; attrs?: unknown; content?: unknown };
  if (node.type === 'text') {
    if (typeof node.text !== 'string') return [];
    const attributes: Attrs = {};
    for (const mark of Array.isArray(node.marks) ? node.marks : []) {
      if (mark && typeof mark === 'object' && typeof (mark as { type?: unknown }).type === 'string')
        attributes[(mark as { type: string }).type] = (mark as { attrs?: unknown }).attrs ?? {};
    }
    const text = new Y.XmlText();
    text.applyDelta([{ insert: node.text, attributes }]);
    return [text];
  }
  if (typeof node.type !== 'string') return [];
  const element = new Y.XmlElement(node.type);
  if (node.attrs && typeof node.attrs === 'object') {
    for (const [name, value] of Object.entries(node.attrs)) if (value !== null && value !== undefined) element.setAttribute(name, value as string);
  }
  element.insert(
    0,
    (Array.isArray(node.content) ? node.content : []).flatMap((child) => jsonToY(child, depth + 1)),
  );
  return [element];
}

import { Extension } from '@tiptap/react';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

/** A thread's passage in one clause: the two base64 relative positions the server stored. */
export interface AnchoredPassage {
  threadId: string;
  start: string;
  end: string;
}

interface HighlightState {
  passages: AnchoredPassage[];
  activeId: string | null;
  decorations: DecorationSet;
}

export const anchorHighlightsKey = new PluginKey<HighlightState>('commentAnchors');

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** ProseMirror range of each passage, through the collaboration binding's Yjs ↔ ProseMirror mapping. */
function resolve(state: EditorState, body: Y.XmlFragment, passages: AnchoredPassage[]): { threadId: string; from: number; to: number }[] {
  const binding = (ySyncPluginKey.getState(state) as { binding?: { mapping: Map<unknown, unknown> } | null } | undefined)?.binding;
  if (!binding || !body.doc) return [];
  const ranges: { threadId: string; from: number; to: number }[] = [];
  for (const passage of passages) {
    try {
      const from = relativePositionToAbsolutePosition(body.doc, body, Y.decodeRelativePosition(fromBase64(passage.start)), binding.mapping as never);
      const to = relativePositionToAbsolutePosition(body.doc, body, Y.decodeRelativePosition(fromBase64(passage.end)), binding.mapping as never);
      if (from === null || to === null || to <= from || to > state.doc.content.size) continue;
      ranges.push({ threadId: passage.threadId, from, to });
    } catch {
      // A position this document cannot read (another clause, a damaged anchor): no highlight.
    }
  }
  return ranges;
}

/** A child type's place among its parent's children (deleted ones not counted). */
function indexInParent(type: Y.AbstractType<unknown>): number {
  const parent = type._item?.parent as Y.AbstractType<unknown> | null | undefined;
  let index = 0;
  for (let item = parent?._start ?? null; item; item = item.right) {
    if (item === type._item) return index;
    if (!item.deleted && item.countable) index += item.length;
  }
  return -1;
}

/** Where a relative position is in the clause, as a path of indexes from its body down; null when it is not in this body. */
function placeOf(doc: Y.Doc, body: Y.XmlFragment, encoded: string): number[] | null {
  const absolute = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(fromBase64(encoded)), doc);
  if (!absolute) return null;
  const path = [absolute.index];
  let type = absolute.type as Y.AbstractType<unknown>;
  while (type !== body) {
    const index = indexInParent(type);
    const parent = type._item?.parent as Y.AbstractType<unknown> | null | undefined;
    if (index < 0 || !parent) return null;
    path.unshift(index);
    type = parent;
  }
  return path;
}

function comparePlaces(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * The threads whose passage is in the text, in the order the passages start; a passage this text no
 * longer has is left out. Read from the Yjs document alone (not through the editor's view of it, which
 * can lag a render behind), so the order is right whenever it is asked.
 */
export function passageOrder(body: Y.XmlFragment, passages: AnchoredPassage[]): string[] {
  const doc = body.doc;
  if (!doc) return [];
  const placed: { threadId: string; from: number[]; to: number[] }[] = [];
  for (const passage of passages) {
    try {
      const from = placeOf(doc, body, passage.start);
      const to = placeOf(doc, body, passage.end);
      if (from && to && comparePlaces(from, to) < 0) placed.push({ threadId: passage.threadId, from, to });
    } catch {
      // A position this document cannot read: not in the text.
    }
  }
  return placed.sort((a, b) => comparePlaces(a.from, b.from) || comparePlaces(a.to, b.to)).map((place) => place.threadId);
}

function decorate(state: EditorState, body: Y.XmlFragment, passages: AnchoredPassage[], activeId: string | null): DecorationSet {
  const decorations = resolve(state, body, passages).map(({ threadId, from, to }) =>
    Decoration.inline(
      from,
      to,
      { class: threadId === activeId ? 'comment-anchor comment-anchor-active' : 'comment-anchor', 'data-thread-id': threadId },
      { threadId },
    ),
  );
  return DecorationSet.create(state.doc, decorations);
}

type Meta = { passages: AnchoredPassage[]; activeId: string | null };

/**
 * Highlights the passages open threads are anchored to. Recomputed from the relative positions when
 * the threads change and when the text changes remotely (the binding has then already updated its
 * mapping); a local edit, which reaches Yjs only after this plugin ran, maps the highlights along.
 */
export function anchorHighlights(body: Y.XmlFragment, onActivate: (threadId: string) => void) {
  return Extension.create({
    name: 'commentAnchors',
    addProseMirrorPlugins() {
      return [
        new Plugin<HighlightState>({
          key: anchorHighlightsKey,
          state: {
            init: () => ({ passages: [], activeId: null, decorations: DecorationSet.empty }),
            apply(tr: Transaction, value: HighlightState, _old: EditorState, next: EditorState): HighlightState {
              const meta = tr.getMeta(anchorHighlightsKey) as Meta | undefined;
              if (meta) return { ...meta, decorations: decorate(next, body, meta.passages, meta.activeId) };
              if (!tr.docChanged) return value;
              if (tr.getMeta(ySyncPluginKey)) return { ...value, decorations: decorate(next, body, value.passages, value.activeId) };
              return { ...value, decorations: value.decorations.map(tr.mapping, tr.doc) };
            },
          },
          props: {
            decorations: (state) => anchorHighlightsKey.getState(state)?.decorations,
            handleClick(view, pos) {
              const found = anchorHighlightsKey.getState(view.state)?.decorations.find(pos, pos);
              const threadId = found?.[0]?.spec?.threadId as string | undefined;
              if (threadId) onActivate(threadId);
              return false;
            },
          },
        }),
      ];
    },
  });
}

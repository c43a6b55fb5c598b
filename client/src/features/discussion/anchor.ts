import type { Editor } from '@tiptap/react';
import * as Y from 'yjs';
import type { Anchor } from '@draftroom/shared';

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * A ProseMirror position as a Yjs relative position in the clause body. Block nodes map one to one
 * onto Y.XmlElements; inside a textblock, runs of text (whatever their marks) are one Y.XmlText and
 * each inline node (a hard break) one element, which is how the collaboration binding lays them out.
 */
function relativePosition(editor: Editor, body: Y.XmlFragment, pos: number, assoc: 0 | -1): Y.RelativePosition {
  const $pos = editor.state.doc.resolve(pos);
  let type: Y.XmlFragment | Y.XmlElement = body;
  for (let depth = 0; depth < $pos.depth; depth++) {
    const child: unknown = type.get($pos.index(depth));
    if (!(child instanceof Y.XmlElement)) return Y.createRelativePositionFromTypeIndex(type, Math.min($pos.index(depth), type.length), assoc);
    type = child;
  }
  if (!$pos.parent.inlineContent) return Y.createRelativePositionFromTypeIndex(type, Math.min($pos.index($pos.depth), type.length), assoc);
  let offset = $pos.parentOffset;
  for (let index = 0; index < type.length; index++) {
    const child = type.get(index);
    const length = child instanceof Y.XmlText ? child.length : 1;
    if (child instanceof Y.XmlText && offset <= length) return Y.createRelativePositionFromTypeIndex(child, offset, assoc);
    if (!(child instanceof Y.XmlText) && offset === 0) return Y.createRelativePositionFromTypeIndex(type, index, assoc);
    offset -= length;
  }
  return Y.createRelativePositionFromTypeIndex(type, type.length, assoc);
}

/** The editor's selection as a thread anchor, or null when nothing (or only spaces) is selected. */
export function anchorFromSelection(editor: Editor, body: Y.XmlFragment): Anchor | null {
  const { from, to, empty } = editor.state.selection;
  if (empty) return null;
  const quote = editor.state.doc.textBetween(from, to, ' ').trim().slice(0, 2000);
  if (!quote) return null;
  return {
    start: toBase64(Y.encodeRelativePosition(relativePosition(editor, body, from, 0))),
    end: toBase64(Y.encodeRelativePosition(relativePosition(editor, body, to, -1))),
    quote,
  };
}

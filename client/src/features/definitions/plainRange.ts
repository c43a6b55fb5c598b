import type { Node as ProseMirrorNode } from '@tiptap/pm/model';

const leafText = (leaf: ProseMirrorNode) => (leaf.type.name === 'hardBreak' ? '\n' : '');

/** The clause's plain text as the server lays it out (server/src/text/render.ts, `clauseText`). */
export const plainText = (doc: ProseMirrorNode) => doc.textBetween(0, doc.content.size, '\n\n', leafText);

/**
 * A selection in a clause's editor (ProseMirror positions) as character offsets in the clause's plain
 * text as the server lays it out (server/src/text/render.ts, `clauseText`): every textblock's text,
 * hard breaks as "\n", textblocks joined by a blank line. An end that falls between textblocks (a
 * list's edge) is moved to the nearest text inside the selection. Exact, not a search for the quote:
 * the editor's document is the same Yjs body the server reads.
 */
export function plainRange(doc: ProseMirrorNode, from: number, to: number): { from: number; to: number } {
  let offset = 0;
  let blocks = 0;
  let start: number | null = null;
  let end = 0;
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    if (blocks++ > 0) offset += 2;
    const contentStart = pos + 1;
    const contentEnd = contentStart + node.content.size;
    const at = (position: number) =>
      offset + node.textBetween(0, Math.min(Math.max(position, contentStart), contentEnd) - contentStart, undefined, leafText).length;
    if (start === null && from <= contentEnd) start = at(from);
    if (to >= contentStart) end = at(to);
    offset += node.textBetween(0, node.content.size, undefined, leafText).length;
    return false;
  });
  return { from: start ?? offset, to: end };
}

/**
 * The inverse of plainRange: the ProseMirror position of a character offset in the clause's plain
 * text (the same layout). An offset inside the blank line between two textblocks belongs to neither:
 * `side` says whether it goes to the end of the block before it or the start of the block after it.
 * Null past the end of the text.
 */
export function plainPosition(doc: ProseMirrorNode, offset: number, side: 'before' | 'after'): number | null {
  if (offset < 0) return null;
  let blockStart = 0;
  let blocks = 0;
  let previousEnd: number | null = null;
  let found: number | null = null;
  doc.descendants((node, pos) => {
    if (found !== null) return false;
    if (!node.isTextblock) return true;
    if (blocks++ > 0) {
      if (offset < blockStart + 2) {
        found = side === 'before' ? previousEnd : pos + 1;
        return false;
      }
      blockStart += 2;
    }
    let rest = offset - blockStart;
    let at = pos + 1;
    const length = node.textBetween(0, node.content.size, undefined, leafText).length;
    if (rest <= length) {
      // Text counts a character per position, a hard break one ("\n"); no other inline leaf is in the schema.
      node.forEach((child) => {
        if (found !== null) return;
        const size = child.isText ? child.text!.length : leafText(child).length;
        if (rest <= size) found = at + Math.min(rest, child.nodeSize);
        else {
          rest -= size;
          at += child.nodeSize;
        }
      });
      found ??= pos + 1 + node.content.size;
      return false;
    }
    blockStart += length;
    previousEnd = pos + 1 + node.content.size;
    return false;
  });
  return found;
}

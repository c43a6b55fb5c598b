import type { Node as ProseMirrorNode } from '@tiptap/pm/model';

const leafText = (leaf: ProseMirrorNode) => (leaf.type.name === 'hardBreak' ? '\n' : '');

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

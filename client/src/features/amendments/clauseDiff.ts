import { diffArrays } from 'diff';
import type { Mark, Node as ProseMirrorNode } from '@tiptap/pm/model';

/**
 * A change between two clause documents: the range [fromA, toA) of the old document replaced by the
 * range [fromB, toB) of the new one (either may be empty). Positions are ProseMirror positions.
 */
export interface ClauseChange {
  fromA: number;
  toA: number;
  fromB: number;
  toB: number;
}

/** Words (letters, digits, inner apostrophes and hyphens), runs of spaces, and each other character alone. */
const WORDS = /\s+|[\p{L}\p{N}_]+(?:['’-][\p{L}\p{N}_]+)*|[^\s]/gu;

interface Token {
  /** What is compared: a word with its formatting, a run of spaces, or a block's edge. */
  key: string;
  from: number;
  to: number;
}

function markKey(marks: readonly Mark[]): string {
  return marks.map((mark) => (mark.type.name === 'link' ? `link(${String(mark.attrs.href)})` : mark.type.name)).join(',');
}

/**
 * The document as a flat run of tokens that cover it without gaps: each block's opening and closing,
 * each word and each run of spaces (with its marks, so a word made bold is a changed word), each
 * inline node. A token's key names the node for block edges, so a paragraph turned into a list item
 * is a change.
 */
function tokensOf(doc: ProseMirrorNode): Token[] {
  const tokens: Token[] = [];
  const walk = (node: ProseMirrorNode, start: number) => {
    node.forEach((child, offset) => {
      const pos = start + offset;
      if (child.isText) {
        const marks = markKey(child.marks);
        let at = pos;
        for (const piece of child.text!.match(WORDS) ?? []) {
          tokens.push({ key: `${piece}\u0000${marks}`, from: at, to: at + piece.length });
          at += piece.length;
        }
      } else if (child.isLeaf) {
        tokens.push({ key: `\u0001${child.type.name}`, from: pos, to: pos + child.nodeSize });
      } else {
        const attributes = child.type.name === 'orderedList' ? `:${String(child.attrs.start ?? 1)}` : '';
        tokens.push({ key: `\u0002${child.type.name}${attributes}`, from: pos, to: pos + 1 });
        walk(child, pos + 1);
        tokens.push({ key: `\u0003${child.type.name}`, from: pos + child.nodeSize - 1, to: pos + child.nodeSize });
      }
    });
  };
  walk(doc, 0);
  return tokens;
}

/** Beyond this many differing tokens a diff is not worth its cost: the differing middle is one change. */
const MAX_EDIT_LENGTH = 4000;

/**
 * What changed from one clause document to another, word by word (formatting and structure count):
 * the smallest set of replaced ranges, in document order. Two texts too different to compare in
 * reasonable time come back as one change over everything between their common start and end.
 */
export function clauseChanges(a: ProseMirrorNode, b: ProseMirrorNode): ClauseChange[] {
  const tokensA = tokensOf(a);
  const tokensB = tokensOf(b);
  let start = 0;
  while (start < tokensA.length && start < tokensB.length && tokensA[start]!.key === tokensB[start]!.key) start++;
  let endA = tokensA.length;
  let endB = tokensB.length;
  while (endA > start && endB > start && tokensA[endA - 1]!.key === tokensB[endB - 1]!.key) {
    endA--;
    endB--;
  }
  if (start === endA && start === endB) return [];
  const positionA = (index: number) => (index < tokensA.length ? tokensA[index]!.from : a.content.size);
  const positionB = (index: number) => (index < tokensB.length ? tokensB[index]!.from : b.content.size);
  const middleA = tokensA.slice(start, endA).map((token) => token.key);
  const middleB = tokensB.slice(start, endB).map((token) => token.key);
  const parts = diffArrays(middleA, middleB, { maxEditLength: MAX_EDIT_LENGTH });
  if (!parts) return [{ fromA: positionA(start), toA: positionA(endA), fromB: positionB(start), toB: positionB(endB) }];

  const changes: ClauseChange[] = [];
  let indexA = start;
  let indexB = start;
  let open: { startA: number; startB: number } | null = null;
  const close = () => {
    if (!open) return;
    changes.push({ fromA: positionA(open.startA), toA: positionA(indexA), fromB: positionB(open.startB), toB: positionB(indexB) });
    open = null;
  };
  for (const part of parts) {
    const count = part.count ?? part.value.length;
    if (!part.added && !part.removed) {
      close();
      indexA += count;
      indexB += count;
      continue;
    }
    open ??= { startA: indexA, startB: indexB };
    if (part.removed) indexA += count;
    else indexB += count;
  }
  close();
  return joinAcrossSpaces(changes, a);
}

/**
 * Two changes with only spaces between them, in one paragraph, read as one: "the quick fox" → "a slow
 * fox" is "the quick" replaced by "a slow", not two replacements around an unchanged space.
 */
function joinAcrossSpaces(changes: ClauseChange[], a: ProseMirrorNode): ClauseChange[] {
  const joined: ClauseChange[] = [];
  for (const change of changes) {
    const last = joined.at(-1);
    if (last && a.resolve(last.toA).sameParent(a.resolve(change.fromA)) && a.textBetween(last.toA, change.fromA).trim() === '') {
      joined[joined.length - 1] = { fromA: last.fromA, toA: change.toA, fromB: last.fromB, toB: change.toB };
    } else joined.push(change);
  }
  return joined;
}

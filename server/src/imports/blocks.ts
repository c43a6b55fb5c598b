import type { Mark, Node as ProseMirrorNode } from '@tiptap/pm/model';
import type { ImportWarning } from '@draftroom/shared';
import { clauseSchema, isSafeHref } from '@draftroom/shared/collab-schema';
import { invalidInput } from '../errors.ts';
import { MAX_DEPTH } from '../text/schema.ts';

/*
 * What the Markdown and HTML readers hand over: the source as a flat run of top-level blocks, each
 * already in the clause schema's terms, before parse.ts groups them into clauses. Both readers build
 * their paragraphs with InlineRun and report losses to Warnings, so the two formats read alike.
 */

export type Block =
  | { type: 'heading'; level: number; text: string; line?: number }
  | {
      type: 'paragraph';
      node: ProseMirrorNode;
      line?: number;
      /** Came out of a block quote (a version download's release notes are one). */
      quoted?: boolean;
      /** A Draftroom export's clause label (HTML: `<p class="clause-label">`). */
      label?: boolean;
    }
  | { type: 'list'; node: ProseMirrorNode; line?: number; quoted?: boolean }
  | { type: 'rule'; line?: number };

/** What a reader found: the blocks, and what it left out on purpose (recognised, not lost). */
export interface ReadSource {
  blocks: Block[];
  /** An HTML document's <title>, the title when the body has no leading level-1 heading. */
  documentTitle?: string;
  stripped: string[];
}

/**
 * Lists nest two nodes a level (list, item) under the doc, and a paragraph in the deepest item must
 * still be within MAX_DEPTH: deeper lists are flattened into their parent item's paragraphs.
 */
export const MAX_LIST_LEVELS = Math.floor((MAX_DEPTH - 2) / 2);

/** Past this many, warnings are counted, not listed: a hostile source could otherwise make one per character. */
const MAX_WARNINGS = 100;

export class Warnings {
  private readonly list: ImportWarning[] = [];
  private readonly seen = new Set<string>();
  private omitted = 0;

  add(message: string, line?: number): void {
    const key = `${line ?? ''}\u0000${message}`;
    if (this.seen.has(key)) return;
    if (this.list.length >= MAX_WARNINGS) {
      this.omitted += 1;
      return;
    }
    this.seen.add(key);
    this.list.push(line === undefined ? { message } : { message, line });
  }

  /** In the order of the source (warnings about the whole source first). */
  result(): ImportWarning[] {
    const sorted = [...this.list].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return this.omitted > 0 ? [...sorted, { message: `${this.omitted} more warnings like these are not listed.` }] : sorted;
  }
}

const bold = clauseSchema.marks.bold!;
const italic = clauseSchema.marks.italic!;
const code = clauseSchema.marks.code!;
const link = clauseSchema.marks.link!;

export const clauseNodes = {
  doc: clauseSchema.nodes.doc!,
  paragraph: clauseSchema.nodes.paragraph!,
  hardBreak: clauseSchema.nodes.hardBreak!,
  bulletList: clauseSchema.nodes.bulletList!,
  orderedList: clauseSchema.nodes.orderedList!,
  listItem: clauseSchema.nodes.listItem!,
};
const nodes = clauseNodes;

/** The formatting in effect at a point of the text, as the schema can hold it. */
export interface Formatting {
  bold: boolean;
  italic: boolean;
  code: boolean;
  /** A safe href, or null. */
  href: string | null;
}

export const PLAIN: Formatting = { bold: false, italic: false, code: false, href: null };

/**
 * The marks for some formatting. The schema's code mark excludes the others (code is never bold), so
 * ProseMirror's own rule decides which survive, exactly as the editor would.
 */
export function marksOf(formatting: Formatting): readonly Mark[] {
  let set: readonly Mark[] = [];
  if (formatting.href !== null) set = link.create({ href: formatting.href }).addToSet(set);
  if (formatting.bold) set = bold.create().addToSet(set);
  if (formatting.italic) set = italic.create().addToSet(set);
  if (formatting.code) set = code.create().addToSet(set);
  return set;
}

/** A link's href if the schema keeps it (http, https, mailto); otherwise null and a warning. */
export function safeHref(href: string, warnings: Warnings, line?: number): string | null {
  const trimmed = href.trim();
  if (isSafeHref(trimmed)) return trimmed;
  const shown = trimmed.length > 80 ? `${trimmed.slice(0, 80)}…` : trimmed;
  warnings.add(`The link to “${shown}” is not kept (only http, https and mailto links are); its text is.`, line);
  return null;
}

type Piece = { text: string; formatting: Formatting } | 'break';

const sameFormatting = (a: Formatting, b: Formatting) => a.bold === b.bold && a.italic === b.italic && a.code === b.code && a.href === b.href;

const COLLAPSIBLE = /[\t\n\f\r ]+/g;

/** Most runs of differently formatted text and line breaks in one import: more is no document, but a way to make reading slow. */
export const MAX_INLINE_RUNS = 100_000;

/** What the readers may still make of one source (shared by every paragraph of it). */
export class Budget {
  private left = MAX_INLINE_RUNS;

  spend(): void {
    this.left -= 1;
    if (this.left < 0) {
      throw invalidInput(`The source has more than ${MAX_INLINE_RUNS} runs of formatted text and line breaks`, [
        { path: '/source', message: 'is too complex to import' },
      ]);
    }
  }
}

/**
 * The inline content of one paragraph as it is read: text with its formatting, and hard breaks.
 * `nodes()` gives the paragraph's children; with `collapse` (HTML), runs of white space become one
 * space and none is left at the ends of a line, as a browser shows them. Text that continues the
 * formatting before it joins that run (and costs nothing of the budget).
 */
export class InlineRun {
  private pieces: Piece[] = [];
  /** Something was left out here: a space on both sides of it is one space. */
  private afterGap = false;

  constructor(private readonly budget: Budget) {}

  gap(): void {
    this.afterGap = true;
  }

  text(text: string, formatting: Formatting): void {
    if (text.length === 0) return;
    const last = this.pieces[this.pieces.length - 1];
    if (this.afterGap && last !== undefined && last !== 'break' && /\s$/.test(last.text)) text = text.replace(/^\s+/, '');
    this.afterGap = false;
    if (text.length === 0) return;
    if (last !== undefined && last !== 'break' && sameFormatting(last.formatting, formatting)) {
      last.text += text;
      return;
    }
    this.budget.spend();
    this.pieces.push({ text, formatting });
  }

  hardBreak(): void {
    this.afterGap = false;
    this.budget.spend();
    this.pieces.push('break');
  }

  nodes(collapse: boolean): ProseMirrorNode[] {
    const pieces = collapse ? collapsed(this.pieces) : this.pieces;
    // A break first or last shows nothing, and Markdown cannot write one at a paragraph's end.
    let from = 0;
    let to = pieces.length;
    while (from < to && pieces[from] === 'break') from++;
    while (to > from && pieces[to - 1] === 'break') to--;
    return pieces.slice(from, to).map((piece) => (piece === 'break' ? nodes.hardBreak.create() : clauseSchema.text(piece.text, marksOf(piece.formatting))));
  }

  paragraph(collapse: boolean): ProseMirrorNode {
    return nodes.paragraph.create(null, this.nodes(collapse));
  }
}

function collapsed(pieces: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  let lineStart = true;
  const trimEnd = () => {
    for (let i = out.length - 1; i >= 0; i--) {
      const piece = out[i]!;
      if (piece === 'break') return;
      const text = piece.text.replace(/ +$/, '');
      if (text.length > 0) {
        out[i] = { text, formatting: piece.formatting };
        return;
      }
      out.splice(i, 1);
    }
  };
  for (const piece of pieces) {
    if (piece === 'break') {
      trimEnd();
      out.push('break');
      lineStart = true;
      continue;
    }
    let text = piece.text.replace(COLLAPSIBLE, ' ');
    const last = out.at(-1);
    if (lineStart || (last !== undefined && last !== 'break' && last.text.endsWith(' '))) text = text.replace(/^ /, '');
    if (text.length === 0) continue;
    out.push({ text, formatting: piece.formatting });
    lineStart = false;
  }
  trimEnd();
  return out;
}

/** A paragraph of code (a code block, <pre>): its lines in code font, separated by hard breaks. */
export function codeParagraph(text: string, budget: Budget): ProseMirrorNode | null {
  const lines = text.replace(/\n$/, '').split('\n');
  const run = new InlineRun(budget);
  lines.forEach((line, i) => {
    if (i > 0) run.hardBreak();
    run.text(line, { ...PLAIN, code: true });
  });
  const paragraph = run.paragraph(false);
  return paragraph.childCount > 0 ? paragraph : null;
}

/** A clause body from block nodes. */
export function docOf(blocks: readonly ProseMirrorNode[]): ProseMirrorNode {
  return nodes.doc.create(null, blocks);
}

/** A plain paragraph holding `text`. */
export function textParagraph(text: string): ProseMirrorNode {
  return nodes.paragraph.create(null, text.length > 0 ? [clauseSchema.text(text)] : []);
}

/**
 * A list item's children: the schema wants a paragraph first (an item that starts with a nested list
 * gets an empty one, as the editor shows it).
 */
export function listItem(children: ProseMirrorNode[]): ProseMirrorNode {
  const content = children[0]?.type === nodes.paragraph ? children : [nodes.paragraph.create(), ...children];
  return nodes.listItem.create(null, content);
}

/**
 * A list item read as blocks, as the item's children: a heading becomes a paragraph, a list nested
 * deeper than MAX_LIST_LEVELS (`level` is the item's list's) is flattened into paragraphs, a rule is dropped.
 */
export function listItemOf(blocks: readonly Block[], level: number, warnings: Warnings): ProseMirrorNode {
  const children: ProseMirrorNode[] = [];
  for (const block of blocks) {
    if (block.type === 'paragraph') children.push(block.node);
    else if (block.type === 'heading') {
      warnings.add('A heading inside a list item became a paragraph.', block.line);
      children.push(textParagraph(block.text));
    } else if (block.type === 'list') {
      if (level < MAX_LIST_LEVELS) children.push(block.node);
      else {
        warnings.add(`A list nested more than ${MAX_LIST_LEVELS} levels deep became paragraphs of its parent item.`, block.line);
        for (const paragraph of paragraphsOf(block.node)) children.push(paragraph);
      }
    } else warnings.add('A horizontal rule is not kept.', block.line);
  }
  return listItem(children);
}

/** Every paragraph of a node, in reading order: what is kept of a list nested too deeply. */
export function paragraphsOf(node: ProseMirrorNode): ProseMirrorNode[] {
  const out: ProseMirrorNode[] = [];
  node.descendants((child) => {
    if (child.type === nodes.paragraph) {
      out.push(child);
      return false;
    }
    return true;
  });
  return out;
}

/** Maps a position in a source to its 1-based line; the line starts are found once, when first asked. */
export class LineIndex {
  private starts: number[] | null = null;
  constructor(private readonly source: string) {}

  lineAt(index: number): number {
    if (!this.starts) {
      this.starts = [0];
      for (let i = this.source.indexOf('\n'); i >= 0; i = this.source.indexOf('\n', i + 1)) this.starts.push(i + 1);
    }
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= index) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }
}

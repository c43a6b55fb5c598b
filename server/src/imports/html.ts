import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import {
  type Block,
  type Budget,
  type Formatting,
  InlineRun,
  LineIndex,
  PLAIN,
  type ReadSource,
  type Warnings,
  clauseNodes,
  codeParagraph,
  listItem,
  listItemOf,
  safeHref,
} from './blocks.ts';
import { normalizeHref } from './markdown.ts';

/*
 * HTML → blocks. htmlparser2's tokenizer reads the source in one pass (entities decoded, <script> and
 * <style> bodies kept apart as raw text); the tree is built here rather than by htmlparser2's Parser,
 * whose stack of open elements makes 100,000 unclosed tags quadratic. Ours is bounded: past MAX_OPEN
 * open elements, deeper tags are ignored (their text is kept), so every closing tag looks at most
 * MAX_OPEN elements. Nothing is rendered or run: the tree is plain data, read for text.
 */

/** Open elements kept; deeper nesting is flattened into the deepest one. */
const MAX_OPEN = 200;

interface Element {
  name: string;
  attrs: Record<string, string>;
  children: (Element | string)[];
  /** Where its tag starts in the source (for warnings' lines). */
  start: number;
  /** Whether a block-level element is anywhere inside. */
  hasBlock: boolean;
}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr', 'param', 'keygen']);
/** Attributes the reader uses; the others are never kept. */
const KEPT_ATTRIBUTES = new Set(['class', 'href', 'start', 'alt']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Containers read through: their children are read as if they stood in their place. */
const CONTAINERS = new Set([
  'html',
  'body',
  'main',
  'article',
  'section',
  'div',
  'header',
  'footer',
  'aside',
  'nav',
  'figure',
  'figcaption',
  'details',
  'summary',
  'address',
  'center',
  'form',
  'fieldset',
  'legend',
  'hgroup',
  'search',
  'li',
  'dl',
  'dt',
  'dd',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'td',
  'th',
  'caption',
]);
const BLOCKS = new Set([...CONTAINERS, ...HEADINGS, 'p', 'ul', 'ol', 'menu', 'blockquote', 'pre', 'table', 'hr', 'head']);
/** Not text a definition could hold; dropped with a warning. */
const DROPPED = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'svg',
  'math',
  'canvas',
  'video',
  'audio',
  'select',
  'textarea',
  'button',
  'input',
]);
/** Not content at all (the head, templates, fallbacks for browsers without scripts); dropped silently. */
const IGNORED = new Set(['head', 'title', 'meta', 'link', 'base', 'template', 'noscript']);
/** Opening one of these closes an open <p> (as HTML's parsing rules do). */
const CLOSES_P = new Set(
  [...BLOCKS].filter((name) => !['li', 'dt', 'dd', 'tr', 'td', 'th', 'tbody', 'thead', 'tfoot', 'caption', 'html', 'body'].includes(name)),
);
/** Where the search for an element to close implicitly stops. */
const SCOPES = new Set(['html', 'body', 'table', 'td', 'th', 'blockquote', 'ul', 'ol', 'menu', 'dl']);

const P = new Set(['p']);
const LI = new Set(['li']);
const DT_DD = new Set(['dt', 'dd']);
const ROW = new Set(['tr', 'td', 'th']);
const CELL = new Set(['td', 'th']);
const TABLE = new Set(['table']);
const ROW_OR_TABLE = new Set(['tr', 'table']);

const hasClass = (element: Element, name: string) => (element.attrs.class ?? '').split(/\s+/).includes(name);

/** Builds the element tree; `title` is the document's <title>. */
function buildTree(source: string, warnings: Warnings, lines: LineIndex): { root: Element; title: string } {
  const root: Element = { name: 'root', attrs: {}, children: [], start: 0, hasBlock: false };
  const open: Element[] = [root];
  let ignoredOpen = 0;
  let pending: Element | null = null;
  let attribute = '';
  let value = '';
  let title = '';
  const top = () => open[open.length - 1]!;
  /** How many elements of each name are open: most tags close nothing, and need not look. */
  const openCount = new Map<string, number>();
  const push = (element: Element) => {
    open.push(element);
    openCount.set(element.name, (openCount.get(element.name) ?? 0) + 1);
  };
  const pop = () => {
    const element = open.pop()!;
    openCount.set(element.name, openCount.get(element.name)! - 1);
    if (element.hasBlock || BLOCKS.has(element.name)) top().hasBlock = true;
  };
  /** Closes the nearest open element named in `names`, and everything inside it, unless a scope boundary comes first. */
  const closeNearest = (names: ReadonlySet<string>, boundaries: ReadonlySet<string> = SCOPES) => {
    if (![...names].some((name) => (openCount.get(name) ?? 0) > 0)) return;
    for (let i = open.length - 1; i > 0; i--) {
      const name = open[i]!.name;
      if (names.has(name)) {
        while (open.length > i) pop();
        return;
      }
      if (boundaries.has(name)) return;
    }
  };
  const append = (text: string) => {
    const parent = top();
    const last = parent.children[parent.children.length - 1];
    if (typeof last === 'string') parent.children[parent.children.length - 1] = last + text;
    else parent.children.push(text);
  };
  const openElement = (element: Element) => {
    const name = element.name;
    if (name === 'p' || CLOSES_P.has(name)) closeNearest(P);
    if (name === 'li') closeNearest(LI);
    if (name === 'dt' || name === 'dd') closeNearest(DT_DD);
    if (name === 'tr') closeNearest(ROW, TABLE);
    if (name === 'td' || name === 'th') closeNearest(CELL, ROW_OR_TABLE);
    if (HEADINGS.has(name)) closeNearest(HEADINGS);
    if (VOID.has(name)) {
      top().children.push(element);
      if (BLOCKS.has(name)) top().hasBlock = true;
      return;
    }
    if (open.length >= MAX_OPEN) {
      if (ignoredOpen++ === 0) warnings.add(`Elements nested more than ${MAX_OPEN} deep are read as their text.`, lines.lineAt(element.start));
      return;
    }
    top().children.push(element);
    push(element);
  };

  const slice = (start: number, end: number) => source.slice(start, end);
  const callbacks: TokenizerCallbacks = {
    onopentagname(start, end) {
      pending = { name: slice(start, end).toLowerCase(), attrs: {}, children: [], start: Math.max(0, start - 1), hasBlock: false };
    },
    onattribname(start, end) {
      attribute = slice(start, end).toLowerCase();
      value = '';
    },
    onattribdata(start, end) {
      value += slice(start, end);
    },
    onattribentity(codepoint) {
      value += String.fromCodePoint(codepoint);
    },
    onattribend() {
      if (pending && KEPT_ATTRIBUTES.has(attribute) && !Object.hasOwn(pending.attrs, attribute)) pending.attrs[attribute] = value.slice(0, 4096);
      value = '';
    },
    onopentagend() {
      if (pending) openElement(pending);
      pending = null;
    },
    // In HTML a "/>" closes void elements only; <div/> opens a div, as browsers read it.
    onselfclosingtag() {
      if (pending) openElement(pending);
      pending = null;
    },
    onclosetag(start, end) {
      const name = slice(start, end).toLowerCase();
      if (name === 'br') {
        top().children.push({ name: 'br', attrs: {}, children: [], start, hasBlock: false });
        return;
      }
      if (VOID.has(name)) return;
      // A tag closing an element that was too deep to keep.
      if (ignoredOpen > 0) {
        ignoredOpen -= 1;
        return;
      }
      if (!openCount.get(name)) return;
      for (let i = open.length - 1; i > 0; i--) {
        if (open[i]!.name === name) {
          while (open.length > i) pop();
          return;
        }
      }
    },
    ontext(start, end) {
      const text = slice(start, end);
      if (top().name === 'title') title += text;
      append(text);
    },
    ontextentity(codepoint) {
      const text = String.fromCodePoint(codepoint);
      if (top().name === 'title') title += text;
      append(text);
    },
    oncdata() {},
    oncomment() {},
    ondeclaration() {},
    onprocessinginstruction() {},
    onend() {},
  };
  const tokenizer = new Tokenizer({ decodeEntities: true }, callbacks);
  tokenizer.write(source);
  tokenizer.end();
  while (open.length > 1) pop();
  return { root, title: title.replace(/\s+/g, ' ').trim() };
}

interface Context {
  warnings: Warnings;
  budget: Budget;
  lines: LineIndex;
  stripped: Set<string>;
}

export function readHtml(source: string, warnings: Warnings, budget: Budget): ReadSource {
  const lines = new LineIndex(source);
  const { root, title } = buildTree(source, warnings, lines);
  const context: Context = { warnings, budget, lines, stripped: new Set() };
  const blocks = flow(root, context, 0, false);
  return { blocks, ...(title && { documentTitle: title }), stripped: [...context.stripped] };
}

const lineOf = (element: Element, context: Context) => context.lines.lineAt(element.start);

/** Whether an element is read as a block (its own paragraph, list, heading…) rather than as running text. */
function isBlock(node: Element | string): node is Element {
  return typeof node !== 'string' && (BLOCKS.has(node.name) || DROPPED.has(node.name) || IGNORED.has(node.name) || node.hasBlock);
}

/** The blocks of an element's children; running text between blocks becomes a paragraph of its own. */
function flow(element: Element, context: Context, level: number, quoted: boolean, out: Block[] = []): Block[] {
  let run: InlineRun | null = null;
  let runStart = element;
  const flush = () => {
    if (!run) return;
    const node = run.paragraph(true);
    if (node.childCount > 0) out.push({ type: 'paragraph', node, line: lineOf(runStart, context), ...(quoted && { quoted }) });
    run = null;
  };
  for (const child of element.children) {
    if (!isBlock(child)) {
      if (!run) {
        run = new InlineRun(context.budget);
        runStart = typeof child === 'string' ? element : child;
      }
      inline(child, run, PLAIN, context);
      continue;
    }
    flush();
    block(child, context, level, quoted, out);
  }
  flush();
  return out;
}

/** What one block-level element reads as, appended to `out`. */
function block(element: Element, context: Context, level: number, quoted: boolean, out: Block[]): void {
  const { warnings } = context;
  const line = lineOf(element, context);
  const name = element.name;
  if (IGNORED.has(name)) return;
  if (DROPPED.has(name)) {
    warnings.add(`A <${name}> element is not imported.`, line);
    return;
  }
  // A Draftroom export's decision record and audit footer: the record of the text, not the text.
  if (name === 'section' && hasClass(element, 'decision-record')) {
    context.stripped.add('The decision record of a Draftroom export (ballots, amendments, discussion, versions).');
    return;
  }
  if (name === 'footer' && hasClass(element, 'audit-footer')) {
    context.stripped.add('The audit-log footer of a Draftroom export.');
    return;
  }
  if (HEADINGS.has(name)) {
    const run = new InlineRun(context.budget);
    if (inline(element, run, PLAIN, context)) warnings.add('Formatting in a heading is not kept: headings are plain text.', line);
    const text = run
      .nodes(true)
      .map((node) => (node.isText ? node.text : ' '))
      .join('')
      .replace(/\s+/g, ' ')
      .trim();
    out.push({ type: 'heading', level: Number(name.slice(1)), text, line });
    return;
  }
  if (name === 'p') {
    const run = new InlineRun(context.budget);
    inline(element, run, PLAIN, context);
    const node = run.paragraph(true);
    if (node.childCount > 0) out.push({ type: 'paragraph', node, line, ...(quoted && { quoted }), ...(hasClass(element, 'clause-label') && { label: true }) });
    return;
  }
  if (name === 'ul' || name === 'ol' || name === 'menu') {
    out.push({ type: 'list', node: list(element, context, level + 1), line, ...(quoted && { quoted }) });
    return;
  }
  if (name === 'blockquote') {
    warnings.add('A block quote became plain paragraphs.', line);
    flow(element, context, level, true, out);
    return;
  }
  if (name === 'pre') {
    const node = codeParagraph(textOf(element).replace(/^\n/, ''), context.budget);
    if (!node) return;
    warnings.add('A code block became a paragraph in code font.', line);
    out.push({ type: 'paragraph', node, line, ...(quoted && { quoted }) });
    return;
  }
  if (name === 'table') {
    warnings.add('A table became one paragraph per row, its cells separated by “ | ”.', line);
    for (const node of rows(element, context)) out.push({ type: 'paragraph', node, line, ...(quoted && { quoted }) });
    return;
  }
  if (name === 'hr') {
    out.push({ type: 'rule', line });
    return;
  }
  if (name === 'dl') warnings.add('A definition list became paragraphs.', line);
  // Containers, and inline elements wrapped around blocks: read through.
  flow(element, context, level, quoted, out);
}

function list(element: Element, context: Context, level: number): ProseMirrorNode {
  const items = groupLoose(element).map((holder) => listItemOf(flow(holder, context, level, false), level, context.warnings));
  if (items.length === 0) items.push(listItem([]));
  if (element.name === 'ol') {
    const start = Number(element.attrs.start ?? 1);
    return clauseNodes.orderedList.create({ start: Number.isSafeInteger(start) && start >= 0 && start <= 1_000_000 ? start : 1 }, items);
  }
  return clauseNodes.bulletList.create(null, items);
}

/** A list's items, with content standing between them (invalid, but seen) gathered into items of its own. */
function groupLoose(element: Element): Element[] {
  const out: Element[] = [];
  let loose: Element | null = null;
  for (const child of element.children) {
    if (typeof child !== 'string' && child.name === 'li') {
      loose = null;
      out.push(child);
    } else if (typeof child !== 'string' || child.trim()) {
      if (!loose) {
        loose = { name: 'li', attrs: {}, children: [], start: typeof child === 'string' ? element.start : child.start, hasBlock: false };
        out.push(loose);
      }
      loose.children.push(child);
      if (typeof child !== 'string' && (child.hasBlock || BLOCKS.has(child.name))) loose.hasBlock = true;
    }
  }
  return out;
}

/** A table's rows, each a paragraph of its cells. */
function rows(table: Element, context: Context): ProseMirrorNode[] {
  const out: ProseMirrorNode[] = [];
  const visit = (element: Element) => {
    for (const child of element.children) {
      if (typeof child === 'string') continue;
      if (child.name === 'tr') {
        const run = new InlineRun(context.budget);
        let cells = 0;
        for (const cell of child.children) {
          if (typeof cell === 'string' || (cell.name !== 'td' && cell.name !== 'th')) continue;
          if (cells++ > 0) run.text(' | ', PLAIN);
          inline(cell, run, PLAIN, context);
        }
        const node = run.paragraph(true);
        if (node.childCount > 0) out.push(node);
      } else if (child.name !== 'table') visit(child);
    }
  };
  visit(table);
  return out;
}

/** All the text of an element, as written (for <pre>). */
function textOf(element: Element): string {
  let out = '';
  for (const child of element.children) out += typeof child === 'string' ? child : child.name === 'br' ? '\n' : textOf(child);
  return out;
}

/**
 * An element's content as running text, into `run`. Returns whether it held formatting (bold, italic,
 * code, links), which a heading reports as lost.
 */
function inline(node: Element | string, run: InlineRun, formatting: Formatting, context: Context): boolean {
  if (typeof node === 'string') {
    run.text(node, formatting);
    return false;
  }
  const { warnings } = context;
  const name = node.name;
  if (IGNORED.has(name)) return false;
  if (DROPPED.has(name)) {
    warnings.add(`A <${name}> element is not imported.`, lineOf(node, context));
    return false;
  }
  if (name === 'br') {
    run.hardBreak();
    return false;
  }
  if (name === 'img') {
    const alt = (node.attrs.alt ?? '').trim();
    if (alt) {
      warnings.add(`An image became its description, “${alt.slice(0, 80)}”.`, lineOf(node, context));
      run.text(alt, formatting);
    } else warnings.add('An image without a description is not imported.', lineOf(node, context));
    return false;
  }
  let inner = formatting;
  let formatted = false;
  if (name === 'b' || name === 'strong') inner = { ...formatting, bold: true };
  else if (name === 'i' || name === 'em') inner = { ...formatting, italic: true };
  else if (name === 'code' || name === 'kbd' || name === 'samp' || name === 'tt') inner = { ...formatting, code: true };
  else if (name === 'a' && node.attrs.href !== undefined) {
    const href = safeHref(normalizeHref(node.attrs.href), warnings, lineOf(node, context));
    if (href) inner = { ...formatting, href };
  } else if (name === 's' || name === 'strike' || name === 'del') {
    warnings.add('Strikethrough is not kept: the struck text reads as ordinary text.', lineOf(node, context));
  }
  if (inner !== formatting) formatted = true;
  // A block inside running text (a <div> in a heading, a <p> in a cell) reads as running text, set apart by a space.
  const apart = BLOCKS.has(name);
  if (apart) run.text(' ', formatting);
  for (const child of node.children) formatted = inline(child, run, inner, context) || formatted;
  if (apart) run.text(' ', formatting);
  return formatted;
}

import MarkdownIt, { type Token } from 'markdown-it';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import {
  type Block,
  type Budget,
  type Formatting,
  InlineRun,
  PLAIN,
  type ReadSource,
  type Warnings,
  clauseNodes,
  codeParagraph,
  listItemOf,
  safeHref,
} from './blocks.ts';

/**
 * Markdown → blocks, over markdown-it's tokens (CommonMark, with GitHub's tables and strikethrough so
 * that they can be reported rather than read as stray pipes and tildes). markdown-it's own limits keep
 * it linear on hostile input: emphasis delimiters are balanced in one pass, nesting stops at
 * `maxNesting`. Raw HTML is read as tokens and dropped — never rendered, let alone run.
 */
const markdown = new MarkdownIt('default', { html: true, linkify: false, typographer: false });
// Every link reaches the reader, which keeps the safe ones and reports the rest (markdown-it's own
// check would leave a javascript: link as literal text, silently).
markdown.validateLink = () => true;

/** How markdown-it writes an href (percent-encoded, punycode host): HTML links are normalised alike so that both formats read one link the same. */
export function normalizeHref(href: string): string {
  return markdown.normalizeLink(href.trim());
}

/** markdown-it's recursion limit: the `maxNesting` of its default preset. */
const MAX_NESTING = 100;

interface Context {
  tokens: Token[];
  /** The next token to read. */
  at: number;
  warnings: Warnings;
  budget: Budget;
}

export function readMarkdown(source: string, warnings: Warnings, budget: Budget): ReadSource {
  const tokens = markdown.parse(source, {});
  const context: Context = { tokens, at: 0, warnings, budget };
  const blocks = flow(context, null, 0, false);
  // markdown-it stops reading a container nested deeper than its limit; say so rather than lose it silently.
  const deepest = tokens.reduce((max, token) => Math.max(max, token.level), 0);
  if (deepest >= MAX_NESTING - 2) warnings.add(`Text nested more than ${MAX_NESTING} levels deep (block quotes, lists) is not all imported.`);
  return { blocks, stripped: [] };
}

const lineOf = (token: Token | undefined): number | undefined => (token?.map ? token.map[0] + 1 : undefined);

/**
 * The blocks from here to the token `close` (null: the end), appended to `out`: top-level content, a
 * block quote's, a list item's. `level` is how deep in lists this is; `quoted`, whether inside a block quote.
 */
function flow(context: Context, close: string | null, level: number, quoted: boolean, out: Block[] = []): Block[] {
  const { tokens, warnings } = context;
  while (context.at < tokens.length) {
    const token = tokens[context.at]!;
    const line = lineOf(token);
    if (close !== null && token.type === close) {
      context.at += 1;
      return out;
    }
    switch (token.type) {
      case 'heading_open': {
        const inline = tokens[context.at + 1];
        context.at += 3;
        out.push({ type: 'heading', level: Number(token.tag.slice(1)), text: headingText(inline, warnings, line), ...(line && { line }) });
        break;
      }
      case 'paragraph_open': {
        const inline = tokens[context.at + 1];
        context.at += 3;
        // Empty once what it held is dropped (an image without a description, raw HTML alone).
        const node = paragraph(inline, context, line);
        if (node.childCount > 0) out.push({ type: 'paragraph', node, ...(line && { line }), ...(quoted && { quoted }) });
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open':
        out.push({ type: 'list', node: list(context, level + 1), ...(line && { line }), ...(quoted && { quoted }) });
        break;
      case 'blockquote_open':
        context.at += 1;
        warnings.add('A block quote became plain paragraphs.', line);
        flow(context, 'blockquote_close', level, true, out);
        break;
      case 'code_block':
      case 'fence': {
        context.at += 1;
        const node = codeParagraph(token.content, context.budget);
        if (node) {
          warnings.add('A code block became a paragraph in code font.', line);
          out.push({ type: 'paragraph', node, ...(line && { line }), ...(quoted && { quoted }) });
        }
        break;
      }
      case 'hr':
        context.at += 1;
        out.push({ type: 'rule', ...(line && { line }) });
        break;
      case 'html_block':
        context.at += 1;
        if (!/^\s*<!--[\s\S]*-->\s*$/.test(token.content)) warnings.add('A block of raw HTML is not imported.', line);
        break;
      case 'table_open':
        warnings.add('A table became one paragraph per row, its cells separated by “ | ”.', line);
        table(context, quoted, out);
        break;
      default:
        context.at += 1;
    }
  }
  return out;
}

/** A list, its items read as flows; nested lists past MAX_LIST_LEVELS are flattened into their item's paragraphs. */
function list(context: Context, level: number): ProseMirrorNode {
  const { tokens, warnings } = context;
  const open = tokens[context.at]!;
  const close = open.type === 'bullet_list_open' ? 'bullet_list_close' : 'ordered_list_close';
  context.at += 1;
  const items: ProseMirrorNode[] = [];
  while (context.at < tokens.length && tokens[context.at]!.type !== close) {
    const token = tokens[context.at]!;
    context.at += 1;
    if (token.type !== 'list_item_open') continue;
    items.push(listItemOf(flow(context, 'list_item_close', level, false), level, warnings));
  }
  context.at += 1;
  if (open.type === 'bullet_list_open') return clauseNodes.bulletList.create(null, items);
  const start = Number(open.attrGet('start') ?? 1);
  return clauseNodes.orderedList.create({ start: Number.isSafeInteger(start) && start >= 0 && start <= 1_000_000 ? start : 1 }, items);
}

/** A table's rows as paragraphs. */
function table(context: Context, quoted: boolean, out: Block[]): void {
  const { tokens, warnings } = context;
  let row: InlineRun | null = null;
  let cells = 0;
  let line: number | undefined;
  for (; context.at < tokens.length; context.at++) {
    const token = tokens[context.at]!;
    if (token.type === 'table_close') {
      context.at += 1;
      break;
    }
    if (token.type === 'tr_open') {
      row = new InlineRun(context.budget);
      cells = 0;
      line = lineOf(token);
    } else if (token.type === 'inline' && row) {
      if (cells++ > 0) row.text(' | ', PLAIN);
      inline(token, row, warnings, line);
    } else if (token.type === 'tr_close' && row) {
      const node = row.paragraph(false);
      if (node.childCount > 0) out.push({ type: 'paragraph', node, ...(line && { line }), ...(quoted && { quoted }) });
      row = null;
    }
  }
}

function paragraph(token: Token | undefined, context: Context, line?: number): ProseMirrorNode {
  const run = new InlineRun(context.budget);
  if (token) inline(token, run, context.warnings, line);
  return run.paragraph(false);
}

/** A heading's plain text (headings are plain in a definition); formatting in it is reported. */
function headingText(token: Token | undefined, warnings: Warnings, line?: number): string {
  let text = '';
  let formatted = false;
  for (const child of token?.children ?? []) {
    if (child.type === 'text' || child.type === 'code_inline') text += child.content;
    else if (child.type === 'softbreak' || child.type === 'hardbreak') text += ' ';
    else if (child.type === 'image') text += child.content;
    if (/^(strong|em|s|link)_open$|^code_inline$/.test(child.type)) formatted = true;
  }
  if (formatted) warnings.add('Formatting in a heading is not kept: headings are plain text.', line);
  return text.replace(/\s+/g, ' ').trim();
}

/** The inline tokens of a paragraph, table cell or heading into `run`, with the formatting the schema holds. */
function inline(token: Token, run: InlineRun, warnings: Warnings, line?: number): void {
  let bold = 0;
  let italic = 0;
  const links: (string | null)[] = [];
  const formatting = (code = false): Formatting => ({ bold: bold > 0, italic: italic > 0, code, href: links.findLast((href) => href !== null) ?? null });
  for (const child of token.children ?? []) {
    switch (child.type) {
      case 'text':
        run.text(child.content, formatting());
        break;
      case 'code_inline':
        run.text(child.content, formatting(true));
        break;
      case 'softbreak':
        run.text(' ', formatting());
        break;
      case 'hardbreak':
        run.hardBreak();
        break;
      case 'strong_open':
        bold += 1;
        break;
      case 'strong_close':
        bold = Math.max(0, bold - 1);
        break;
      case 'em_open':
        italic += 1;
        break;
      case 'em_close':
        italic = Math.max(0, italic - 1);
        break;
      case 's_open':
        warnings.add('Strikethrough is not kept: the struck text reads as ordinary text.', line);
        break;
      case 'link_open':
        links.push(safeHref(child.attrGet('href') ?? '', warnings, line));
        break;
      case 'link_close':
        links.pop();
        break;
      case 'image':
        if (child.content.trim()) {
          warnings.add(`An image became its description, “${child.content.trim().slice(0, 80)}”.`, line);
          run.text(child.content, formatting());
        } else warnings.add('An image without a description is not imported.', line);
        break;
      case 'html_inline':
        if (/^<br\s*\/?>$/i.test(child.content)) run.hardBreak();
        else {
          if (!child.content.startsWith('<!--')) warnings.add('Inline HTML tags are not imported; the text between them is.', line);
          // "a <!-- x --> b" reads "a b", not "a  b".
          run.gap();
        }
        break;
      default:
        if (child.content && child.type !== 's_close') run.text(child.content, formatting());
    }
  }
}

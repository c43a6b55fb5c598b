/**
 * User text inside Markdown we produce (exports, version downloads, clause Markdown) must read as the
 * same text in any renderer: no HTML, no links, no emphasis, no list or heading that the writer did not
 * make with the editor. CommonMark lets any ASCII punctuation be backslash-escaped, so we escape the
 * characters that can start markup anywhere, and the ones that only do at the start of a line there.
 */

/** Markup anywhere in a line: code, emphasis, links and images, HTML and entities, tables, strikethrough. */
export const MARKDOWN_INLINE = /[\\`*_~[\]<&|]/g;

/** Escapes markup that only works at the start of a line: headings, quotes, lists, setext underlines. */
export function escapeLineStart(line: string): string {
  return line.replace(/^(\s*)([#>+=-])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/** A name as one line: runs of white space (line breaks included) become one space, none at the ends. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** User text inside a line (after "- ", in a heading, in a table cell): newlines become spaces. */
export function markdownInline(text: string): string {
  return text.replaceAll('\n', ' ').replace(MARKDOWN_INLINE, '\\$&');
}

/** User text that starts a line (a quoted line, a paragraph of its own). */
export function markdownLine(text: string): string {
  return escapeLineStart(markdownInline(text));
}

/** User text of several lines as Markdown lines (hard breaks keep the lines), each escaped. */
export function markdownText(text: string): string {
  return text
    .split('\n')
    .map((line) => escapeLineStart(line.replace(MARKDOWN_INLINE, '\\$&')))
    .join('\\\n');
}

import { createHash } from 'node:crypto';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { MAX_IMPORT_BYTES, MAX_IMPORT_CLAUSES, type ImportFormat, type ImportWarning } from '@draftroom/shared';
import { AppError, invalidInput } from '../errors.ts';
import { checkClauseNode, renderContent } from '../text/content.ts';
import { type Block, Budget, InlineRun, PLAIN, type ReadSource, Warnings, docOf, textParagraph } from './blocks.ts';
import { readHtml } from './html.ts';
import { readMarkdown } from './markdown.ts';

/*
 * A source (Markdown, HTML or plain text) read as the clauses of a definition:
 *
 *   - a heading (# … ######, <h1>…<h6>) is a heading clause, of its plain text;
 *   - every other paragraph is a clause, and so is every top-level list (nested lists kept);
 *   - what the clause schema cannot hold (block quotes, tables, code blocks, images, rules, raw HTML,
 *     strikethrough, links other than http/https/mailto) becomes the nearest thing it can, each loss
 *     reported as a warning with its line;
 *   - the leading level-1 heading is the title, not a clause.
 *
 * Draftroom's own exports read back as the same clauses (export → import → the same kinds, order,
 * text and formatting). What the export adds around the text is recognised and left out:
 *
 *   - the title line (`# Title`, `<h1>`), as above;
 *   - the export note under it ("current draft, status drafting, exported …", in italics in Markdown),
 *     and a version download's "Published … by …" line with the release notes quoted after it;
 *   - the clause labels ("**Clause 4**", `<p class="clause-label">`): a label starts a clause and
 *     everything up to the next label or heading belongs to it, so a clause of several paragraphs, or a
 *     paragraph and its list, stays one clause;
 *   - the decision record and audit footer: in Markdown everything from a rule (`---`) followed by the
 *     heading "Decision record"; in HTML the `decision-record` section and the `audit-footer`.
 */

export interface ParsedClause {
  kind: 'heading' | 'clause';
  content: ProseMirrorNode;
  text: string;
  markdown: string;
}

export interface ParsedImport {
  /** From the leading level-1 heading, else an HTML document's <title>; null if neither. */
  title: string | null;
  clauses: ParsedClause[];
  warnings: ImportWarning[];
  stripped: string[];
  /** SHA-256 (hex) of the source as sent, for the audit log. */
  sha256: string;
}

const EXPORT_NOTE = /^(?:current draft|version \S.*), status (?:drafting|public-comment|final), exported \d{4}-\d{2}-\d{2}T[\d:.]+Z$/;
const VERSION_NOTE = /^Published \d{4}-\d{2}-\d{2}T[\d:.]+Z by .+$/;
const CLAUSE_LABEL = /^Clause \d+$/;
const DECISION_RECORD = 'Decision record';

/** Refuses a source above MAX_IMPORT_BYTES (UTF-8) with 413, before any of it is read. */
export function checkSourceSize(source: string): void {
  // Cheap bounds first: every character is 1 to 3 bytes (a surrogate pair, 2 characters, is 4).
  if (source.length <= MAX_IMPORT_BYTES / 3) return;
  if (source.length > MAX_IMPORT_BYTES || Buffer.byteLength(source, 'utf8') > MAX_IMPORT_BYTES) {
    throw new AppError(413, 'payload_too_large', `The source is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`, [
      { path: '/source', message: `must be at most ${MAX_IMPORT_BYTES} bytes` },
    ]);
  }
}

export function sourceDigest(source: string): string {
  return createHash('sha256').update(source, 'utf8').digest('hex');
}

/** Reads `source` as clauses (see above). Throws 400 when nothing importable is in it, or too much. */
export function parseImport(format: ImportFormat, source: string): ParsedImport {
  checkSourceSize(source);
  const sha256 = sourceDigest(source);
  // PostgreSQL text cannot hold NUL; a byte order mark is not text.
  const cleaned = source.replace(/^\uFEFF/, '').replaceAll('\u0000', '\uFFFD');
  const warnings = new Warnings();
  const budget = new Budget();
  const read =
    format === 'markdown' ? readMarkdown(cleaned, warnings, budget) : format === 'html' ? readHtml(cleaned, warnings, budget) : readText(cleaned, budget);
  const { title, clauses, stripped } = clausesOf(read, warnings);
  if (clauses.length === 0) {
    throw invalidInput('Nothing in the source can become a clause: it has no headings, paragraphs or lists', [
      { path: '/source', message: 'has no headings, paragraphs or lists' },
      ...warnings.result().map((warning) => ({ path: '/source', message: warning.line ? `line ${warning.line}: ${warning.message}` : warning.message })),
    ]);
  }
  return { title, clauses, warnings: warnings.result(), stripped, sha256 };
}

/** Plain text: blank lines separate paragraphs, single line breaks are kept as hard breaks. */
function readText(source: string, budget: Budget): ReadSource {
  const blocks: Block[] = [];
  let run: InlineRun | null = null;
  let startLine = 1;
  const flush = () => {
    if (run) blocks.push({ type: 'paragraph', node: run.paragraph(false), line: startLine });
    run = null;
  };
  source.split(/\r\n?|\n/).forEach((line, i) => {
    if (line.trim() === '') flush();
    else {
      if (run) run.hardBreak();
      else {
        run = new InlineRun(budget);
        startLine = i + 1;
      }
      run.text(line.trimEnd(), PLAIN);
    }
  });
  flush();
  return { blocks, stripped: [] };
}

const plainText = (node: ProseMirrorNode) => node.textBetween(0, node.content.size, ' ', ' ');

/** A paragraph that is only a bold "Clause N" (Markdown export), or an HTML export's labelled paragraph. */
function isClauseLabel(block: Block): boolean {
  if (block.type !== 'paragraph') return false;
  if (block.label) return true;
  const node = block.node;
  return (
    node.childCount === 1 &&
    node.firstChild!.isText &&
    node.firstChild!.marks.length === 1 &&
    node.firstChild!.marks[0]!.type.name === 'bold' &&
    CLAUSE_LABEL.test(node.textContent)
  );
}

function clausesOf(read: ReadSource, warnings: Warnings): { title: string | null; clauses: ParsedClause[]; stripped: string[] } {
  const blocks = read.blocks;
  // In reading order: the title and the note under it, then what the reader left out, then the labels.
  const stripped: string[] = [];
  let at = 0;
  let title: string | null = null;
  const first = blocks[0];
  if (first?.type === 'heading' && first.level === 1) {
    title = first.text || null;
    at = 1;
    stripped.push(`The first heading${first.text ? `, “${first.text}”,` : ''} is the title, not a clause.`);
  }
  title ??= read.documentTitle || null;
  const note = blocks[at];
  if (note?.type === 'paragraph' && EXPORT_NOTE.test(plainText(note.node))) {
    stripped.push(`The export note “${plainText(note.node)}”.`);
    at += 1;
  } else if (note?.type === 'paragraph' && VERSION_NOTE.test(plainText(note.node))) {
    stripped.push(`The version note “${plainText(note.node)}”.`);
    at += 1;
    const notesFrom = at;
    while (isQuoted(blocks[at])) at += 1;
    if (at > notesFrom) stripped.push('The version’s release notes (the quoted paragraphs under it).');
  }
  stripped.push(...read.stripped);

  const units: { kind: 'heading' | 'clause'; nodes: ProseMirrorNode[] }[] = [];
  /** The clause a label started: what follows belongs to it, up to the next label, heading or rule. */
  let labelled: ProseMirrorNode[] | null = null;
  let labels = 0;
  for (; at < blocks.length; at++) {
    const block = blocks[at]!;
    if (block.type === 'rule') {
      labelled = null;
      const next = blocks[at + 1];
      if (next?.type === 'heading' && next.text === DECISION_RECORD) {
        stripped.push('The decision record of a Draftroom export (ballots, amendments, discussion, versions) and the audit-log line after it.');
        break;
      }
      warnings.add('A horizontal rule is not kept.', block.line);
    } else if (block.type === 'heading') {
      labelled = null;
      if (block.text) units.push({ kind: 'heading', nodes: [textParagraph(block.text)] });
      else warnings.add('An empty heading is not imported.', block.line);
    } else if (isClauseLabel(block)) {
      labelled = [];
      units.push({ kind: 'clause', nodes: labelled });
      labels += 1;
    } else if (labelled) labelled.push(block.node);
    else units.push({ kind: 'clause', nodes: [block.node] });
  }
  if (labels > 0) stripped.push(`${labels === 1 ? 'One clause label' : `${labels} clause labels`} (“Clause 1” …) of a Draftroom export.`);

  const filled = units.filter((unit) => unit.nodes.length > 0);
  if (filled.length > MAX_IMPORT_CLAUSES) {
    throw invalidInput(`The source has more than ${MAX_IMPORT_CLAUSES} clauses`, [{ path: '/source', message: `has more than ${MAX_IMPORT_CLAUSES} clauses` }]);
  }
  return { title, clauses: filled.map((unit) => clauseOf(unit.kind, unit.nodes)), stripped };
}

const isQuoted = (block: Block | undefined) => (block?.type === 'paragraph' || block?.type === 'list') && block.quoted === true;

/** One clause of the import, checked as any clause content is, with its text and Markdown. */
function clauseOf(kind: 'heading' | 'clause', nodes: ProseMirrorNode[]): ParsedClause {
  const doc = docOf(nodes);
  try {
    doc.check();
  } catch (error) {
    throw invalidInput('The source could not be read as clauses', [
      { path: '/source', message: error instanceof Error ? error.message.slice(0, 200) : 'is invalid' },
    ]);
  }
  checkClauseNode(doc, '/source');
  return { kind, content: doc, ...renderContent(doc) };
}

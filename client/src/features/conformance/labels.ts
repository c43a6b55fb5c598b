import {
  OUTCOME_LABELS,
  VERDICT_LABELS,
  type Checklist,
  type ChecklistRow,
  type ConformanceRule,
  type Evidence,
  type Outcome,
  type Review,
  type SheetRow,
  type Verdict,
} from '@draftroom/shared';
import { definitionPath } from '../definitions/paths.ts';

export { OUTCOME_LABELS, VERDICT_LABELS };

/** What a checklist needs to name its cells: its columns and rows. */
export type ChecklistShape = Pick<Checklist, 'freedoms' | 'rows'>;

export const VERDICT_ORDER: readonly Verdict[] = ['allows', 'restricts', 'not_available', 'unknown'];

/** Verdicts a rule may call curable, in the order the form offers them. */
export const CURABLE_VERDICTS = ['restricts', 'not_available', 'unknown'] as const satisfies readonly Verdict[];
export type CurableVerdict = (typeof CURABLE_VERDICTS)[number];

export const EVIDENCE_KIND_LABELS: Record<Evidence['kind'], string> = {
  url: 'Link',
  licence: 'Licence',
  document: 'Document',
  quote: 'Quote',
};

/** What the text of a piece of evidence is, by its kind (the field's label). */
export const EVIDENCE_TEXT_LABELS: Record<Evidence['kind'], string> = {
  url: 'What it shows',
  licence: 'Licence (SPDX id or name)',
  document: 'Title',
  quote: 'Quoted words',
};

export const STATUS_LABELS: Record<Review['status'], string> = {
  marking: 'Reviewers marking',
  reconciling: 'Reconciling',
  closed: 'Closed',
};

export const SETTLED_LABELS = {
  agreement: 'Reviewers agreed',
  chair: 'Settled by the chair',
  import: 'From the spreadsheet',
} as const;

export const cellKey = (rowId: string, freedom: number) => `${rowId}/${freedom}`;

/** "Model parameters — Share" */
export function cellName(checklist: ChecklistShape, rowId: string, freedom: number): string {
  const row = checklist.rows.find((r) => r.id === rowId);
  return `${row?.component ?? rowId} — ${checklist.freedoms[freedom] ?? `column ${freedom + 1}`}`;
}

/** Every cell the checklist asks about, row by row. */
export function requiredCells(rows: readonly ChecklistRow[]): { rowId: string; freedom: number }[] {
  return rows.flatMap((row) => row.required.flatMap((required, freedom) => (required ? [{ rowId: row.id, freedom }] : [])));
}

/**
 * A reviewer's sheet with a row for every component of the checklist, in its order, and a verdict slot
 * per freedom (null where not marked yet, and always null where the checklist does not ask).
 */
export function fullSheet(rows: readonly ChecklistRow[], saved: readonly SheetRow[] | null): SheetRow[] {
  return rows.map((row) => {
    const mine = saved?.find((r) => r.rowId === row.id);
    return {
      rowId: row.id,
      evidence: mine?.evidence.map((item) => ({ ...item })) ?? [],
      verdicts: row.required.map((required, freedom) => (required ? (mine?.verdicts[freedom] ?? null) : null)),
      note: mine?.note ?? '',
    };
  });
}

/** A reviewer's verdict on one cell; null when not marked. */
export function verdictIn(sheet: readonly SheetRow[] | null, rowId: string, freedom: number): Verdict | null {
  return sheet?.find((row) => row.rowId === rowId)?.verdicts[freedom] ?? null;
}

/** How many required cells a sheet still leaves unmarked. */
export function unmarkedCount(rows: readonly ChecklistRow[], sheet: readonly SheetRow[]): number {
  return requiredCells(rows).filter((cell) => verdictIn(sheet, cell.rowId, cell.freedom) === null).length;
}

/** The rule in a sentence, as the review page and the register state it. */
export function ruleInWords(rule: ConformanceRule): string {
  if (rule.curable.length === 0) return 'Any verdict other than Allows makes it Not conformant; nothing can be cured.';
  const names = CURABLE_VERDICTS.filter((verdict) => rule.curable.includes(verdict)).map((verdict) => VERDICT_LABELS[verdict]);
  return `A licence change can cure ${listInWords(names)} (Conformant if…); any other verdict than Allows makes it Not conformant.`;
}

/** "A", "A and B", "A, B and C" */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export function outcomeLabel(outcome: Outcome): string {
  return OUTCOME_LABELS[outcome];
}

/**
 * Where a server's error detail points, in words: a cell (`/rows/r2/verdicts/2`, `/cells/r1/3`), a
 * sheet row by position (`/rows/0/evidence/1/url`), a spreadsheet line (`/line/12`). Null when the
 * path names nothing the reader can find.
 */
export function describeProblemPath(path: string, checklist: ChecklistShape | null): string | null {
  const line = /^\/line\/(\d+)$/.exec(path);
  if (line) return `Line ${line[1]}`;
  if (path === '/header') return 'Header row';
  if (!checklist) return null;
  const cell = /^\/(?:rows|cells)\/(r\d+)(?:\/verdicts)?\/(\d+)$/.exec(path);
  if (cell) return cellName(checklist, cell[1]!, Number(cell[2]));
  const byIndex = /^\/rows\/(\d+)(?:\/(\w+)(?:\/(\d+))?(?:\/(\w+))?)?$/.exec(path);
  if (byIndex) {
    const row = checklist.rows[Number(byIndex[1])];
    if (!row) return null;
    const [, , part, index, field] = byIndex;
    const which = index === undefined ? '' : ` ${Number(index) + 1}`;
    const detail = field ? ` (${field === 'url' ? 'URL' : field})` : '';
    if (part === 'verdicts' && index !== undefined) return cellName(checklist, row.id, Number(index));
    if (part === 'evidence') return `${row.component}, evidence${which}${detail}`;
    if (part === 'criteria') return `${row.component}, criterion${which}${detail}`;
    if (part === 'required') return `${row.component}, required freedoms`;
    if (part === 'note') return `${row.component}, note`;
    return row.component;
  }
  return null;
}

/** The cell a close or submit refusal names (`/cells/r1/3`, `/rows/r1/verdicts/3`), as a key; null otherwise. */
export function cellKeyOfPath(path: string): string | null {
  const cell = /^\/(?:rows|cells)\/(r\d+)(?:\/verdicts)?\/(\d+)$/.exec(path);
  return cell ? cellKey(cell[1]!, Number(cell[2])) : null;
}

export const conformancePath = (groupSlug: string, definitionId: string) => `${definitionPath(groupSlug, definitionId)}/conformance`;

export const reviewPagePath = (groupSlug: string, definitionId: string, reviewId: string) =>
  `${conformancePath(groupSlug, definitionId)}/reviews/${encodeURIComponent(reviewId)}`;

export { registerPagePath } from '../definitions/paths.ts';

/** The badge as Markdown and HTML to paste elsewhere; it links to the entry in the public register. */
export function embedSnippets(options: { origin: string; badgePath: string; registerPath: string; reviewId: string; alt: string }) {
  const image = `${options.origin}${options.badgePath}`;
  const link = `${options.origin}${options.registerPath}#review-${options.reviewId}`;
  const escaped = options.alt.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return {
    markdown: `[![${options.alt.replace(/[[\]]/g, '\\$&')}](${image})](${link})`,
    html: `<a href="${link}"><img src="${image}" alt="${escaped}"></a>`,
  };
}

/** A `datetime-local` value (the reader's time) as an ISO instant; null when empty or not a date. */
export function localInputToIso(value: string): string | null {
  if (!value.trim()) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

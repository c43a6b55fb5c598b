import type { ChecklistRow, ConformanceRule, FinalCell, Outcome, SheetRow, Verdict } from '@draftroom/shared';

/**
 * The pure rules of a conformance review: which cells a checklist asks about, where the reviewers'
 * sheets disagree, what each cell finally says, and the outcome a frozen rule gives. The service
 * and any recount use these same functions.
 */

export interface CellRef {
  rowId: string;
  freedom: number;
}

export const cellKey = (cell: CellRef) => `${cell.rowId}/${cell.freedom}`;

/** Every (component, freedom) the checklist requires, row by row. */
export function requiredCells(rows: ChecklistRow[]): CellRef[] {
  return rows.flatMap((row) => row.required.flatMap((required, freedom) => (required ? [{ rowId: row.id, freedom }] : [])));
}

/** A reviewer's verdict on one cell; null when not marked. */
export function verdictOf(sheet: SheetRow[], cell: CellRef): Verdict | null {
  return sheet.find((row) => row.rowId === cell.rowId)?.verdicts[cell.freedom] ?? null;
}

/** Required cells a sheet leaves unmarked (a reviewer cannot submit with any). */
export function unmarkedCells(rows: ChecklistRow[], sheet: SheetRow[]): CellRef[] {
  return requiredCells(rows).filter((cell) => verdictOf(sheet, cell) === null);
}

/** Cells the submitted sheets do not all mark the same way. */
export function disagreeingCells(rows: ChecklistRow[], sheets: SheetRow[][]): CellRef[] {
  return requiredCells(rows).filter((cell) => new Set(sheets.map((sheet) => verdictOf(sheet, cell))).size > 1);
}

export interface Resolution extends CellRef {
  verdict: Verdict;
  condition: string | null;
}

/**
 * What each required cell finally says: the chair's resolution where there is one (a disagreement,
 * or an agreed cell the chair qualified with a condition), otherwise what every reviewer agreed on.
 * Throws when a disagreement is still unresolved.
 */
export function finalCells(rows: ChecklistRow[], sheets: SheetRow[][], resolutions: Resolution[]): FinalCell[] {
  const resolved = new Map(resolutions.map((resolution) => [cellKey(resolution), resolution]));
  return requiredCells(rows).map((cell): FinalCell => {
    const resolution = resolved.get(cellKey(cell));
    if (resolution)
      return { ...cell, verdict: resolution.verdict, settledBy: 'chair', condition: resolution.verdict === 'allows' ? null : resolution.condition };
    const verdicts = new Set(sheets.map((sheet) => verdictOf(sheet, cell)));
    const [only] = verdicts;
    if (verdicts.size !== 1 || only == null) throw new UnresolvedCells([cell]);
    return { ...cell, verdict: only, settledBy: 'agreement', condition: null };
  });
}

export class UnresolvedCells extends Error {
  override name = 'UnresolvedCells';
  constructor(readonly cells: CellRef[]) {
    super(`unresolved: ${cells.map(cellKey).join(', ')}`);
  }
}

/**
 * The outcome under the rule: Conformant when every cell Allows; Conformant if… when every other cell
 * carries a verdict the rule calls curable (its conditions listed, in checklist order, once each);
 * otherwise Not conformant.
 */
export function outcomeOf(rule: ConformanceRule, cells: FinalCell[]): { outcome: Outcome; conditions: string[]; uncured: CellRef[] } {
  const failing = cells.filter((cell) => cell.verdict !== 'allows');
  if (failing.length === 0) return { outcome: 'conformant', conditions: [], uncured: [] };
  const curable = new Set<Verdict>(rule.curable);
  if (!failing.every((cell) => curable.has(cell.verdict))) return { outcome: 'not_conformant', conditions: [], uncured: [] };
  const uncured = failing.filter((cell) => !cell.condition?.trim());
  const conditions = [...new Set(failing.flatMap((cell) => (cell.condition?.trim() ? [cell.condition.trim()] : [])))];
  return { outcome: 'conditional', conditions, uncured };
}

import {
  type ChecklistRow,
  DEFAULT_FREEDOMS,
  type Evidence,
  type Licence,
  OUTCOME_LABELS,
  type Outcome,
  type Register,
  type RegisterEntry,
  VERDICT_LABELS,
  VERDICTS,
  type Verdict,
} from '@draftroom/shared';
import { requiredCells } from './rules.ts';

/**
 * Conformance reviews as CSV, in the shape of the spreadsheet OSI's volunteers filled in while
 * validating the Open Source AI Definition in 2024: a line per system and component, the licence or
 * document that grants the rights, and Allows / Restricts under each freedom. `registerToCsv` writes a
 * register for people who work in spreadsheets; `parseReviewCsv` reads such a sheet back — ours, or
 * one made by hand — so that reviews done elsewhere can be brought in. Both are pure.
 *
 * Lists inside a cell (licences, evidence, conditions, reviewers) are separated by "; ". A semicolon
 * that belongs to an item is written twice (";;") so that the split gives the item back; a hand-made
 * sheet that never doubles one simply gets a split at each semicolon.
 */

/** Input larger than this is refused before it is read. */
export const MAX_CSV_INPUT_CHARS = 2_000_000;
/** Lines of data after the header (blank lines not counted). */
export const MAX_CSV_RECORDS = 5_000;
export const MAX_CSV_COLUMNS = 200;
export const MAX_CSV_FIELD_CHARS = 10_000;
/** Errors reported at most; reading stops once there are this many. */
export const MAX_IMPORT_ERRORS = 50;

export interface ImportError {
  path: string;
  message: string;
}

export interface ImportedSystem {
  name: string;
  version: string;
  developer: string;
  /** From the Licence column: SPDX-shaped items as `{ spdx: id, name: id }`, anything else by name. */
  licences: Licence[];
  /** One per required cell of the checklist, in checklist order. */
  cells: { rowId: string; freedom: number; verdict: Verdict }[];
  /** One per checklist row, in checklist order; evidence kinds are 'url' (with an address) or 'quote' (without). */
  evidence: { rowId: string; evidence: Evidence[]; note: string }[];
  /** The Outcome column as written (null when empty); the importer decides whether it agrees with the cells under its rule. */
  outcome: Outcome | null;
  /** The Conditions column, every line of the system, each condition once. */
  conditions: string[];
  reviewers: string[];
  /** YYYY-MM-DD, or null. */
  closed: string | null;
  /** 1-based physical line numbers where this system's records start. */
  lines: number[];
}

export type ImportResult = { ok: true; systems: ImportedSystem[] } | { ok: false; errors: ImportError[] };

type Column =
  | 'definition'
  | 'version'
  | 'system'
  | 'systemVersion'
  | 'developer'
  | 'component'
  | 'category'
  | 'licence'
  | 'evidence'
  | 'note'
  | 'outcome'
  | 'conditions'
  | 'reviewers'
  | 'closed';

const COLUMN_NAMES: Record<Column, string> = {
  definition: 'Definition',
  version: 'Version',
  system: 'System',
  systemVersion: 'System version',
  developer: 'Developer',
  component: 'Component',
  category: 'Category',
  licence: 'Licence',
  evidence: 'Evidence',
  note: 'Note',
  outcome: 'Outcome',
  conditions: 'Conditions',
  reviewers: 'Reviewers',
  closed: 'Closed',
};
const COLUMNS_BEFORE_FREEDOMS: Column[] = ['definition', 'version', 'system', 'systemVersion', 'developer', 'component', 'category', 'licence', 'evidence'];
const COLUMNS_AFTER_FREEDOMS: Column[] = ['note', 'outcome', 'conditions', 'reviewers', 'closed'];
/** Other spellings a hand-made sheet may use. */
const COLUMN_ALIASES: Partial<Record<Column, string[]>> = {
  licence: ['license', 'licences', 'licenses'],
  note: ['notes'],
  conditions: ['condition'],
  reviewers: ['reviewer'],
};

export function registerToCsv(register: Register): string {
  const checklist = register.checklist;
  const freedoms = checklist?.freedoms ?? [...DEFAULT_FREEDOMS];
  const records: string[][] = [[...COLUMNS_BEFORE_FREEDOMS.map((c) => COLUMN_NAMES[c]), ...freedoms, ...COLUMNS_AFTER_FREEDOMS.map((c) => COLUMN_NAMES[c])]];
  if (checklist) {
    for (const entry of register.entries) {
      for (const row of checklist.rows) records.push(entryRecord(register, entry, row, freedoms.length));
    }
  }
  return records.map((fields) => `${fields.map(csvField).join(',')}\r\n`).join('');
}

function entryRecord(register: Register, entry: RegisterEntry, row: ChecklistRow, freedomCount: number): string[] {
  const cited = entry.evidence.filter((e) => e.rowId === row.id);
  const verdicts = Array.from({ length: freedomCount }, (_, freedom) => {
    if (row.required[freedom] !== true) return '';
    const cell = entry.cells.find((c) => c.rowId === row.id && c.freedom === freedom);
    return cell ? VERDICT_LABELS[cell.verdict] : '';
  });
  return [
    register.definition.title,
    register.version.label,
    entry.system.name,
    entry.system.version,
    entry.system.developer,
    row.component,
    row.category,
    joinItems(entry.system.licences.map(licenceLabel)),
    joinItems(cited.flatMap((c) => c.evidence.map(formatEvidence))),
    ...verdicts,
    // Notes are free text and are read back whole, so they are not escaped as a list.
    unique(cited.map((c) => c.note.trim())).join('; '),
    OUTCOME_LABELS[entry.outcome],
    joinItems(entry.conditions),
    // An imported review names its reviewers as the spreadsheet did, and keeps the date the spreadsheet gave.
    joinItems([...entry.reviewers.map((person) => person.displayName), ...(entry.importedFrom?.reviewers ?? [])]),
    entry.importedFrom?.reviewedOn ?? isoDate(entry.closedAt),
  ];
}

const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);
const APOSTROPHE = 0x27;

/**
 * Formula-injection defence. A spreadsheet runs a cell that starts with = + - or @ (some treat a
 * leading tab or CR the same way) as a formula, and every field here can be written by someone other
 * than the person who opens the file: a system name, a note, a licence name. Such a field gets a
 * leading apostrophe, which spreadsheets take as "this is text" and do not show. A field that already
 * starts with apostrophes followed by one of those characters gets one more, so that the reader, which
 * strips exactly one, gives back what was written.
 */
function defendFormula(value: string): string {
  let i = 0;
  while (value.charCodeAt(i) === APOSTROPHE) i++;
  return FORMULA_START.has(value.charAt(i)) ? `'${value}` : value;
}

function undefendFormula(value: string): string {
  if (value.charCodeAt(0) !== APOSTROPHE) return value;
  let i = 1;
  while (value.charCodeAt(i) === APOSTROPHE) i++;
  return FORMULA_START.has(value.charAt(i)) ? value.slice(1) : value;
}

/** RFC 4180: quoted when it holds a comma, a quote, CR or LF, with quotes doubled. */
function csvField(value: string): string {
  const defended = defendFormula(value);
  return /[",\r\n]/.test(defended) ? `"${defended.replaceAll('"', '""')}"` : defended;
}

function unique(items: string[]): string[] {
  return [...new Set(items.filter((item) => item !== ''))];
}

function joinItems(items: string[]): string {
  return unique(items.map((item) => item.trim()))
    .map((item) => item.replaceAll(';', ';;'))
    .join('; ');
}

/** Splits at each single semicolon; ";;" stands for a semicolon inside an item. Items are trimmed, empty ones dropped. */
function splitItems(value: string): string[] {
  const items: string[] = [];
  let item = '';
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) !== SEMICOLON) continue;
    if (value.charCodeAt(i + 1) === SEMICOLON) {
      item += value.slice(start, i + 1);
      i++;
    } else {
      items.push((item + value.slice(start, i)).trim());
      item = '';
    }
    start = i + 1;
  }
  items.push((item + value.slice(start)).trim());
  return items.filter((each) => each !== '');
}

function licenceLabel(licence: Licence): string {
  return licence.spdx?.trim() || licence.name.trim();
}

/**
 * "text <url>", "<url>" or "text". A text of its own that ends in ">" is followed by an empty "<>",
 * so that it is not taken for a link when read back.
 */
function formatEvidence(evidence: Evidence): string {
  const text = evidence.text.trim();
  const url = evidence.url?.trim();
  if (url) return text ? `${text} <${url}>` : `<${url}>`;
  return text.endsWith('>') ? `${text} <>` : text;
}

function parseEvidence(item: string): Evidence {
  if (item.endsWith('>')) {
    const open = item.lastIndexOf('<');
    const url = open === -1 ? null : item.slice(open + 1, -1);
    if (url === '') return { kind: 'quote', url: null, text: item.slice(0, open).trim() };
    if (url !== null && /^https?:\/\/\S+$/.test(url)) return { kind: 'url', url, text: item.slice(0, open).trim() };
  }
  return { kind: 'quote', url: null, text: item };
}

function isoDate(timestamp: string): string {
  const time = Date.parse(timestamp);
  return Number.isNaN(time) ? timestamp.slice(0, 10) : new Date(time).toISOString().slice(0, 10);
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;
const CR = 0x0d;
const LF = 0x0a;
const BOM = 0xfeff;

interface CsvRecord {
  /** Physical line where the record starts. */
  line: number;
  fields: string[];
  /** A field or the column count was over its limit (already reported). */
  broken: boolean;
}

type Report = (path: string, message: string) => void;

/**
 * One pass over the characters; each is looked at a bounded number of times, so the time is linear
 * in the input whatever it holds. A quote inside an unquoted field, or after a closing quote, is kept
 * as text (spreadsheets write neither, people do). Returns null after an error that ends the reading.
 */
function readRecords(text: string, report: Report, full: () => boolean): CsvRecord[] | null {
  const records: CsvRecord[] = [];
  const end = text.length;
  let i = text.charCodeAt(0) === BOM ? 1 : 0;
  let line = 1;
  while (i < end) {
    const record: CsvRecord = { line, fields: [], broken: false };
    let blank = true;
    let wide = false;
    for (;;) {
      let value = '';
      let tooLong = false;
      const append = (piece: string) => {
        if (tooLong || piece === '') return;
        if (value.length + piece.length > MAX_CSV_FIELD_CHARS) {
          tooLong = true;
          value = '';
        } else value += piece;
      };
      if (text.charCodeAt(i) === QUOTE) {
        i++;
        let start = i;
        for (;;) {
          if (i >= end) {
            report(`/line/${record.line}`, 'a quoted field is never closed (a " is missing)');
            return null;
          }
          const c = text.charCodeAt(i);
          if (c === QUOTE) {
            append(text.slice(start, i));
            if (text.charCodeAt(i + 1) !== QUOTE) {
              i++;
              break;
            }
            append('"');
            i += 2;
            start = i;
            continue;
          }
          if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) line++;
          i++;
        }
      }
      const start = i;
      while (i < end) {
        const c = text.charCodeAt(i);
        if (c === COMMA || c === CR || c === LF) break;
        i++;
      }
      append(text.slice(start, i));

      if (tooLong) {
        report(`/line/${record.line}`, `field ${record.fields.length + 1} is longer than ${MAX_CSV_FIELD_CHARS} characters`);
        record.broken = true;
      }
      if (tooLong || value !== '') blank = false;
      if (record.fields.length < MAX_CSV_COLUMNS) record.fields.push(value);
      else if (!wide) {
        report(`/line/${record.line}`, `more than ${MAX_CSV_COLUMNS} columns`);
        wide = true;
        record.broken = true;
        blank = false;
      }

      if (i >= end) break;
      const c = text.charCodeAt(i);
      i++;
      if (c === COMMA) continue;
      if (c === CR && text.charCodeAt(i) === LF) i++;
      line++;
      break;
    }
    if (blank) continue;
    records.push(record);
    if (records.length > MAX_CSV_RECORDS + 1) {
      report('/', `more than ${MAX_CSV_RECORDS} records`);
      return null;
    }
    if (full()) return null;
  }
  return records;
}

const VERDICT_WORDS = new Map<string, Verdict>([
  ...VERDICTS.flatMap((verdict): [string, Verdict][] => [
    [verdict, verdict],
    [VERDICT_LABELS[verdict].toLowerCase(), verdict],
  ]),
  ['not-available', 'not_available'],
  ['n/a', 'not_available'],
  ['?', 'unknown'],
  // Spreadsheet habits.
  ['allowed', 'allows'],
  ['restricted', 'restricts'],
  ['yes', 'allows'],
  ['y', 'allows'],
  ['✓', 'allows'],
  ['✔', 'allows'],
  ['no', 'restricts'],
  ['n', 'restricts'],
  ['✗', 'restricts'],
  ['✘', 'restricts'],
]);

const OUTCOME_WORDS = new Map<string, Outcome>([
  ...(Object.keys(OUTCOME_LABELS) as Outcome[]).flatMap((outcome): [string, Outcome][] => [
    [outcome, outcome],
    [OUTCOME_LABELS[outcome].toLowerCase(), outcome],
  ]),
  ['not conformant', 'not_conformant'],
  ['conformant if...', 'conditional'],
  ['conformant if', 'conditional'],
]);

/** Ids with neither a version nor a LicenseRef prefix; anything else SPDX-shaped has a "-digit" or starts with a digit. */
const SPDX_IDS_WITHOUT_VERSION = new Set(['MIT', 'ISC', 'Unlicense', 'Zlib', 'WTFPL', 'NCSA', 'PostgreSQL', 'X11', 'JSON', 'curl', 'Beerware', 'Vim']);

function looksLikeSpdxId(token: string): boolean {
  if (!/^[A-Za-z0-9.+:-]+$/.test(token)) return false;
  return token.startsWith('LicenseRef-') || token.startsWith('DocumentRef-') || SPDX_IDS_WITHOUT_VERSION.has(token) || /^\d|-\d/.test(token);
}

/**
 * Whether a Licence item reads as an SPDX id or expression ("Apache-2.0", "MIT OR Apache-2.0").
 * Deliberately narrow, so that a licence's name ("Llama 2 Community License", "OpenRAIL-M") is not
 * taken for an id; a custom name written like a versioned id ("Foo-1") is.
 */
function looksLikeSpdx(item: string): boolean {
  const tokens = item.replaceAll('(', ' ').replaceAll(')', ' ').split(' ').filter(Boolean);
  if (tokens.length % 2 === 0) return false;
  return tokens.every((token, index) => {
    if (index % 2 === 1) return token === 'AND' || token === 'OR' || token === 'WITH';
    // An exception after WITH ("LLVM-exception") needs no version.
    return tokens[index - 1] === 'WITH' ? /^[A-Za-z0-9.+:-]+$/.test(token) : looksLikeSpdxId(token);
  });
}

function licenceOf(item: string): Licence {
  return looksLikeSpdx(item) ? { spdx: item, name: item, url: null } : { spdx: null, name: item, url: null };
}

function closedDate(value: string): string | null {
  const date = value.length === 10 || value.charAt(10) === 'T' ? value.slice(0, 10) : '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const time = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === date ? date : null;
}

const normalise = (value: string) => value.trim().replace(/\s+/g, ' ').toLowerCase();

/** A column name as one step of a JSON-pointer-like path. */
const pathStep = (name: string) => name.replaceAll('~', '~0').replaceAll('/', '~1');

/** A value quoted inside an error message, cut short. */
function quoted(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

interface Header {
  columns: Partial<Record<Column, number>>;
  /** Index of each checklist freedom's column. */
  freedoms: number[];
}

function readHeader(record: CsvRecord, freedoms: string[], report: Report): Header | null {
  const positions = new Map<string, number>();
  const duplicated = new Set<string>();
  record.fields.forEach((field, index) => {
    const name = normalise(undefendFormula(field));
    if (name === '') return;
    if (positions.has(name)) duplicated.add(name);
    else positions.set(name, index);
  });
  let complete = true;
  const find = (names: string[], label: string) => {
    const present = names.map(normalise).filter((name) => positions.has(name));
    if (present.some((name) => duplicated.has(name)) || present.length > 1) {
      report('/header', `column ${quoted(label)} appears more than once`);
      complete = false;
    }
    return present[0] === undefined ? undefined : positions.get(present[0]);
  };

  const columns: Partial<Record<Column, number>> = {};
  for (const column of Object.keys(COLUMN_NAMES) as Column[]) {
    const index = find([COLUMN_NAMES[column], ...(COLUMN_ALIASES[column] ?? [])], COLUMN_NAMES[column]);
    if (index !== undefined) columns[column] = index;
  }
  const freedomColumns: number[] = [];
  for (const column of ['system', 'component'] as const) {
    if (columns[column] === undefined) {
      report('/header', `missing column ${quoted(COLUMN_NAMES[column])}`);
      complete = false;
    }
  }
  for (const freedom of freedoms) {
    const index = find([freedom], freedom);
    if (index === undefined) {
      report('/header', `missing column ${quoted(freedom)}`);
      complete = false;
    } else freedomColumns.push(index);
  }
  return complete ? { columns, freedoms: freedomColumns } : null;
}

/** What a system states once, on any of its lines; a second line may repeat it or leave it empty. */
interface Stated {
  value: string;
  line: number;
}

interface SystemDraft {
  name: string;
  version: string;
  stated: Partial<Record<'developer' | 'licence' | 'reviewers' | 'closed' | 'outcome', Stated>>;
  conditions: string[];
  components: Map<string, { line: number; verdicts: (Verdict | null)[]; evidence: Evidence[]; note: string }>;
  lines: number[];
}

/**
 * Reads a review sheet against a checklist: what `registerToCsv` writes, or a spreadsheet export made
 * by hand (header names in any case and order, extra columns ignored, Yes/No for Allows/Restricts).
 * Never throws for bad input: every problem found, up to MAX_IMPORT_ERRORS, comes back with a path
 * ("/header", "/line/7/Study") that names where it is.
 */
export function parseReviewCsv(text: string, checklist: { freedoms: string[]; rows: ChecklistRow[] }): ImportResult {
  const errors: ImportError[] = [];
  const report: Report = (path, message) => {
    if (errors.length < MAX_IMPORT_ERRORS) errors.push({ path, message });
  };
  const full = () => errors.length >= MAX_IMPORT_ERRORS;

  if (text.length > MAX_CSV_INPUT_CHARS) return { ok: false, errors: [{ path: '/', message: `more than ${MAX_CSV_INPUT_CHARS} characters` }] };
  const records = readRecords(text, report, full);
  if (!records) return { ok: false, errors };
  const [headerRecord, ...dataRecords] = records;
  if (!headerRecord) return { ok: false, errors: [{ path: '/header', message: 'the file is empty: no header line' }] };
  if (headerRecord.broken) return { ok: false, errors };
  const header = readHeader(headerRecord, checklist.freedoms, report);
  if (!header) return { ok: false, errors };

  const rowsByComponent = new Map(checklist.rows.map((row) => [normalise(row.component), row]));
  const systems = new Map<string, SystemDraft>();

  for (const record of dataRecords) {
    if (full()) break;
    if (record.broken) continue;
    const at = (column: Column) => `/line/${record.line}/${pathStep(COLUMN_NAMES[column])}`;
    const cell = (index: number | undefined) => (index === undefined ? '' : undefendFormula(record.fields[index] ?? '').trim());
    const value = (column: Column) => cell(header.columns[column]);

    const name = value('system');
    if (!name) report(at('system'), 'empty: every line names its system');
    const componentText = value('component');
    const row = rowsByComponent.get(normalise(componentText));
    if (!row) report(at('component'), componentText ? `no component ${quoted(componentText)} in the checklist` : 'empty: every line names a component');

    const verdicts = checklist.freedoms.map((freedom, index): Verdict | null => {
      const word = cell(header.freedoms[index]);
      const path = `/line/${record.line}/${pathStep(freedom)}`;
      const required = row?.required[index] === true;
      if (row && required && word === '') report(path, `empty: ${quoted(row.component)} is required for ${freedom}`);
      if (row && !required && word !== '') report(path, `not required: ${quoted(row.component)} is not asked about for ${freedom}, so leave it empty`);
      if (word === '' || (row && !required)) return null;
      const verdict = VERDICT_WORDS.get(normalise(word));
      if (!verdict) report(path, `unknown verdict ${quoted(word)}`);
      return verdict ?? null;
    });
    if (!name) continue;

    const version = value('systemVersion');
    const key = `${normalise(name)}\n${normalise(version)}`;
    let system = systems.get(key);
    if (!system) {
      system = { name, version, stated: {}, conditions: [], components: new Map(), lines: [] };
      systems.set(key, system);
    }
    system.lines.push(record.line);

    for (const column of ['developer', 'licence', 'reviewers', 'closed', 'outcome'] as const) {
      const stated = value(column);
      if (stated === '') continue;
      const first = system.stated[column];
      if (!first) system.stated[column] = { value: stated, line: record.line };
      else if (first.value !== stated) report(at(column), `${quoted(stated)} differs from ${quoted(first.value)} on line ${first.line} for the same system`);
    }
    for (const condition of splitItems(value('conditions'))) if (!system.conditions.includes(condition)) system.conditions.push(condition);

    if (!row) continue;
    const earlier = system.components.get(row.id);
    if (earlier) {
      report(at('component'), `${quoted(row.component)} is listed twice for ${describeSystem(system)} (first on line ${earlier.line})`);
      continue;
    }
    system.components.set(row.id, {
      line: record.line,
      verdicts,
      evidence: splitItems(value('evidence'))
        .map(parseEvidence)
        .filter((e) => e.url || e.text),
      note: value('note'),
    });
  }

  for (const system of systems.values()) {
    for (const row of checklist.rows) {
      if (!system.components.has(row.id)) report(`/line/${system.lines[0]}/Component`, `${describeSystem(system)} has no line for ${quoted(row.component)}`);
    }
    const closed = system.stated.closed;
    if (closed && closedDate(closed.value) === null) report(`/line/${closed.line}/Closed`, `not a date (YYYY-MM-DD): ${quoted(closed.value)}`);
    const outcome = system.stated.outcome;
    if (outcome && !OUTCOME_WORDS.has(normalise(outcome.value))) report(`/line/${outcome.line}/Outcome`, `unknown outcome ${quoted(outcome.value)}`);
  }
  if (errors.length > 0) return { ok: false, errors };

  const cellRefs = requiredCells(checklist.rows);
  return {
    ok: true,
    systems: [...systems.values()].map((system): ImportedSystem => {
      const stated = (column: keyof SystemDraft['stated']) => system.stated[column]?.value ?? '';
      return {
        name: system.name,
        version: system.version,
        developer: stated('developer'),
        licences: splitItems(stated('licence')).map(licenceOf),
        cells: cellRefs.map((ref) => ({ ...ref, verdict: system.components.get(ref.rowId)!.verdicts[ref.freedom]! })),
        evidence: checklist.rows.map((row) => {
          const component = system.components.get(row.id)!;
          return { rowId: row.id, evidence: component.evidence, note: component.note };
        }),
        outcome: system.stated.outcome ? OUTCOME_WORDS.get(normalise(system.stated.outcome.value))! : null,
        conditions: system.conditions,
        reviewers: splitItems(stated('reviewers')),
        closed: system.stated.closed ? closedDate(system.stated.closed.value) : null,
        lines: system.lines,
      };
    }),
  };
}

function describeSystem(system: SystemDraft): string {
  return quoted(system.version ? `${system.name} ${system.version}` : system.name);
}

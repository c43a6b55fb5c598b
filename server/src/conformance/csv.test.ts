import { readFileSync } from 'node:fs';
import { type ChecklistRow, DEFAULT_FREEDOMS, type FinalCell, type Register, type RegisterEntry, type Verdict } from '@draftroom/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ImportedSystem,
  type ImportResult,
  MAX_CSV_COLUMNS,
  MAX_CSV_FIELD_CHARS,
  MAX_CSV_INPUT_CHARS,
  MAX_CSV_RECORDS,
  MAX_IMPORT_ERRORS,
  parseReviewCsv,
  registerToCsv,
} from './csv.ts';
import { OSI_VALIDATION_CHECKLIST } from './fixtures/osi-validation.ts';
import { outcomeOf, requiredCells } from './rules.ts';

const OSAID_FIXTURE_ROWS = OSI_VALIDATION_CHECKLIST.rows;
const osaid = { freedoms: [...DEFAULT_FREEDOMS], rows: OSAID_FIXTURE_ROWS };

// A small checklist for hand-made sheets: weights for every freedom, training code only for Study and Modify.
const small = {
  freedoms: [...DEFAULT_FREEDOMS],
  rows: [
    { id: 'r1', component: 'Model parameters', category: 'Model', required: [true, true, true, true], criteria: [] },
    { id: 'r2', component: 'Training code', category: 'Code', required: [false, true, true, false], criteria: [] },
  ] satisfies ChecklistRow[],
};
const SMALL_HEADER = 'System,Component,Use,Study,Modify,Share';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const person = (n: number, displayName: string) => ({ id: uuid(n), displayName });

function systems(result: ImportResult): ImportedSystem[] {
  if (!result.ok) throw new Error(`expected the sheet to parse, got ${JSON.stringify(result.errors)}`);
  return result.systems;
}
function errors(result: ImportResult) {
  if (result.ok) throw new Error('expected errors, the sheet parsed');
  return result.errors;
}

/** Final cells as a closed review would hold them: agreed, with the sheet's conditions on every cell that does not allow. */
const finalCellsOf = (system: ImportedSystem): FinalCell[] =>
  system.cells.map((cell) => ({ ...cell, settledBy: 'agreement', condition: cell.verdict === 'allows' ? null : system.conditions.join('; ') || null }));

function registerOf(checklist: Register['checklist'], entries: RegisterEntry[]): Register {
  return {
    group: { slug: 'osaid', name: 'Open Source AI Definition' },
    definition: { id: uuid(1), title: 'Open Source AI Definition' },
    version: { id: uuid(2), label: '1.0', publishedAt: '2024-10-28T12:00:00.000Z' },
    endorsements: { individuals: 0, organisations: 0, verifiedOrganisations: 0, withdrawn: 0 },
    checklist,
    entries,
    counts: { conformant: 0, conditional: 0, not_conformant: 0 },
    inProgress: 0,
  };
}

function entryOf(n: number, fields: Omit<Partial<RegisterEntry>, 'system'> & { system: Partial<RegisterEntry['system']> }): RegisterEntry {
  return {
    reviewId: uuid(100 + n),
    outcome: 'conformant',
    conditions: [],
    rule: { curable: ['restricts'] },
    openedAt: '2024-05-01T09:00:00.000Z',
    closedAt: '2024-05-20T09:00:00.000Z',
    reviewers: [],
    importedFrom: null,
    cells: [],
    evidence: [],
    dissent: [],
    responses: [],
    ...fields,
    system: { id: uuid(200 + n), name: 'System', version: '', developer: '', links: [], licences: [], ...fields.system },
  };
}

/** Agreed cells for every required cell of the rows, each verdict picked by `verdict`. */
function cellsOf(rows: ChecklistRow[], verdict: (rowId: string, freedom: number) => Verdict): FinalCell[] {
  return requiredCells(rows).map((ref) => {
    const v = verdict(ref.rowId, ref.freedom);
    return { ...ref, verdict: v, settledBy: 'agreement', condition: v === 'allows' ? null : 'fix it' };
  });
}

describe('the OSI validation fixture', () => {
  const fixture = readFileSync(new URL('./fixtures/osi-validation.csv', import.meta.url), 'utf8');

  it('reads the eleven systems with no errors, and their cells give OSI’s published outcomes under the default rule', () => {
    const parsed = systems(parseReviewCsv(fixture, osaid));
    expect(parsed.map((s) => s.name)).toEqual(['Pythia', 'OLMo', 'Amber', 'CrystalCoder', 'T5', 'BLOOM', 'Starcoder2', 'Llama 2', 'Grok', 'Phi-2', 'Mixtral']);
    const outcomes = Object.fromEntries(parsed.map((s) => [s.name, outcomeOf({ curable: ['restricts'] }, finalCellsOf(s))]));
    expect(Object.fromEntries(Object.entries(outcomes).map(([name, o]) => [name, o.outcome]))).toEqual({
      Pythia: 'conformant',
      OLMo: 'conformant',
      Amber: 'conformant',
      CrystalCoder: 'conformant',
      T5: 'conformant',
      BLOOM: 'conditional',
      Starcoder2: 'conditional',
      'Llama 2': 'not_conformant',
      Grok: 'not_conformant',
      'Phi-2': 'not_conformant',
      Mixtral: 'not_conformant',
    });
    // The sheet's own Outcome column says the same, and the conditional ones name what would cure them.
    for (const system of parsed) expect(system.outcome, system.name).toBe(outcomes[system.name]!.outcome);
    expect(outcomes.BLOOM!.conditions).toEqual(['The model weights are released under an OSI-approved licence']);
    expect(outcomes.Starcoder2!.uncured).toEqual([]);
  });

  it('keeps licences, lines, reviewers and the per-component evidence of each system', () => {
    const parsed = systems(parseReviewCsv(fixture, osaid));
    const byName = new Map(parsed.map((s) => [s.name, s]));
    const pythia = byName.get('Pythia')!;
    expect(pythia.licences).toEqual([{ spdx: 'Apache-2.0', name: 'Apache-2.0', url: null }]);
    expect(pythia.lines).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(pythia.cells).toHaveLength(32);
    expect(pythia.reviewers).toEqual(['Volunteer A', 'Volunteer B']);
    expect(byName.get('BLOOM')!.licences).toEqual([{ spdx: null, name: 'BigScience RAIL License v1.0', url: null }]);
    expect(byName.get('Phi-2')!.licences).toEqual([{ spdx: 'MIT', name: 'MIT', url: null }]);
    expect(byName.get('Mixtral')!.version).toBe('8x7B');
    // BLOOM's weights: the licence restricts use, not study.
    const weights = byName.get('BLOOM')!.cells.filter((c) => c.rowId === 'r8');
    expect(weights.map((c) => c.verdict)).toEqual(['restricts', 'allows', 'restricts', 'restricts']);
    expect(byName.get('BLOOM')!.evidence.find((e) => e.rowId === 'r8')!.evidence).toEqual([
      { kind: 'url', url: 'https://huggingface.co/bigscience/bloom', text: 'Model card' },
      { kind: 'url', url: 'https://huggingface.co/spaces/bigscience/license', text: 'BigScience RAIL License v1.0' },
    ]);
    // Llama 2 publishes no training code.
    expect(
      byName
        .get('Llama 2')!
        .cells.filter((c) => c.rowId === 'r4')
        .map((c) => c.verdict),
    ).toEqual(Array(4).fill('not_available'));
    expect(byName.get('Llama 2')!.evidence.find((e) => e.rowId === 'r4')).toEqual({ rowId: 'r4', evidence: [], note: 'Not published.' });
  });
});

describe('registerToCsv', () => {
  const checklist = {
    id: uuid(3),
    title: 'Weights only',
    freedoms: ['Use', 'Study'],
    rows: [{ id: 'r1', component: 'Weights, final', category: 'Model', required: [true, false], criteria: [] }],
  };

  it('writes RFC 4180 with CRLF line ends, quotes and doubled quotes where needed, and an apostrophe before anything a spreadsheet would run', () => {
    const entry = entryOf(1, {
      system: {
        name: '=HYPERLINK("http://evil.example")',
        developer: 'Dév "Lab"',
        licences: [
          { spdx: 'Apache-2.0', name: 'Apache License 2.0' },
          { spdx: null, name: 'Custom; v2', url: null },
        ],
      },
      outcome: 'conditional',
      conditions: ['@once relicensed'],
      reviewers: [person(1, 'Ann'), person(2, 'Bo')],
      closedAt: '2024-05-20T23:30:00.000Z',
      cells: [{ rowId: 'r1', freedom: 0, verdict: 'restricts', settledBy: 'agreement', condition: '@once relicensed' }],
      evidence: [
        { rowId: 'r1', reviewer: person(1, 'Ann'), evidence: [{ kind: 'url', url: 'https://example.org/w', text: 'Card' }], note: '=1+1' },
        {
          rowId: 'r1',
          reviewer: person(2, 'Bo'),
          evidence: [
            { kind: 'url', url: 'https://example.org/w', text: 'Card' },
            { kind: 'quote', text: 'line1\nline2' },
          ],
          note: 'Ok, fine',
        },
      ],
    });
    expect(registerToCsv(registerOf(checklist, [entry]))).toBe(
      'Definition,Version,System,System version,Developer,Component,Category,Licence,Evidence,Use,Study,Note,Outcome,Conditions,Reviewers,Closed\r\n' +
        'Open Source AI Definition,1.0,"\'=HYPERLINK(""http://evil.example"")",,"Dév ""Lab""","Weights, final",Model,Apache-2.0; Custom;; v2,' +
        '"Card <https://example.org/w>; line1\nline2",Restricts,,"\'=1+1; Ok, fine",Conformant if…,\'@once relicensed,Ann; Bo,2024-05-20\r\n',
    );
  });

  it('writes just the header, with the four default freedoms, while the version has no checklist', () => {
    expect(registerToCsv(registerOf(null, [entryOf(1, { system: {} })]))).toBe(
      'Definition,Version,System,System version,Developer,Component,Category,Licence,Evidence,Use,Study,Modify,Share,Note,Outcome,Conditions,Reviewers,Closed\r\n',
    );
  });

  it('names the reviewers and the date an imported review had in its spreadsheet', () => {
    const imported = entryOf(1, {
      system: { name: 'Pythia' },
      closedAt: '2025-01-10T10:00:00.000Z',
      importedFrom: {
        reviewers: ['Volunteer A', 'Volunteer B'],
        by: person(9, 'Chair'),
        at: '2025-01-10T10:00:00.000Z',
        file: 'osi.csv',
        reviewedOn: '2024-05-20',
      },
    });
    const fields = registerToCsv(registerOf(checklist, [imported]))
      .split('\r\n')[1]!
      .split(',');
    expect(fields.slice(-2)).toEqual(['Volunteer A; Volunteer B', '2024-05-20']);
  });

  it('defends values that start with + - @, a tab or CR, and adds one more apostrophe to a value already written that way', () => {
    const line = (name: string) =>
      registerToCsv(registerOf(checklist, [entryOf(1, { system: { name } })]))
        .split('\r\n')[1]!
        .split(',')[2];
    expect(line('+1')).toBe("'+1");
    expect(line('-1')).toBe("'-1");
    expect(line('@sum')).toBe("'@sum");
    expect(line('\tx')).toBe("'\tx");
    expect(line("'=x")).toBe("''=x");
    expect(line("'plain")).toBe("'plain");
    expect(line('a=b')).toBe('a=b');
  });
});

describe('round trip', () => {
  const rows: ChecklistRow[] = [
    { id: 'r1', component: 'Model parameters', category: 'Model', required: [true, true, true, true], criteria: [] },
    { id: 'r2', component: 'Training code', category: 'Code', required: [false, true, true, false], criteria: [] },
    { id: 'r3', component: 'Données d’entraînement, "brutes"', category: 'Data information', required: [true, true, true, true], criteria: [] },
  ];
  const checklist = { id: uuid(3), title: 'Checklist', freedoms: [...DEFAULT_FREEDOMS], rows };
  const entries = [
    entryOf(1, {
      system: {
        name: 'Modèle "Ünïcode", v2',
        version: '7B',
        developer: 'Lab\nwith a newline',
        licences: [
          { spdx: 'Apache-2.0', name: 'Apache License 2.0' },
          { spdx: 'MIT OR Apache-2.0', name: '' },
          { spdx: null, name: 'Llama 2 Community License', url: 'https://ai.meta.com/llama/license/' },
        ],
      },
      outcome: 'conditional',
      conditions: ['Weights under an OSI-approved licence; or public domain'],
      reviewers: [person(1, 'Zoë'), person(2, 'O’Brien, Pat')],
      cells: cellsOf(rows, (rowId, freedom) => (rowId === 'r1' && freedom === 0 ? 'restricts' : 'allows')),
      evidence: [
        {
          rowId: 'r1',
          reviewer: person(1, 'Zoë'),
          evidence: [
            { kind: 'licence', url: 'https://example.org/licence', text: 'Licence, "as published"' },
            { kind: 'quote', text: 'You may not; ever' },
            { kind: 'document', url: 'https://example.org/paper.pdf', text: '' },
          ],
          note: '=cmd|calc',
        },
        {
          rowId: 'r1',
          reviewer: person(2, 'O’Brien, Pat'),
          evidence: [{ kind: 'url', url: 'https://example.org/licence', text: 'Licence, "as published"' }],
          note: '=cmd|calc',
        },
        {
          rowId: 'r3',
          reviewer: person(1, 'Zoë'),
          evidence: [{ kind: 'quote', text: 'Section <3> says so' }],
          note: 'Line one\r\nline two',
        },
      ],
    }),
    entryOf(2, {
      system: { name: '-dash', developer: 'Dev', licences: [{ spdx: 'BSD-3-Clause', name: 'BSD' }] },
      outcome: 'not_conformant',
      reviewers: [person(3, 'Ann')],
      closedAt: '2024-06-01T00:00:00.000Z',
      cells: cellsOf(rows, (rowId) => (rowId === 'r2' ? 'not_available' : rowId === 'r3' ? 'unknown' : 'allows')),
    }),
  ];
  const register = registerOf(checklist, entries);

  it('gives back the systems, cells, licences, evidence and notes that registerToCsv wrote', () => {
    const parsed = systems(parseReviewCsv(registerToCsv(register), checklist));
    expect(parsed).toEqual([
      {
        name: 'Modèle "Ünïcode", v2',
        version: '7B',
        developer: 'Lab\nwith a newline',
        licences: [
          { spdx: 'Apache-2.0', name: 'Apache-2.0', url: null },
          { spdx: 'MIT OR Apache-2.0', name: 'MIT OR Apache-2.0', url: null },
          { spdx: null, name: 'Llama 2 Community License', url: null },
        ],
        cells: entries[0]!.cells.map(({ rowId, freedom, verdict }) => ({ rowId, freedom, verdict })),
        evidence: [
          {
            rowId: 'r1',
            // Kinds normalise: with an address 'url', without one 'quote'; the same citation from two reviewers appears once.
            evidence: [
              { kind: 'url', url: 'https://example.org/licence', text: 'Licence, "as published"' },
              { kind: 'quote', url: null, text: 'You may not; ever' },
              { kind: 'url', url: 'https://example.org/paper.pdf', text: '' },
            ],
            note: '=cmd|calc',
          },
          { rowId: 'r2', evidence: [], note: '' },
          { rowId: 'r3', evidence: [{ kind: 'quote', url: null, text: 'Section <3> says so' }], note: 'Line one\r\nline two' },
        ],
        outcome: 'conditional',
        conditions: ['Weights under an OSI-approved licence; or public domain'],
        reviewers: ['Zoë', 'O’Brien, Pat'],
        closed: '2024-05-20',
        // Its developer holds a newline, so each of its records takes two physical lines (the last, with a two-line note, three).
        lines: [2, 4, 6],
      },
      {
        name: '-dash',
        version: '',
        developer: 'Dev',
        licences: [{ spdx: 'BSD-3-Clause', name: 'BSD-3-Clause', url: null }],
        cells: entries[1]!.cells.map(({ rowId, freedom, verdict }) => ({ rowId, freedom, verdict })),
        evidence: rows.map((row) => ({ rowId: row.id, evidence: [], note: '' })),
        outcome: 'not_conformant',
        conditions: [],
        reviewers: ['Ann'],
        closed: '2024-06-01',
        lines: [9, 10, 11],
      },
    ]);
  });

  it('gives back any text in names, notes, evidence, conditions and reviewers', () => {
    const unit = fc.constantFrom(
      ',',
      '"',
      '\r',
      '\n',
      '\r\n',
      ';',
      ';;',
      '<',
      '>',
      '<>',
      "'",
      '=',
      '+',
      '-',
      '@',
      '\t',
      ' ',
      'a',
      'é',
      '字',
      '😀',
      'https://x.org',
    );
    const text = fc.string({ unit, maxLength: 12 }).map((s) => s.trim());
    const someText = text.filter((s) => s !== '');
    const url = fc.option(fc.constantFrom('https://example.org/a', 'http://example.org/a;b?c=1', 'https://example.org/>'), { nil: null });
    fc.assert(
      fc.property(someText, text, fc.array(fc.record({ text, url }), { maxLength: 4 }), someText, someText, (name, note, cited, condition, reviewer) => {
        const usable = cited.filter((e) => e.text || e.url);
        const entry = entryOf(1, {
          system: { name, licences: [{ spdx: null, name: `${condition} (custom)` }] },
          conditions: [condition],
          reviewers: [person(1, reviewer)],
          cells: cellsOf(small.rows, () => 'allows'),
          evidence: [{ rowId: 'r2', reviewer: person(1, reviewer), evidence: usable.map((e) => ({ kind: 'url' as const, ...e })), note }],
        });
        const [system] = systems(parseReviewCsv(registerToCsv(registerOf({ id: uuid(3), title: 't', ...small }, [entry])), small));
        expect(system!.name).toBe(name);
        expect(system!.evidence[1]!.note).toBe(note);
        const expected = [...new Map(usable.map((e) => [`${e.text}\u0000${e.url}`, { url: e.url, text: e.text }])).values()];
        expect(system!.evidence[1]!.evidence.map((e) => ({ url: e.url, text: e.text }))).toEqual(expected);
        expect(system!.conditions).toEqual([condition]);
        expect(system!.reviewers).toEqual([reviewer]);
        expect(system!.licences).toEqual([{ spdx: null, name: `${condition} (custom)`, url: null }]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('hand-made sheets', () => {
  it('reads reordered and differently cased headers, extra columns, a BOM, LF line ends and Yes/No words', () => {
    const sheet = [
      '\uFEFF  system ,COMPONENT,share,Modify, Study ,USE,Remarks,license,Evidence,notes,Closed',
      'Pythia,model parameters,Yes,y,✓,YES,looks fine,Apache-2.0,Card <https://huggingface.co/EleutherAI/pythia-12b>,Weights,2024-05-20',
      'Pythia, Training code ,,N/A,No,,,,,,',
      'Other,Model parameters,no,N,✗,?,,,,,',
      'Other,Training code,,unknown,not_available,,,,,,',
    ].join('\n');
    const [pythia, other] = systems(parseReviewCsv(sheet, small));
    expect(pythia).toMatchObject({
      name: 'Pythia',
      licences: [{ spdx: 'Apache-2.0', name: 'Apache-2.0', url: null }],
      closed: '2024-05-20',
      lines: [2, 3],
      cells: [
        { rowId: 'r1', freedom: 0, verdict: 'allows' },
        { rowId: 'r1', freedom: 1, verdict: 'allows' },
        { rowId: 'r1', freedom: 2, verdict: 'allows' },
        { rowId: 'r1', freedom: 3, verdict: 'allows' },
        { rowId: 'r2', freedom: 1, verdict: 'restricts' },
        { rowId: 'r2', freedom: 2, verdict: 'not_available' },
      ],
    });
    expect(pythia!.evidence[0]).toEqual({
      rowId: 'r1',
      evidence: [{ kind: 'url', url: 'https://huggingface.co/EleutherAI/pythia-12b', text: 'Card' }],
      note: 'Weights',
    });
    expect(other!.cells.map((c) => c.verdict)).toEqual(['unknown', 'restricts', 'restricts', 'restricts', 'not_available', 'unknown']);
    expect(other!.closed).toBeNull();
  });

  it('reads lone CR line ends, finds a system’s lines wherever they are, and matches systems by name and version in any case', () => {
    const sheet = [
      'System,System version,Component,Use,Study,Modify,Share',
      'Alpha,1,Model parameters,Allows,Allows,Allows,Allows',
      'Beta,,Model parameters,Allows,Allows,Allows,Allows',
      'Alpha,2,Model parameters,Restricts,Allows,Allows,Allows',
      'ALPHA,1,Training code,,Allows,Allows,',
      'beta,,Training code,,Allows,Allows,',
      'alpha,2,Training code,,Allows,Allows,',
    ].join('\r');
    const parsed = systems(parseReviewCsv(sheet, small));
    expect(parsed.map((s) => [s.name, s.version, s.lines])).toEqual([
      ['Alpha', '1', [2, 5]],
      ['Beta', '', [3, 6]],
      ['Alpha', '2', [4, 7]],
    ]);
  });

  it('counts physical lines, so a record after a field with newlines is reported where it starts', () => {
    const sheet = [
      `${SMALL_HEADER},Note`,
      'Pythia,Model parameters,Allows,Allows,Allows,Allows,"a note',
      'over three',
      'lines"',
      'Pythia,Training code,,maybe,Allows,,',
    ].join('\r\n');
    expect(errors(parseReviewCsv(sheet, small))).toEqual([{ path: '/line/5/Study', message: 'unknown verdict "maybe"' }]);
  });

  it('reports a record after a quoted field with lone CRs inside at the physical line where it starts', () => {
    const sheet = [`${SMALL_HEADER},Note`, 'Pythia,Model parameters,Allows,Allows,Allows,Allows,"a\rnote"', 'Pythia,Training code,,maybe,Allows,,'].join('\r');
    expect(errors(parseReviewCsv(sheet, small))).toEqual([{ path: '/line/4/Study', message: 'unknown verdict "maybe"' }]);
  });

  it('takes SPDX ids and expressions as SPDX, and licence names (even with a digit) as names', () => {
    const sheet = [
      `${SMALL_HEADER},Licence`,
      'X,Model parameters,Allows,Allows,Allows,Allows,Apache-2.0; BSD-3-Clause; 0BSD; ISC; LicenseRef-Llama2; MIT OR (Apache-2.0 WITH LLVM-exception)',
      'X,Training code,,Allows,Allows,,',
      'Y,Model parameters,Allows,Allows,Allows,Allows,GPLv3; Llama2; OpenRAIL-M; Llama 2 Community License; MIT AND; Apache 2.0',
      'Y,Training code,,Allows,Allows,,',
    ].join('\n');
    const [x, y] = systems(parseReviewCsv(sheet, small));
    expect(x!.licences.map((l) => l.spdx)).toEqual([
      'Apache-2.0',
      'BSD-3-Clause',
      '0BSD',
      'ISC',
      'LicenseRef-Llama2',
      'MIT OR (Apache-2.0 WITH LLVM-exception)',
    ]);
    expect(y!.licences.map((l) => [l.spdx, l.name])).toEqual([
      [null, 'GPLv3'],
      [null, 'Llama2'],
      [null, 'OpenRAIL-M'],
      [null, 'Llama 2 Community License'],
      [null, 'MIT AND'],
      [null, 'Apache 2.0'],
    ]);
  });

  it('strips the apostrophe of the formula defence only before a character a spreadsheet would run', () => {
    const sheet = [
      `${SMALL_HEADER},Note,Developer`,
      "'=Pythia,Model parameters,Allows,Allows,Allows,Allows,'-- a note,'O'Neil",
      "'=Pythia,Training code,,Allows,Allows,,'plain,",
    ].join('\n');
    const [system] = systems(parseReviewCsv(sheet, small));
    expect(system!.name).toBe('=Pythia');
    expect(system!.developer).toBe("'O'Neil");
    expect(system!.evidence.map((e) => e.note)).toEqual(['-- a note', "'plain"]);
  });

  it('reads a sheet with a header and no lines as no systems', () => {
    expect(parseReviewCsv(`${SMALL_HEADER}\r\n\r\n`, small)).toEqual({ ok: true, systems: [] });
  });
});

describe('errors', () => {
  const line = (system: string, component: string, cells: string) => `${system},${component},${cells}`;

  it('names each missing required column, and ignores the optional ones', () => {
    expect(errors(parseReviewCsv('Component,Use,Modify,Note\nx,y,z,w', small))).toEqual([
      { path: '/header', message: 'missing column "System"' },
      { path: '/header', message: 'missing column "Study"' },
      { path: '/header', message: 'missing column "Share"' },
    ]);
    expect(errors(parseReviewCsv(`${SMALL_HEADER},study`, small))).toEqual([{ path: '/header', message: 'column "Study" appears more than once' }]);
    expect(errors(parseReviewCsv('', small))).toEqual([{ path: '/header', message: 'the file is empty: no header line' }]);
    expect(errors(parseReviewCsv('\uFEFF\r\n\n', small))).toEqual([{ path: '/header', message: 'the file is empty: no header line' }]);
  });

  it('reports unknown verdicts, empty required cells and filled cells the checklist does not ask about, each at its line and column', () => {
    const sheet = [SMALL_HEADER, line('Pythia', 'Model parameters', 'Allows,maybe,,Allows'), line('Pythia', 'Training code', 'Allows,Allows,Allows,')].join(
      '\n',
    );
    expect(errors(parseReviewCsv(sheet, small))).toEqual([
      { path: '/line/2/Study', message: 'unknown verdict "maybe"' },
      { path: '/line/2/Modify', message: 'empty: "Model parameters" is required for Modify' },
      { path: '/line/3/Use', message: 'not required: "Training code" is not asked about for Use, so leave it empty' },
    ]);
  });

  it('reports components the checklist does not have, and systems with a component missing or listed twice', () => {
    const sheet = [
      SMALL_HEADER,
      line('Pythia', 'Model parameters', 'Allows,Allows,Allows,Allows'),
      line('Pythia', 'Weights', 'Allows,Allows,Allows,Allows'),
      line('OLMo', 'Model parameters', 'Allows,Allows,Allows,Allows'),
      line('OLMo', 'model parameters', 'Allows,Allows,Allows,Allows'),
      line('OLMo', 'Training code', ',Allows,Allows,'),
      line('', 'Training code', ',Allows,Allows,'),
    ].join('\n');
    expect(errors(parseReviewCsv(sheet, small))).toEqual([
      { path: '/line/3/Component', message: 'no component "Weights" in the checklist' },
      { path: '/line/5/Component', message: '"Model parameters" is listed twice for "OLMo" (first on line 4)' },
      { path: '/line/7/System', message: 'empty: every line names its system' },
      { path: '/line/2/Component', message: '"Pythia" has no line for "Training code"' },
    ]);
  });

  it('reports system facts that differ between its lines, dates that are not dates and outcomes it does not know', () => {
    const sheet = [
      `${SMALL_HEADER},Developer,Closed,Outcome,Licence`,
      line('Pythia', 'Model parameters', 'Allows,Allows,Allows,Allows,EleutherAI,2024-02-30,Great,Apache-2.0'),
      line('Pythia', 'Training code', ',Allows,Allows,,Someone else,,,'),
    ].join('\n');
    expect(errors(parseReviewCsv(sheet, small))).toEqual([
      { path: '/line/3/Developer', message: '"Someone else" differs from "EleutherAI" on line 2 for the same system' },
      { path: '/line/2/Closed', message: 'not a date (YYYY-MM-DD): "2024-02-30"' },
      { path: '/line/2/Outcome', message: 'unknown outcome "Great"' },
    ]);
  });

  it('collects every error, up to the limit, instead of stopping at the first', () => {
    const bad = Array.from({ length: 100 }, (_, i) => line(`System ${i}`, 'Model parameters', 'maybe,Allows,Allows,Allows'));
    const found = errors(parseReviewCsv([SMALL_HEADER, ...bad].join('\n'), small));
    expect(found).toHaveLength(MAX_IMPORT_ERRORS);
    expect(found[0]).toEqual({ path: '/line/2/Use', message: 'unknown verdict "maybe"' });
    expect(found.every((e) => e.message === 'unknown verdict "maybe"')).toBe(true);
  });

  it('refuses a quoted field that is never closed, naming the line where it starts', () => {
    expect(errors(parseReviewCsv(`${SMALL_HEADER}\nPythia,"Model parameters,Allows\nmore`, small))).toEqual([
      { path: '/line/2', message: 'a quoted field is never closed (a " is missing)' },
    ]);
  });

  it('refuses input over each limit with a message that says which', () => {
    expect(errors(parseReviewCsv('a'.repeat(MAX_CSV_INPUT_CHARS + 1), small))).toEqual([{ path: '/', message: `more than ${MAX_CSV_INPUT_CHARS} characters` }]);
    expect(errors(parseReviewCsv(`${SMALL_HEADER}\n${'x,y\n'.repeat(MAX_CSV_RECORDS + 1)}`, small))).toEqual([
      { path: '/', message: `more than ${MAX_CSV_RECORDS} records` },
    ]);
    expect(errors(parseReviewCsv(`${SMALL_HEADER}\n${'x,'.repeat(MAX_CSV_COLUMNS)}x`, small))).toEqual([
      { path: '/line/2', message: `more than ${MAX_CSV_COLUMNS} columns` },
    ]);
    expect(
      errors(parseReviewCsv(`${SMALL_HEADER}\nPythia,Model parameters,Allows,Allows,Allows,Allows,${'n'.repeat(MAX_CSV_FIELD_CHARS + 1)}`, small)),
    ).toEqual([{ path: '/line/2', message: `field 7 is longer than ${MAX_CSV_FIELD_CHARS} characters` }]);
    // Exactly at the limits is fine.
    const atLimit = `${SMALL_HEADER},Note\n${line('Pythia', 'Model parameters', `Allows,Allows,Allows,Allows,${'n'.repeat(MAX_CSV_FIELD_CHARS)}`)}\n${line('Pythia', 'Training code', ',Allows,Allows,,')}`;
    expect(systems(parseReviewCsv(atLimit, small))[0]!.evidence[0]!.note).toHaveLength(MAX_CSV_FIELD_CHARS);
  });

  it('never throws, whatever the text', () => {
    const unit = fc.constantFrom(',', '"', '\r', '\n', "'", '=', 'Allows', 'Study', 'System', 'Component', 'Model parameters', ';', '<https://x.org>', 'a');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 60 }), (text) => {
        const result = parseReviewCsv(text, small);
        expect(result.ok || result.errors.length > 0).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('inputs built to be slow', () => {
  it('gets through a million quote characters', () => {
    expect(errors(parseReviewCsv('"'.repeat(1_000_000), small))).toEqual([
      { path: '/line/1', message: `field 1 is longer than ${MAX_CSV_FIELD_CHARS} characters` },
    ]);
    expect(errors(parseReviewCsv('"'.repeat(1_000_001), small))).toEqual([{ path: '/line/1', message: 'a quoted field is never closed (a " is missing)' }]);
  });

  it('gets through a megabyte of commas inside quotes', () => {
    expect(errors(parseReviewCsv(`${SMALL_HEADER}\nPythia,"${','.repeat(1_000_000)}"`, small))).toEqual([
      { path: '/line/2', message: `field 2 is longer than ${MAX_CSV_FIELD_CHARS} characters` },
    ]);
  });

  it('gets through an unterminated quote at the start of two million characters', () => {
    expect(errors(parseReviewCsv(`"${'a,\n'.repeat(Math.floor((MAX_CSV_INPUT_CHARS - 1) / 3))}`, small))).toEqual([
      { path: '/line/1', message: 'a quoted field is never closed (a " is missing)' },
    ]);
  });

  it('gets through two million characters of separators and line ends', () => {
    expect(errors(parseReviewCsv(','.repeat(MAX_CSV_INPUT_CHARS), small))).toEqual([{ path: '/line/1', message: `more than ${MAX_CSV_COLUMNS} columns` }]);
    expect(errors(parseReviewCsv('\r\n'.repeat(MAX_CSV_INPUT_CHARS / 2), small))).toEqual([{ path: '/header', message: 'the file is empty: no header line' }]);
  });
});

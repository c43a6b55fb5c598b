import { describe, expect, it } from 'vitest';
import type { ChecklistRow } from '@draftroom/shared';
import {
  cellKeyOfPath,
  describeProblemPath,
  embedSnippets,
  fullSheet,
  listInWords,
  localInputToIso,
  registerPagePath,
  ruleInWords,
  unmarkedCount,
} from './labels.ts';

const rows: ChecklistRow[] = [
  { id: 'r1', component: 'Model parameters', category: 'Model', required: [true, true, true, true], criteria: [] },
  { id: 'r2', component: 'Training code', category: 'Code', required: [false, true, true, false], criteria: [] },
];
const checklist = { freedoms: ['Use', 'Study', 'Modify', 'Share'], rows };

describe('a reviewer’s sheet', () => {
  it('has a row per component in checklist order, nulls where not marked, and never a verdict where the checklist asks nothing', () => {
    const saved = [
      { rowId: 'r2', evidence: [], verdicts: ['allows' as const, 'restricts' as const, null, 'allows' as const], note: 'n' },
      { rowId: 'r9', evidence: [], verdicts: [], note: 'gone' },
    ];
    expect(fullSheet(rows, saved)).toEqual([
      { rowId: 'r1', evidence: [], verdicts: [null, null, null, null], note: '' },
      { rowId: 'r2', evidence: [], verdicts: [null, 'restricts', null, null], note: 'n' },
    ]);
    expect(fullSheet(rows, null)).toHaveLength(2);
  });

  it('counts the required cells left to mark', () => {
    expect(unmarkedCount(rows, fullSheet(rows, null))).toBe(6);
    const sheet = fullSheet(rows, [{ rowId: 'r1', evidence: [], verdicts: ['allows', 'allows', 'allows', 'unknown'], note: '' }]);
    expect(unmarkedCount(rows, sheet)).toBe(2);
  });
});

describe('where the server’s details point', () => {
  it.each([
    ['/rows/r2/verdicts/2', 'Training code — Modify'],
    ['/cells/r1/3', 'Model parameters — Share'],
    ['/rows/1/verdicts/0', 'Training code — Use'],
    ['/rows/0/evidence/1/url', 'Model parameters, evidence 2 (URL)'],
    ['/rows/0/criteria/0/quote', 'Model parameters, criterion 1 (quote)'],
    ['/rows/1/required', 'Training code, required freedoms'],
    ['/rows/0/note', 'Model parameters, note'],
    ['/line/12', 'Line 12'],
    ['/header', 'Header row'],
  ])('%s → %s', (path, words) => {
    expect(describeProblemPath(path, checklist)).toBe(words);
  });

  it('names nothing it cannot find', () => {
    expect(describeProblemPath('/rows/7/note', checklist)).toBeNull();
    expect(describeProblemPath('/reviewerIds/1', checklist)).toBeNull();
    expect(describeProblemPath('/rows/r1/verdicts/0', null)).toBeNull();
    expect(describeProblemPath('/line/3', null)).toBe('Line 3');
  });

  it('turns a refused cell into its key, and nothing else', () => {
    expect(cellKeyOfPath('/cells/r1/3')).toBe('r1/3');
    expect(cellKeyOfPath('/rows/r12/verdicts/0')).toBe('r12/0');
    expect(cellKeyOfPath('/rows/1/verdicts/0')).toBeNull();
    expect(cellKeyOfPath('/line/4')).toBeNull();
  });
});

describe('words and addresses', () => {
  it('states the rule', () => {
    expect(ruleInWords({ curable: ['restricts'] })).toBe(
      'A licence change can cure Restricts (Conformant if…); any other verdict than Allows makes it Not conformant.',
    );
    expect(ruleInWords({ curable: ['unknown', 'restricts', 'not_available'] })).toContain('cure Restricts, Not available and Unknown (');
    expect(ruleInWords({ curable: [] })).toBe('Any verdict other than Allows makes it Not conformant; nothing can be cured.');
    expect(listInWords([])).toBe('');
    expect(listInWords(['A', 'B'])).toBe('A and B');
  });

  it('builds the badge’s embed code, escaped, linking to the entry in the register', () => {
    const path = registerPagePath('osi', 'def-1', '1.0 rc');
    expect(path).toBe('/groups/osi/definitions/def-1/versions/1.0%20rc/register');
    const { markdown, html } = embedSnippets({
      origin: 'https://draftroom.example',
      badgePath: '/api/reviews/abc/badge.svg',
      registerPath: path,
      reviewId: 'abc',
      alt: 'OSAID [draft] 1.0: "Conformant" <b>',
    });
    expect(markdown).toBe(
      '[![OSAID \\[draft\\] 1.0: "Conformant" <b>](https://draftroom.example/api/reviews/abc/badge.svg)](https://draftroom.example/groups/osi/definitions/def-1/versions/1.0%20rc/register#review-abc)',
    );
    expect(html).toBe(
      '<a href="https://draftroom.example/groups/osi/definitions/def-1/versions/1.0%20rc/register#review-abc"><img src="https://draftroom.example/api/reviews/abc/badge.svg" alt="OSAID [draft] 1.0: &quot;Conformant&quot; &lt;b>"></a>',
    );
  });

  it('reads a datetime-local value as an instant, and an empty one as none', () => {
    expect(localInputToIso('')).toBeNull();
    expect(localInputToIso('not a date')).toBeNull();
    expect(localInputToIso('2030-01-02T03:04')).toBe(new Date(2030, 0, 2, 3, 4).toISOString());
  });
});

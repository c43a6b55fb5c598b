import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES } from '@draftroom/shared';
import { formatOf, sourceProblem, titleFromName } from './source.ts';

describe('choosing a source to import', () => {
  it('reads the format from the file’s extension, whatever its case', () => {
    expect(['a.md', 'b.MARKDOWN', 'c.html', 'd.Htm', 'e.txt', 'f.docx', 'noextension'].map(formatOf)).toEqual([
      'markdown',
      'markdown',
      'html',
      'html',
      'text',
      null,
      null,
    ]);
  });

  it('refuses an empty source and one over 1 MB of UTF-8 before sending it', () => {
    expect(sourceProblem(' \n', 'x.md')).toBe('x.md is empty.');
    expect(sourceProblem('é'.repeat(MAX_IMPORT_BYTES / 2), null)).toBeNull();
    expect(sourceProblem('é'.repeat(MAX_IMPORT_BYTES / 2 + 1), null)).toBe('The pasted text is larger than 1 MB, the most one import takes.');
  });

  it('makes a title from a file name', () => {
    expect(titleFromName('osaid-1.0.md')).toBe('osaid-1.0');
    expect(titleFromName(null)).toBe('');
  });
});

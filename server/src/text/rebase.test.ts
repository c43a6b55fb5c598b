import { describe, expect, it } from 'vitest';
import { rebaseEdit } from './rebase.ts';

describe('rebaseEdit: one person’s edit, without the others’', () => {
  it('is the edit itself when nobody else changed anything', () => {
    expect(rebaseEdit('Code is required.', 'Code is always required.', 'Code is required.')).toBe('Code is always required.');
  });

  it('lands an insertion at its place although someone else inserted before it', () => {
    // Full text: Bea had added "Source " at the front; Ada now adds " today" at the end.
    expect(rebaseEdit('Source code is required.', 'Source code is required today.', 'code is required.')).toBe('code is required today.');
  });

  it('deletes only what the variant still has', () => {
    // Ada deletes "really very " of which "very " was Bea's.
    expect(rebaseEdit('It is really very short.', 'It is short.', 'It is really short.')).toBe('It is short.');
  });

  it('keeps its own text around another person’s insertion inside it', () => {
    expect(rebaseEdit('Open X data', 'Open X data sets', 'Open data')).toBe('Open data sets');
    expect(rebaseEdit('ab', 'aXb', 'ab')).toBe('aXb');
  });

  it('leaves the variant alone when the edit changed nothing, and handles empty texts and surrogate pairs', () => {
    expect(rebaseEdit('same', 'same', 'other')).toBe('other');
    expect(rebaseEdit('', 'new', '')).toBe('new');
    expect(rebaseEdit('a 🙂 b', 'a 🙂 b c', 'a b')).toBe('a b c');
  });
});

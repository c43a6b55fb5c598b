import { describe, expect, it } from 'vitest';
import { describeFormatting } from './formatting.ts';

describe('describeFormatting', () => {
  it('names words made bold or italic, and taken back', () => {
    expect(describeFormatting('Use free software here.', 'Use **free software** here.')).toEqual(['made bold: “free software”']);
    expect(describeFormatting('Use *free* software.', 'Use free software.')).toEqual(['no longer italic: “free”']);
    expect(describeFormatting('Run `npm` now', 'Run npm now')).toEqual(['no longer code: “npm”']);
    expect(describeFormatting('See the licence', 'See the [licence](https://example.org)')).toEqual(['made a link: “licence”']);
  });

  it('names a paragraph that became a list item or a heading', () => {
    expect(describeFormatting('Use the system.', '- Use the system.')).toEqual(['became a list item']);
    expect(describeFormatting('1. Study it.', 'Study it.')).toEqual(['no longer a list item']);
  });

  it('says nothing for words that changed (the word diff shows those) or for no change', () => {
    expect(describeFormatting('Code is required.', 'Data is required.')).toEqual([]);
    expect(describeFormatting('Same', 'Same')).toEqual([]);
    expect(describeFormatting('Code is required.', 'Code is **always** required.')).toEqual([]);
  });
});

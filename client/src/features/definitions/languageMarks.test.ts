import { getSchema } from '@tiptap/core';
import { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import { describe, expect, it } from 'vitest';
import { clauseExtensions } from '@draftroom/shared/collab-schema';
import { type LanguageMark, languageMarksKey, languageMarksPlugin, markRange } from './languageMarks.ts';

const schema = getSchema(clauseExtensions);
const paragraph = (text: string) => ({ type: 'paragraph', ...(text && { content: [{ type: 'text', text }] }) });
const docOf = (...texts: string[]) => ProseMirrorNode.fromJSON(schema, { type: 'doc', content: texts.map(paragraph) });

// "It MUST be open; it must be shared." / "Open Source AI is free."
const MUST: LanguageMark = { kind: 'lowercase_keyword', from: 20, to: 24, found: 'must', message: '“must” in lower case' };
const TERM: LanguageMark = {
  kind: 'used_before_definition',
  from: 37,
  to: 51,
  found: 'Open Source AI',
  message: '“Open Source AI” is used before Clause 2 defines it',
};

function stateWith(doc: ProseMirrorNode) {
  return EditorState.create({ schema, doc, plugins: [languageMarksPlugin()] });
}
const report = (state: EditorState, marks: LanguageMark[]) => state.apply(state.tr.setMeta(languageMarksKey, marks));
const typeAt = (state: EditorState, at: number, text: string) => state.apply(state.tr.insertText(text, at));

/** Each drawn mark: the words under it, its class and its title. */
function drawn(state: EditorState) {
  return languageMarksKey
    .getState(state)!
    .decorations.find()
    .map((decoration) => {
      const attrs = (decoration as unknown as { type: { attrs: Record<string, string> } }).type.attrs;
      return [state.doc.textBetween(decoration.from, decoration.to, '\n\n'), attrs.class, attrs.title];
    });
}

describe('requirement-language marks in a clause’s editor', () => {
  const text = docOf('It MUST be open; it must be shared.', 'Open Source AI is free.');

  it('draws each of the report’s marks over the words it found, with its kind and message', () => {
    const state = report(stateWith(text), [MUST, TERM]);
    expect(drawn(state)).toEqual([
      ['must', 'language-mark language-mark-lowercase_keyword', '“must” in lower case'],
      ['Open Source AI', 'language-mark language-mark-used_before_definition', '“Open Source AI” is used before Clause 2 defines it'],
    ]);
    // Decorations only: the document is the same, so nothing of the marks is saved, copied or sent.
    expect(state.doc.eq(text)).toBe(true);
  });

  it('draws nothing where the text no longer says what the report found (a report that lags the text)', () => {
    const stale = [
      { ...MUST, from: 3, to: 7 },
      { ...TERM, found: 'Open Source Software' },
      { ...MUST, from: 400, to: 404 },
    ];
    expect(drawn(report(stateWith(text), stale))).toEqual([]);
    // A word the report found inside a longer one now ("must" in "mustard") is not marked either.
    expect(drawn(report(stateWith(docOf('It MUST be open; it mustard be shared.')), [MUST]))).toEqual([]);
  });

  it('moves the marks along as the text is typed before them, and drops one whose words are edited', () => {
    let state = report(stateWith(text), [MUST, TERM]);
    state = typeAt(state, 1, 'Now ');
    expect(drawn(state).map(([words]) => words)).toEqual(['must', 'Open Source AI']);
    // Into the marked words: that mark goes, the other stays in place.
    const mustAt = languageMarksKey.getState(state)!.decorations.find()[0]!.from;
    state = typeAt(state, mustAt + 2, 'x');
    expect(drawn(state).map(([words]) => words)).toEqual(['Open Source AI']);
    expect(state.doc.textContent).toContain('muxst');
  });

  it('drops a mark a letter is typed against, and keeps it when a space is', () => {
    let state = report(stateWith(text), [MUST]);
    const end = languageMarksKey.getState(state)!.decorations.find()[0]!.to;
    const spaced = typeAt(state, end, ' ');
    expect(drawn(spaced).map(([words]) => words)).toEqual(['must']);
    state = typeAt(state, end, 'ard');
    expect(drawn(state)).toEqual([]);
  });

  it('places the marks once the text arrives, when the report came first (a clause still loading, or changed over Yjs)', () => {
    let state = report(stateWith(docOf('')), [MUST, TERM]);
    expect(drawn(state)).toEqual([]);
    // Yjs replaces the editor's whole document.
    state = state.apply(state.tr.replaceWith(0, state.doc.content.size, text.content));
    expect(drawn(state).map(([words]) => words)).toEqual(['must', 'Open Source AI']);
  });

  it('keeps the marks the edits moved when a report that lags the text arrives, and drops what it no longer lists', () => {
    let state = report(stateWith(text), [MUST, TERM]);
    state = typeAt(state, 1, 'Now ');
    // Read before "Now " reached the server: its offsets are four characters short.
    state = report(state, [MUST, TERM]);
    expect(drawn(state).map(([words]) => words)).toEqual(['must', 'Open Source AI']);
    // Still lagging, and the term is no longer defined after it (a glossary entry removed): only "must" stays.
    state = report(state, [MUST]);
    expect(drawn(state).map(([words]) => words)).toEqual(['must']);
    // Caught up: the report's own offsets, and a new mark.
    const should: LanguageMark = { kind: 'lowercase_keyword', from: 0, to: 3, found: 'Now', message: 'not a keyword, but a test' };
    state = report(state, [{ ...MUST, from: MUST.from + 4, to: MUST.to + 4 }, should]);
    expect(drawn(state).map(([words]) => words)).toEqual(['Now', 'must']);
  });

  it('draws nothing once the checks are off (an empty report), and leaves the selection alone', () => {
    let state = report(stateWith(text), [MUST, TERM]);
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, 5)));
    state = report(state, []);
    expect(drawn(state)).toEqual([]);
    expect(state.selection.from).toBe(5);
  });

  it('finds a mark’s range in the document, or none when its words changed', () => {
    expect(markRange(text, TERM)).toEqual({ from: 38, to: 52 });
    expect(text.textBetween(38, 52)).toBe('Open Source AI');
    expect(markRange(text, { ...TERM, found: 'Open Source Software' })).toBeNull();
  });
});

import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { type EditorState, Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { Extension } from '@tiptap/react';
import type { LanguageWarning } from '@draftroom/shared';
import { plainPosition, plainText } from './plainRange.ts';

/** A requirement-language warning on this clause, where the report put it in the clause's plain text. */
export type LanguageMark = Pick<LanguageWarning, 'kind' | 'from' | 'to' | 'found' | 'message'>;

interface MarksState {
  /** The latest report's marks for the clause, at the offsets it gave. */
  report: LanguageMark[];
  /** The marks drawn: found in the text, and moved along with the edits made since. */
  shown: LanguageMark[];
  /** The clause's plain text the shown marks are placed in. */
  text: string;
  decorations: DecorationSet;
}

export const languageMarksKey = new PluginKey<MarksState>('languageMarks');

const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/** Whether the mark still stands on its words: the same text, not run into a longer word. */
function holds(text: string, mark: LanguageMark): boolean {
  return (
    mark.from >= 0 &&
    text.slice(mark.from, mark.to) === mark.found &&
    !WORD_CHARACTER.test(text.charAt(mark.from - 1)) &&
    !WORD_CHARACTER.test(text.charAt(mark.to))
  );
}

/** The mark's range in the editor's document; null when the text there is not (or no longer) what the report found. */
export function markRange(doc: ProseMirrorNode, mark: LanguageMark): { from: number; to: number } | null {
  if (!holds(plainText(doc), mark)) return null;
  const from = plainPosition(doc, mark.from, 'after');
  const to = plainPosition(doc, mark.to, 'before');
  return from !== null && to !== null && from < to ? { from, to } : null;
}

/**
 * Moves marks from one text to the next: a mark before the changed stretch stays, one after it moves by
 * the change in length, one inside it is dropped (the next report puts it back if it still applies; one
 * the change merely touches stays unless a letter now runs into it, see `holds`). Comparing the texts, not mapping steps, works alike for typing here and for changes arriving
 * over Yjs, which replace the editor's whole document.
 */
function carry(marks: LanguageMark[], before: string, after: string): LanguageMark[] {
  const shortest = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shortest && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shortest - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  const changedEnd = before.length - suffix;
  const shift = after.length - before.length;
  return marks.flatMap((mark) => {
    if (mark.to <= prefix) return [mark];
    if (mark.from >= changedEnd) return [{ ...mark, from: mark.from + shift, to: mark.to + shift }];
    return [];
  });
}

const placeOf = (mark: LanguageMark) => `${mark.kind}:${mark.from}:${mark.to}`;
const sameWarning = (a: LanguageMark, b: LanguageMark) => a.kind === b.kind && a.found === b.found && a.message === b.message;

/**
 * The marks to draw in `text`: the report's marks that hold where it put them, and — for those that do
 * not, because the report lags the text — the same warning carried along with the edits since, if there
 * is one. A warning the report no longer lists goes (the checks turned off, a term removed); one it
 * lists that the text does not hold where it says waits for the text (still loading) or the next report.
 * A mark is drawn only over the very words the report found, never somewhere else.
 */
function place(report: LanguageMark[], carried: LanguageMark[], text: string): LanguageMark[] {
  const shown = new Map<string, LanguageMark>();
  const spare = carried.filter((mark) => holds(text, mark));
  const take = (mark: LanguageMark) => {
    shown.set(placeOf(mark), mark);
    const index = spare.findIndex((other) => placeOf(other) === placeOf(mark));
    if (index >= 0) spare.splice(index, 1);
  };
  const lagging: LanguageMark[] = [];
  for (const mark of report) {
    if (shown.has(placeOf(mark))) continue;
    if (holds(text, mark)) take(mark);
    else lagging.push(mark);
  }
  for (const mark of lagging) {
    const moved = spare.find((other) => sameWarning(other, mark) && !shown.has(placeOf(other)));
    if (moved) take(moved);
  }
  return [...shown.values()];
}

function decorate(doc: ProseMirrorNode, marks: LanguageMark[]): DecorationSet {
  const decorations = marks.flatMap((mark) => {
    const from = plainPosition(doc, mark.from, 'after');
    const to = plainPosition(doc, mark.to, 'before');
    if (from === null || to === null || from >= to) return [];
    return [Decoration.inline(from, to, { class: `language-mark language-mark-${mark.kind}`, title: mark.message }, { kind: mark.kind })];
  });
  return DecorationSet.create(doc, decorations);
}

function stateFor(doc: ProseMirrorNode, report: LanguageMark[], carried: LanguageMark[], knownText?: string): MarksState {
  if (report.length === 0) return { report, shown: [], text: '', decorations: DecorationSet.empty };
  const text = knownText ?? plainText(doc);
  const shown = place(report, carried, text);
  return { report, shown, text, decorations: decorate(doc, shown) };
}

/**
 * The requirement-language marks of one clause: a dotted underline (and a title) over each word the
 * report found, as decorations only — never in the document, so never copied, saved or sent over Yjs,
 * and never in the way of typing. The clause's editor hands it the report's warnings for the clause
 * (an empty list when the checks are off) in a transaction's meta.
 */
export function languageMarksPlugin(): Plugin<MarksState> {
  return new Plugin<MarksState>({
    key: languageMarksKey,
    state: {
      init: () => ({ report: [], shown: [], text: '', decorations: DecorationSet.empty }),
      apply(tr: Transaction, value: MarksState, _old: EditorState, next: EditorState): MarksState {
        const report = tr.getMeta(languageMarksKey) as LanguageMark[] | undefined;
        if (report) return stateFor(next.doc, report, value.shown);
        if (!tr.docChanged || value.report.length === 0) return value;
        const text = plainText(next.doc);
        return stateFor(next.doc, value.report, carry(value.shown, value.text, text), text);
      },
    },
    props: {
      decorations: (state) => languageMarksKey.getState(state)?.decorations,
    },
  });
}

export const languageMarks = () =>
  Extension.create({
    name: 'languageMarks',
    addProseMirrorPlugins: () => [languageMarksPlugin()],
  });

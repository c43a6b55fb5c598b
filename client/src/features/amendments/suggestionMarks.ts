import { DOMSerializer, type Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { clauseSchema } from '@draftroom/shared/collab-schema';
import { clauseChanges, type ClauseChange } from './clauseDiff.ts';

/** Who a suggestion is by, named on each of its marks. */
export interface SuggestionAuthor {
  name: string;
}

interface SuggestionState {
  changes: ClauseChange[];
  decorations: DecorationSet;
}

const serializer = DOMSerializer.fromSchema(clauseSchema);

/**
 * Part of a document, formatted, as the inside of an <ins> or <del> shown in running text: the
 * inline content when the part lies in one paragraph (bold, italic, links and code kept), its plain
 * text with ¶ between paragraphs otherwise (block elements cannot sit inside a paragraph).
 */
function fragmentOf(doc: ProseMirrorNode, from: number, to: number, element: HTMLElement) {
  const $from = doc.resolve(from);
  if ($from.sameParent(doc.resolve(to)) && $from.parent.inlineContent) {
    element.append(serializer.serializeFragment(doc.slice(from, to).content));
    for (const link of element.querySelectorAll('a')) link.tabIndex = -1;
  } else {
    element.textContent = doc.textBetween(from, to, ' ¶ ', ' ');
  }
}

/** An insertion or deletion shown as a widget: an <ins>/<del> named for screen readers, which read neither element. */
function changeWidget(kind: 'insert' | 'delete', doc: ProseMirrorNode, from: number, to: number, author: SuggestionAuthor): HTMLElement {
  const wrapper = document.createElement(kind === 'insert' ? 'ins' : 'del');
  wrapper.className = kind === 'insert' ? 'suggest-insert' : 'suggest-delete';
  wrapper.title = `${kind === 'insert' ? 'Inserted' : 'Deleted'} by ${author.name}`;
  const before = document.createElement('span');
  before.className = 'visually-hidden';
  before.textContent = kind === 'insert' ? '[inserted: ' : '[deleted: ';
  const after = document.createElement('span');
  after.className = 'visually-hidden';
  after.textContent = ']';
  const inner = document.createElement('span');
  fragmentOf(doc, from, to, inner);
  wrapper.append(before, inner, after);
  return wrapper;
}

const hasText = (doc: ProseMirrorNode, from: number, to: number) => from < to && doc.textBetween(from, to, '¶', '¶') !== '';

/**
 * Decorations for `shown`, the document on screen, of its changes against `other`. With `shownIs`
 * 'new', the screen holds the suggested text: its insertions are marked in place and what it deleted
 * shows as struck-out widgets. With 'old', the screen holds the current text: the words a proposal
 * would delete are struck out in place and what it would insert shows as widgets.
 */
function decorate(shown: ProseMirrorNode, other: ProseMirrorNode, shownIs: 'new' | 'old', author: SuggestionAuthor): SuggestionState {
  const changes = shownIs === 'new' ? clauseChanges(other, shown) : clauseChanges(shown, other);
  const decorations: Decoration[] = [];
  for (const change of changes) {
    const here = shownIs === 'new' ? { from: change.fromB, to: change.toB } : { from: change.fromA, to: change.toA };
    const there = shownIs === 'new' ? { from: change.fromA, to: change.toA } : { from: change.fromB, to: change.toB };
    const inPlace = shownIs === 'new' ? 'insert' : 'delete';
    const away = shownIs === 'new' ? 'delete' : 'insert';
    if (here.from < here.to) {
      decorations.push(
        Decoration.inline(here.from, here.to, {
          nodeName: inPlace === 'insert' ? 'ins' : 'del',
          class: inPlace === 'insert' ? 'suggest-insert' : 'suggest-delete',
          title: `${inPlace === 'insert' ? 'Inserted' : 'Deleted'} by ${author.name}`,
        }),
      );
    }
    if (hasText(other, there.from, there.to)) {
      // The other side's words sit before the words in place: deleted, then inserted, as people read a change.
      const at = shownIs === 'new' ? here.from : here.to;
      decorations.push(
        Decoration.widget(at, () => changeWidget(away, other, there.from, there.to, author), {
          side: shownIs === 'new' ? -1 : 1,
          key: `${away}:${there.from}:${there.to}:${other.textBetween(there.from, there.to, '¶', '¶')}`,
          ignoreSelection: true,
        }),
      );
    }
  }
  return { changes, decorations: DecorationSet.create(shown, decorations) };
}

export const suggestionKey = new PluginKey<SuggestionState>('suggestionMarks');

/** The changes the editor's text makes to its base (composing a suggestion), shown as they are typed. */
export function changesFromBase(base: ProseMirrorNode, author: SuggestionAuthor): Plugin<SuggestionState> {
  return new Plugin<SuggestionState>({
    key: suggestionKey,
    state: {
      init: (_config, state) => decorate(state.doc, base, 'new', author),
      apply: (tr, value, _old, state) => (tr.docChanged ? decorate(state.doc, base, 'new', author) : value),
    },
    props: { decorations: (state) => suggestionKey.getState(state)?.decorations ?? DecorationSet.empty },
  });
}

export const previewKey = new PluginKey<SuggestionState>('proposalPreview');

/**
 * A proposed wording shown on the live clause: the words it would take out struck through, the words
 * it would put in beside them. Followed as the live text changes; the text itself is not touched.
 */
export function proposalPreview(proposal: ProseMirrorNode, author: SuggestionAuthor): Plugin<SuggestionState> {
  return new Plugin<SuggestionState>({
    key: previewKey,
    state: {
      init: (_config, state) => decorate(state.doc, proposal, 'old', author),
      apply: (tr, value, _old, state) => (tr.docChanged ? decorate(state.doc, proposal, 'old', author) : value),
    },
    props: { decorations: (state) => previewKey.getState(state)?.decorations ?? DecorationSet.empty },
  });
}

/** How many changes the editor's suggestion makes to its base. */
export function suggestionChangeCount(state: EditorState): number {
  return suggestionKey.getState(state)?.changes.length ?? 0;
}

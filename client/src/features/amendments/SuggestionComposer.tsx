import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { history, redo, undo } from '@tiptap/pm/history';
import { TextSelection } from '@tiptap/pm/state';
import { EditorContent, Extension, useEditor, useEditorState, type Editor, type JSONContent } from '@tiptap/react';
import { clauseExtensions, clauseSchema } from '@draftroom/shared/collab-schema';
import { proposeAmendment } from '../../api/amendments.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { FieldError, FormAlert, SubmitButton, TextAreaField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';
import { ConfirmDialog } from '../../layout/ConfirmDialog.tsx';
import { changesFromBase, suggestionChangeCount } from './suggestionMarks.ts';

/** As long as a suggested wording may be (the server's limit on plain-text proposals). */
const MAX_SUGGESTION_CHARACTERS = 100_000;

/**
 * Undo and redo with the usual keys. The live clause has them from collaboration (Yjs's undo manager);
 * a suggestion is not collaborative, so ProseMirror's own history provides them.
 */
const SuggestionHistory = Extension.create({
  name: 'suggestionHistory',
  addProseMirrorPlugins: () => [history()],
  addKeyboardShortcuts() {
    return {
      'Mod-z': () => undo(this.editor.state, this.editor.view.dispatch),
      'Shift-Mod-z': () => redo(this.editor.state, this.editor.view.dispatch),
      'Mod-y': () => redo(this.editor.state, this.editor.view.dispatch),
    };
  },
});

/** Why the wording cannot be sent as it is, or null. */
function suggestionProblem(editor: Editor, changes: number): string | null {
  const text = editor.state.doc.textContent;
  if (text.trim() === '') return 'Suggested wording is empty: a clause cannot be suggested away — propose deleting it in a thread instead';
  if ([...text].length > MAX_SUGGESTION_CHARACTERS) return `Suggested wording must be at most ${MAX_SUGGESTION_CHARACTERS} characters`;
  if (changes === 0) return 'Nothing is changed yet: type in the clause, and your changes show as a suggestion';
  return null;
}

function editorAttributes(ids: { hint: string; error: string }, label: string, error: string | undefined): Record<string, string> {
  return {
    role: 'textbox',
    'aria-multiline': 'true',
    'aria-label': `Your suggestion for ${label}`,
    'aria-describedby': error ? `${ids.hint} ${ids.error}` : ids.hint,
    ...(error ? { 'aria-invalid': 'true' } : {}),
    class: 'clause-text suggestion-text',
  };
}

export interface SuggestionStart {
  /** The clause as it read when the suggestion was started, formatting included. */
  base: JSONContent;
  /** Where the caret goes in it (a position of the live clause's document, which has the same shape). */
  from: number;
  to: number;
}

/**
 * Suggesting changes to one clause in place, like "Suggesting" in a shared document: the clause's text
 * becomes the suggester's own copy, and what they insert, delete or reformat shows as marked changes
 * against the clause as it read when they started (insertions underlined, deletions struck through),
 * until they send it as an amendment — the record chairs and editors accept or reject, singly, all at
 * once, or by a ballot — or discard it. The live clause is not touched.
 */
export function SuggestionComposer(props: {
  definitionId: string;
  clauseId: string;
  /** "clause 3". */
  label: string;
  start: SuggestionStart;
  authorName: string;
  /**
   * The clause's formatting toolbar for this editor, drawn by the clause (which has it already: this
   * chunk then does not carry a second copy), and a way to put the focus on it (Alt+F10).
   */
  toolbar(editor: Editor): ReactNode;
  focusToolbar(): void;
  /** True once someone changed the live clause after this suggestion was started. */
  clauseChanged: boolean;
  onSent(): void;
  onDiscard(): void;
}) {
  const client = useQueryClient();
  const [discarding, setDiscarding] = useState(false);
  const form = useApiForm({ content: { label: 'Suggested wording' }, rationale: { label: 'Why' } });
  const contentError = form.fieldErrors.content;
  const baseId = useId();
  const ids = { hint: `${baseId}-hint`, error: `${baseId}-error`, bar: `${baseId}-bar` };
  const [base] = useState(() => clauseSchema.nodeFromJSON(props.start.base));

  const editor = useEditor({
    extensions: [
      ...clauseExtensions,
      SuggestionHistory,
      Extension.create({ name: 'suggestionMarks', addProseMirrorPlugins: () => [changesFromBase(base, { name: props.authorName })] }),
    ],
    content: props.start.base,
    // Tiptap would add a <style> element, which the CSP refuses; styles/editor.css has the rules.
    injectCSS: false,
    editorProps: { attributes: editorAttributes(ids, props.label, undefined) },
  });
  const changes = useEditorState({ editor, selector: ({ editor: current }) => (current ? suggestionChangeCount(current.state) : 0) }) ?? 0;

  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    editor.setOptions({ editorProps: { attributes: editorAttributes(ids, props.label, contentError) } });
  }, [editor, contentError, ids.hint, props.label]);

  // The caret goes where the person clicked (or at the end, from the clause's menu), once the editor exists.
  const placed = useRef(false);
  useEffect(() => {
    if (placed.current || !editor || editor.isDestroyed) return;
    placed.current = true;
    const size = editor.state.doc.content.size;
    const clamp = (pos: number) => Math.max(0, Math.min(size, pos));
    const selection = TextSelection.between(editor.state.doc.resolve(clamp(props.start.from)), editor.state.doc.resolve(clamp(props.start.to)));
    editor.view.dispatch(editor.state.tr.setSelection(selection).setMeta('addToHistory', false));
    editor.commands.focus();
  }, [editor, props.start.from, props.start.to]);

  useEffect(() => {
    if (form.fieldErrors.content && editor && !editor.isDestroyed) editor.commands.focus();
  }, [form.fieldErrors, editor]);

  const submit = form.onSubmit(
    async ({ rationale }) => {
      if (!editor) return;
      // The text it started from goes with it: if the clause changed meanwhile, it is recorded as written for that text.
      await proposeAmendment(props.definitionId, {
        clauseId: props.clauseId,
        content: editor.getJSON(),
        baseContent: props.start.base,
        rationale: rationale.trim(),
      });
      await client.invalidateQueries({ queryKey: queryKeys.amendments(props.definitionId) });
      props.onSent();
    },
    () => {
      const problem = editor ? suggestionProblem(editor, changes) : 'The editor is not ready yet: try again in a moment';
      return problem ? { content: problem } : {};
    },
  );

  const discard = () => (changes === 0 ? props.onDiscard() : setDiscarding(true));

  return (
    <>
      {editor && props.toolbar(editor)}
      <div
        className={`clause-body suggestion-body${contentError ? ' field-invalid' : ''}`}
        onKeyDown={(event) => {
          if (event.altKey && event.key === 'F10') {
            event.preventDefault();
            props.focusToolbar();
          } else if (event.key === 'Escape' && changes === 0) {
            event.preventDefault();
            props.onDiscard();
          }
        }}
      >
        <EditorContent editor={editor} />
      </div>
      <section className="suggestion-bar" aria-labelledby={ids.bar}>
        <h3 id={ids.bar} className="suggestion-bar-title">
          Suggesting changes to {props.label}
        </h3>
        <p id={ids.hint} className="field-hint">
          {changes === 0
            ? 'Type in the clause: what you add is underlined, what you delete is struck through. The text itself does not change until your suggestion is accepted.'
            : `${changes === 1 ? '1 change' : `${changes} changes`} — added words underlined, deleted words struck through. The text itself does not change until your suggestion is accepted.`}
        </p>
        {props.clauseChanged && (
          <p className="suggestion-stale">Someone changed this clause since you started; your suggestion is compared with the clause as it read then.</p>
        )}
        <FieldError id={ids.error} error={contentError} />
        <FormAlert message={form.formError} />
        <form className="form suggestion-form" onSubmit={submit} noValidate>
          <TextAreaField {...form.field('rationale')} rows={2} maxLength={20_000} hint="Optional; shown with your suggestion." />
          <div className="form-actions">
            <SubmitButton pending={form.pending} pendingText="Sending…">
              Send suggestion
            </SubmitButton>
            <button type="button" className="button" onClick={discard}>
              Discard<span className="visually-hidden"> your suggestion for {props.label}</span>
            </button>
          </div>
        </form>
      </section>
      {discarding && (
        <ConfirmDialog
          title={`Discard your suggestion for ${props.label}?`}
          confirmLabel="Discard the suggestion"
          destructive
          onConfirm={() => {
            setDiscarding(false);
            props.onDiscard();
          }}
          onCancel={() => setDiscarding(false)}
        >
          <p>Your {changes === 1 ? 'change goes' : `${changes} changes go`}; the clause stays as it reads.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

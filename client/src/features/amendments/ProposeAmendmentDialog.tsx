import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { history, redo, undo } from '@tiptap/pm/history';
import { EditorContent, Extension, useEditor, type Editor, type JSONContent } from '@tiptap/react';
import { clauseExtensions } from '@draftroom/shared/collab-schema';
import { proposeAmendment } from '../../api/amendments.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { FieldError, FormAlert, SubmitButton, TextAreaField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';
import { ClauseToolbar } from '../definitions/ClauseToolbar.tsx';

/** As long as a proposal may be (the server's limit on plain-text proposals). */
const MAX_PROPOSAL_CHARACTERS = 100_000;

/**
 * Undo and redo with the usual keys. The clause editor has them from collaboration (Yjs's undo
 * manager); this editor is not collaborative, so ProseMirror's own history provides them.
 */
const ProposalHistory = Extension.create({
  name: 'proposalHistory',
  addProseMirrorPlugins: () => [history()],
  addKeyboardShortcuts() {
    return {
      'Mod-z': () => undo(this.editor.state, this.editor.view.dispatch),
      'Shift-Mod-z': () => redo(this.editor.state, this.editor.view.dispatch),
      'Mod-y': () => redo(this.editor.state, this.editor.view.dispatch),
    };
  },
});

function editorAttributes(ids: { editor: string; label: string; hint: string; error: string }, error: string | undefined): Record<string, string> {
  return {
    id: ids.editor,
    role: 'textbox',
    'aria-multiline': 'true',
    'aria-labelledby': ids.label,
    'aria-describedby': error ? `${ids.hint} ${ids.error}` : ids.hint,
    ...(error ? { 'aria-invalid': 'true' } : {}),
    class: 'clause-text proposal-text',
  };
}

/** Why the wording cannot be sent as it is, or null. */
function proposalProblem(editor: Editor): string | null {
  const text = editor.state.doc.textContent;
  if (text.trim() === '') return 'Proposed wording is empty: write the whole clause as you would have it read';
  if ([...text].length > MAX_PROPOSAL_CHARACTERS) return `Proposed wording must be at most ${MAX_PROPOSAL_CHARACTERS} characters`;
  return null;
}

/**
 * Proposing a new wording for one clause, in a modal <dialog> like publishing a version: it starts
 * from the clause as it reads now, formatting included, in an editor with the clause editor's
 * formatting controls and shortcuts (not a collaborative one: the proposal is the proposer's alone
 * until it is sent). Chairs and editors accept or reject it on the Amendments tab.
 */
export function ProposeAmendmentDialog(props: { definitionId: string; clauseId: string; clauseLabel: string; initialContent: JSONContent; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const toolbar = useRef<HTMLDivElement>(null);
  const [proposed, setProposed] = useState(false);
  const client = useQueryClient();
  const form = useApiForm({ content: { label: 'Proposed wording' }, rationale: { label: 'Rationale' } });
  const contentError = form.fieldErrors.content;
  const baseId = useId();
  const ids = { editor: `${baseId}-wording`, label: `${baseId}-wording-label`, hint: `${baseId}-wording-hint`, error: `${baseId}-wording-error` };

  const editor = useEditor({
    extensions: [...clauseExtensions, ProposalHistory],
    content: props.initialContent,
    // Tiptap would add a <style> element, which the CSP refuses; styles/editor.css has the rules.
    injectCSS: false,
    editorProps: { attributes: editorAttributes(ids, undefined) },
  });

  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    editor.setOptions({ editorProps: { attributes: editorAttributes(ids, contentError) } });
  }, [editor, contentError, ids.editor]);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  // The dialog gives the focus to its first button (Bold); the wording is where people start. Once its
  // editor is ready — loaded on demand, the dialog can be shown before the editor has its view.
  const focusedOnOpen = useRef(false);
  useEffect(() => {
    if (focusedOnOpen.current || !editor || editor.isDestroyed) return;
    focusedOnOpen.current = true;
    editor.commands.focus('end');
  }, [editor]);

  // The wording is no form control, so the form's own "focus the first field in error" cannot reach it.
  useEffect(() => {
    if (form.fieldErrors.content && editor && !editor.isDestroyed) editor.commands.focus();
  }, [form.fieldErrors, editor]);

  const submit = form.onSubmit(
    async ({ rationale }) => {
      if (!editor) return;
      await proposeAmendment(props.definitionId, { clauseId: props.clauseId, content: editor.getJSON(), rationale: rationale.trim() });
      void client.invalidateQueries({ queryKey: queryKeys.amendments(props.definitionId) });
      setProposed(true);
    },
    () => {
      const problem = editor ? proposalProblem(editor) : 'The editor is not ready yet: try again in a moment';
      return problem ? { content: problem } : {};
    },
  );

  const lower = props.clauseLabel.toLowerCase();
  return (
    <dialog ref={dialog} className="dialog dialog-proposal" aria-labelledby="propose-heading" onClose={props.onClose}>
      <h2 id="propose-heading">Propose a wording for {lower}</h2>
      {proposed ? (
        <>
          <p role="status">Your proposal was sent. It is listed on the Amendments tab.</p>
          <div className="form-actions">
            <button type="button" className="button button-primary" autoFocus onClick={props.onClose}>
              Close
            </button>
          </div>
        </>
      ) : (
        // The wording sits outside the <form>: its link control is a form of its own, and forms do not nest.
        <div className="form">
          <FormAlert message={form.formError} />
          <div className={`field proposal-field${contentError ? ' field-invalid' : ''}`}>
            {/* A label cannot point at an editable <div>; the editor names itself with aria-labelledby. */}
            <label id={ids.label} onClick={() => editor?.commands.focus()}>
              Proposed wording
            </label>
            <p id={ids.hint} className="field-hint">
              The whole clause as you would have it read, with its formatting. Alt+F10 goes to the formatting buttons.
            </p>
            {editor && <ClauseToolbar editor={editor} label="the proposal" toolbarRef={toolbar} />}
            <div
              className="proposal-body"
              onKeyDown={(event) => {
                if (event.altKey && event.key === 'F10') {
                  event.preventDefault();
                  toolbar.current?.querySelector<HTMLButtonElement>('button[tabindex="0"]')?.focus();
                }
              }}
            >
              <EditorContent editor={editor} />
            </div>
            <FieldError id={ids.error} error={contentError} />
          </div>
          <form className="form" onSubmit={submit} noValidate>
            <TextAreaField {...form.field('rationale')} rows={3} maxLength={20_000} hint="Why this wording is better; shown with the proposal." />
            <div className="form-actions">
              <SubmitButton pending={form.pending} pendingText="Sending…">
                Send proposal
              </SubmitButton>
              <button type="button" className="button" onClick={props.onClose}>
                Cancel
              </button>
            </div>
          </form>
        </div>
      )}
    </dialog>
  );
}

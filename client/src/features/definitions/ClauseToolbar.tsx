import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { useEditorState, type Editor } from '@tiptap/react';
import { isSafeHref } from '@draftroom/shared/collab-schema';

interface ToolbarButton {
  key: string;
  label: string;
  shortcut?: string;
  active(editor: Editor): boolean;
  run(editor: Editor): void;
}

const BUTTONS: ToolbarButton[] = [
  { key: 'bold', label: 'Bold', shortcut: 'Control+B', active: (e) => e.isActive('bold'), run: (e) => e.chain().focus().toggleBold().run() },
  { key: 'italic', label: 'Italic', shortcut: 'Control+I', active: (e) => e.isActive('italic'), run: (e) => e.chain().focus().toggleItalic().run() },
  { key: 'code', label: 'Code', shortcut: 'Control+E', active: (e) => e.isActive('code'), run: (e) => e.chain().focus().toggleCode().run() },
  { key: 'bulletList', label: 'Bullet list', active: (e) => e.isActive('bulletList'), run: (e) => e.chain().focus().toggleBulletList().run() },
  { key: 'orderedList', label: 'Numbered list', active: (e) => e.isActive('orderedList'), run: (e) => e.chain().focus().toggleOrderedList().run() },
];
const LINK_INDEX = BUTTONS.length;

/**
 * Formatting for one clause, as an ARIA toolbar: one Tab stop, arrow keys between buttons, Escape back
 * to the text. Alt+F10 in the text comes here (see ClauseItem).
 */
export function ClauseToolbar({ editor, label, toolbarRef }: { editor: Editor; label: string; toolbarRef: RefObject<HTMLDivElement | null> }) {
  const [current, setCurrent] = useState(0);
  const [linkOpen, setLinkOpen] = useState(false);
  const active = useEditorState({
    editor,
    selector: ({ editor: e }): Record<string, boolean> => ({
      ...Object.fromEntries(BUTTONS.map((button) => [button.key, button.active(e)])),
      link: e.isActive('link'),
    }),
  });
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const count = BUTTONS.length + 1;
    const moves: Record<string, number> = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: count - 1 };
    if (event.key === 'Escape') {
      event.preventDefault();
      editor.commands.focus();
      return;
    }
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = (moves[event.key]! + count) % count;
    setCurrent(next);
    buttons.current[next]?.focus();
  }

  return (
    <>
      <div
        ref={toolbarRef}
        role="toolbar"
        aria-label={`Format ${label}`}
        aria-controls={editor.view.dom.id || undefined}
        className="clause-toolbar"
        onKeyDown={onKeyDown}
      >
        {BUTTONS.map((button, index) => (
          <button
            key={button.key}
            ref={(element) => {
              buttons.current[index] = element;
            }}
            type="button"
            className={`toolbar-button toolbar-${button.key}`}
            tabIndex={index === current ? 0 : -1}
            aria-pressed={active?.[button.key] ?? false}
            aria-keyshortcuts={button.shortcut}
            // The text keeps its selection (and the focus) when the pointer is used.
            onMouseDown={(event) => event.preventDefault()}
            onFocus={() => setCurrent(index)}
            onClick={() => button.run(editor)}
          >
            <span aria-hidden="true" className="toolbar-icon" />
            <span className="toolbar-label">{button.label}</span>
          </button>
        ))}
        <button
          ref={(element) => {
            buttons.current[LINK_INDEX] = element;
          }}
          type="button"
          className="toolbar-button toolbar-link"
          tabIndex={current === LINK_INDEX ? 0 : -1}
          aria-pressed={active?.link ?? false}
          aria-expanded={linkOpen}
          onMouseDown={(event) => event.preventDefault()}
          onFocus={() => setCurrent(LINK_INDEX)}
          onClick={() => setLinkOpen((open) => !open)}
        >
          <span aria-hidden="true" className="toolbar-icon" />
          <span className="toolbar-label">Link</span>
        </button>
      </div>
      {linkOpen && (
        <LinkForm
          editor={editor}
          onClose={(backTo) => {
            setLinkOpen(false);
            if (backTo === 'editor') editor.commands.focus();
            else buttons.current[LINK_INDEX]?.focus();
          }}
        />
      )}
    </>
  );
}

/** Asks for a link's address; only http, https and mailto addresses are accepted (as on the server). */
function LinkForm({ editor, onClose }: { editor: Editor; onClose(backTo: 'editor' | 'toolbar'): void }) {
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [href, setHref] = useState(() => String(editor.getAttributes('link').href ?? ''));
  const [error, setError] = useState<string | null>(null);
  const hasLink = editor.isActive('link');

  useEffect(() => input.current?.focus(), []);

  function apply() {
    const address = href.trim();
    if (!isSafeHref(address)) {
      setError('Enter a full address starting with http://, https:// or mailto:');
      input.current?.focus();
      return;
    }
    const chain = editor.chain().focus().extendMarkRange('link');
    if (editor.state.selection.empty && !hasLink) {
      // Nothing selected: the address itself becomes the linked text.
      chain.insertContent({ type: 'text', text: address, marks: [{ type: 'link', attrs: { href: address } }] }).run();
    } else {
      chain.setLink({ href: address }).run();
    }
    onClose('editor');
  }

  return (
    <form
      className="link-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        apply();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onClose('toolbar');
        }
      }}
    >
      <div className={`field${error ? ' field-invalid' : ''}`}>
        <label htmlFor={inputId}>Link address</label>
        <input
          ref={input}
          id={inputId}
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          value={href}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${inputId}-error` : `${inputId}-hint`}
          onChange={(event) => {
            setHref(event.target.value);
            setError(null);
          }}
        />
        {error ? (
          <p id={`${inputId}-error`} className="field-error">
            <span className="visually-hidden">Error: </span>
            {error}
          </p>
        ) : (
          <p id={`${inputId}-hint`} className="field-hint">
            An http://, https:// or mailto: address.
          </p>
        )}
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-small button-primary">
          Apply link
        </button>
        {hasLink && (
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              editor.chain().focus().extendMarkRange('link').unsetLink().run();
              onClose('editor');
            }}
          >
            Remove link
          </button>
        )}
        <button type="button" className="button button-small" onClick={() => onClose('toolbar')}>
          Cancel
        </button>
      </div>
    </form>
  );
}

import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor } from '@tiptap/react';
import type { WebsocketProvider } from 'y-websocket';
import type { Amendment, ClauseEntry } from '@draftroom/shared';
import { clauseExtensions } from '@draftroom/shared/collab-schema';
import type { Collaborator } from '../../collab/liveDocument.ts';
import { colorClassFor } from '../../collab/userColor.ts';
import type { Anchor } from '@draftroom/shared';
import { initialProposal } from '../amendments/proposalContent.ts';
import type { SuggestionStart } from '../amendments/SuggestionComposer.tsx';
import { anchorFromSelection } from '../discussion/anchor.ts';
import { anchorHighlights, anchorHighlightsKey, passageOrder, type AnchoredPassage } from '../discussion/anchorHighlights.ts';
import { ConfirmDialog } from '../../layout/ConfirmDialog.tsx';
import { Deferred, lazyPart } from '../../layout/lazyPart.tsx';
import { ClauseToolbar } from './ClauseToolbar.tsx';
import { type LanguageMark, languageMarks, languageMarksKey, markRange } from './languageMarks.ts';
import type { ProvenanceSelection } from './ProvenancePanel.tsx';

// Opened from the clause's menu: loaded when first opened, not with the text.
const HistoryList = lazyPart(async () => (await import('../history/HistoryList.tsx')).HistoryList);
const BlameView = lazyPart(async () => (await import('../history/BlameView.tsx')).BlameView);
const ClauseSuggestions = lazyPart(async () => (await import('../amendments/ClauseSuggestions.tsx')).ClauseSuggestions);
const SuggestionComposer = lazyPart(async () => (await import('../amendments/SuggestionComposer.tsx')).SuggestionComposer);
const ProvenancePanel = lazyPart(async () => (await import('./ProvenancePanel.tsx')).ProvenancePanel);

export type FocusTarget = 'editor' | 'menu';

/** A request to put the focus somewhere in one clause once it has rendered (after an add or a move). */
export interface FocusRequest {
  clauseId: string;
  target: FocusTarget;
  /** A new number for every request, so the same request twice is still a change. */
  serial: number;
  /** Words to select in the text (a requirement-language mark followed from its list), if they are still there. */
  mark?: LanguageMark;
}

interface ClauseItemProps {
  definitionId: string;
  clause: ClauseEntry;
  label: string;
  provider: WebsocketProvider;
  self: Collaborator;
  editable: boolean;
  /** Structure controls (add, move, delete): for people who may write, while the socket lives. */
  canArrange: boolean;
  isFirst: boolean;
  isLast: boolean;
  focusRequest: FocusRequest | null;
  /** May start a discussion thread (members, read-only ones included). */
  canComment: boolean;
  /** May propose a new wording (an amendment): suggest changes in place. */
  canPropose: boolean;
  /** The page is in "Suggesting" mode: a click in the text starts a suggestion there instead of editing. */
  suggesting: boolean;
  /** Starts a thread on this clause, on the selected passage when there is one. */
  onComment(anchor: Anchor | null): void;
  /** Open threads on this clause; those with a passage are highlighted in the text. */
  threads: { threadId: string; passage: AnchoredPassage | null }[];
  /** Every anchored thread on this clause (resolved ones too), to order them by where their passage starts. */
  anchoredPassages: AnchoredPassage[];
  /** The ids of those threads in the order their passages start in the text, each time it changes. */
  onPassageOrder(clauseId: string, threadIds: string[]): void;
  /** The thread in focus in the discussion panel, highlighted more strongly. */
  activeThreadId: string | null;
  /** Takes the focus to a thread in the discussion panel. */
  onShowThread(threadId: string): void;
  /** The requirement-language marks on this clause (none while the checks are off). */
  languageMarks: LanguageMark[];
  /** The voting panels of ballots on this clause, shown below it like its threads. */
  ballotPanel?: ReactNode;
  /** On phones: where the discussion puts this clause's threads, under the clause. */
  threadSlot?: ((element: HTMLDivElement | null) => void) | undefined;
  /** Wordings proposed for this clause and not yet decided: counted beside it, opened in place. */
  suggestions: Amendment[];
  /** The clause's Markdown as last read, to tell a proposal that changes formatting only. */
  currentMarkdown: string | undefined;
  /** Says a decision taken in place (accepted, rejected, withdrawn). */
  onAnnounce(message: string): void;
  /** The dialog that drafts a ballot on this clause (chairs only; absent for everyone else). */
  renderStartBallot?: (close: () => void) => ReactNode;
  onAddAfter(kind: 'clause' | 'heading'): void;
  onMove(direction: -1 | 1): void;
  onDelete(): void;
}

/**
 * Remote carets are drawn with classes, never style attributes (the CSP allows no inline styles).
 * They are hidden from assistive technology, which would otherwise read a name inside the text;
 * the page lists who is present instead.
 */
function renderCaret(user: Record<string, unknown>): HTMLElement {
  const caret = document.createElement('span');
  caret.className = `collab-caret ${colorClassFor(user.color)}`;
  caret.setAttribute('aria-hidden', 'true');
  const name = document.createElement('span');
  name.className = 'collab-caret-label';
  name.textContent = String(user.name ?? 'Someone').slice(0, 120);
  caret.append(name);
  return caret;
}

function renderSelection(user: Record<string, unknown>) {
  return { class: `collab-selection ${colorClassFor(user.color)}` };
}

function editorAttributes(label: string, editable: boolean, heading: boolean): Record<string, string> {
  return {
    role: 'textbox',
    'aria-multiline': 'true',
    'aria-label': label,
    ...(editable ? {} : { 'aria-readonly': 'true' }),
    class: `clause-text${heading ? ' clause-text-heading' : ''}`,
  };
}

/** One clause: its own Tiptap editor on the clause's Y.XmlFragment, sharing the page's awareness. */
export function ClauseItem(props: ClauseItemProps) {
  const { clause, label, provider, self, canArrange, isFirst, isLast, focusRequest } = props;
  // In "Suggesting" mode nobody types into the live text: their changes become a suggestion.
  const editable = props.editable && !props.suggesting;
  const heading = clause.kind === 'heading';
  const toolbar = useRef<HTMLDivElement>(null);
  const menuButton = useRef<HTMLButtonElement>(null);
  const [confirming, setConfirming] = useState(false);
  // The formatting toolbar shows only while the clause's text (or the toolbar) has the focus.
  const [editing, setEditing] = useState(false);
  const [panel, setPanel] = useState<'history' | 'blame' | 'suggestions' | null>(null);
  const panelId = useId();
  const [hasSelection, setHasSelection] = useState(false);
  // A suggestion being written in place: the clause as it read when it was started, and where the caret went.
  const [suggestionStart, setSuggestionStart] = useState<SuggestionStart | null>(null);
  const proposing = suggestionStart !== null;
  const [changedWhileSuggesting, setChangedWhileSuggesting] = useState(false);
  const [startingBallot, setStartingBallot] = useState(false);
  // Why the clause (or the selected words) says what it says: open in a dialog; the focus goes back to what opened it.
  const [provenance, setProvenance] = useState<{ selection: ProvenanceSelection | null } | null>(null);
  const selectionProvenance = useRef<HTMLButtonElement>(null);
  // The editor outlives renders; its highlight plugin calls the latest handler through this.
  const showThread = useRef(props.onShowThread);
  showThread.current = props.onShowThread;

  const editor = useEditor(
    {
      extensions: [
        ...clauseExtensions,
        Collaboration.configure({ fragment: clause.body }),
        anchorHighlights(clause.body, (threadId) => showThread.current(threadId)),
        languageMarks(),
        CollaborationCaret.configure({
          provider,
          user: { id: self.id, name: self.name, color: self.color },
          render: renderCaret,
          selectionRender: renderSelection,
        }),
      ],
      editable,
      // Tiptap would add a <style> element, which the CSP refuses; styles/editor.css has the rules.
      injectCSS: false,
      editorProps: {
        attributes: editorAttributes(label, editable, heading),
        // On phones the formatting toolbar is pinned to the bottom of the screen: typing keeps the caret above it.
        scrollThreshold: { top: 0, right: 0, bottom: 64, left: 0 },
        scrollMargin: { top: 5, right: 5, bottom: 72, left: 5 },
      },
    },
    // A new editor only for another body or socket; label and editability are updated in place.
    [clause.body, provider],
  );

  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    editor.setOptions({ editorProps: { ...editor.options.editorProps, attributes: editorAttributes(label, editable, heading) } });
    if (editor.isEditable !== editable) editor.setEditable(editable, false);
  }, [editor, label, editable, heading]);

  // Read-only editors keep a selection too: observers and members comment on passages they select.
  useEffect(() => {
    if (!editor) return;
    const update = () =>
      setHasSelection(!editor.state.selection.empty && editor.state.doc.textBetween(editor.state.selection.from, editor.state.selection.to, ' ').trim() !== '');
    editor.on('selectionUpdate', update);
    editor.on('update', update);
    return () => {
      editor.off('selectionUpdate', update);
      editor.off('update', update);
    };
  }, [editor]);

  const passages = props.threads.flatMap((thread) => (thread.passage ? [thread.passage] : []));
  const passageKey = JSON.stringify(passages);
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    editor.view.dispatch(
      editor.state.tr
        .setMeta(anchorHighlightsKey, { passages: JSON.parse(passageKey) as AnchoredPassage[], activeId: props.activeThreadId })
        .setMeta('addToHistory', false),
    );
  }, [editor, passageKey, props.activeThreadId]);

  const marksKey = JSON.stringify(props.languageMarks);
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    editor.view.dispatch(editor.state.tr.setMeta(languageMarksKey, JSON.parse(marksKey) as LanguageMark[]).setMeta('addToHistory', false));
  }, [editor, marksKey]);

  // The discussion lists this clause's threads in the order their passages start; edits can change it.
  const orderKey = JSON.stringify(props.anchoredPassages);
  const onPassageOrder = useRef(props.onPassageOrder);
  onPassageOrder.current = props.onPassageOrder;
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    const all = JSON.parse(orderKey) as AnchoredPassage[];
    let last = '';
    const report = () => {
      if (editor.isDestroyed) return;
      const order = all.length === 0 ? [] : passageOrder(clause.body, all);
      const key = order.join(' ');
      if (key === last) return;
      last = key;
      onPassageOrder.current(clause.id, order);
    };
    report();
    editor.on('transaction', report);
    return () => {
      editor.off('transaction', report);
    };
  }, [editor, orderKey, clause.body, clause.id]);

  useEffect(() => {
    if (!focusRequest || focusRequest.clauseId !== clause.id) return;
    if (focusRequest.target === 'editor') {
      if (!editor || editor.isDestroyed) return;
      const words = focusRequest.mark && markRange(editor.state.doc, focusRequest.mark);
      if (words) editor.chain().focus().setTextSelection(words).scrollIntoView().run();
      else editor.commands.focus('end');
    } else {
      menuButton.current?.focus();
    }
  }, [focusRequest, clause.id, editor]);

  // Back to the clause's menu once the suggestion is sent or discarded.
  const wasProposing = useRef(false);
  useEffect(() => {
    if (wasProposing.current && !proposing) menuButton.current?.focus();
    wasProposing.current = proposing;
  }, [proposing]);

  // While a suggestion is written, the live clause may change under it; the suggester is told.
  useEffect(() => {
    if (!proposing || !editor) return;
    setChangedWhileSuggesting(false);
    const changed = ({ transaction }: { transaction: { docChanged: boolean } }) => {
      if (transaction.docChanged) setChangedWhileSuggesting(true);
    };
    editor.on('transaction', changed);
    return () => {
      editor.off('transaction', changed);
    };
  }, [proposing, editor]);

  /** Starts a suggestion on the clause as it reads now, with the caret at `from`–`to` (the end when not given). */
  function startSuggestion(from?: number, to?: number) {
    if (!editor || editor.isDestroyed) return;
    const end = editor.state.doc.content.size;
    setSuggestionStart({ base: initialProposal(clause.body, editor.getText({ blockSeparator: '\n\n' })), from: from ?? end, to: to ?? from ?? end });
  }

  const wasStartingBallot = useRef(false);
  useEffect(() => {
    if (wasStartingBallot.current && !startingBallot && !menuButton.current?.closest('li')?.contains(document.activeElement)) menuButton.current?.focus();
    wasStartingBallot.current = startingBallot;
  }, [startingBallot]);

  // The last proposed wording decided in place: its panel closes, and the focus goes to the clause's menu.
  const suggestionCount = props.suggestions.length;
  useEffect(() => {
    if (panel !== 'suggestions' || suggestionCount > 0) return;
    const hadFocus = document.getElementById(panelId)?.contains(document.activeElement) || document.activeElement === document.body;
    setPanel(null);
    if (hadFocus) menuButton.current?.focus();
  }, [panel, suggestionCount, panelId]);

  const lower = label.toLowerCase();
  const menuItems: MenuItem[] = [];
  if (props.canComment && editor && !hasSelection)
    menuItems.push({ key: 'comment', text: 'Comment', hidden: ` in ${lower}`, onSelect: () => props.onComment(null) });
  if (props.threads.length > 0)
    menuItems.push({
      key: 'threads',
      text: props.threads.length === 1 ? 'Go to its thread' : `Go to its ${props.threads.length} threads`,
      hidden: ` on ${lower}`,
      onSelect: () => props.onShowThread(props.threads[0]!.threadId),
    });
  if (props.canPropose && editor && !heading && !proposing)
    menuItems.push({ key: 'propose', text: 'Suggest changes', hidden: ` to ${lower}`, onSelect: () => startSuggestion() });
  if (props.renderStartBallot && !heading)
    menuItems.push({ key: 'ballot', text: 'Start ballot', hidden: ` on ${lower}`, onSelect: () => setStartingBallot(true) });
  menuItems.push(
    {
      key: 'history',
      text: panel === 'history' ? 'Hide history' : 'History',
      hidden: ` of ${lower}`,
      onSelect: () => setPanel(panel === 'history' ? null : 'history'),
    },
    {
      key: 'blame',
      text: panel === 'blame' ? 'Hide who wrote' : 'Who wrote',
      hidden: ` ${lower}`,
      onSelect: () => setPanel(panel === 'blame' ? null : 'blame'),
    },
    { key: 'provenance', text: 'Provenance', hidden: ` of ${lower}`, onSelect: () => setProvenance({ selection: null }) },
  );
  if (canArrange)
    menuItems.push(
      { key: 'up', text: 'Move up', hidden: '', name: `Move ${lower} up`, disabled: isFirst, separator: true, onSelect: () => props.onMove(-1) },
      { key: 'down', text: 'Move down', hidden: '', name: `Move ${lower} down`, disabled: isLast, onSelect: () => props.onMove(1) },
      { key: 'add-clause', text: 'Add clause below', hidden: ` ${lower}`, onSelect: () => props.onAddAfter('clause') },
      { key: 'add-heading', text: 'Add heading below', hidden: ` ${lower}`, onSelect: () => props.onAddAfter('heading') },
      { key: 'delete', text: 'Delete…', hidden: '', name: `Delete ${lower}`, danger: true, separator: true, onSelect: () => setConfirming(true) },
    );
  const threadCount = props.threads.length;

  return (
    <li
      className={`clause clause-${clause.kind}${editing ? ' clause-editing' : ''}${proposing ? ' clause-suggesting' : ''}${props.suggesting && props.canPropose && !heading ? ' clause-suggestible' : ''}`}
      data-clause-id={clause.id}
    >
      <div className="clause-label" aria-hidden="true">
        {label}
      </div>
      <div className="clause-side">
        {props.canComment && editor && hasSelection && (
          <button
            type="button"
            className="button button-small button-primary"
            // Keep the words selected while the button is pressed.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => props.onComment(anchorFromSelection(editor, clause.body))}
          >
            Comment<span className="selection-words"> on the selection</span>
            <span className="visually-hidden"> in {lower}</span>
          </button>
        )}
        {editor && hasSelection && (
          <button
            ref={selectionProvenance}
            type="button"
            className="button button-small"
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => {
              // The document is immutable: the panel reads the selection's offsets in it as it is now.
              const { from, to } = editor.state.selection;
              setProvenance({ selection: { doc: editor.state.doc, from, to } });
            }}
          >
            Provenance<span className="narrow-hidden selection-words"> of the selection</span>
            <span className="visually-hidden"> in {lower}</span>
          </button>
        )}
        {props.suggestions.length > 0 && (
          <button
            type="button"
            className="clause-suggestion-count"
            aria-expanded={panel === 'suggestions'}
            aria-controls={panelId}
            title={props.suggestions.length === 1 ? '1 proposed wording' : `${props.suggestions.length} proposed wordings`}
            onClick={() => setPanel(panel === 'suggestions' ? null : 'suggestions')}
          >
            <span aria-hidden="true">✎ </span>
            {props.suggestions.length}
            <span className="visually-hidden">
              {props.suggestions.length === 1 ? ' proposed wording' : ' proposed wordings'} for {lower}
            </span>
          </button>
        )}
        {threadCount > 0 && (
          <span className="clause-thread-count" title={threadCount === 1 ? '1 open thread' : `${threadCount} open threads`}>
            <span aria-hidden="true">💬 </span>
            {threadCount}
            <span className="visually-hidden">{threadCount === 1 ? ' open thread' : ' open threads'}</span>
          </span>
        )}
        <ClauseMenu label={lower} items={menuItems} buttonRef={menuButton} />
      </div>
      <div
        className="clause-main"
        onFocus={() => setEditing(true)}
        onBlur={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setEditing(false);
        }}
      >
        {editor && editable && editing && !proposing && <ClauseToolbar editor={editor} label={lower} toolbarRef={toolbar} />}
        {suggestionStart && (
          <Deferred>
            <SuggestionComposer
              definitionId={props.definitionId}
              clauseId={clause.id}
              label={lower}
              start={suggestionStart}
              authorName={self.name}
              toolbar={(suggestionEditor) => editing && <ClauseToolbar editor={suggestionEditor} label={`your suggestion for ${lower}`} toolbarRef={toolbar} />}
              focusToolbar={() => toolbar.current?.querySelector<HTMLButtonElement>('button[tabindex="0"]')?.focus()}
              clauseChanged={changedWhileSuggesting}
              onSent={() => {
                setSuggestionStart(null);
                props.onAnnounce(`Your suggestion for ${lower} was sent. Chairs and editors accept or reject it at the clause or on the Amendments tab.`);
              }}
              onDiscard={() => setSuggestionStart(null)}
            />
          </Deferred>
        )}
        <div
          className="clause-body"
          hidden={proposing}
          onMouseUp={(event) => {
            // "Suggesting": a click in the text (not a selection, which may be for a comment) starts a suggestion there.
            if (!props.suggesting || !props.canPropose || heading || proposing || !editor || event.button !== 0) return;
            if (!(window.getSelection()?.isCollapsed ?? true)) return;
            const at = editor.view.posAtCoords({ left: event.clientX, top: event.clientY })?.pos;
            startSuggestion(at);
          }}
          {...(heading && { role: 'heading', 'aria-level': 2 })}
          onKeyDown={(event) => {
            // The conventional way from rich text to its toolbar.
            if (event.altKey && event.key === 'F10') {
              event.preventDefault();
              toolbar.current?.querySelector<HTMLButtonElement>('button[tabindex="0"]')?.focus();
            }
          }}
        >
          <EditorContent editor={editor} />
        </div>
      </div>
      {confirming && (
        <ConfirmDialog
          title={`Delete ${lower}?`}
          confirmLabel={`Delete ${lower}`}
          destructive
          onConfirm={() => {
            setConfirming(false);
            props.onDelete();
          }}
          onCancel={() => {
            setConfirming(false);
            menuButton.current?.focus();
          }}
        >
          <p>Its text goes with it. Its history stays, and a version can bring it back.</p>
        </ConfirmDialog>
      )}
      {startingBallot && props.renderStartBallot?.(() => setStartingBallot(false))}
      {provenance && (
        <Deferred>
          <ProvenancePanel
            definitionId={props.definitionId}
            clauseId={clause.id}
            label={label}
            selection={provenance.selection}
            onShowThread={props.onShowThread}
            onClose={(restoreFocus) => {
              const opener = provenance.selection ? selectionProvenance.current : null;
              setProvenance(null);
              if (restoreFocus) (opener?.isConnected ? opener : menuButton.current)?.focus();
            }}
          />
        </Deferred>
      )}
      {/* What the person opened comes right under the text, before the ballots on the clause. */}
      <div id={panelId} className="clause-panel" hidden={panel === null}>
        {panel === 'suggestions' && (
          <section aria-label={`Proposed wordings for ${lower}`}>
            <h3 className="clause-panel-title">Proposed wordings for {lower}</h3>
            <Deferred>
              <ClauseSuggestions
                definitionId={props.definitionId}
                amendments={props.suggestions}
                clauseLabel={lower}
                currentMarkdown={props.currentMarkdown}
                onAnnounce={props.onAnnounce}
                editor={editor}
              />
            </Deferred>
          </section>
        )}
        {panel === 'history' && (
          <section aria-label={`History of ${lower}`}>
            <h3 className="clause-panel-title">History of {lower}</h3>
            <Deferred>
              <HistoryList definitionId={props.definitionId} clauseId={clause.id} limit={10} />
            </Deferred>
          </section>
        )}
        {panel === 'blame' && (
          <section aria-label={`Who wrote ${lower}`}>
            <h3 className="clause-panel-title">Who wrote {lower}</h3>
            <p className="muted">The saved text, each part coloured by who wrote it last; point at or tab to a part for the name and time.</p>
            <Deferred>
              <BlameView definitionId={props.definitionId} clauseId={clause.id} label={label} />
            </Deferred>
          </section>
        )}
      </div>
      {props.threadSlot && <div className="clause-threads" ref={props.threadSlot} />}
      {props.ballotPanel}
    </li>
  );
}

interface MenuItem {
  key: string;
  /** What the item shows. */
  text: string;
  /** Words for screen readers only, after the text (" of clause 2"), so every name says which clause. */
  hidden: string;
  /** The accessible name, when it is not text + hidden. */
  name?: string;
  disabled?: boolean;
  /** A destructive action, shown in red. */
  danger?: boolean;
  /** A line above the item, between groups of actions. */
  separator?: boolean;
  onSelect(): void;
}

/**
 * The clause's secondary actions behind one button, as an ARIA menu button: Enter, Space or the
 * arrow keys open it, arrow keys, Home and End move between items, Escape closes it and gives the
 * focus back to the button; Tab or a click elsewhere closes it.
 */
function ClauseMenu({ label, items, buttonRef }: { label: string; items: MenuItem[]; buttonRef: RefObject<HTMLButtonElement | null> }) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const menu = useRef<HTMLUListElement>(null);
  const pendingFocus = useRef<'first' | 'last' | null>(null);

  const itemElements = () => Array.from(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);

  useEffect(() => {
    if (!open) return;
    const elements = itemElements();
    if (pendingFocus.current) (pendingFocus.current === 'first' ? elements[0] : elements.at(-1))?.focus();
    pendingFocus.current = null;
    const close = (event: PointerEvent) => {
      if (!menu.current?.parentElement?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', close);
    return () => document.removeEventListener('pointerdown', close);
  }, [open]);

  function show(focus: 'first' | 'last') {
    pendingFocus.current = focus;
    if (open) {
      const elements = itemElements();
      (focus === 'first' ? elements[0] : elements.at(-1))?.focus();
      pendingFocus.current = null;
    } else setOpen(true);
  }

  function closeToButton() {
    setOpen(false);
    buttonRef.current?.focus();
  }

  function onMenuKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    const elements = itemElements();
    const index = elements.indexOf(document.activeElement as HTMLElement);
    const count = elements.length;
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: count - 1 };
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      closeToButton();
    } else if (event.key === 'Tab') {
      setOpen(false);
    } else if (event.key in moves) {
      event.preventDefault();
      elements[(moves[event.key]! + count) % count]?.focus();
    }
  }

  function select(item: MenuItem) {
    if (item.disabled) return;
    closeToButton();
    item.onSelect();
  }

  return (
    <div className="menu">
      <button
        ref={buttonRef}
        type="button"
        className="button button-small button-quiet menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? setOpen(false) : show('first'))}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            show(event.key === 'ArrowDown' ? 'first' : 'last');
          }
        }}
      >
        <span aria-hidden="true" className="menu-button-dots">
          ⋯
        </span>
        <span className="visually-hidden">Actions for {label}</span>
      </button>
      {open && (
        <ul ref={menu} id={menuId} role="menu" aria-label={`Actions for ${label}`} className="menu-list" onKeyDown={onMenuKeyDown}>
          {items.map((item) => (
            <li
              key={item.key}
              role="menuitem"
              tabIndex={-1}
              className={`menu-item${item.danger ? ' menu-item-danger' : ''}${item.separator ? ' menu-item-separated' : ''}`}
              aria-disabled={item.disabled || undefined}
              aria-label={item.name}
              onClick={() => select(item)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' || event.key === ' ') {
                  event.preventDefault();
                  select(item);
                }
              }}
            >
              {item.text}
              {!item.name && item.hidden && <span className="visually-hidden">{item.hidden}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

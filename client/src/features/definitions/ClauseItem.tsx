import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor, type JSONContent } from '@tiptap/react';
import type { WebsocketProvider } from 'y-websocket';
import type { ClauseEntry } from '@draftroom/shared';
import { clauseExtensions } from '@draftroom/shared/collab-schema';
import type { Collaborator } from '../../collab/liveDocument.ts';
import { colorClassFor } from '../../collab/userColor.ts';
import { BlameView } from '../history/BlameView.tsx';
import { HistoryList } from '../history/HistoryList.tsx';
import type { Anchor } from '@draftroom/shared';
import { ProposeAmendmentDialog } from '../amendments/ProposeAmendmentDialog.tsx';
import { initialProposal } from '../amendments/proposalContent.ts';
import { anchorFromSelection } from '../discussion/anchor.ts';
import { anchorHighlights, anchorHighlightsKey, passageOrder, type AnchoredPassage } from '../discussion/anchorHighlights.ts';
import { ClauseToolbar } from './ClauseToolbar.tsx';

export type FocusTarget = 'editor' | 'move-up' | 'move-down';

/** A request to put the focus somewhere in one clause once it has rendered (after an add or a move). */
export interface FocusRequest {
  clauseId: string;
  target: FocusTarget;
  /** A new number for every request, so the same request twice is still a change. */
  serial: number;
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
  /** May propose a new wording (an amendment). */
  canPropose: boolean;
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
  /** The voting panels of ballots on this clause, shown below it like its threads. */
  ballotPanel?: ReactNode;
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
  const { clause, label, provider, self, editable, canArrange, isFirst, isLast, focusRequest } = props;
  const heading = clause.kind === 'heading';
  const toolbar = useRef<HTMLDivElement>(null);
  const moveUp = useRef<HTMLButtonElement>(null);
  const moveDown = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const [confirming, setConfirming] = useState(false);
  const returnFocus = useRef(false);
  const [panel, setPanel] = useState<'history' | 'blame' | null>(null);
  const panelId = useId();
  const [hasSelection, setHasSelection] = useState(false);
  // The wording a proposal starts from, read from the clause when "Propose a wording" is pressed.
  const [proposalStart, setProposalStart] = useState<JSONContent | null>(null);
  const proposing = proposalStart !== null;
  const proposeButton = useRef<HTMLButtonElement>(null);
  const [startingBallot, setStartingBallot] = useState(false);
  const ballotButton = useRef<HTMLButtonElement>(null);
  // The editor outlives renders; its highlight plugin calls the latest handler through this.
  const showThread = useRef(props.onShowThread);
  showThread.current = props.onShowThread;

  const editor = useEditor(
    {
      extensions: [
        ...clauseExtensions,
        Collaboration.configure({ fragment: clause.body }),
        anchorHighlights(clause.body, (threadId) => showThread.current(threadId)),
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
      editorProps: { attributes: editorAttributes(label, editable, heading) },
    },
    // A new editor only for another body or socket; label and editability are updated in place.
    [clause.body, provider],
  );

  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    editor.setOptions({ editorProps: { attributes: editorAttributes(label, editable, heading) } });
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
      const order = all.length === 0 ? [] : passageOrder(editor.state, clause.body, all);
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
      if (editor && !editor.isDestroyed) editor.commands.focus('end');
    } else {
      (focusRequest.target === 'move-up' ? moveUp : moveDown).current?.focus();
    }
  }, [focusRequest, clause.id, editor]);

  // Back to the button once the dialog has left the page (nothing outside a modal takes the focus).
  const wasProposing = useRef(false);
  useEffect(() => {
    if (wasProposing.current && !proposing) proposeButton.current?.focus();
    wasProposing.current = proposing;
  }, [proposing]);

  const wasStartingBallot = useRef(false);
  useEffect(() => {
    if (wasStartingBallot.current && !startingBallot && !ballotButton.current?.closest('li')?.contains(document.activeElement)) ballotButton.current?.focus();
    wasStartingBallot.current = startingBallot;
  }, [startingBallot]);

  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else if (returnFocus.current) deleteButton.current?.focus();
    returnFocus.current = false;
  }, [confirming]);

  const lower = label.toLowerCase();
  return (
    <li className={`clause clause-${clause.kind}`} data-clause-id={clause.id}>
      <div className="clause-label" aria-hidden="true">
        {label}
      </div>
      {editor && editable && <ClauseToolbar editor={editor} label={lower} toolbarRef={toolbar} />}
      <div
        className="clause-body"
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
      <div className="clause-tools">
        {props.canComment && editor && (
          <button
            type="button"
            className={`button button-small${hasSelection ? ' button-primary' : ' button-quiet'}`}
            // Keep the words selected while the button is pressed.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => props.onComment(hasSelection ? anchorFromSelection(editor, clause.body) : null)}
          >
            {hasSelection ? 'Comment on the selection' : 'Comment'}
            <span className="visually-hidden"> in {lower}</span>
          </button>
        )}
        {props.threads.length > 0 && (
          <button type="button" className="button button-small button-quiet" onClick={() => props.onShowThread(props.threads[0]!.threadId)}>
            {props.threads.length === 1 ? '1 thread' : `${props.threads.length} threads`}
            <span className="visually-hidden"> on {lower}: go to the discussion</span>
          </button>
        )}
        {props.canPropose && editor && !heading && (
          <button
            ref={proposeButton}
            type="button"
            className="button button-small button-quiet"
            onClick={() => setProposalStart(initialProposal(clause.body, editor.getText({ blockSeparator: '\n\n' })))}
          >
            Propose a wording<span className="visually-hidden"> for {lower}</span>
          </button>
        )}
        {props.renderStartBallot && !heading && (
          <button ref={ballotButton} type="button" className="button button-small button-quiet" aria-haspopup="dialog" onClick={() => setStartingBallot(true)}>
            Start ballot<span className="visually-hidden"> on {lower}</span>
          </button>
        )}
        <button
          type="button"
          className="button button-small button-quiet"
          aria-expanded={panel === 'history'}
          aria-controls={panelId}
          onClick={() => setPanel(panel === 'history' ? null : 'history')}
        >
          History<span className="visually-hidden"> of {lower}</span>
        </button>
        <button
          type="button"
          className="button button-small button-quiet"
          aria-expanded={panel === 'blame'}
          aria-controls={panelId}
          onClick={() => setPanel(panel === 'blame' ? null : 'blame')}
        >
          Who wrote<span className="visually-hidden"> {lower}</span>
        </button>
      </div>
      {proposalStart && (
        <ProposeAmendmentDialog
          definitionId={props.definitionId}
          clauseId={clause.id}
          clauseLabel={label}
          initialContent={proposalStart}
          onClose={() => setProposalStart(null)}
        />
      )}
      {startingBallot && props.renderStartBallot?.(() => setStartingBallot(false))}
      {props.ballotPanel}
      <div id={panelId} className="clause-panel" hidden={panel === null}>
        {panel === 'history' && (
          <section aria-label={`History of ${lower}`}>
            <h3 className="clause-panel-title">History of {lower}</h3>
            <HistoryList definitionId={props.definitionId} clauseId={clause.id} limit={10} />
          </section>
        )}
        {panel === 'blame' && (
          <section aria-label={`Who wrote ${lower}`}>
            <h3 className="clause-panel-title">Who wrote {lower}</h3>
            <p className="muted">The saved text, each part coloured by who wrote it last; point at or tab to a part for the name and time.</p>
            <BlameView definitionId={props.definitionId} clauseId={clause.id} label={label} />
          </section>
        )}
      </div>
      {canArrange && (
        <div className="clause-actions" role="group" aria-label={`Arrange ${lower}`}>
          <button ref={moveUp} type="button" className="button button-small" aria-disabled={isFirst || undefined} onClick={() => !isFirst && props.onMove(-1)}>
            Move<span className="visually-hidden"> {lower}</span> up
          </button>
          <button ref={moveDown} type="button" className="button button-small" aria-disabled={isLast || undefined} onClick={() => !isLast && props.onMove(1)}>
            Move<span className="visually-hidden"> {lower}</span> down
          </button>
          <button type="button" className="button button-small" onClick={() => props.onAddAfter('clause')}>
            Add clause below<span className="visually-hidden"> {lower}</span>
          </button>
          <button type="button" className="button button-small" onClick={() => props.onAddAfter('heading')}>
            Add heading below<span className="visually-hidden"> {lower}</span>
          </button>
          {confirming ? (
            <span className="confirm" role="group" aria-label={`Delete ${lower}?`}>
              <span>Delete {lower} and its text?</span>
              <button ref={confirmButton} type="button" className="button button-small button-danger" onClick={props.onDelete}>
                Yes, delete<span className="visually-hidden"> {lower}</span>
              </button>
              <button
                type="button"
                className="button button-small"
                onClick={() => {
                  returnFocus.current = true;
                  setConfirming(false);
                }}
              >
                Cancel
              </button>
            </span>
          ) : (
            <button ref={deleteButton} type="button" className="button button-small button-quiet" onClick={() => setConfirming(true)}>
              Delete<span className="visually-hidden"> {lower}</span>
            </button>
          )}
        </div>
      )}
    </li>
  );
}

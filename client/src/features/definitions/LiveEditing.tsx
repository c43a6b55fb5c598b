import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { clauseLabels, deleteClause, insertClause, moveClause, type Ballot, type DefinitionDetail, type Thread } from '@draftroom/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { languageQuery } from '../../api/language.ts';
import { definitionQueries, viewOf } from '../../api/queries.ts';
import { useClauses, useCollaborators, useLiveDocument, type Collaborator } from '../../collab/liveDocument.ts';
import { colorClassFor } from '../../collab/userColor.ts';
import { StatusMessage } from '../../forms/fields.tsx';
import { Deferred, lazyPart } from '../../layout/lazyPart.tsx';
import { NARROW, useMediaQuery } from '../../layout/useMediaQuery.ts';
import { storeBallot } from '../decisions/ballotCache.ts';
import { ballotsBesideClause, ClauseBallots } from '../decisions/ClauseBallots.tsx';
import { canManageBallots } from '../decisions/labels.ts';
import { DiscussionPanel, type ThreadDraft } from '../discussion/DiscussionPanel.tsx';
import { ClauseItem, type FocusRequest, type FocusTarget } from './ClauseItem.tsx';
import type { LanguageMark } from './languageMarks.ts';
import { connectionMessage } from './labels.ts';
import { ModeSwitch } from './ModeSwitch.tsx';
import { StaticText, TextHead } from './StaticText.tsx';

// Accept all / Reject all, for chairs and editors when two or more suggestions wait: loaded only then.
const BatchDecision = lazyPart(async () => (await import('../amendments/BatchDecision.tsx')).BatchDecision);
// Started from a clause's menu: loaded when first opened, not with the text.
const BallotDialog = lazyPart(async () => (await import('../decisions/BallotDialog.tsx')).BallotDialog);
// The defined terms, the glossary and the list of requirement-language marks: loaded when opened.
const LanguagePanel = lazyPart(async () => (await import('./LanguagePanel.tsx')).LanguagePanel);

const NO_MARKS: LanguageMark[] = [];

/** A v4 uuid; crypto.randomUUID exists only in secure contexts, getRandomValues everywhere. */
function newClauseId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Adds an empty clause through the shared layout helper. Its body starts with one empty paragraph in
 * the same transaction, so two people who start typing into it at once share that paragraph instead
 * of each creating their own.
 */
function addClause(doc: Y.Doc, kind: 'clause' | 'heading', index?: number): string {
  const id = newClauseId();
  doc.transact(() => {
    const body = insertClause(doc, id, kind, index);
    body.insert(0, [new Y.XmlElement('paragraph')]);
  });
  return id;
}

/**
 * The live text of a definition: connection state, who is here, and the clauses, each editable. Until
 * the document has synced it shows the text as committed (StaticText), so nothing jumps when it has.
 */
export function LiveEditing({ definition, self }: { definition: DefinitionDetail; self: Collaborator }) {
  const canWrite = definition.allowedActions.includes('text.edit');
  const { live, connection, pending, unsaved, everSynced } = useLiveDocument(definition.id, self, canWrite);
  const message = connectionMessage(connection, pending, canWrite, unsaved);

  const head = (
    <TextHead definition={definition} message={message}>
      {live && <Collaborators provider={live.provider} selfId={self.id} />}
    </TextHead>
  );

  if (!live || !everSynced) return <StaticText definition={definition} head={head} loading={connection.kind !== 'closed'} />;
  return (
    <section aria-labelledby="text-heading" className="live-text">
      <ClauseList
        head={head}
        definition={definition}
        definitionId={definition.id}
        groupSlug={definition.groupSlug}
        doc={live.doc}
        provider={live.provider}
        self={self}
        editable={canWrite && connection.kind !== 'closed'}
        // Members comment; during public comment anyone signed in may (there is no allowed action for it yet).
        canComment={definition.myRole !== null || definition.status === 'public-comment'}
        canPropose={definition.allowedActions.includes('amendment.propose')}
      />
    </section>
  );
}

function Collaborators({ provider, selfId }: { provider: WebsocketProvider; selfId: string }) {
  const people = useCollaborators(provider, selfId);
  if (people.length === 0) return null;
  return (
    <div className="collaborators">
      <span id="collaborators-label">Also here:</span>
      <ul aria-labelledby="collaborators-label">
        {people.map((person) => (
          <li key={person.id} className={`collaborator ${colorClassFor(person.color)}`}>
            <span className="collaborator-swatch" aria-hidden="true" />
            {person.name}
          </li>
        ))}
      </ul>
    </div>
  );
}

interface ClauseListProps {
  head: ReactNode;
  definition: DefinitionDetail;
  definitionId: string;
  groupSlug: string;
  doc: Y.Doc;
  provider: WebsocketProvider;
  self: Collaborator;
  editable: boolean;
  canComment: boolean;
  canPropose: boolean;
}

function ClauseList({ head, definition, definitionId, groupSlug, doc, provider, self, editable, canComment, canPropose }: ClauseListProps) {
  const clauses = useClauses(doc);
  // "Suggesting": changes typed into a clause become a suggestion (an amendment) instead of editing the text.
  const [suggesting, setSuggesting] = useState(false);
  // On phones each clause's threads are shown under it: the clauses offer the discussion a place for them.
  const narrow = useMediaQuery(NARROW);
  const [threadSlots, setThreadSlots] = useState<Record<string, HTMLElement>>({});
  const slotRefs = useRef(new Map<string, (element: HTMLDivElement | null) => void>());
  const threadSlotOf = (clauseId: string) => {
    let ref = slotRefs.current.get(clauseId);
    if (!ref) {
      ref = (element) =>
        setThreadSlots((current) => {
          if (element ? current[clauseId] === element : !(clauseId in current)) return current;
          const next = { ...current };
          if (element) next[clauseId] = element;
          else delete next[clauseId];
          return next;
        });
      slotRefs.current.set(clauseId, ref);
    }
    return ref;
  };
  // Ballots are shown beside the clause they are about; one request for the whole text.
  const ballots = viewOf(useQuery(definitionQueries.ballots(definitionId)));
  // Proposed wordings are counted beside their clause and decided there (or on the Amendments tab).
  const amendments = useQuery(definitionQueries.amendments(definitionId)).data ?? [];
  const decidable = amendments.filter((amendment) => amendment.status === 'proposed' && amendment.allowedActions.includes('accept')).length;
  const markdownOf = new Map(definition.clauses.map((clause) => [clause.id, clause.markdown]));
  const client = useQueryClient();
  const [focusBallotId, setFocusBallotId] = useState<string | null>(null);
  const canStartBallot = canManageBallots(definition);
  const replaceBallot = (updated: Ballot) => storeBallot(client, updated);
  const [draft, setDraft] = useState<ThreadDraft | null>(null);
  const [threads, setThreads] = useState<Thread[]>([]);
  const [activeThreadId, setActiveThreadId] = useState<string | null>(null);
  const [threadFocus, setThreadFocus] = useState<{ threadId: string; serial: number } | null>(null);
  // `?thread=ID` (a notification's or a search result's link) opens that thread in the discussion.
  const [linkParams] = useSearchParams();
  const linkedThreadId = linkParams.get('thread');
  // `?clause=ID` (a search result's link) brings that clause into view, once per link.
  const linkedClauseId = linkParams.get('clause');
  const reachedClause = useRef<string | null>(null);
  useEffect(() => {
    if (!linkedClauseId || reachedClause.current === linkedClauseId) return;
    const element = document.querySelector(`[data-clause-id="${CSS.escape(linkedClauseId)}"]`);
    if (!element) return;
    reachedClause.current = linkedClauseId;
    element.scrollIntoView({ block: 'start' });
  });
  const showThread = useCallback((threadId: string) => {
    setActiveThreadId(threadId);
    setThreadFocus({ threadId, serial: ++serial.current });
  }, []);
  const openThreadsOf = (clauseId: string) =>
    threads
      .filter((thread) => thread.clauseId === clauseId && thread.status === 'open')
      .map((thread) => ({
        threadId: thread.id,
        passage: thread.anchorState === 'ok' && thread.anchor ? { threadId: thread.id, start: thread.anchor.start, end: thread.anchor.end } : null,
      }));
  const anchoredPassagesOf = (clauseId: string) =>
    threads.flatMap((thread) =>
      thread.clauseId === clauseId && thread.anchorState === 'ok' && thread.anchor
        ? [{ threadId: thread.id, start: thread.anchor.start, end: thread.anchor.end }]
        : [],
    );
  // For each clause, its anchored threads in the order their passages start in the text.
  const [passageOrder, setPassageOrder] = useState<Record<string, string[]>>({});
  const reportPassageOrder = useCallback((clauseId: string, threadIds: string[]) => setPassageOrder((current) => ({ ...current, [clauseId]: threadIds })), []);
  const labels = clauseLabels(clauses.map((clause) => clause.kind));
  const [focusRequest, setFocusRequest] = useState<FocusRequest | null>(null);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const serial = useRef(0);

  const focus = useCallback((clauseId: string, target: FocusTarget) => setFocusRequest({ clauseId, target, serial: ++serial.current }), []);
  // Requirement language: one read for the whole text (members, like the draft); the marks show only when the group turned them on.
  const isMember = definition.myRole !== null;
  const language = useQuery({ ...languageQuery(definitionId), enabled: isMember }).data;
  const marksByClause = new Map<string, LanguageMark[]>();
  for (const warning of language?.enabled ? language.warnings : []) {
    const marks = marksByClause.get(warning.clauseId);
    if (marks) marks.push(warning);
    else marksByClause.set(warning.clauseId, [warning]);
  }
  const markCount = language?.enabled ? language.warnings.length : 0;
  const [languageOpen, setLanguageOpen] = useState(false);
  const languageButton = useRef<HTMLButtonElement>(null);

  function add(kind: 'clause' | 'heading', index?: number) {
    const id = addClause(doc, kind, index);
    setAnnouncement(kind === 'heading' ? 'Heading added.' : 'Clause added.');
    focus(id, 'editor');
  }

  function move(id: string, index: number, direction: -1 | 1) {
    const kinds = clauses.map((clause) => clause.kind);
    [kinds[index], kinds[index + direction]] = [kinds[index + direction]!, kinds[index]!];
    moveClause(doc, id, index + direction);
    setAnnouncement(`${labels[index]} moved ${direction < 0 ? 'up' : 'down'}; it is now ${clauseLabels(kinds)[index + direction]!.toLowerCase()}.`);
    focus(id, 'menu');
  }

  function remove(id: string, label: string) {
    deleteClause(doc, id);
    setAnnouncement(`${label} deleted.`);
    // Its controls are gone with it: continue from the top of the text.
    document.getElementById('text-heading')?.focus();
  }

  const labelOf = (clauseId: string) => {
    const index = clauses.findIndex((clause) => clause.id === clauseId);
    return index < 0 ? null : labels[index]!;
  };

  return (
    <div className="text-with-discussion">
      <div className="text-column">
        <div className="text-column-head">
          {head}
          <div className="text-tools">
            {canPropose && <ModeSwitch canWrite={definition.allowedActions.includes('text.edit')} suggesting={suggesting} onChange={setSuggesting} />}
            {decidable >= 2 && (
              <Deferred>
                <BatchDecision definitionId={definitionId} amendments={amendments} onDone={setAnnouncement} />
              </Deferred>
            )}
            {isMember && (
              <button
                ref={languageButton}
                type="button"
                className="button button-small language-button"
                aria-haspopup="dialog"
                onClick={() => setLanguageOpen(true)}
              >
                Language
                {markCount > 0 && ' '}
                {markCount > 0 && (
                  <span className="badge language-button-count">
                    {markCount}
                    <span className="visually-hidden">{markCount === 1 ? ' mark' : ' marks'}</span>
                  </span>
                )}
              </button>
            )}
          </div>
          {languageOpen && (
            <Deferred>
              <LanguagePanel
                definitionId={definitionId}
                clauses={clauses.map((clause, index) => ({ id: clause.id, label: labels[index]!, kind: clause.kind }))}
                onShowClause={(clauseId, mark) => setFocusRequest({ clauseId, target: 'editor', serial: ++serial.current, ...(mark && { mark }) })}
                onClose={(restoreFocus) => {
                  setLanguageOpen(false);
                  if (restoreFocus) languageButton.current?.focus();
                }}
              />
            </Deferred>
          )}
          <StatusMessage message={announcement} />
          {clauses.length === 0 && <p className="empty">There is no text yet.</p>}
        </div>
        <ol className="clause-list" aria-label="Clauses">
          {clauses.map((clause, index) => (
            <ClauseItem
              key={clause.id}
              definitionId={definitionId}
              clause={clause}
              suggestions={amendments.filter((amendment) => amendment.clauseId === clause.id && amendment.status === 'proposed')}
              currentMarkdown={markdownOf.get(clause.id)}
              onAnnounce={setAnnouncement}
              label={labels[index]!}
              provider={provider}
              self={self}
              editable={editable}
              canArrange={editable}
              isFirst={index === 0}
              isLast={index === clauses.length - 1}
              focusRequest={focusRequest}
              canComment={canComment}
              canPropose={canPropose}
              suggesting={suggesting}
              onComment={(anchor) => setDraft({ clauseId: clause.id, anchor })}
              threads={openThreadsOf(clause.id)}
              languageMarks={marksByClause.get(clause.id) ?? NO_MARKS}
              anchoredPassages={anchoredPassagesOf(clause.id)}
              onPassageOrder={reportPassageOrder}
              activeThreadId={activeThreadId}
              onShowThread={showThread}
              threadSlot={narrow ? threadSlotOf(clause.id) : undefined}
              ballotPanel={
                ballots.status === 'ready' && (
                  <ClauseBallots
                    ballots={ballotsBesideClause(ballots.data, clause.id)}
                    definition={definition}
                    clauseLabel={labels[index]!}
                    onChange={replaceBallot}
                    focusBallotId={focusBallotId}
                    onStatusAnnounce={setAnnouncement}
                  />
                )
              }
              renderStartBallot={
                canStartBallot
                  ? (close) => (
                      <Deferred>
                        <BallotDialog
                          definition={definition}
                          initialSubject={{ kind: 'clause', clauseId: clause.id }}
                          clauseLabelOf={labelOf}
                          onClose={close}
                          onSaved={(ballot) => {
                            replaceBallot(ballot);
                            setFocusBallotId(ballot.id);
                            setAnnouncement(
                              `Draft ballot “${ballot.title}” saved beside ${labels[index]!.toLowerCase()}. Open voting when its rules are right.`,
                            );
                            close();
                          }}
                        />
                      </Deferred>
                    )
                  : undefined
              }
              onAddAfter={(kind) => add(kind, index + 1)}
              onMove={(direction) => move(clause.id, index, direction)}
              onDelete={() => remove(clause.id, labels[index]!)}
            />
          ))}
        </ol>
        {editable && (
          <div className="clause-add">
            <button type="button" className="button" onClick={() => add('clause')}>
              Add clause
            </button>
            <button type="button" className="button" onClick={() => add('heading')}>
              Add heading
            </button>
          </div>
        )}
      </div>
      <DiscussionPanel
        definitionId={definitionId}
        groupSlug={groupSlug}
        labelOf={labelOf}
        clauseOrder={clauses.map((clause) => clause.id)}
        passageOrder={passageOrder}
        draft={draft}
        onDraftDone={() => setDraft(null)}
        onThreads={setThreads}
        activeThreadId={activeThreadId}
        onActiveThread={setActiveThreadId}
        threadFocus={threadFocus}
        linkedThreadId={linkedThreadId}
        onLinkedThread={showThread}
        threadSlots={narrow ? threadSlots : {}}
      />
    </div>
  );
}

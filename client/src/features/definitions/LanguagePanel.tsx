import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type MouseEvent, type ReactNode, type Ref, useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { DefinedTerm, LanguageWarning, LanguageWarningKind } from '@draftroom/shared';
import { addGlossaryTerm, type LanguageReport, languageQuery, storeLanguageReport, useRemoveGlossaryTerm, useSetLanguageChecks } from '../../api/language.ts';
import { viewOf } from '../../api/queries.ts';
import { FormAlert, SelectField, StatusMessage, SubmitButton, TextField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';
import './language.css';

const KIND_LABELS: Record<LanguageWarningKind, string> = {
  used_before_definition: 'Before its definition',
  different_form: 'Another form',
  lowercase_keyword: 'Lower-case keyword',
  mixed_keywords: 'SHALL and MUST',
  not_a_keyword: 'Not a keyword',
};

/** A clause of the draft as the page shows it. */
export interface LanguageClause {
  id: string;
  /** "Clause 3". */
  label: string;
  kind: 'heading' | 'clause';
}

interface LanguagePanelProps {
  definitionId: string;
  /** The draft's clauses in reading order: where a glossary term may be defined. */
  clauses: LanguageClause[];
  /** Takes the reader to a clause, selecting a mark's words in it when given. */
  onShowClause(clauseId: string, mark?: LanguageWarning): void;
  /** `restoreFocus`: false when the reader followed a link to a clause, which takes the focus itself. */
  onClose(restoreFocus: boolean): void;
}

/**
 * Requirement language, in a modal <dialog>: whether the marks are on, the defined terms with their
 * defining clauses, the glossary (kept by chairs and editors), and every mark in the text by clause —
 * the list is what the underlines in the text say, for readers who do not see them.
 */
export function LanguagePanel({ definitionId, clauses, onShowClause, onClose }: LanguagePanelProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const restoreFocus = useRef(true);
  const headingId = useId();
  const report = viewOf(useQuery(languageQuery(definitionId)));
  const [announcement, setAnnouncement] = useState<string | null>(null);

  useEffect(() => {
    const element = dialog.current;
    // No close() on unmount: removing the element ends the modal state (see PublishDialog).
    if (element && !element.open) element.showModal();
    heading.current?.focus();
  }, []);

  function close(restore: boolean) {
    restoreFocus.current = restore;
    dialog.current?.close();
  }

  const showClause = (clauseId: string, mark?: LanguageWarning) => {
    close(false);
    onShowClause(clauseId, mark);
  };

  return (
    <dialog ref={dialog} className="dialog language-panel" aria-labelledby={headingId} onClose={() => onClose(restoreFocus.current)}>
      <div className="language-head">
        <h2 id={headingId} ref={heading} tabIndex={-1}>
          Requirement language
        </h2>
        <button type="button" className="button button-small" onClick={() => close(true)}>
          Close
        </button>
      </div>
      <p className="muted language-intro">
        Gentle marks in the text, never a block: defined terms used before their definition or in another form, and RFC 2119 keywords (MUST, SHOULD, MAY) used
        inconsistently.
      </p>
      <StatusMessage message={announcement} />
      {report.status === 'loading' && <p role="status">Loading the terms and marks…</p>}
      {report.status === 'error' && (
        <div role="alert" className="alert alert-error">
          <p>{report.error.message}</p>
          <button type="button" className="button button-small" onClick={report.retry}>
            Try again
          </button>
        </div>
      )}
      {report.status === 'ready' && (
        <LanguageRecord definitionId={definitionId} report={report.data} clauses={clauses} onShowClause={showClause} onAnnounce={setAnnouncement} />
      )}
    </dialog>
  );
}

interface RecordProps {
  definitionId: string;
  report: LanguageReport;
  clauses: LanguageClause[];
  onShowClause(clauseId: string, mark?: LanguageWarning): void;
  onAnnounce(message: string | null): void;
}

function LanguageRecord({ definitionId, report, clauses, onShowClause, onAnnounce }: RecordProps) {
  const configures = report.allowedActions.includes('configure');
  const inDraft = new Set(clauses.map((clause) => clause.id));
  const clauseLink = (clauseId: string, children: ReactNode, mark?: LanguageWarning) =>
    inDraft.has(clauseId) ? (
      <ClauseLink clauseId={clauseId} mark={mark} onShowClause={onShowClause}>
        {children}
      </ClauseLink>
    ) : (
      children
    );
  const termsHeading = useRef<HTMLHeadingElement>(null);

  return (
    <>
      <Section title="On or off">
        {configures ? (
          <ChecksSwitch definitionId={definitionId} enabled={report.enabled} onAnnounce={onAnnounce} />
        ) : (
          <p>
            The marks are <strong>{report.enabled ? 'on' : 'off'}</strong> for this definition. Chairs and editors turn them on or off.
          </p>
        )}
      </Section>

      <Section title="Defined terms" headingRef={termsHeading}>
        {report.terms.length === 0 ? (
          <p className="empty">
            No defined terms yet. A clause defines one in quotes followed by “means” (“Open Source AI” means …)
            {configures ? '; add others to the glossary below.' : '.'}
          </p>
        ) : (
          <ul className="language-terms">
            {report.terms.map((term) => (
              <TermItem
                key={`${term.source}:${term.term}`}
                term={term}
                definitionId={definitionId}
                configures={configures}
                clauseLink={clauseLink}
                onRemoved={(message) => {
                  onAnnounce(message);
                  // The Remove button is gone: the list keeps the focus.
                  termsHeading.current?.focus();
                }}
                onAnnounce={onAnnounce}
              />
            ))}
          </ul>
        )}
        {configures && <AddTermForm definitionId={definitionId} clauses={clauses} onAnnounce={onAnnounce} />}
      </Section>

      <Section title={report.enabled ? `Marks by clause (${report.warnings.length})` : 'Marks by clause'}>
        <Warnings report={report} clauseLink={clauseLink} />
      </Section>
    </>
  );
}

function Section({ title, headingRef, children }: { title: string; headingRef?: Ref<HTMLHeadingElement>; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="language-section">
      <h3 id={id} ref={headingRef} tabIndex={headingRef ? -1 : undefined}>
        {title}
      </h3>
      {children}
    </section>
  );
}

/** A link to a clause of the live text (`?clause=` as search results link them); followed here, it shows the clause (and selects the mark's words). */
function ClauseLink({
  clauseId,
  mark,
  onShowClause,
  children,
}: {
  clauseId: string;
  mark?: LanguageWarning | undefined;
  onShowClause(clauseId: string, mark?: LanguageWarning): void;
  children: ReactNode;
}) {
  const follow = (event: MouseEvent) => {
    // A new tab or window follows the address; here, the page shows the clause itself.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    onShowClause(clauseId, mark);
  };
  return (
    <Link to={{ search: `?clause=${encodeURIComponent(clauseId)}` }} onClick={follow}>
      {children}
    </Link>
  );
}

function ChecksSwitch({ definitionId, enabled, onAnnounce }: { definitionId: string; enabled: boolean; onAnnounce(message: string | null): void }) {
  const id = useId();
  const change = useSetLanguageChecks(definitionId);
  // While the change is on its way, the box shows what was asked (at once: the mutation's own state comes a moment later).
  const [asked, setAsked] = useState<boolean | null>(null);
  const checked = asked ?? enabled;
  return (
    <div className="field language-switch">
      <div className="checkbox">
        <input
          type="checkbox"
          id={id}
          checked={checked}
          aria-describedby={`${id}-hint`}
          onChange={(event) => {
            if (asked !== null) return;
            const on = event.target.checked;
            setAsked(on);
            onAnnounce(null);
            change.mutate(on, {
              onSuccess: () => onAnnounce(on ? 'The marks are on for everyone reading the draft.' : 'The marks are off.'),
              onSettled: () => setAsked(null),
            });
          }}
        />
        <label htmlFor={id}>Show the marks in the text</label>
      </div>
      <p id={`${id}-hint`} className="field-hint">
        For everyone reading the draft. They never stop anybody typing.
      </p>
      <FormAlert message={change.error ? change.error.message : null} />
    </div>
  );
}

interface TermItemProps {
  term: DefinedTerm;
  definitionId: string;
  configures: boolean;
  clauseLink(clauseId: string, children: ReactNode): ReactNode;
  onRemoved(message: string): void;
  onAnnounce(message: string | null): void;
}

function TermItem({ term, definitionId, configures, clauseLink, onRemoved, onAnnounce }: TermItemProps) {
  const remove = useRemoveGlossaryTerm(definitionId);
  const glossaryId = term.glossaryId;
  return (
    <li className="language-term">
      <span className="language-term-text">
        <strong>{term.term}</strong> — defined in {clauseLink(term.clauseId, term.label)}
        {term.source === 'glossary' && (
          <>
            {' '}
            <span className="badge">Glossary</span>
          </>
        )}
      </span>
      {configures && glossaryId && (
        <button
          type="button"
          className="button button-small"
          aria-disabled={remove.isPending || undefined}
          onClick={() => {
            if (remove.isPending) return;
            onAnnounce(null);
            remove.mutate(glossaryId, { onSuccess: () => onRemoved(`“${term.term}” was removed from the glossary.`) });
          }}
        >
          Remove<span className="visually-hidden"> “{term.term}” from the glossary</span>
        </button>
      )}
      {remove.error && (
        <p role="alert" className="field-error">
          {remove.error.message}
        </p>
      )}
    </li>
  );
}

function AddTermForm({ definitionId, clauses, onAnnounce }: { definitionId: string; clauses: LanguageClause[]; onAnnounce(message: string | null): void }) {
  const client = useQueryClient();
  const form = useApiForm({ term: { label: 'Term' }, clauseId: { label: 'Defined in' } });
  const headingId = useId();

  const submit = form.onSubmit(async ({ term, clauseId }, element) => {
    onAnnounce(null);
    const report = await addGlossaryTerm(definitionId, { term: term.trim(), clauseId });
    await storeLanguageReport(client, definitionId, report);
    element.reset();
    onAnnounce(`“${term.trim()}” was added to the glossary.`);
  });

  if (!clauses.some((clause) => clause.kind === 'clause'))
    return <p className="muted">The draft has no clauses yet: a glossary term needs the clause that defines it.</p>;
  return (
    <form className="form language-add" aria-labelledby={headingId} onSubmit={submit} noValidate>
      <h4 id={headingId}>Add a term</h4>
      <p className="muted">For a term the text does not define in quotes: say which clause defines it.</p>
      <FormAlert message={form.formError} />
      <div className="language-add-fields">
        <TextField {...form.field('term')} required minLength={2} maxLength={80} autoComplete="off" />
        <SelectField
          {...form.field('clauseId')}
          // A term is defined in a clause's text, not in a heading.
          options={clauses.filter((clause) => clause.kind === 'clause').map((clause) => ({ value: clause.id, label: clause.label }))}
        />
      </div>
      <div className="form-actions">
        <SubmitButton pending={form.pending} pendingText="Adding…">
          Add the term
        </SubmitButton>
      </div>
    </form>
  );
}

/** Every mark in the text, by clause, each leading to its words: what the underlines say, as a list. */
function Warnings({ report, clauseLink }: { report: LanguageReport; clauseLink(clauseId: string, children: ReactNode, mark?: LanguageWarning): ReactNode }) {
  if (!report.enabled) return <p className="empty">The marks are off: the text is not checked.</p>;
  const keywordNote = !report.usesKeywords && <p className="muted">The text uses no RFC 2119 keywords in capitals, so their use is not checked.</p>;
  if (report.warnings.length === 0)
    return (
      <>
        <p className="empty">No marks: every defined term is used after its definition and as it is defined, and the keywords are used consistently.</p>
        {keywordNote}
      </>
    );
  const byClause = new Map<string, LanguageWarning[]>();
  for (const warning of report.warnings) {
    const warnings = byClause.get(warning.clauseId);
    if (warnings) warnings.push(warning);
    else byClause.set(warning.clauseId, [warning]);
  }
  return (
    <>
      {keywordNote}
      <ul className="language-groups">
        {[...byClause].map(([clauseId, warnings]) => (
          <li key={clauseId} className="language-group">
            <h4>{clauseLink(clauseId, warnings[0]!.label)}</h4>
            <ul className="language-warnings" aria-label={`Marks in ${warnings[0]!.label.toLowerCase()}`}>
              {warnings.map((warning) => (
                <li key={`${warning.kind}:${warning.from}`} className="language-warning">
                  <span className={`badge language-kind language-kind-${warning.kind}`}>{KIND_LABELS[warning.kind]}</span>{' '}
                  {clauseLink(clauseId, warning.message, warning)}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </>
  );
}

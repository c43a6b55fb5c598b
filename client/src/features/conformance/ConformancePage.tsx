import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { clauseLabelMap, type Checklist, type Version } from '@draftroom/shared';
import { conformanceQueries } from '../../api/conformance.ts';
import { StatusMessage } from '../../forms/fields.tsx';
import { definitionQueries, viewOf } from '../../api/queries.ts';
import { useDefinition } from '../definitions/DefinitionPage.tsx';
import { When } from '../history/When.tsx';
import { ChecklistForm } from './ChecklistForm.tsx';
import { ConformanceGrid, NotApplicableNote } from './ConformanceGrid.tsx';
import { ImportSpreadsheet } from './ImportSpreadsheet.tsx';
import { registerPagePath } from './labels.ts';
import { OpenReviewPanel } from './OpenReview.tsx';
import { ReviewsOfChecklist } from './ReviewsOfChecklist.tsx';
import { SystemsRegister } from './SystemsRegister.tsx';
import './conformance.css';

/**
 * The Conformance tab: per published version, its checklist (components × freedoms) and the reviews
 * of real systems against it, with the public register of the closed ones; below them, the group's
 * register of systems under review. Chairs make checklists, open reviews and import spreadsheet
 * reviews here; chairs and editors keep the register of systems.
 */
export function ConformancePage() {
  const { definition } = useDefinition();
  const versions = viewOf(useQuery(definitionQueries.versions(definition.id)));
  const checklists = viewOf(useQuery(conformanceQueries.checklists(definition.id)));
  const failed = versions.status === 'error' ? versions : checklists.status === 'error' ? checklists : null;

  return (
    <section aria-labelledby="conformance-heading" className="conformance">
      <div className="section-bar">
        <h2 id="conformance-heading">Conformance</h2>
      </div>
      <p className="muted conformance-intro">
        A published version is applied to real AI systems: two or more reviewers mark a checklist for each system without seeing each other’s marks, the chair
        settles where they disagree, and the outcome goes into the version’s public register.
      </p>
      {failed && (
        <div role="alert" className="alert alert-error">
          <p>{failed.error.message}</p>
          <button type="button" className="button" onClick={failed.retry}>
            Try again
          </button>
        </div>
      )}
      {!failed && (versions.status === 'loading' || checklists.status === 'loading') && <p role="status">Loading the checklists…</p>}
      {versions.status === 'ready' &&
        checklists.status === 'ready' &&
        (versions.data.length === 0 ? (
          <p className="empty">No version has been published yet. A checklist applies one published version: publish one on the Versions tab first.</p>
        ) : (
          <ol className="conformance-versions">
            {versions.data.map((version, index) => (
              <VersionConformance
                key={version.id}
                version={version}
                latest={index === 0}
                // The newest checklist is the one reviews are made against now: shown open.
                current={checklists.data.checklists[0]?.version.label === version.label}
                checklist={checklists.data.checklists.find((checklist) => checklist.version.label === version.label) ?? null}
                allowed={checklists.data.allowed}
              />
            ))}
          </ol>
        ))}
      <SystemsRegister />
    </section>
  );
}

type Panel = 'open' | 'import' | 'checklist' | null;

function VersionConformance(props: { version: Version; checklist: Checklist | null; latest: boolean; current: boolean; allowed: string[] }) {
  const { version, checklist, latest } = props;
  const { definition } = useDefinition();
  // What the server says this reader may do (the chair, today).
  const mayCreate = props.allowed.includes('create');
  const mayOpen = props.allowed.includes('open');
  const headingId = useId();
  // One form at a time under the version: the latest version without a checklist starts with its form open.
  const [panel, setPanel] = useState<Panel>(mayCreate && latest && !checklist ? 'checklist' : null);
  const toggles = useRef<Record<string, HTMLButtonElement | null>>({});
  const toggle = (which: Exclude<Panel, null>) => setPanel((current) => (current === which ? null : which));
  const close = (which: Exclude<Panel, null>) => {
    setPanel(null);
    toggles.current[which]?.focus();
  };
  const panelId = `${headingId}-panel`;
  const [created, setCreated] = useState(false);
  // The form that made the checklist is gone: the focus goes to what comes next, opening a review.
  useEffect(() => {
    if (created && checklist) toggles.current.open?.focus();
  }, [created, checklist !== null]);
  const content =
    panel === 'open' && checklist ? (
      <OpenReviewPanel checklist={checklist} onDone={() => close('open')} />
    ) : panel === 'import' && checklist ? (
      <ImportSpreadsheet checklist={checklist} />
    ) : panel === 'checklist' && !checklist ? (
      <ChecklistForm
        versionLabel={version.label}
        onCreated={() => {
          setPanel(null);
          setCreated(true);
        }}
      />
    ) : null;
  // Called, not rendered as a component: a component made during render would be a new type each time, and its button would lose the focus.
  const toggleButton = (which: Exclude<Panel, null>, label: string, primary = false) => (
    <button
      ref={(element) => {
        toggles.current[which] = element;
      }}
      type="button"
      className={`button${primary ? ' button-primary' : ''}`}
      aria-expanded={panel === which}
      aria-controls={panelId}
      onClick={() => toggle(which)}
    >
      {label}
      <span className="visually-hidden">
        {' '}
        {which === 'checklist' ? 'of' : 'against'} version {version.label}
      </span>
    </button>
  );

  return (
    <li className="conformance-version card" aria-labelledby={headingId}>
      <div className="conformance-version-head">
        <h3 id={headingId}>
          Version {version.label}
          {latest && <span className="badge conformance-latest">Latest</span>}
        </h3>
        <Link to={registerPagePath(definition.groupSlug, definition.id, version.label)}>Public register of version {version.label}</Link>
      </div>
      <p className="muted">
        Published <When at={version.publishedAt} />
      </p>
      {checklist ? (
        <>
          <ChecklistView checklist={checklist} defaultShown={props.current} />
          <ReviewsOfChecklist checklist={checklist} />
        </>
      ) : (
        <p className="empty">
          No checklist for version {version.label} yet{mayCreate ? '.' : ': a chair makes it, then reviews can start.'}
        </p>
      )}
      {(checklist ? mayOpen : mayCreate) && (
        <div className="version-actions">
          {checklist ? (
            <>
              {toggleButton('open', 'Open a review', true)}
              {toggleButton('import', 'Import a spreadsheet (CSV)')}
            </>
          ) : (
            toggleButton('checklist', 'Make the checklist', true)
          )}
        </div>
      )}
      <StatusMessage message={created && checklist ? `The checklist of version ${version.label} is made: reviews can open.` : null} />
      <div id={panelId} className="version-panel card card-quiet" hidden={content === null}>
        {content}
      </div>
    </li>
  );
}

/** A checklist: which freedoms each component is required for, and the words of the version its criteria quote. */
function ChecklistView({ checklist, defaultShown }: { checklist: Checklist; defaultShown: boolean }) {
  const { definition } = useDefinition();
  const labels = clauseLabelMap(definition.clauses);
  const [shown, setShown] = useState(defaultShown);
  const gridId = useId();
  const withCriteria = checklist.rows.filter((row) => row.criteria.length > 0);
  return (
    <section className="checklist" aria-label={`Checklist of version ${checklist.version.label}`}>
      <div className="checklist-head">
        <h4>{checklist.title}</h4>
        <p className="muted checklist-source">
          {checklist.source.kind === 'ballot' ? `Rows from the ballot “${checklist.source.ballotTitle}”` : 'Rows entered by the chair'}, by{' '}
          {checklist.createdBy.displayName} · {checklist.rows.length} components × {checklist.freedoms.length} freedoms
        </p>
        <button type="button" className="button button-small button-quiet" aria-expanded={shown} aria-controls={gridId} onClick={() => setShown(!shown)}>
          {shown ? 'Hide the checklist' : 'Show the checklist'}
          <span className="visually-hidden"> of version {checklist.version.label}</span>
        </button>
      </div>
      <div id={gridId} hidden={!shown}>
        <ConformanceGrid
          checklist={checklist}
          label={`Checklist of version ${checklist.version.label} (scrolls sideways)`}
          caption="Components and the freedoms each must allow"
          className="grid-checklist"
          cell={() => <span className="grid-required">Required</span>}
        />
        <NotApplicableNote />
        {withCriteria.length > 0 && (
          <>
            <h5 className="checklist-criteria-heading">Criteria, in the words of version {checklist.version.label}</h5>
            <dl className="checklist-criteria">
              {withCriteria.map((row) => (
                <div key={row.id}>
                  <dt>{row.component}</dt>
                  {row.criteria.map((criterion, index) => (
                    <dd key={index}>
                      <q className="checklist-quote">{criterion.quote}</q>
                      {labels.get(criterion.clauseId) && <span className="muted"> — {labels.get(criterion.clauseId)}</span>}
                    </dd>
                  ))}
                </div>
              ))}
            </dl>
          </>
        )}
      </div>
    </section>
  );
}

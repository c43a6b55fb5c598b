import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { useLiveTopic } from '../../live/LiveProvider.tsx';
import type { Register, RegisterEntry } from '@draftroom/shared';
import { conformanceQueries, type RegisterFormat, registerDownloadUrl } from '../../api/conformance.ts';
import { viewOf } from '../../api/queries.ts';
import { PageHeading } from '../../layout/PageHeading.tsx';
import { useSession } from '../../session/SessionProvider.tsx';
import { DefinitionLoadFailure } from '../definitions/DefinitionLoadFailure.tsx';
import { publicDefinitionPath } from '../definitions/paths.ts';
import { When } from '../history/When.tsx';
import { cellName, conformancePath, ruleInWords } from './labels.ts';
import { Day, OutcomeBadge } from './parts.tsx';
import { DissentList, EvidenceByComponent, FinalGrid } from './ReviewRecord.tsx';
import { Endorsements } from './Endorsements.tsx';
import './conformance.css';

const FORMATS: { format: RegisterFormat; name: string }[] = [
  { format: 'json', name: 'JSON' },
  { format: 'md', name: 'Markdown' },
  { format: 'html', name: 'HTML' },
  { format: 'csv', name: 'CSV' },
];

/**
 * The public register of one published version: every closed review against it, with its outcome,
 * final grid, conditions, who reviewed it, where the reviewers disagreed and why the chair settled it
 * as they did, and the developer's responses. Anyone reads it for a public group, signed in or not.
 */
export function RegisterPage() {
  const { slug, definitionId, label } = useParams() as { slug: string; definitionId: string; label: string };
  const register = viewOf(useQuery(conformanceQueries.register(definitionId, label)));
  const { hash } = useLocation();
  const loaded = register.status === 'ready';
  // Reviews closing and endorsements coming or going show as they happen (register.changed).
  useLiveTopic(loaded ? `definition:${register.data.definition.id}` : null);
  // A badge's link (`#review-…`) scrolls to its entry once the register is there.
  useEffect(() => {
    if (loaded && hash.startsWith('#review-')) document.getElementById(hash.slice(1))?.scrollIntoView();
  }, [loaded, hash]);

  if (register.status === 'loading') {
    return (
      <div className="page">
        <p role="status">Loading the register…</p>
      </div>
    );
  }
  if (register.status === 'error') {
    return (
      <DefinitionLoadFailure
        error={register.error}
        slug={slug}
        notFound={{
          title: 'No register here',
          text: 'There is no published version with this label, or the definition belongs to a private group you are not in.',
        }}
        forbiddenTitle="You cannot read this register"
        reload={register.retry}
      />
    );
  }
  return <RegisterView register={register.data} />;
}

function RegisterView({ register }: { register: Register }) {
  const { user } = useSession();
  const { group, definition, version, checklist, entries, counts } = register;
  const title = `Conformance register: ${definition.title} ${version.label}`;
  const reviewed = entries.length;
  return (
    <div className="page conformance-register">
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <ol>
          <li>
            <Link to="/">{user ? 'Groups' : 'Home'}</Link>
          </li>
          <li>
            <Link to={`/groups/${encodeURIComponent(group.slug)}`}>{group.name}</Link>
          </li>
          <li>
            <Link to={`${publicDefinitionPath(group.slug, definition.id)}?version=${encodeURIComponent(version.label)}`}>
              {definition.title} {version.label}
            </Link>
          </li>
          <li aria-current="page">Conformance register</li>
        </ol>
      </nav>
      <header className="register-header">
        <PageHeading title={title}>
          Conformance register
          <span className="register-subtitle">
            {definition.title}, version {version.label}
          </span>
        </PageHeading>
        <p className="muted">
          Version {version.label} was published <When at={version.publishedAt} />. Each system below was reviewed against its checklist
          {checklist ? ` (“${checklist.title}”)` : ''}; the outcome follows from the rule fixed when its review opened.
        </p>
        <ul className="register-counts" aria-label="Counts">
          <li>
            <strong>{reviewed}</strong> reviewed
          </li>
          <li className="register-count-conformant">
            <strong>{counts.conformant}</strong> conformant
          </li>
          <li className="register-count-conditional">
            <strong>{counts.conditional}</strong> conformant if conditions are met
          </li>
          <li className="register-count-not_conformant">
            <strong>{counts.not_conformant}</strong> not conformant
          </li>
          {register.inProgress > 0 && (
            <li>
              <strong>{register.inProgress}</strong> in progress
            </li>
          )}
        </ul>
        <p className="register-endorsement-summary">
          <a href="#endorsements">Endorsements</a>: {endorsementSummary(register.endorsements)}
        </p>
        <nav aria-label="Download the register" className="register-downloads">
          <span className="muted">Download:</span>
          <ul className="export-links">
            {FORMATS.map(({ format, name }) => (
              <li key={format}>
                <a className="button button-small" href={registerDownloadUrl(definition.id, version.label, format)} download>
                  {name}
                  <span className="visually-hidden"> of the register</span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {user && (
          <p>
            <Link to={conformancePath(group.slug, definition.id)}>Conformance reviews of {definition.title} (members)</Link>
          </p>
        )}
      </header>

      {!checklist ? (
        <p className="empty">Version {version.label} has no checklist yet: no system has been reviewed against it.</p>
      ) : entries.length === 0 ? (
        <p className="empty">No review against version {version.label} has closed yet.</p>
      ) : (
        <>
          <section aria-labelledby="systems-heading">
            <h2 id="systems-heading">Systems</h2>
            <div className="grid-scroll" role="region" aria-label="Systems and outcomes (scrolls sideways)" tabIndex={0}>
              <table className="register-table">
                <thead>
                  <tr>
                    <th scope="col">System</th>
                    <th scope="col" className="register-developer">
                      Developer
                    </th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Closed</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((entry) => (
                    <tr key={entry.reviewId}>
                      <th scope="row">
                        <a href={`#review-${entry.reviewId}`}>
                          {entry.system.name}
                          {entry.system.version && ` ${entry.system.version}`}
                        </a>
                      </th>
                      <td className="register-developer">{entry.system.developer || '—'}</td>
                      <td>
                        <OutcomeBadge outcome={entry.outcome} />
                      </td>
                      <td>
                        <Day at={entry.closedAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          {entries.map((entry) => (
            <RegisterEntryView key={entry.reviewId} entry={entry} checklist={checklist} />
          ))}
        </>
      )}
      <Endorsements definitionId={definition.id} label={version.label} />
    </div>
  );
}

function endorsementSummary(counts: Register['endorsements']): string {
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  const organisations = `${n(counts.organisations, 'organisation', 'organisations')} (${counts.verifiedOrganisations} verified)`;
  return `${n(counts.individuals, 'individual', 'individuals')}, ${organisations}`;
}

function RegisterEntryView({ entry, checklist }: { entry: RegisterEntry; checklist: NonNullable<Register['checklist']> }) {
  const name = `${entry.system.name}${entry.system.version ? ` ${entry.system.version}` : ''}`;
  const headingId = `review-${entry.reviewId}-heading`;
  return (
    <article id={`review-${entry.reviewId}`} tabIndex={-1} className="register-entry card" aria-labelledby={headingId}>
      <header className="register-entry-head">
        <h2 id={headingId}>{name}</h2>
        <OutcomeBadge outcome={entry.outcome} />
      </header>
      {entry.conditions.length > 0 && (
        <div className="register-conditions">
          <p className="outcome-conditions-intro">Conformant if:</p>
          <ul className="outcome-conditions">
            {entry.conditions.map((condition) => (
              <li key={condition}>{condition}</li>
            ))}
          </ul>
        </div>
      )}
      <dl className="review-facts">
        {entry.system.developer && (
          <div>
            <dt>Developer</dt>
            <dd>{entry.system.developer}</dd>
          </div>
        )}
        {entry.system.licences.length > 0 && (
          <div>
            <dt>Licences</dt>
            <dd>
              {entry.system.licences.map((licence, index) => (
                <span key={index}>
                  {index > 0 && ', '}
                  {licence.url ? (
                    <a href={licence.url} rel="noopener noreferrer nofollow">
                      {licence.name || licence.spdx}
                    </a>
                  ) : (
                    licence.name || licence.spdx
                  )}
                </span>
              ))}
            </dd>
          </div>
        )}
        {entry.system.links.length > 0 && (
          <div>
            <dt>Links</dt>
            <dd>
              {entry.system.links.map((link, index) => (
                <span key={index}>
                  {index > 0 && ', '}
                  <a href={link.url} rel="noopener noreferrer nofollow">
                    {link.label}
                  </a>
                </span>
              ))}
            </dd>
          </div>
        )}
        <div>
          <dt>Reviewers</dt>
          <dd>
            {entry.importedFrom ? (
              <>
                Imported from {entry.importedFrom.file ?? 'a spreadsheet'} by {entry.importedFrom.by.displayName}
                {entry.importedFrom.reviewers.length > 0 && `, reviewers: ${entry.importedFrom.reviewers.join(', ')}`}
              </>
            ) : (
              entry.reviewers.map((person) => person.displayName).join(', ')
            )}
          </dd>
        </div>
        <div>
          <dt>Rule</dt>
          <dd>{ruleInWords(entry.rule)}</dd>
        </div>
        <div>
          <dt>Reviewed</dt>
          <dd>
            Opened <Day at={entry.openedAt} />, closed <Day at={entry.closedAt} />
          </dd>
        </div>
      </dl>
      <FinalGrid checklist={checklist} cells={entry.cells} label={`Final verdicts for ${name}`} />
      {!entry.importedFrom && <DissentList checklist={checklist} dissent={entry.dissent} headingLevel={3} />}
      <section className="developer-responses" aria-label={`Responses from the developer of ${name}`}>
        <h3>Developer’s responses</h3>
        {entry.responses.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <ul className="review-comment-list">
            {entry.responses.map((response, index) => (
              <li key={index} className="review-comment review-comment-developer">
                <p className="review-comment-meta">
                  <span className="badge badge-developer">Developer</span>
                  <span className="review-comment-cell">
                    on{' '}
                    {response.freedom === null
                      ? (checklist.rows.find((row) => row.id === response.rowId)?.component ?? response.rowId)
                      : cellName(checklist, response.rowId, response.freedom)}
                  </span>
                  <When at={response.createdAt} />
                </p>
                <p className="review-comment-body">{response.body}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <details className="register-evidence">
        <summary>Evidence for {name}</summary>
        <EvidenceByComponent
          checklist={checklist}
          cited={entry.evidence.map((item) => ({ ...item, who: item.reviewer?.displayName ?? 'The spreadsheet' }))}
          headingLevel={4}
        />
      </details>
    </article>
  );
}

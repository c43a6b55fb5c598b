import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { DISPOSITION_LABELS, DISPOSITION_SOURCE_LABELS, type Disposition } from '@draftroom/shared';
import { When } from '../history/When.tsx';
import { type ItemLinks, itemName } from './labels.ts';

/** The element id of an item on the page (what `?item=ID` scrolls to). */
export const itemElementId = (id: string) => `disposition-${id}`;

/**
 * One item of the register: what was said, by whom, about what; how the group disposed of it; and
 * whether that satisfies whoever raised it. What people wrote is shown as plain text, line breaks kept.
 * `children` are the forms the reader may use on it (dispose, answer).
 */
export function DispositionItem({ item, links, linked, children }: { item: Disposition; links: ItemLinks; linked: boolean; children?: ReactNode }) {
  const name = itemName(item);
  const headingId = `${itemElementId(item.id)}-heading`;
  const state = item.disposition === null ? 'undisposed' : 'disposed';
  return (
    <li
      id={itemElementId(item.id)}
      tabIndex={-1}
      aria-labelledby={headingId}
      className={`disposition card disposition-${state}${linked ? ' disposition-linked' : ''}`}
    >
      <div className="disposition-head">
        <h3 id={headingId} className="disposition-title">
          {name}
          <span className="visually-hidden">:</span> <span className="disposition-source">{DISPOSITION_SOURCE_LABELS[item.source]}</span>
        </h3>
        <DispositionBadge item={item} />
      </div>
      <ItemSubject item={item} links={links} />
      <p className="disposition-meta">
        Raised by <strong>{item.author.displayName}</strong> on <When at={item.raisedAt} />
      </p>
      {item.body === null ? (
        <p className="disposition-withheld">The comment was hidden by a moderator or deleted.</p>
      ) : (
        <blockquote className="disposition-body user-text">{item.body}</blockquote>
      )}
      <dl className="disposition-facts">
        {item.disposition === null ? (
          <div>
            <dt>Disposition</dt>
            <dd>None yet.</dd>
          </div>
        ) : (
          <Decision item={item} links={links} />
        )}
      </dl>
      {children}
    </li>
  );
}

export function DispositionBadge({ item }: { item: Pick<Disposition, 'disposition'> }) {
  return item.disposition === null ? (
    <span className="badge badge-undisposed">Undisposed</span>
  ) : (
    <span className={`badge badge-disposition badge-disposition-${item.disposition}`}>{DISPOSITION_LABELS[item.disposition]}</span>
  );
}

/** What the item is about: a clause (or the whole definition), the ballot it was raised in, its thread. */
function ItemSubject({ item, links }: { item: Disposition; links: ItemLinks }) {
  const parts: ReactNode[] = [];
  if (item.clause === null) parts.push('On the whole definition');
  else if (item.clause.label === null) parts.push('On a clause no longer in the text');
  else
    parts.push(
      <>
        On <Link to={links.clause(item.clause.id)}>{item.clause.label.toLowerCase()}</Link>
      </>,
    );
  const ballot = item.ballot && links.ballot(item.ballot.id);
  if (item.ballot) parts.push(<>Objection in the ballot {ballot ? <Link to={ballot}>{item.ballot.title}</Link> : <>“{item.ballot.title}”</>}</>);
  const thread = links.thread(item);
  if (thread)
    parts.push(
      <Link to={thread}>
        Read the thread<span className="visually-hidden"> of {itemName(item)}</span>
      </Link>,
    );
  return (
    <p className="disposition-subject">
      {parts.map((part, index) => (
        <span key={index} className="disposition-subject-part">
          {part}
        </span>
      ))}
    </p>
  );
}

/** The disposition, its reason, the change that addressed it, and the commenter's answer. */
function Decision({ item, links }: { item: Disposition; links: ItemLinks }) {
  const amendment = item.amendmentId ? links.amendment(item.amendmentId) : null;
  return (
    <>
      <div>
        <dt>Disposition</dt>
        <dd>
          <strong>{DISPOSITION_LABELS[item.disposition!]}</strong>
          {item.decidedBy && item.decidedAt && (
            <span className="muted">
              {' '}
              — by {item.decidedBy.displayName} on <When at={item.decidedAt} />
            </span>
          )}
        </dd>
      </div>
      {item.reason && (
        <div>
          <dt>Reason</dt>
          <dd className="user-text">{item.reason}</dd>
        </div>
      )}
      {(item.versionLabel || amendment) && (
        <div>
          <dt>Change</dt>
          <dd>
            <ul className="disposition-changes">
              {item.versionLabel && (
                <li>
                  In <Link to={links.version(item.versionLabel)}>version {item.versionLabel}</Link>
                </li>
              )}
              {amendment && (
                <li>
                  <Link to={amendment}>By an accepted amendment</Link>
                </li>
              )}
            </ul>
          </dd>
        </div>
      )}
      <div>
        <dt>Answer</dt>
        <dd>
          {item.response === null ? (
            <span className="muted">{item.author.displayName} has not said whether this satisfies them.</span>
          ) : (
            <>
              <span className={`badge ${item.response.satisfied ? 'badge-satisfied' : 'badge-not-satisfied'}`}>
                {item.response.satisfied ? 'Satisfied' : 'Not satisfied'}
              </span>{' '}
              <span className="muted">
                {item.author.displayName}, <When at={item.response.at} />
              </span>
              {item.response.note && <p className="disposition-note user-text">{item.response.note}</p>}
            </>
          )}
        </dd>
      </div>
    </>
  );
}

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { DispositionQuery, DispositionSource } from '@draftroom/shared';
import { dispositionQueries } from '../../api/dispositions.ts';
import { viewOf } from '../../api/queries.ts';
import { StatusMessage } from '../../forms/fields.tsx';
import { useLinkedTarget } from '../../layout/useLinkedTarget.ts';
import { useDefinition } from '../definitions/DefinitionPage.tsx';
import { publicDispositionsPath } from '../definitions/paths.ts';
import { DecidePanel } from './DecideForm.tsx';
import { itemElementId } from './DispositionItem.tsx';
import { itemName, memberLinks, SOURCE_OPTIONS, STATE_OPTIONS } from './labels.ts';
import { ObjectionForm } from './ObjectionForm.tsx';
import { Counts, RegisterList } from './RegisterList.tsx';
import { RespondPanel } from './RespondForm.tsx';
import { useDisclosure } from './useDisclosure.ts';
import './dispositions.css';

const SOURCES: readonly string[] = SOURCE_OPTIONS.map((option) => option.value);

/**
 * The disposition of comments, for members: every public comment, every named objection of a closed
 * public ballot and every formal objection, each with how a chair disposed of it and whether whoever
 * raised it is satisfied. Chairs dispose here; members raise formal objections here.
 */
export function DispositionsPage() {
  const { definition } = useDefinition();
  const [params, setParams] = useSearchParams();
  const filter: DispositionQuery = {
    ...(params.get('state') === 'undisposed' || params.get('state') === 'disposed' ? { state: params.get('state') as 'undisposed' | 'disposed' } : {}),
    ...(SOURCES.includes(params.get('source') ?? '') && params.get('source') ? { source: params.get('source') as DispositionSource } : {}),
  };
  // Changing a filter keeps the list on screen until the new one is there.
  const query = useQuery({ ...dispositionQueries.register(definition.id, filter), placeholderData: keepPreviousData });
  const register = viewOf(query);
  // `?item=ID` (a notification's link) scrolls to that item and gives it the focus.
  const linkedId = params.get('item');
  useLinkedTarget(linkedId && register.status === 'ready' ? itemElementId(linkedId) : null);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const objecting = useDisclosure();
  const links = memberLinks(definition.groupSlug, definition.id);

  const setFilter = (key: 'state' | 'source', value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        next.delete('item');
        return next;
      },
      { replace: true },
    );

  return (
    <section aria-labelledby="dispositions-heading" className="dispositions">
      <div className="section-bar">
        <h2 id="dispositions-heading">Disposition of comments</h2>
        <div className="section-actions">
          {register.status === 'ready' && register.data.mayObject && !objecting.open && (
            <button ref={objecting.button} type="button" className="button" aria-expanded={false} onClick={objecting.show}>
              Raise a formal objection
            </button>
          )}
        </div>
      </div>
      <p className="muted disposition-intro">
        Every public comment, every objection in a closed public ballot and every formal objection is an item here. A chair disposes of each with a reason;
        whoever raised it says whether that satisfies them.
        {definition.status !== 'drafting' && (
          <>
            {' '}
            <Link to={publicDispositionsPath(definition.groupSlug, definition.id)}>The public register</Link> shows the public comments.
          </>
        )}
      </p>
      <StatusMessage message={announcement} />
      {objecting.open && (
        <ObjectionForm
          definition={definition}
          onCancel={objecting.close}
          onRaised={(item) => {
            objecting.close();
            setAnnouncement(`Your formal objection is ${itemName(item)}. A chair will dispose of it.`);
            // Shown (whatever the filters) and focused once listed.
            setParams({ item: item.id }, { replace: true });
          }}
        />
      )}
      {register.status === 'loading' && <p role="status">Loading the register…</p>}
      {register.status === 'error' && (
        <div role="alert" className="alert alert-error">
          <p>{register.error.message}</p>
          <button type="button" className="button" onClick={register.retry}>
            Try again
          </button>
        </div>
      )}
      {register.status === 'ready' && (
        <>
          <Counts counts={register.data.counts} />
          <Filters state={filter.state ?? ''} source={filter.source ?? ''} onChange={setFilter} />
          <RegisterList
            register={register.data}
            filtered={filter.state !== undefined || filter.source !== undefined}
            linkedId={linkedId}
            render={(item) => (
              <>
                {item.allowedActions.includes('decide') && <DecidePanel item={item} definition={definition} onDecided={setAnnouncement} />}
                {item.allowedActions.includes('respond') && <RespondPanel item={item} onAnswered={setAnnouncement} />}
              </>
            )}
            links={links}
          />
        </>
      )}
    </section>
  );
}

function Filters({ state, source, onChange }: { state: string; source: string; onChange(key: 'state' | 'source', value: string): void }) {
  const id = useId();
  return (
    <div className="disposition-filters" role="group" aria-label="Filter the register">
      <div className="field">
        <label htmlFor={`${id}-state`}>Show</label>
        <select id={`${id}-state`} value={state} onChange={(event) => onChange('state', event.target.value)}>
          {STATE_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-source`}>Source</label>
        <select id={`${id}-source`} value={source} onChange={(event) => onChange('source', event.target.value)}>
          {SOURCE_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

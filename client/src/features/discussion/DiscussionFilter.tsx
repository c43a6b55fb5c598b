import { useId } from 'react';

export type StatusFilter = 'open' | 'resolved' | 'all';

/**
 * Which threads the discussion lists. Also drawn, inert, in the text shown while the editor loads
 * (StaticText), so that the discussion's head has its full height from the start and the text beside
 * it does not move when the discussion arrives.
 */
export function DiscussionFilter(props: { status: StatusFilter; mine: boolean; onStatus?(status: StatusFilter): void; onMine?(mine: boolean): void }) {
  const filterId = useId();
  const inert = !props.onStatus;
  return (
    <fieldset className="discussion-filter" disabled={inert}>
      <legend>Show</legend>
      {(['open', 'resolved', 'all'] as const).map((value) => (
        <span className="radio" key={value}>
          <input
            type="radio"
            id={`${filterId}-${value}`}
            name={`${filterId}-status`}
            checked={props.status === value}
            onChange={() => props.onStatus?.(value)}
          />
          <label htmlFor={`${filterId}-${value}`}>{value === 'open' ? 'Open' : value === 'resolved' ? 'Resolved' : 'All'}</label>
        </span>
      ))}
      <span className="checkbox">
        <input type="checkbox" id={`${filterId}-mine`} checked={props.mine} onChange={(event) => props.onMine?.(event.target.checked)} />
        <label htmlFor={`${filterId}-mine`}>Only threads I took part in</label>
      </span>
    </fieldset>
  );
}

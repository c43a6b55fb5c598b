import type { ReactNode } from 'react';
import type { Disposition, DispositionRegister } from '@draftroom/shared';
import { DispositionItem } from './DispositionItem.tsx';
import { type ItemLinks, items } from './labels.ts';

/** The register's counts: its items, how many are undisposed, how many commenters are not satisfied. */
export function Counts({ counts }: { counts: DispositionRegister['counts'] }) {
  return (
    <ul className="disposition-counts" aria-label="Counts">
      <li>
        <strong>{counts.total}</strong> {counts.total === 1 ? 'item' : 'items'}
      </li>
      <li className={counts.undisposed > 0 ? 'disposition-count-open' : undefined}>
        <strong>{counts.undisposed}</strong> undisposed
      </li>
      <li className={counts.notSatisfied > 0 ? 'disposition-count-unsatisfied' : undefined}>
        <strong>{counts.notSatisfied}</strong> not satisfied
      </li>
    </ul>
  );
}

/** The items, in the order they were raised, with what the reader may do on each (`render`). */
export function RegisterList({
  register,
  filtered,
  linkedId,
  links,
  render,
}: {
  register: Pick<DispositionRegister, 'items'>;
  filtered: boolean;
  linkedId: string | null;
  links: ItemLinks;
  render?: (item: Disposition) => ReactNode;
}) {
  if (register.items.length === 0) {
    return <p className="empty">{filtered ? 'No item matches these filters.' : 'Nothing has been raised yet.'}</p>;
  }
  return (
    <ol className="disposition-list" aria-label={`The register: ${items(register.items.length)}`}>
      {register.items.map((item) => (
        <DispositionItem key={item.id} item={item} links={links} linked={item.id === linkedId}>
          {render?.(item)}
        </DispositionItem>
      ))}
    </ol>
  );
}

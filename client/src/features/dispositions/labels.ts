import { DISPOSITION_LABELS, DISPOSITION_SOURCE_LABELS, DISPOSITIONS, type Disposition, type DispositionSource } from '@draftroom/shared';
import { definitionPath, publicDefinitionPath } from '../definitions/paths.ts';

export const DISPOSITION_OPTIONS = DISPOSITIONS.map((value) => ({ value, label: DISPOSITION_LABELS[value] }));

export const STATE_OPTIONS = [
  { value: '', label: 'Every item' },
  { value: 'undisposed', label: 'Undisposed' },
  { value: 'disposed', label: 'Disposed of' },
] as const;

export const SOURCE_OPTIONS: { value: DispositionSource | ''; label: string }[] = [
  { value: '', label: 'Every source' },
  ...(Object.keys(DISPOSITION_SOURCE_LABELS) as DispositionSource[]).map((value) => ({ value, label: DISPOSITION_SOURCE_LABELS[value] })),
];

/** "D-3" */
export const itemName = (item: Pick<Disposition, 'number'>) => `D-${item.number}`;

/** "1 item", "3 items" */
export const items = (n: number) => `${n} ${n === 1 ? 'item' : 'items'}`;

/** The counts of a list of items, as the register's header shows them. */
export function countsOf(list: readonly Pick<Disposition, 'disposition' | 'response'>[]) {
  return {
    total: list.length,
    undisposed: list.filter((item) => item.disposition === null).length,
    notSatisfied: list.filter((item) => item.response?.satisfied === false).length,
  };
}

/** A clause's first words, for a select's option. */
export function excerpt(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

/**
 * Where an item's parts lead. Members go to the draft (the clause, the thread, the ballot, the
 * amendment, the version); the public to the published page, where public comments are read.
 */
export interface ItemLinks {
  clause(clauseId: string): string;
  thread(item: Disposition): string | null;
  ballot(ballotId: string): string | null;
  version(label: string): string;
  amendment(amendmentId: string): string | null;
}

export function memberLinks(groupSlug: string, definitionId: string): ItemLinks {
  const draft = definitionPath(groupSlug, definitionId);
  const enc = encodeURIComponent;
  return {
    clause: (clauseId) => `${draft}?clause=${enc(clauseId)}`,
    thread: (item) => (item.threadId ? `${draft}?thread=${enc(item.threadId)}` : null),
    ballot: (ballotId) => `${draft}/decisions?ballot=${enc(ballotId)}`,
    version: (label) => `${draft}/versions?version=${enc(label)}`,
    amendment: (amendmentId) => `${draft}/amendments?amendment=${enc(amendmentId)}`,
  };
}

export function publicLinks(groupSlug: string, definitionId: string): ItemLinks {
  const page = publicDefinitionPath(groupSlug, definitionId);
  const enc = encodeURIComponent;
  return {
    clause: (clauseId) => `${page}#public-clause-${enc(clauseId)}`,
    // The public page opens that clause's comments at the thread.
    thread: (item) => (item.threadId && item.clause ? `${page}?clause=${enc(item.clause.id)}&thread=${enc(item.threadId)}` : null),
    ballot: () => null,
    version: (label) => `${page}?version=${enc(label)}`,
    amendment: () => null,
  };
}

import { diffChars } from 'diff';

/**
 * Applies the edit that turned `before` into `after` to `onto`, a variant of `before` (the same text
 * without some other people's edits): each insertion lands where its place in `before` is in `onto`,
 * each deletion removes the characters of `before` that `onto` still has. History uses it to keep, per
 * person, the text as only their own edits would have made it while others typed in the same clause.
 */
export function rebaseEdit(before: string, after: string, onto: string): string {
  if (onto === before) return after;
  if (before === after) return onto;
  // Where each position of `before` is in `onto`, and which characters of `before` `onto` lacks.
  const at = new Array<number>(before.length + 1);
  const missing = new Array<boolean>(before.length).fill(false);
  let i = 0;
  let j = 0;
  for (const part of diffChars(before, onto)) {
    const length = part.value.length;
    if (part.added) {
      j += length;
      continue;
    }
    for (let k = 0; k < length; k++) {
      at[i + k] = part.removed ? j : j + k;
      if (part.removed) missing[i + k] = true;
    }
    i += length;
    if (!part.removed) j += length;
  }
  at[before.length] = onto.length;

  // The edit as operations on `before`, then on `onto` (highest index first; at one index, deletions first).
  const operations: { index: number; delete: boolean; text: string }[] = [];
  let position = 0;
  for (const part of diffChars(before, after)) {
    if (part.added) {
      operations.push({ index: at[position]!, delete: false, text: part.value });
      continue;
    }
    if (part.removed) {
      for (let k = 0; k < part.value.length; k++) {
        if (!missing[position + k]) operations.push({ index: at[position + k]!, delete: true, text: '' });
      }
    }
    position += part.value.length;
  }
  operations.sort((a, b) => b.index - a.index || Number(b.delete) - Number(a.delete));
  // Indexed in UTF-16 units, as the diff counts them.
  const units = onto.split('');
  for (const operation of operations) {
    if (operation.delete) units.splice(operation.index, 1);
    else units.splice(operation.index, 0, operation.text);
  }
  return units.join('');
}

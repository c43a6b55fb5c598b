/** See fold.mjs. */
export function foldUpdates(updates: Uint8Array[]): Uint8Array;
export const FOLD_WORKER: 'draftroom-fold';

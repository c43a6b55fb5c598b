import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { FoldWorker } from './fold-worker.ts';
import { foldUpdates } from './fold.mjs';

/** An update log: two inserts, a deletion, and another client's insert. */
function log(): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const a = new Y.Doc();
  a.on('update', (update: Uint8Array) => updates.push(update));
  const text = a.getText('t');
  text.insert(0, 'Open source AI ');
  text.insert(text.length, 'must be studied, used, modified, shared.');
  text.delete(0, 5);
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  b.on('update', (update: Uint8Array) => updates.push(update));
  b.getText('t').insert(0, 'Every ');
  return updates;
}

function textOf(state: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc.getText('t').toString();
}

describe('FoldWorker', () => {
  const folders: FoldWorker[] = [];
  afterEach(async () => {
    for (const folder of folders.splice(0)) await folder.close();
  });

  it('folds in its thread exactly what folding here gives, without the deleted text', async () => {
    const folder = new FoldWorker();
    folders.push(folder);
    const updates = log();
    const state = await folder.fold(updates);
    expect(Buffer.from(state)).toEqual(Buffer.from(foldUpdates(updates)));
    expect(textOf(state)).toBe('Every source AI must be studied, used, modified, shared.');
    // The deleted "Open " is gone from the state, not just hidden.
    expect(Buffer.from(state).includes(Buffer.from('Open '))).toBe(false);
    expect(Buffer.from(Y.mergeUpdates(updates)).includes(Buffer.from('Open '))).toBe(true);
  });

  it('leaves out what waits for an update nobody stored, as folding here does', async () => {
    const folder = new FoldWorker();
    folders.push(folder);
    const [first, second] = log();
    // The second insert continues the first; without it, it can never apply.
    const state = await folder.fold([second!]);
    expect(Buffer.from(state)).toEqual(Buffer.from(foldUpdates([second!])));
    expect(textOf(state)).toBe('');
    expect(textOf(await folder.fold([first!, second!]))).toBe('Open source AI must be studied, used, modified, shared.');
  });

  it('answers a log it cannot read with an error and goes on working', async () => {
    const folder = new FoldWorker();
    folders.push(folder);
    await expect(folder.fold([Uint8Array.of(255, 255, 255, 255, 255)])).rejects.toThrow();
    expect(textOf(await folder.fold(log()))).toContain('modified, shared.');
  });

  it('fails what was in flight when its thread dies, and starts a new one for the next request', async () => {
    const folder = new FoldWorker();
    folders.push(folder);
    await folder.fold(log());
    const inFlight = folder.fold(log());
    await (folder as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await expect(inFlight).rejects.toThrow(/exited/);
    expect(textOf(await folder.fold(log()))).toContain('modified, shared.');
  });

  it('once closed, refuses new work and fails what was waiting', async () => {
    const folder = new FoldWorker();
    const waiting = expect(folder.fold(log())).rejects.toThrow(/stopped/);
    await folder.close();
    await waiting;
    await expect(folder.fold(log())).rejects.toThrow(/stopped/);
  });
});

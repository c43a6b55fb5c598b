import { describe, expect, it } from 'vitest';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { clauseSchema } from '@draftroom/shared/collab-schema';
import { clauseChanges, type ClauseChange } from './clauseDiff.ts';

const text = (value: string, marks: string[] = []) => ({ type: 'text', text: value, ...(marks.length > 0 && { marks: marks.map((type) => ({ type })) }) });
const paragraph = (...content: object[]) => ({ type: 'paragraph', content });
const doc = (...content: object[]) => clauseSchema.nodeFromJSON({ type: 'doc', content });

/** Each change as the words it takes out and the words it puts in. */
function described(a: ProseMirrorNode, b: ProseMirrorNode, changes: ClauseChange[]) {
  return changes.map((change) => ({ out: a.textBetween(change.fromA, change.toA, '¶'), in: b.textBetween(change.fromB, change.toB, '¶') }));
}

describe('clauseChanges', () => {
  it('finds nothing between equal documents', () => {
    expect(clauseChanges(doc(paragraph(text('Same words.'))), doc(paragraph(text('Same words.'))))).toEqual([]);
  });

  it('names the words inserted, deleted and replaced, leaving the rest alone', () => {
    const a = doc(paragraph(text('The system must be free to use and study.')));
    const b = doc(paragraph(text('The whole system must be free to use, study and share.')));
    expect(described(a, b, clauseChanges(a, b))).toEqual([
      { out: '', in: 'whole ' },
      { out: ' ', in: ', study ' },
      { out: 'study', in: 'share' },
    ]);
  });

  it('reads a replacement of neighbouring words as one change, not two around a space', () => {
    const a = doc(paragraph(text('the quick fox')));
    const b = doc(paragraph(text('a slow fox')));
    expect(described(a, b, clauseChanges(a, b))).toEqual([{ out: 'the quick', in: 'a slow' }]);
  });

  it('counts a change of formatting alone as a change of those words', () => {
    const a = doc(paragraph(text('Data information is required.')));
    const b = doc(paragraph(text('Data information is '), text('required', ['bold']), text('.')));
    const changes = clauseChanges(a, b);
    expect(described(a, b, changes)).toEqual([{ out: 'required', in: 'required' }]);
    expect(b.rangeHasMark(changes[0]!.fromB, changes[0]!.fromB + 8, clauseSchema.marks.bold!)).toBe(true);
  });

  it('sees a paragraph split, a new paragraph and a list as changes of structure', () => {
    const a = doc(paragraph(text('One. Two.')));
    const b = doc(paragraph(text('One.')), paragraph(text('Two.')));
    expect(clauseChanges(a, b)).toHaveLength(1);
    const list = doc({ type: 'bulletList', content: [{ type: 'listItem', content: [paragraph(text('One. Two.'))] }] });
    const changes = clauseChanges(a, list);
    expect(changes.length).toBeGreaterThan(0);
    expect(
      described(a, list, changes)
        .map((change) => change.in + change.out)
        .join(''),
    ).not.toContain('One. Two.');
  });

  it('gives positions that cover exactly the changed ranges of both documents', () => {
    const a = doc(paragraph(text('Alpha beta gamma.')), paragraph(text('Delta.')));
    const b = doc(paragraph(text('Alpha gamma.')), paragraph(text('Delta epsilon.')));
    const changes = clauseChanges(a, b);
    // Apply the changes to A, back to front, and A becomes B.
    let rebuilt = a;
    for (const change of [...changes].reverse()) rebuilt = rebuilt.replace(change.fromA, change.toA, b.slice(change.fromB, change.toB));
    expect(rebuilt.eq(b)).toBe(true);
  });

  it('gives up on a word-by-word comparison of two long, wholly different texts and returns one change', () => {
    const words = (seed: string) => Array.from({ length: 6000 }, (_, index) => `${seed}${index}`).join(' ');
    const a = doc(paragraph(text(words('a'))));
    const b = doc(paragraph(text(words('b'))));
    const started = performance.now();
    const changes = clauseChanges(a, b);
    expect(changes).toEqual([{ fromA: 1, toA: a.content.size - 1, fromB: 1, toB: b.content.size - 1 }]);
    // Not a timing assertion of speed, a guard against an unbounded comparison (it would take minutes).
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});

import { getSchema } from '@tiptap/core';
import { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { describe, expect, it } from 'vitest';
import { clauseExtensions } from '@draftroom/shared/collab-schema';
import { clauseText } from '../../../../server/src/text/render.ts';
import { plainRange } from './plainRange.ts';

const schema = getSchema(clauseExtensions);
const text = (value: string, marks?: { type: string }[]) => ({ type: 'text', text: value, ...(marks && { marks }) });
const paragraph = (...content: object[]) => ({ type: 'paragraph', content });
const doc = (...content: object[]) => ProseMirrorNode.fromJSON(schema, { type: 'doc', content });

describe('a selection as offsets in the clause’s plain text, as the server lays it out', () => {
  const clause = doc(
    paragraph(text('Open Source AI is '), text('an AI system', [{ type: 'bold' }])),
    paragraph(text('made available'), { type: 'hardBreak' }, text('under terms')),
    {
      type: 'bulletList',
      content: [
        { type: 'listItem', content: [paragraph(text('use'))] },
        { type: 'listItem', content: [paragraph(text('study'))] },
      ],
    },
    paragraph(),
    paragraph(text('and share.')),
  );
  const plain = clauseText(clause);

  it('maps every selection inside the text to the same characters the server counts', () => {
    const positions: number[] = [];
    clause.descendants((node, pos) => {
      if (node.isTextblock) for (let at = pos + 1; at <= pos + 1 + node.content.size; at++) positions.push(at);
      return !node.isTextblock;
    });
    for (const from of positions)
      for (const to of positions) {
        if (to <= from) continue;
        const range = plainRange(clause, from, to);
        expect(plain.slice(range.from, range.to), `${from}–${to}`).toBe(
          clause.textBetween(from, to, '\n\n', (leaf) => (leaf.type.name === 'hardBreak' ? '\n' : '')),
        );
      }
  });

  it('moves an end that falls between blocks to the text beside it', () => {
    // From before the list to after it: the list's two items, the blank line between them.
    const listStart = plain.indexOf('use');
    let before = 0;
    let after = 0;
    clause.forEach((node, offset) => {
      if (node.type.name === 'bulletList') {
        before = offset;
        after = offset + node.nodeSize;
      }
    });
    expect(plainRange(clause, before, after)).toEqual({ from: listStart, to: listStart + 'use\n\nstudy'.length });
    expect(plainRange(clause, 0, clause.content.size)).toEqual({ from: 0, to: plain.length });
  });
});

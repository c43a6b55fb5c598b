import { getSchema } from '@tiptap/core';
import { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { describe, expect, it } from 'vitest';
import { checkLanguage } from '@draftroom/shared';
import { clauseExtensions } from '@draftroom/shared/collab-schema';
import { clauseText } from '../../../../server/src/text/render.ts';
import { plainPosition, plainRange, plainText } from './plainRange.ts';

const schema = getSchema(clauseExtensions);
const text = (value: string, marks?: { type: string }[]) => ({ type: 'text', text: value, ...(marks && { marks }) });
const paragraph = (...content: object[]) => ({ type: 'paragraph', content });
const doc = (...content: object[]) => ProseMirrorNode.fromJSON(schema, { type: 'doc', content });
const leafText = (leaf: ProseMirrorNode) => (leaf.type.name === 'hardBreak' ? '\n' : '');

describe('an offset in the clause’s plain text as a position in its editor (the inverse of plainRange)', () => {
  // Marks that split text nodes, a hard break, a list of two items, an empty paragraph and a nested list.
  const clause = doc(
    paragraph(text('Open Source AI is '), text('an AI system', [{ type: 'bold' }])),
    paragraph(text('made available'), { type: 'hardBreak' }, text('under terms')),
    {
      type: 'bulletList',
      content: [
        { type: 'listItem', content: [paragraph(text('use'))] },
        {
          type: 'listItem',
          content: [paragraph(text('study')), { type: 'orderedList', content: [{ type: 'listItem', content: [paragraph(text('modify'))] }] }],
        },
      ],
    },
    paragraph(),
    paragraph(text('and share.')),
  );
  const plain = clauseText(clause);
  /** The offsets strictly inside the blank line between two textblocks (between its two "\n"). */
  const gaps = new Set<number>();
  clause.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    const start = plainRange(clause, pos + 1, pos + 1).from;
    if (start > 0) gaps.add(start - 1);
    return false;
  });

  it('lays out the clause as the server does (the fixture is what the tests below assume)', () => {
    expect(plain).toBe('Open Source AI is an AI system\n\nmade available\nunder terms\n\nuse\n\nstudy\n\nmodify\n\n\n\nand share.');
    // The editor reads the same text the server does.
    expect(plainText(clause)).toBe(plain);
    expect([...gaps].sort((a, b) => a - b)).toEqual([31, 59, 64, 71, 79, 81]);
  });

  it('maps every position in the text to its offset and back', () => {
    clause.descendants((node, pos) => {
      if (!node.isTextblock) return true;
      for (let at = pos + 1; at <= pos + 1 + node.content.size; at++) {
        const offset = plainRange(clause, at, at).from;
        expect(plainPosition(clause, offset, 'after'), `${at} (offset ${offset})`).toBe(at);
        expect(plainPosition(clause, offset, 'before'), `${at} (offset ${offset})`).toBe(at);
      }
      return false;
    });
  });

  it('finds the same characters for every stretch the server could name, across marks, hard breaks, lists and empty paragraphs', () => {
    for (let from = 0; from <= plain.length; from++) {
      if (gaps.has(from)) continue;
      for (let to = from + 1; to <= plain.length; to++) {
        if (gaps.has(to)) continue;
        const start = plainPosition(clause, from, 'after')!;
        const end = plainPosition(clause, to, 'before')!;
        expect(clause.textBetween(start, end, '\n\n', leafText), `${from}–${to}`).toBe(plain.slice(from, to));
      }
    }
  });

  it('puts an offset inside the blank line between two blocks at the edge of the block on the side asked', () => {
    // Offset 31 is between the two "\n" after "an AI system".
    const firstEnd = 1 + clause.child(0).content.size;
    const secondStart = clause.child(0).nodeSize + 1;
    expect(plainPosition(clause, 31, 'before')).toBe(firstEnd);
    expect(plainPosition(clause, 31, 'after')).toBe(secondStart);
    expect(plain.slice(30, 32)).toBe('\n\n');
  });

  it('has no position past the end of the text, or before its start', () => {
    expect(plainPosition(clause, plain.length, 'before')).toBe(clause.content.size - 1);
    expect(plainPosition(clause, plain.length + 1, 'after')).toBeNull();
    expect(plainPosition(clause, -1, 'after')).toBeNull();
    expect(plainPosition(doc(paragraph()), 0, 'after')).toBe(1);
  });

  it('finds each word the shared checks mark, in lists and after hard breaks', () => {
    const rules = doc(
      paragraph(
        text('Every '),
        text('Open Source AI', [{ type: 'italic' }]),
        text(' MUST grant'),
        { type: 'hardBreak' },
        text('the freedoms; it must be shared.'),
      ),
      {
        type: 'orderedList',
        content: [
          { type: 'listItem', content: [paragraph(text('weights should be'), { type: 'hardBreak' }, text('published'))] },
          { type: 'listItem', content: [paragraph(text('An open-source'), { type: 'hardBreak' }, text('AI MAY NOT hide its data.'))] },
        ],
      },
      paragraph(text('Open')),
      paragraph(text('Source AI ends here.')),
    );
    const report = checkLanguage([
      { id: 'rules', label: 'Clause 1', text: clauseText(rules) },
      { id: 'terms', label: 'Clause 2', text: '“Open Source AI” means a system.' },
    ]);
    expect(report.warnings.map((warning) => [warning.kind, warning.found])).toEqual([
      ['used_before_definition', 'Open Source AI'],
      ['lowercase_keyword', 'must'],
      ['lowercase_keyword', 'should'],
      // Written across a hard break: the word runs over two lines.
      ['used_before_definition', 'open-source\nAI'],
      ['not_a_keyword', 'MAY NOT'],
      // And across two paragraphs.
      ['used_before_definition', 'Open\n\nSource AI'],
    ]);
    for (const warning of report.warnings) {
      const from = plainPosition(rules, warning.from, 'after')!;
      const to = plainPosition(rules, warning.to, 'before')!;
      expect(rules.textBetween(from, to, '\n\n', leafText)).toBe(warning.found);
    }
  });
});

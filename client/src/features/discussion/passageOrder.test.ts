import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { passageOrder } from './anchorHighlights.ts';

const encode = (position: Y.RelativePosition) => btoa(String.fromCharCode(...Y.encodeRelativePosition(position)));

/** A clause body: a paragraph, then a list with one item, as the editor writes them. */
function clause(doc: Y.Doc, name: string, first: string, second: string) {
  const body = doc.getXmlFragment(name);
  const paragraph = new Y.XmlElement('paragraph');
  const list = new Y.XmlElement('bulletList');
  const item = new Y.XmlElement('listItem');
  const itemParagraph = new Y.XmlElement('paragraph');
  body.insert(0, [paragraph, list]);
  paragraph.insert(0, [new Y.XmlText(first)]);
  list.insert(0, [item]);
  item.insert(0, [itemParagraph]);
  itemParagraph.insert(0, [new Y.XmlText(second)]);
  const texts = [paragraph.get(0) as Y.XmlText, itemParagraph.get(0) as Y.XmlText];
  const passage = (threadId: string, text: number, words: string) => {
    const ytext = texts[text]!;
    const from = ytext.toString().indexOf(words);
    return {
      threadId,
      start: encode(Y.createRelativePositionFromTypeIndex(ytext, from)),
      end: encode(Y.createRelativePositionFromTypeIndex(ytext, from + words.length)),
    };
  };
  return { body, texts, passage };
}

describe('passageOrder: threads in the order their passages start in the clause', () => {
  it('orders passages by where they start, across blocks, whatever order the threads came in', () => {
    const doc = new Y.Doc();
    const c = clause(doc, 'a', 'Open Source AI grants four freedoms', 'Use the system');
    const passages = [
      c.passage('late', 1, 'the system'),
      c.passage('middle', 0, 'four freedoms'),
      c.passage('early', 0, 'Open Source AI'),
      c.passage('wide', 0, 'Open Source AI grants'),
    ];
    expect(passageOrder(c.body, passages)).toEqual(['early', 'wide', 'middle', 'late']);
  });

  it('follows edits: text inserted before a passage moves it, not its order; a deleted passage leaves the list', () => {
    const doc = new Y.Doc();
    const c = clause(doc, 'a', 'Open Source AI grants four freedoms', 'Use the system');
    const passages = [c.passage('freedoms', 0, 'four freedoms'), c.passage('open', 0, 'Open Source AI')];
    c.texts[0]!.insert(0, 'Today ');
    expect(passageOrder(c.body, passages)).toEqual(['open', 'freedoms']);
    const text = c.texts[0]!.toString();
    c.texts[0]!.delete(text.indexOf('four freedoms'), 'four freedoms'.length);
    expect(passageOrder(c.body, passages)).toEqual(['open']);
  });

  it('leaves out a passage of another clause and one it cannot read', () => {
    const doc = new Y.Doc();
    const a = clause(doc, 'a', 'First clause text', 'One');
    const b = clause(doc, 'b', 'Second clause text', 'Two');
    const passages = [b.passage('elsewhere', 0, 'Second'), a.passage('here', 0, 'clause'), { threadId: 'garbage', start: 'AAAA', end: '////' }];
    expect(passageOrder(a.body, passages)).toEqual(['here']);
  });
});

import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { decodeRelativePosition, InvalidAnchor, resolveAnchor, validateAnchor, type EncodedAnchor } from './anchors.ts';

/** A clause body with one paragraph of text, as the editor stores it. */
function clauseDoc(text: string) {
  const doc = new Y.Doc();
  const body = doc.getXmlFragment('body');
  const paragraph = new Y.XmlElement('paragraph');
  body.insert(0, [paragraph]);
  const ytext = new Y.XmlText(text);
  paragraph.insert(0, [ytext]);
  return { doc, body, ytext };
}

const encode = (rp: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(rp)).toString('base64');

/** How the browser anchors a selection [from, to): the start sticks right, the end sticks left. */
function anchorFor(ytext: Y.XmlText, from: number, to: number): EncodedAnchor {
  return {
    start: encode(Y.createRelativePositionFromTypeIndex(ytext, from, 0)),
    end: encode(Y.createRelativePositionFromTypeIndex(ytext, to, -1)),
  };
}

function anchoredText(doc: Y.Doc, ytext: Y.XmlText, anchor: EncodedAnchor): string {
  const start = Y.createAbsolutePositionFromRelativePosition(decodeRelativePosition(anchor.start), doc)!;
  const end = Y.createAbsolutePositionFromRelativePosition(decodeRelativePosition(anchor.end), doc)!;
  return ytext.toString().slice(start.index, end.index);
}

const editArb = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 5 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
);

describe('comment anchors (Yjs relative positions)', () => {
  it('keep pointing at the quoted words through concurrent edits around them', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 6, maxLength: 40 }), fc.nat(), fc.nat(), fc.array(editArb, { maxLength: 12 }), (text, a, b, edits) => {
        const from = a % (text.length - 1);
        const to = from + 1 + (b % (text.length - from - 1 || 1));
        const { doc, body, ytext } = clauseDoc(text);
        const quote = text.slice(from, to);
        const anchor = anchorFor(ytext, from, to);

        // A second replica edits concurrently, never inside the quoted range (but right at its edges).
        const other = new Y.Doc();
        Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
        const otherText = (other.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText;
        let start = from;
        let end = to;
        for (const edit of edits) {
          const length = otherText.length;
          if (edit.kind === 'insert') {
            const outside = [...Array(start + 1).keys(), ...Array.from({ length: length - end + 1 }, (_, i) => end + i)];
            const at = outside[edit.at % outside.length]!;
            otherText.insert(at, edit.text);
            if (at <= start) {
              start += edit.text.length;
              end += edit.text.length;
            }
          } else {
            const before = start;
            const after = length - end;
            if (before + after === 0) continue;
            const pick = edit.at % (before + after);
            if (pick < before) {
              const len = Math.min(edit.length, before - pick);
              otherText.delete(pick, len);
              start -= len;
              end -= len;
            } else {
              const at = end + (pick - before);
              otherText.delete(at, Math.min(edit.length, length - at));
            }
          }
        }
        Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
        expect(anchoredText(doc, ytext, anchor)).toBe(quote);
        expect(resolveAnchor(doc, body, anchor, quote)).toBe('ok');
      }),
      { numRuns: 300 },
    );
  });

  it('read as "removed" once every quoted character is deleted, whatever else happens', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 30 }), fc.nat(), fc.nat(), fc.string({ maxLength: 4 }), (text, a, b, noise) => {
        const from = a % (text.length - 1);
        const to = from + 1 + (b % (text.length - from - 1 || 1));
        const { doc, body, ytext } = clauseDoc(text);
        const anchor = anchorFor(ytext, from, to);
        ytext.delete(from, to - from);
        if (noise) ytext.insert(Math.min(from, ytext.length), noise);
        expect(resolveAnchor(doc, body, anchor, text.slice(from, to))).toBe('removed');
      }),
      { numRuns: 200 },
    );
  });

  it('grow to include text typed inside the range', () => {
    const { doc, body, ytext } = clauseDoc('Training data is required.');
    const anchor = anchorFor(ytext, 0, 13); // "Training data"
    ytext.insert(9, 'set ');
    expect(anchoredText(doc, ytext, anchor)).toBe('Training set data');
    expect(resolveAnchor(doc, body, anchor, 'Training data')).toBe('ok');
  });

  it('read as "removed" when the clause body is gone, and refuse garbage', () => {
    const { doc, ytext } = clauseDoc('Some text');
    const anchor = anchorFor(ytext, 0, 4);
    expect(resolveAnchor(doc, null, anchor, 'Some')).toBe('removed');
    expect(() => decodeRelativePosition('not base64 !')).toThrow(InvalidAnchor);
    // Decodable bytes that point nowhere in this clause are refused too.
    expect(() => validateAnchor(doc, doc.getXmlFragment('body'), { start: 'AAAA', end: 'AAAA' })).toThrow(InvalidAnchor);
  });

  it('refuse hand-built positions Yjs itself would throw on, and never add a root type to the document', () => {
    const { doc, body, ytext } = clauseDoc('Some text');
    const good = anchorFor(ytext, 0, 4).start;
    const roots = [...doc.share.keys()];
    // Found by the fuzz campaign: each made Yjs throw "Unexpected case" (an HTTP 500).
    const forged = ['hs1mp2d=', 'IbT0rh67', 'ircr', 'rhyTYAb=', '0x10', 'C6nz+fbY', 'gkU6SlLM', 'fEOrvE==', 'v8lPOV==', 'nyQl', 'zfB='];
    // And positions naming a root type the document does not have.
    const unknownRoot = encode(Y.createRelativePositionFromTypeIndex(new Y.Doc().getText('settings'), 0));
    for (const encoded of [...forged, unknownRoot]) {
      let thrown: unknown = null;
      try {
        validateAnchor(doc, body, { start: encoded, end: good });
      } catch (error) {
        thrown = error;
      }
      expect(thrown, encoded).toBeInstanceOf(InvalidAnchor);
      expect(resolveAnchor(doc, body, { start: encoded, end: good }, 'Some'), encoded).toBe('removed');
    }
    expect([...doc.share.keys()]).toEqual(roots);
  });
});

import { randomUUID } from 'node:crypto';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { clausesOf, insertClause, orderOf } from '@draftroom/shared';
import { clauseSchema } from '@draftroom/shared/collab-schema';
import { renderClause } from './render.ts';
import { InvalidContent, RoleIndex, checkUpdateStructs, invalidItems } from './schema.ts';

const RICH = {
  type: 'doc',
  content: [
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Open ' },
        { type: 'text', text: 'Source', marks: [{ type: 'bold' }, { type: 'italic' }] },
        { type: 'hardBreak' },
        { type: 'text', text: 'AI', marks: [{ type: 'link', attrs: { href: 'https://opensource.org' } }] },
      ],
    },
    {
      type: 'orderedList',
      attrs: { start: 3 },
      content: [
        {
          type: 'listItem',
          content: [
            { type: 'paragraph', content: [{ type: 'text', text: 'use', marks: [{ type: 'code' }] }] },
            { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'study' }] }] }] },
          ],
        },
      ],
    },
  ],
};

/** A server document with one clause, and a client replica of it that makes the edits under test. */
function setup() {
  const server = new Y.Doc();
  const clauseId = randomUUID();
  server.transact(() => {
    const body = insertClause(server, clauseId, 'clause');
    prosemirrorJSONToYXmlFragment(clauseSchema, { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'base' }] }] }, body);
  });
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  const body = () => clausesOf(client).get(clauseId)!.get('body') as Y.XmlFragment;
  const check = (edit: (doc: Y.Doc) => void) => {
    const before = Y.encodeStateVector(client);
    client.transact(() => edit(client));
    const update = Y.encodeStateAsUpdate(client, before);
    checkUpdateStructs(server, new RoleIndex(), Y.decodeUpdate(update).structs as (Y.Item | Y.GC | Y.Skip)[]);
    return update;
  };
  return { server, client, clauseId, body, check };
}

describe('checking live updates against the Y.Doc layout and the clause schema', () => {
  it('accepts everything the editor writes: paragraphs, lists, marks, links, breaks, new clauses, moves, deletions', () => {
    const { server, client, clauseId, body, check } = setup();
    const update = check(() => prosemirrorJSONToYXmlFragment(clauseSchema, RICH, body()));
    Y.applyUpdate(server, update);
    expect(renderClause(clausesOf(server).get(clauseId)!.get('body') as Y.XmlFragment).markdown).toBe(
      'Open ***Source***\\\n[AI](https://opensource.org)\n\n3. `use`\n   * study',
    );
    check((doc) => {
      const id = randomUUID();
      const fresh = insertClause(doc, id, 'heading', 0);
      prosemirrorJSONToYXmlFragment(clauseSchema, { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Title' }] }] }, fresh);
    });
    check(() => body().delete(0, 1));
    check((doc) => orderOf(doc).delete(0, 1));
    void client;
  });

  const refused: [string, (doc: Y.Doc, body: Y.XmlFragment) => void][] = [
    ['an element the schema does not know', (_doc, body) => body.insert(0, [new Y.XmlElement('script')])],
    ['an element where it cannot go (a list item directly in the body)', (_doc, body) => body.insert(0, [new Y.XmlElement('listItem')])],
    ['text directly in the body', (_doc, body) => body.insert(0, [new Y.XmlText('loose')])],
    ['a block inside a paragraph', (_doc, body) => (body.get(0) as Y.XmlElement).insert(0, [new Y.XmlElement('bulletList')])],
    ['an attribute the node does not have', (_doc, body) => (body.get(0) as Y.XmlElement).setAttribute('onclick', 'alert(1)')],
    [
      'an ordered list starting at a string',
      (_doc, body) => {
        const list = new Y.XmlElement('orderedList');
        body.insert(0, [list]);
        list.setAttribute('start', 'one' as never);
      },
    ],
    ['a mark the schema does not know', (_doc, body) => ((body.get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 2, { underline: {} })],
    ['a javascript: link', (_doc, body) => ((body.get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 2, { link: { href: 'javascript:alert(1)' } })],
    [
      'a link with an attribute links do not have',
      (_doc, body) => ((body.get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 2, { link: { href: 'https://a.example', onclick: 'x' } }),
    ],
    ['an embed in text', (_doc, body) => ((body.get(0) as Y.XmlElement).get(0) as Y.XmlText).insertEmbed(0, { image: 'x' })],
    ['a NUL character', (_doc, body) => ((body.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'a\u0000b')],
    ['a top-level type of its own', (doc) => doc.getText('evil').insert(0, 'x')],
    ['a value in the clause map', (doc) => clausesOf(doc).set(randomUUID(), 'not a map' as never)],
    ['a clause id that is not a UUID', (doc) => orderOf(doc).push(['../../etc'])],
    ['a number in the order', (doc) => (orderOf(doc) as unknown as Y.Array<number>).push([42])],
    ['an unknown clause kind', (doc) => clausesOf(doc).forEach((entry) => void entry.set('kind', 'script'))],
    ['a second body of the wrong type', (doc) => clausesOf(doc).forEach((entry) => void entry.set('body', new Y.Array()))],
    ['an extra key in a clause', (doc) => clausesOf(doc).forEach((entry) => void entry.set('owner', 'me'))],
    ['a subdocument', (doc) => clausesOf(doc).forEach((entry) => void entry.set('body', new Y.Doc() as never))],
    [
      'nesting deeper than any clause needs',
      (_doc, body) => {
        let parent: Y.XmlFragment = body;
        for (let i = 0; i < 40; i++) {
          const list = new Y.XmlElement('bulletList');
          const item = new Y.XmlElement('listItem');
          parent.insert(0, [list]);
          list.insert(0, [item]);
          parent = item;
        }
      },
    ],
  ];

  it.each(refused)('refuses %s', (_name, edit) => {
    const { check, body } = setup();
    expect(() => check((doc) => edit(doc, body()))).toThrow(InvalidContent);
  });

  it('refuses a struct of length 0 (an empty string, an empty list of values, nothing deleted), which Yjs could not encode again', () => {
    const { server } = setup();
    for (const [ref, write] of [
      [4, (e: encoding.Encoder) => encoding.writeVarString(e, '')],
      [8, (e: encoding.Encoder) => encoding.writeVarUint(e, 0)],
      [1, (e: encoding.Encoder) => encoding.writeVarUint(e, 0)],
    ] as const) {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 1); // one client
      encoding.writeVarUint(e, 1); // one struct
      encoding.writeVarUint(e, 4242); // client id
      encoding.writeVarUint(e, 0); // clock
      encoding.writeUint8(e, ref); // content type, no origins, no parentSub
      encoding.writeVarUint(e, 1); // parent is a root type …
      encoding.writeVarString(e, 'order'); // … named order
      write(e);
      encoding.writeVarUint(e, 0); // no deletions
      const structs = Y.decodeUpdate(encoding.toUint8Array(e)).structs;
      expect(structs[0]!.length).toBe(0);
      expect(() => checkUpdateStructs(server, new RoleIndex(), structs as never)).toThrow(/length 0/);
    }
  });

  it('does not judge structs that wait for a missing parent, and judges them once it arrives', () => {
    const { server, client, body, check } = setup();
    // Two updates from one client: the second builds on the first. Checked alone, the second's parent is unknown.
    const first = check(() => body().insert(1, [new Y.XmlElement('paragraph')]));
    const before = Y.encodeStateVector(client);
    client.transact(() => (body().get(1) as Y.XmlElement).insert(0, [new Y.XmlElement('script')]));
    const second = Y.encodeStateAsUpdate(client, before);
    expect(() => checkUpdateStructs(server, new RoleIndex(), Y.decodeUpdate(second).structs as never)).not.toThrow();
    expect(() => checkUpdateStructs(server, new RoleIndex(), Y.decodeUpdate(Y.mergeUpdates([first, second])).structs as never)).toThrow(InvalidContent);
  });

  it('finds stored content that breaks the rules, so a document written before the checks can be repaired', () => {
    const doc = new Y.Doc();
    const clauseId = randomUUID();
    doc.transact(() => {
      const body = insertClause(doc, clauseId, 'clause');
      const paragraph = new Y.XmlElement('paragraph');
      body.insert(0, [paragraph, new Y.XmlElement('script')]);
      paragraph.insert(0, [new Y.XmlText('kept')]);
      doc.getText('evil').insert(0, 'x');
    });
    const invalid = invalidItems(doc, new RoleIndex());
    expect(
      invalid.map((item) => (item.content instanceof Y.ContentType ? ((item.content.type as Y.XmlElement).nodeName ?? 'type') : item.content.constructor.name)),
    ).toEqual(expect.arrayContaining(['script', 'ContentString']));
    expect(invalid).toHaveLength(2);
    // Rendering already leaves the unknown element out, whether or not it was repaired.
    expect(renderClause(clausesOf(doc).get(clauseId)!.get('body') as Y.XmlFragment).text).toBe('kept');
  });
});

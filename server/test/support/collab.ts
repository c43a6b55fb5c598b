import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { clausesOf, insertClause } from '@draftroom/shared';
import type { Db } from '../../src/db/database.ts';

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** The close code the server sent, once it closed the connection for good (4400–4499). */
  closedWith: () => number | null;
  /** Every close code seen, including ones after which the provider reconnects. */
  closeCodes: number[];
  destroy(): void;
}

/** A real y-websocket client in Node, sending the session cookie like a browser would. */
export function connectClient(baseUrl: string, definitionId: string, cookie: string | null, doc = new Y.Doc()): TestClient {
  const headers = cookie ? { cookie } : {};
  class CookieWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  const provider = new WebsocketProvider(`${baseUrl.replace(/^http/, 'ws')}/api/collab`, definitionId, doc, {
    WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  let terminal: number | null = null;
  const closeCodes: number[] = [];
  provider.on('connection-close', (event) => {
    if (event) closeCodes.push(event.code);
  });
  provider.on('closed', (event) => {
    terminal = event.code;
  });
  return {
    doc,
    provider,
    closedWith: () => terminal,
    closeCodes,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

type Falsy = false | null | undefined | '' | 0;

export async function waitFor<T>(probe: () => T | Falsy | Promise<T | Falsy>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | Falsy | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last as T;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

export const synced = (client: TestClient) => waitFor(() => client.provider.synced, 'sync');

/** Adds a clause whose body is one paragraph holding `text`, the way the editor would. */
export function addClause(doc: Y.Doc, id: string, text: string, kind: 'heading' | 'clause' = 'clause'): void {
  doc.transact(() => {
    const body = insertClause(doc, id, kind);
    const paragraph = new Y.XmlElement('paragraph');
    body.insert(0, [paragraph]);
    paragraph.insert(0, [new Y.XmlText(text)]);
  });
}

/** Appends text at the end of a clause's first paragraph. */
export function appendText(doc: Y.Doc, id: string, text: string): void {
  const paragraph = bodyOf(doc, id).get(0) as Y.XmlElement;
  const textNode = paragraph.get(0) as Y.XmlText;
  textNode.insert(textNode.length, text);
}

export function bodyOf(doc: Y.Doc, id: string): Y.XmlFragment {
  const entry = clausesOf(doc).get(id);
  if (!entry) throw new Error(`no clause ${id}`);
  return entry.get('body') as Y.XmlFragment;
}

export function textOf(doc: Y.Doc, id: string): string | null {
  const entry = clausesOf(doc).get(id);
  if (!entry) return null;
  const paragraph = (entry.get('body') as Y.XmlFragment).get(0) as Y.XmlElement | undefined;
  return paragraph ? (paragraph.get(0) as Y.XmlText).toString() : '';
}

/** An anchor over the first occurrence of `quote` in a clause's first paragraph, made the way the browser makes it. */
export function anchorIn(doc: Y.Doc, clauseId: string, quote: string) {
  const ytext = (bodyOf(doc, clauseId).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  const from = ytext.toString().indexOf(quote);
  const encode = (rp: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(rp)).toString('base64');
  return {
    ytext,
    anchor: {
      start: encode(Y.createRelativePositionFromTypeIndex(ytext, from, 0)),
      end: encode(Y.createRelativePositionFromTypeIndex(ytext, from + quote.length, -1)),
      quote,
    },
  };
}

/** A document from stored updates (compacted state first, then the log), as PostgreSQL has it. */
export function docFromUpdates(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}

/** The characters of a clause's first paragraph in runs, each with the Yjs client id that wrote it. */
export function textRuns(doc: Y.Doc, clauseId: string): { text: string; clientId: number }[] {
  const paragraph = (bodyOf(doc, clauseId).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  const runs: { text: string; clientId: number }[] = [];
  for (let item = paragraph._start; item; item = item.right) {
    if (!item.deleted && item.content instanceof Y.ContentString) runs.push({ text: item.content.str, clientId: item.id.client });
  }
  return runs;
}

/** What a document contains, comparable across documents (state vectors list clients in any order). */
export function stateKey(doc: Y.Doc): string {
  return JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(doc)).entries()].sort((a, b) => a[0] - b[0]));
}

/** The document as PostgreSQL holds it: the compacted state, then the log. */
export async function storedDoc(db: Db, definitionId: string): Promise<Y.Doc> {
  const state = await db.selectFrom('doc_states').select('state').where('definition_id', '=', definitionId).executeTakeFirst();
  const rows = await db.selectFrom('doc_updates').select('update').where('definition_id', '=', definitionId).orderBy('id').execute();
  return docFromUpdates([...(state ? [state.state] : []), ...rows.map((row) => row.update)]);
}

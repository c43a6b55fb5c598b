import * as Y from 'yjs';
import { BODY_KEY, clausesInOrder, clausesOf, type ClauseEntry } from '@draftroom/shared';
import { InvalidAnchor, resolveAnchor, validateAnchor, type AnchorState, type EncodedAnchor } from './anchors.ts';
import { clauseMarkdown, clauseNode, clauseText } from './render.ts';

export interface TextClause {
  id: string;
  kind: 'heading' | 'clause';
  /** Index in reading order, headings included. */
  position: number;
  text: string;
  markdown: string;
}

export interface TextClauseWithContent extends TextClause {
  /** ProseMirror JSON of the clause body in the shared clause schema. */
  content: Record<string, unknown>;
}

/** One run of a clause's characters with the Yjs client id that wrote them (null: layout, e.g. a paragraph break). */
export interface AuthoredPiece {
  text: string;
  clientId: number | null;
  clock: number | null;
}

export { InvalidAnchor, type AnchorState, type EncodedAnchor };

/**
 * Read access to a definition's text, over a document that is exactly the committed state (see
 * readText and editText). This is how every feature reads text: it never hands out the Y.Doc.
 */
export class TextView {
  constructor(protected readonly doc: Y.Doc) {}

  private entries(): ClauseEntry[] {
    return clausesInOrder(this.doc);
  }

  clauses(): TextClause[] {
    return this.entries().map((entry, position) => present(entry, position));
  }

  clausesWithContent(): TextClauseWithContent[] {
    return this.entries().map((entry, position) => {
      const node = clauseNode(entry.body);
      return {
        id: entry.id,
        kind: entry.kind,
        position,
        text: clauseText(node),
        markdown: clauseMarkdown(node),
        content: node.toJSON() as Record<string, unknown>,
      };
    });
  }

  clause(clauseId: string): TextClause | null {
    const entries = this.entries();
    const position = entries.findIndex((entry) => entry.id === clauseId);
    return position < 0 ? null : present(entries[position]!, position);
  }

  /** Whether the clause is in the text (in reading order). */
  has(clauseId: string): boolean {
    return this.entries().some((entry) => entry.id === clauseId);
  }

  /** The Yjs state, for a version's immutable snapshot (V2 encoding). */
  encodeState(): Uint8Array {
    return Y.encodeStateAsUpdateV2(this.doc);
  }

  /** Throws InvalidAnchor unless the anchor points into this clause. */
  validateAnchor(clauseId: string, anchor: EncodedAnchor): void {
    const body = this.body(clauseId);
    if (!body) throw new InvalidAnchor('the clause does not exist');
    validateAnchor(this.doc, body, anchor);
  }

  anchorState(clauseId: string, anchor: EncodedAnchor, quote: string): AnchorState {
    try {
      return resolveAnchor(this.doc, this.body(clauseId), anchor, quote);
    } catch (error) {
      if (error instanceof InvalidAnchor) return 'removed';
      throw error;
    }
  }

  /** Client ids whose characters are in the clause now. */
  authorClients(clauseId: string): number[] {
    const ids = new Set<number>();
    for (const piece of this.pieces(clauseId) ?? []) if (piece.clientId !== null) ids.add(piece.clientId);
    return [...ids];
  }

  /**
   * The clause's characters in reading order with the Yjs item that holds each (null for the blank line
   * between paragraphs), laid out exactly like the clause's plain text.
   */
  pieces(clauseId: string): AuthoredPiece[] | null {
    const body = this.body(clauseId);
    if (!body) return null;
    const out: AuthoredPiece[] = [];
    let blocks = 0;
    const walk = (node: Y.XmlFragment | Y.XmlElement) => {
      for (const child of node.toArray()) {
        if (child instanceof Y.XmlText) {
          for (let item = child._start; item !== null; item = item.right) {
            if (!item.deleted && item.content instanceof Y.ContentString) out.push({ text: item.content.str, clientId: item.id.client, clock: item.id.clock });
          }
        } else if (child instanceof Y.XmlElement) {
          if (child.nodeName === 'hardBreak') out.push({ text: '\n', clientId: child._item?.id.client ?? null, clock: child._item?.id.clock ?? null });
          else if (child.nodeName === 'paragraph') {
            if (blocks++ > 0) out.push({ text: '\n\n', clientId: null, clock: null });
            walk(child);
          } else walk(child);
        }
      }
    };
    walk(body);
    return out;
  }

  protected body(clauseId: string): Y.XmlFragment | null {
    const body = clausesOf(this.doc).get(clauseId)?.get(BODY_KEY);
    return body instanceof Y.XmlFragment ? body : null;
  }
}

function present(entry: ClauseEntry, position: number): TextClause {
  const node = clauseNode(entry.body);
  return { id: entry.id, kind: entry.kind, position, text: clauseText(node), markdown: clauseMarkdown(node) };
}

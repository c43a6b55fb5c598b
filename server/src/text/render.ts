import { Fragment, type Mark, type Node as ProseMirrorNode, type NodeType } from '@tiptap/pm/model';
import { MarkdownSerializer, defaultMarkdownSerializer } from 'prosemirror-markdown';
import * as Y from 'yjs';
import { clauseSchema, isSafeHref } from '@draftroom/shared/collab-schema';
import { escapeLineStart } from './escape.ts';
import { MAX_DEPTH, admits, markTypeOf, nodeTypeOf, validMarkValue, validNodeAttribute } from './schema.ts';

const nodes = defaultMarkdownSerializer.nodes;
const marks = defaultMarkdownSerializer.marks;

/** Markdown for the clause schema (Tiptap's node names, prosemirror-markdown's rules). */
const markdown = new MarkdownSerializer(
  {
    doc: (state, node) => state.renderContent(node),
    paragraph: nodes.paragraph!,
    // Text after a hard break starts a line too: "- " or "1. " there must not become a list.
    text: (state, node, parent, index) => {
      const atBlockStart = (state as unknown as { atBlockStart: boolean }).atBlockStart;
      const lineStart = atBlockStart || (index > 0 && parent.child(index - 1).type.name === 'hardBreak');
      const escaped = state.esc(node.text!, lineStart);
      state.text(lineStart ? escapeLineStart(escaped) : escaped, false);
    },
    hardBreak: nodes.hard_break!,
    bulletList: nodes.bullet_list!,
    // prosemirror-markdown reads `order`; Tiptap's ordered list keeps its first number in `start`.
    orderedList: (state, node, _parent, index) => {
      const start = Number(node.attrs.start ?? 1);
      const width = String(start + node.childCount - 1).length;
      // A list not numbered from 1 cannot interrupt a paragraph (CommonMark): after an item's text in a
      // tight list it would read as more of that text. A blank line before it keeps it a list.
      const list = state as unknown as { inTightList: boolean };
      const tight = list.inTightList;
      if (start !== 1 && index > 0) list.inTightList = false;
      state.renderList(node, ' '.repeat(width + 2), (i) => {
        const number = String(start + i);
        return `${' '.repeat(width - number.length)}${number}. `;
      });
      list.inTightList = tight;
    },
    listItem: nodes.list_item!,
  },
  {
    bold: marks.strong!,
    italic: marks.em!,
    code: marks.code!,
    link: {
      open: (_state, mark) => (isSafeHref(String(mark.attrs.href)) ? '[' : ''),
      close: (state, mark) => {
        const href = String(mark.attrs.href);
        return isSafeHref(href) ? `](${state.esc(href.replaceAll('(', '%28').replaceAll(')', '%29'))})` : '';
      },
    },
  },
  // HTML, entities and table pipes: characters the default escaping leaves alone (it targets Markdown;
  // a `>` only matters at the start of a line, where it already escapes it).
  { escapeExtraCharacters: /[<&|]/g, hardBreakNodeName: 'hardBreak' },
);

function textNodes(text: Y.XmlText, parent: NodeType): ProseMirrorNode[] {
  const out: ProseMirrorNode[] = [];
  for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    if (typeof op.insert !== 'string' || op.insert.length === 0) continue;
    let set: readonly Mark[] = [];
    for (const [key, value] of Object.entries(op.attributes ?? {})) {
      const type = markTypeOf(key);
      if (!type || !parent.allowsMarkType(type) || !validMarkValue(type, value) || value === null) continue;
      set = type.create(value as Record<string, unknown>).addToSet(set);
    }
    out.push(clauseSchema.text(op.insert, set));
  }
  return out;
}

export function elementNode(element: Y.XmlElement, depth: number): ProseMirrorNode | null {
  const type = nodeTypeOf(element.nodeName);
  if (!type || type.isText || depth > MAX_DEPTH) return null;
  const attrs: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(element.getAttributes())) {
    if (validNodeAttribute(type, name, value)) attrs[name] = value;
  }
  return fill(type, attrs, children(element, type, depth));
}

function children(parent: Y.XmlFragment | Y.XmlElement, type: NodeType, depth: number): ProseMirrorNode[] {
  const out: ProseMirrorNode[] = [];
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlText) {
      if (type.inlineContent) out.push(...textNodes(child, type));
    } else if (child instanceof Y.XmlElement) {
      const node = elementNode(child, depth + 1);
      if (node && admits(type, node.type)) out.push(node);
    }
  }
  return out;
}

/**
 * The node with as much of its content as fits: ProseMirror fills in what a content expression requires
 * (a list item's first paragraph) and, when the children cannot be made to fit in order, keeps the
 * longest fitting prefix.
 */
function fill(type: NodeType, attrs: Record<string, unknown>, content: ProseMirrorNode[]): ProseMirrorNode | null {
  for (let keep = content.length; keep >= 0; keep--) {
    const node = type.createAndFill(attrs, Fragment.fromArray(content.slice(0, keep)));
    if (node) return node;
  }
  return null;
}

/**
 * A clause body as a ProseMirror doc of the clause schema. Never throws: content the schema does not know
 * (written before updates were checked, or combined by concurrent edits into an invalid order) is left
 * out or completed, the way the editor itself would show it.
 */
export function clauseNode(body: Y.XmlFragment): ProseMirrorNode {
  const doc = clauseSchema.topNodeType;
  return fill(doc, {}, children(body, doc, 0)) ?? doc.createAndFill()!;
}

/** Plain text of a clause: blocks separated by a blank line, hard breaks as newlines. */
export function clauseText(node: ProseMirrorNode): string {
  const blocks: string[] = [];
  node.descendants((child) => {
    if (child.isTextblock) {
      blocks.push(child.textBetween(0, child.content.size, undefined, (leaf) => (leaf.type.name === 'hardBreak' ? '\n' : '')));
      return false;
    }
    return true;
  });
  return blocks.join('\n\n');
}

export function clauseMarkdown(node: ProseMirrorNode): string {
  // HTML, entities, tables: characters the default escaping leaves alone (it targets Markdown only).
  return markdown.serialize(node, { tightLists: true });
}

export function renderClause(body: Y.XmlFragment): { text: string; markdown: string } {
  const node = clauseNode(body);
  return { text: clauseText(node), markdown: clauseMarkdown(node) };
}

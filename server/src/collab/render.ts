import { yXmlFragmentToProsemirror } from '@tiptap/y-tiptap';
import { MarkdownSerializer, defaultMarkdownSerializer } from 'prosemirror-markdown';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import type * as Y from 'yjs';
import { clauseSchema, isSafeHref } from '@draftroom/shared/collab-schema';

const nodes = defaultMarkdownSerializer.nodes;
const marks = defaultMarkdownSerializer.marks;

/** Markdown for the clause schema (Tiptap's node names, prosemirror-markdown's rules). */
const markdown = new MarkdownSerializer(
  {
    doc: (state, node) => state.renderContent(node),
    paragraph: nodes.paragraph!,
    text: nodes.text!,
    hardBreak: nodes.hard_break!,
    bulletList: nodes.bullet_list!,
    orderedList: nodes.ordered_list!,
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
);

export function clauseNode(body: Y.XmlFragment): ProseMirrorNode {
  return yXmlFragmentToProsemirror(clauseSchema, body);
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
  return markdown.serialize(node, { tightLists: true });
}

export function renderClause(body: Y.XmlFragment): { text: string; markdown: string } {
  const node = clauseNode(body);
  return { text: clauseText(node), markdown: clauseMarkdown(node) };
}

import type { JSONContent } from '@tiptap/react';
import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { clauseSchema } from '@draftroom/shared/collab-schema';

/** Plain text → clause JSON as the server reads `text`: blank lines part paragraphs, single newlines are hard breaks. */
export function textToClauseJson(text: string): JSONContent {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n{2,}/)
    .filter((paragraph) => paragraph.length > 0);
  return {
    type: 'doc',
    content: (paragraphs.length > 0 ? paragraphs : ['']).map((paragraph) => ({
      type: 'paragraph',
      content: paragraph
        .split('\n')
        .flatMap((line, index) => [...(index > 0 ? [{ type: 'hardBreak' }] : []), ...(line.length > 0 ? [{ type: 'text', text: line }] : [])]),
    })),
  };
}

/**
 * What a proposal starts from: the clause as it reads now, formatting included (the live Y.XmlFragment
 * read as ProseMirror JSON and checked against the clause schema), or its plain text when there is no
 * usable rich content.
 */
export function initialProposal(body: Y.XmlFragment | null, fallbackText: string): JSONContent {
  if (body) {
    try {
      const node = clauseSchema.nodeFromJSON(yXmlFragmentToProsemirrorJSON(body));
      node.check();
      if (node.textContent.trim() !== '' || fallbackText.trim() === '') return node.toJSON() as JSONContent;
    } catch {
      // Fall through to the plain text.
    }
  }
  return textToClauseJson(fallbackText);
}

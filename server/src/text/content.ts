import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { clauseSchema, isSafeHref } from '@draftroom/shared/collab-schema';
import { invalidInput } from '../errors.ts';
import { clauseMarkdown, clauseText } from './render.ts';
import { contentFromJson } from './write.ts';
import { MAX_DEPTH } from './schema.ts';

/** Plain text → clause JSON: blank lines separate paragraphs, single newlines are hard breaks. */
export function textToClauseJson(text: string): object {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n{2,}/)
    .filter((p) => p.length > 0);
  return {
    type: 'doc',
    content: paragraphs.map((paragraph) => ({
      type: 'paragraph',
      content: paragraph
        .split('\n')
        .flatMap((line, i) => [...(i > 0 ? [{ type: 'hardBreak' }] : []), ...(line.length > 0 ? [{ type: 'text', text: line }] : [])]),
    })),
  };
}

/** Validates client-supplied clause content (plain text or ProseMirror JSON) against the shared schema. */
export function parseClauseContent(input: { text?: string; content?: object }): ProseMirrorNode {
  if (input.text !== undefined && input.content !== undefined) {
    throw invalidInput('Send either text or content, not both', [{ path: '/content', message: 'must not be sent with text' }]);
  }
  const json = input.content ?? textToClauseJson(input.text ?? '');
  let node: ProseMirrorNode;
  try {
    node = clauseSchema.nodeFromJSON(json);
    node.check();
  } catch (error) {
    throw invalidInput('The content does not fit the clause schema', [
      { path: '/content', message: error instanceof Error ? error.message.slice(0, 200) : 'is invalid' },
    ]);
  }
  if (node.type.name !== 'doc') throw invalidInput('The content must be a doc node', [{ path: '/content/type', message: 'must be doc' }]);
  checkClauseNode(node);
  return node;
}

/**
 * What the schema itself does not say about a clause: no NUL, no deeper nesting than the document
 * takes, only safe links. `path` names the field the content came from in the caller's body.
 */
export function checkClauseNode(node: ProseMirrorNode, path = '/content'): void {
  if (node.textContent.includes('\u0000')) throw invalidInput('The text cannot contain NUL characters', [{ path, message: 'contains NUL' }]);
  // Walked with a stack, not by resolving each position: that scans a block's children once per child,
  // quadratic for a paragraph of many differently formatted runs.
  let deepest = 0;
  const stack: [ProseMirrorNode, number][] = [[node, 0]];
  while (stack.length > 0 && deepest <= MAX_DEPTH) {
    const [current, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    current.forEach((child) => {
      stack.push([child, depth + 1]);
    });
  }
  if (deepest > MAX_DEPTH) throw invalidInput(`The content is nested more than ${MAX_DEPTH} levels deep`, [{ path, message: 'is nested too deeply' }]);
  node.descendants((child) => {
    for (const mark of child.marks) {
      if (mark.type.name === 'link' && !isSafeHref(String(mark.attrs.href))) {
        throw invalidInput('Links must be http, https or mailto', [{ path, message: 'has an unsafe link' }]);
      }
    }
  });
}

/** Text and Markdown of content that is not (yet) in the document, rendered like clause text. */
export function renderContent(node: ProseMirrorNode): { text: string; markdown: string } {
  return { text: clauseText(node), markdown: clauseMarkdown(node) };
}

/**
 * Markdown of stored clause content (a version's clause, a proposal), rendered now rather than read
 * from the Markdown stored beside it: rows written before user text was escaped carry raw HTML, and
 * published versions can never be rewritten.
 */
export function storedMarkdown(content: unknown): string {
  return clauseMarkdown(contentFromJson(content));
}

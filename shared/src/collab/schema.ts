import { getSchema, type AnyExtension } from '@tiptap/core';
import Bold from '@tiptap/extension-bold';
import Code from '@tiptap/extension-code';
import Document from '@tiptap/extension-document';
import HardBreak from '@tiptap/extension-hard-break';
import Italic from '@tiptap/extension-italic';
import Link from '@tiptap/extension-link';
import { BulletList, ListItem, OrderedList } from '@tiptap/extension-list';
import Paragraph from '@tiptap/extension-paragraph';
import Text from '@tiptap/extension-text';

/** Only these link schemes survive in clause text; `javascript:` and friends never do. */
export const LINK_PROTOCOLS = ['http', 'https', 'mailto'];

export function isSafeHref(href: string): boolean {
  try {
    const url = new URL(href);
    return LINK_PROTOCOLS.includes(url.protocol.replace(/:$/, ''));
  } catch {
    return false;
  }
}

/**
 * The one editor schema of a clause body: paragraphs, bullet and ordered lists, bold, italic, links,
 * inline code and hard breaks. The browser editor uses these extensions (plus collaboration); the server
 * builds the same ProseMirror schema from them to render text and Markdown.
 */
export const clauseExtensions: AnyExtension[] = [
  Document,
  Paragraph,
  Text,
  Bold,
  Italic,
  Code,
  HardBreak,
  BulletList,
  OrderedList,
  ListItem,
  Link.configure({
    openOnClick: false,
    autolink: true,
    protocols: LINK_PROTOCOLS,
    isAllowedUri: (url) => isSafeHref(url),
    HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: null },
  }),
];

export const clauseSchema = getSchema(clauseExtensions);

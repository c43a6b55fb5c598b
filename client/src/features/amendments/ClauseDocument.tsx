import type { ReactNode } from 'react';
import type { Mark, Node as ProseMirrorNode } from '@tiptap/pm/model';
import { clauseSchema, isSafeHref } from '@draftroom/shared/collab-schema';

/**
 * A clause's rich content (ProseMirror JSON of the clause schema, as the API sends a proposal) as static
 * formatted text. React builds the elements; no HTML string is ever produced, and links keep only safe
 * schemes. Returns null for content that does not fit the schema (the caller shows plain text instead).
 */
export function clauseFromContent(json: unknown): ProseMirrorNode | null {
  try {
    const doc = clauseSchema.nodeFromJSON(json);
    doc.check();
    return doc;
  } catch {
    return null;
  }
}

/** True when the text has anything plain text cannot show: marks or lists. */
export function hasFormatting(doc: ProseMirrorNode): boolean {
  let found = false;
  doc.descendants((node) => {
    if (found) return false;
    if (node.type.name === 'bulletList' || node.type.name === 'orderedList' || (node.isText && node.marks.length > 0)) found = true;
    return !found;
  });
  return found;
}

function withMark(mark: Mark, children: ReactNode, key: number): ReactNode {
  switch (mark.type.name) {
    case 'bold':
      return <strong key={key}>{children}</strong>;
    case 'italic':
      return <em key={key}>{children}</em>;
    case 'code':
      return <code key={key}>{children}</code>;
    case 'link': {
      const href = String(mark.attrs.href);
      return isSafeHref(href) ? (
        <a key={key} href={href} rel="noopener noreferrer nofollow">
          {children}
        </a>
      ) : (
        children
      );
    }
    default:
      return children;
  }
}

function renderChildren(node: ProseMirrorNode): ReactNode[] {
  const out: ReactNode[] = [];
  node.forEach((child, _offset, index) => {
    out.push(renderNode(child, index));
  });
  return out;
}

function renderNode(node: ProseMirrorNode, key: number): ReactNode {
  switch (node.type.name) {
    case 'paragraph':
      return <p key={key}>{renderChildren(node)}</p>;
    case 'bulletList':
      return <ul key={key}>{renderChildren(node)}</ul>;
    case 'orderedList': {
      const start = Number(node.attrs.start ?? 1);
      return (
        <ol key={key} start={start !== 1 ? start : undefined}>
          {renderChildren(node)}
        </ol>
      );
    }
    case 'listItem':
      return <li key={key}>{renderChildren(node)}</li>;
    case 'hardBreak':
      return <br key={key} />;
    case 'text':
      return node.marks.reduceRight<ReactNode>((inner, mark) => withMark(mark, inner, key), node.text);
    default:
      return <span key={key}>{renderChildren(node)}</span>;
  }
}

/** A clause document as static formatted text (the same look as the editor's). */
export function ClauseDocument({ doc, className }: { doc: ProseMirrorNode; className?: string }) {
  return <div className={`clause-text clause-text-static${className ? ` ${className}` : ''}`}>{renderChildren(doc)}</div>;
}

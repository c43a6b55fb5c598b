import { Fragment } from 'react';
import type { SnippetPart } from '@draftroom/shared';

/** A result's snippet: plain text, the matched words in <mark> — React escapes every part, no HTML is ever inserted. */
export function Snippet({ parts }: { parts: SnippetPart[] }) {
  return (
    <p className="search-snippet">
      {parts.map((part, index) => (part.mark ? <mark key={index}>{part.text}</mark> : <Fragment key={index}>{part.text}</Fragment>))}
    </p>
  );
}

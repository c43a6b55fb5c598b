import type { SnippetPart } from '@draftroom/shared';

/**
 * ts_headline marks matches with the two characters below; the text it is given has them removed
 * first (repository.ts), so every one in its answer is a marker. They become parts the client renders
 * as text and <mark> — nothing in a snippet is ever HTML.
 */
export const MARK_START = '\u0001';
export const MARK_END = '\u0002';

export function snippetParts(headline: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let mark = false;
  let text = '';
  const flush = () => {
    if (text === '') return;
    const last = parts.at(-1);
    if (last && last.mark === mark) last.text += text;
    else parts.push({ text, mark });
    text = '';
  };
  for (const char of headline) {
    if (char === MARK_START || char === MARK_END) {
      flush();
      mark = char === MARK_START;
    } else {
      text += char;
    }
  }
  flush();
  return parts;
}

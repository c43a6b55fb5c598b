import { diffArrays } from 'diff';

type Style = 'bold' | 'italic' | 'code' | 'link';
const STYLE_WORDS: Record<Style, [string, string]> = {
  bold: ['made bold', 'no longer bold'],
  italic: ['made italic', 'no longer italic'],
  code: ['made code', 'no longer code'],
  link: ['made a link', 'no longer a link'],
};
const LIST_MARKER = /^(?:[-+*]|\d+[.)])$/;
const HEADING_MARKER = /^#{1,6}$/;

/** A Markdown word's styles and its words without markup. */
function styled(token: string): { plain: string; styles: Set<Style> } {
  const styles = new Set<Style>();
  let rest = token;
  if (/\]\([^)]*\)/.test(rest) || rest.startsWith('[')) {
    styles.add('link');
    rest = rest.replace(/\]\([^)]*\)/g, '').replace(/^\[/, '');
  }
  if (rest.includes('`')) {
    styles.add('code');
    rest = rest.replaceAll('`', '');
  }
  if (rest.includes('**') || rest.includes('__')) {
    styles.add('bold');
    rest = rest.replaceAll('**', '').replaceAll('__', '');
  }
  if (/^[*_]|[*_](?=[^\w]*$)/.test(rest)) {
    styles.add('italic');
    rest = rest.replace(/^[*_]+/, '').replace(/[*_]+(?=[^\w]*$)/, '');
  }
  return { plain: rest.replaceAll('\\', ''), styles };
}

/**
 * What formatting an edit changed, in words ("made bold: “free software”", "became a list item"),
 * from the Markdown of a clause before and after. Words whose text changed are the word diff's to
 * show; this names only the words that stayed and changed style, and blocks that changed kind.
 */
export function describeFormatting(beforeMarkdown: string, afterMarkdown: string): string[] {
  if (beforeMarkdown === afterMarkdown) return [];
  const tokens = (markdown: string) => markdown.split(/\s+/).filter((token) => token.length > 0);
  const said: string[] = [];
  const say = (text: string) => {
    if (!said.includes(text)) said.push(text);
  };
  let run: { words: string[]; change: string } | null = null;
  const endRun = () => {
    if (run) say(`${run.change}: “${run.words.join(' ')}”`);
    run = null;
  };
  const parts = diffArrays(tokens(beforeMarkdown), tokens(afterMarkdown));
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    if (!part.added && !part.removed) {
      endRun();
      continue;
    }
    const next = parts[index + 1];
    const removed = part.removed ? part.value : [];
    const added = part.removed ? (next?.added ? next.value : []) : part.value;
    if (part.removed && next?.added) index++;
    const blockMarkers = (list: string[], kind: 'added' | 'removed') => {
      for (const token of list) {
        if (LIST_MARKER.test(token)) say(kind === 'added' ? 'became a list item' : 'no longer a list item');
        else if (HEADING_MARKER.test(token)) say(kind === 'added' ? 'became a heading' : 'no longer a heading');
      }
    };
    blockMarkers(removed, 'removed');
    blockMarkers(added, 'added');
    const before = removed.filter((token) => !LIST_MARKER.test(token) && !HEADING_MARKER.test(token)).map(styled);
    const after = added.filter((token) => !LIST_MARKER.test(token) && !HEADING_MARKER.test(token)).map(styled);
    if (before.length !== after.length || before.some((word, i) => word.plain !== after[i]!.plain)) {
      endRun();
      continue;
    }
    for (let i = 0; i < before.length; i++) {
      const changes = (Object.keys(STYLE_WORDS) as Style[]).flatMap((style) => {
        const was = before[i]!.styles.has(style);
        const is = after[i]!.styles.has(style);
        return was === is ? [] : [STYLE_WORDS[style][is ? 0 : 1]];
      });
      const change = changes.join(', ');
      if (!change) {
        endRun();
        continue;
      }
      const current = run as { words: string[]; change: string } | null;
      if (current && current.change === change) current.words.push(after[i]!.plain);
      else {
        endRun();
        run = { words: [after[i]!.plain], change };
      }
    }
  }
  endRun();
  return said;
}

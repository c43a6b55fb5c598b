/** The elements whose inline content is one textblock of a clause, as its rendered HTML shows them. */
const TEXTBLOCK = 'p, li, h1, h2, h3, h4, h5, h6';

/**
 * A clause's plain text as the server lays it out (server/src/text/render.ts, `clauseText`: every
 * textblock's text, hard breaks as "\n", textblocks joined by a blank line), read from the clause's
 * rendered HTML — a published version's page shows HTML, not an editor — and where a DOM range falls in
 * it. Newlines in text nodes are the renderer's layout (clause text has none but hard breaks, which are
 * <br>). The caller compares `text` with the clause's own text and trusts the offsets only when they
 * agree: HTML that reads otherwise (an empty paragraph, say) gives no selection rather than a wrong one.
 * `range` is null when the DOM range holds none of the clause's characters.
 */
export function renderedPlainRange(container: HTMLElement, range: Range | null): { text: string; range: { from: number; to: number } | null } {
  const walker = container.ownerDocument.createTreeWalker(container, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  let text = '';
  let block: Element | null = null;
  let from = -1;
  let to = -1;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const isBreak = node.nodeName === 'BR';
    if (node.nodeType !== Node.TEXT_NODE && !isBreak) continue;
    const owner = (isBreak ? (node as Element) : node.parentElement)?.closest(TEXTBLOCK);
    if (!owner || !container.contains(owner)) continue;
    const raw = node.textContent ?? '';
    const piece = isBreak ? '\n' : raw.replaceAll('\n', '');
    if (piece === '') continue;
    if (owner !== block) {
      if (block !== null) text += '\n\n';
      block = owner;
    }
    const start = text.length;
    text += piece;
    if (range?.intersectsNode(node)) {
      const within = (offset: number) => raw.slice(0, offset).replaceAll('\n', '').length;
      const s = !isBreak && node === range.startContainer ? within(range.startOffset) : 0;
      const e = !isBreak && node === range.endContainer ? within(range.endOffset) : piece.length;
      if (from < 0) from = start + s;
      to = start + e;
    }
  }
  return { text, range: from >= 0 && to > from ? { from, to } : null };
}

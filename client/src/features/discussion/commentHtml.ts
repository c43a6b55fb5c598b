const ALLOWED_TAGS = new Set([
  'P',
  'BR',
  'EM',
  'STRONG',
  'CODE',
  'PRE',
  'BLOCKQUOTE',
  'UL',
  'OL',
  'LI',
  'A',
  'DEL',
  'S',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HR',
  'SPAN',
]);

/**
 * The server sends comment HTML already sanitized; this second pass, in an inert document (no
 * scripts run, nothing loads), keeps a server bug from becoming script in people's browsers: only
 * plain formatting survives, and links only to http(s) and mailto.
 */
export function cleanCommentHtml(html: string): string {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const clean = (element: Element) => {
    for (const child of Array.from(element.children)) {
      if (!ALLOWED_TAGS.has(child.tagName)) {
        // Unknown wrappers give up their text; script-like elements go entirely.
        if (['SCRIPT', 'STYLE', 'IFRAME', 'OBJECT', 'EMBED', 'TEMPLATE', 'SVG', 'MATH', 'IMG'].includes(child.tagName.toUpperCase())) child.remove();
        else child.replaceWith(parsed.createTextNode(child.textContent ?? ''));
        continue;
      }
      for (const attribute of Array.from(child.attributes)) {
        if (!(child.tagName === 'A' && attribute.name === 'href')) child.removeAttribute(attribute.name);
      }
      if (child.tagName === 'A') {
        const href = child.getAttribute('href') ?? '';
        if (!/^(https?:|mailto:)/i.test(href.trim())) child.removeAttribute('href');
        else child.setAttribute('rel', 'nofollow noopener noreferrer');
      }
      clean(child);
    }
  };
  clean(parsed.body);
  return parsed.body.innerHTML;
}

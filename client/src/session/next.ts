/** Any origin will do: only whether a path stays on it matters. */
const HERE = 'http://draftroom.invalid';

/**
 * Where to go after signing in: only a path on this site, never `//elsewhere`, `/\elsewhere`, a full
 * URL or a `javascript:` one. Control characters and backslashes are refused outright (browsers drop
 * tabs and newlines from URLs and read `\` as `/`, so `/<tab>/evil.example` would become
 * `//evil.example`), and what is left is resolved as a URL and kept only if it stays on this site.
 * The sign-in and register pages themselves lead home instead (no loop). Anything else: home.
 */
export function safeNext(next: string | null): string {
  if (!next || next.length > 2000 || !next.startsWith('/')) return '/';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused here
  if (/[\u0000-\u001F\u007F\\]/.test(next) || next.startsWith('//')) return '/';
  let url: URL;
  try {
    url = new URL(next, HERE);
  } catch {
    return '/';
  }
  if (url.origin !== HERE || url.pathname === '/login' || url.pathname === '/register') return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page, with a way back to `path` (when it is a page worth coming back to). */
export function loginPath(path: string): string {
  const next = safeNext(path);
  return next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}

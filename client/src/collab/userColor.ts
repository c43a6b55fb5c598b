/**
 * Collaborator colours. The production CSP forbids inline styles, so a colour is a class
 * (`collab-color-N`, defined in styles/editor.css) rather than a style attribute; the hex value
 * travels in awareness only because y-tiptap expects a `#rrggbb` colour there. All of them carry
 * white text at a contrast of at least 4.5:1.
 */
export const COLLAB_COLORS = ['#b42318', '#1d4ed8', '#1b6b2f', '#7e22ce', '#a1450b', '#0e6672', '#9d174d', '#4b5563'] as const;

/** The same colour for a user in every session and every browser: a hash of their id. */
export function colorIndexFor(userId: string): number {
  // FNV-1a, 32 bits.
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % COLLAB_COLORS.length;
}

export function colorFor(userId: string): string {
  return COLLAB_COLORS[colorIndexFor(userId)]!;
}

/** The class for a colour another client announced (untrusted): one of ours, or a neutral one. */
export function colorClassFor(color: unknown): string {
  const index = COLLAB_COLORS.indexOf(color as (typeof COLLAB_COLORS)[number]);
  return index >= 0 ? `collab-color-${index}` : 'collab-color-unknown';
}

import { useSyncExternalStore } from 'react';

/** Whether a media query matches now, followed as the window changes (a phone turned, a window resized). */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (changed) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', changed);
      return () => list.removeEventListener('change', changed);
    },
    () => window.matchMedia(query).matches,
    () => false,
  );
}

/** Below this width the discussion is not a column beside the text (styles/discussion.css has the same). */
export const NARROW = '(max-width: 63.99rem)';

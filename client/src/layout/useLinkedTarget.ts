import { useEffect, useRef } from 'react';

/**
 * A deep link (from a notification, a mail or a search result) names one item on the page: once the
 * element with this id is on the page, it is scrolled into view and takes the focus — once per link,
 * so later updates of the list (pushed by the live channel) do not pull the reader back to it.
 */
export function useLinkedTarget(elementId: string | null): void {
  const reached = useRef<string | null>(null);
  useEffect(() => {
    if (!elementId || reached.current === elementId) return;
    const element = document.getElementById(elementId);
    if (!element) return;
    reached.current = elementId;
    element.scrollIntoView({ block: 'start' });
    element.focus({ preventScroll: true });
  });
}

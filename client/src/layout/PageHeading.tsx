import { useEffect, useRef, type ReactNode } from 'react';
import { useLocation } from 'react-router';

/**
 * The page's h1. After a client-side navigation it takes the keyboard focus, so screen readers
 * announce the new page and Tab continues from the top of its content (as after a full page load).
 */
export function PageHeading({ children, title }: { children: ReactNode; title: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const location = useLocation();

  useEffect(() => {
    document.title = `${title} · Draftroom`;
  }, [title]);

  useEffect(() => {
    // 'default' is the key of the entry the browser loaded; there the focus stays at the document start.
    // Only a new path is a new page: a changed query (the versions compared) keeps the focus where it is.
    if (location.key !== 'default') heading.current?.focus();
  }, [location.pathname]);

  return (
    <h1 ref={heading} tabIndex={-1} className="page-heading">
      {children}
    </h1>
  );
}

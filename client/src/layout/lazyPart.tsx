import { type ComponentType, type LazyExoticComponent, lazy, type ReactNode, Suspense } from 'react';

/**
 * A part of a page loaded the first time it is shown (a dialog, a panel opened from a menu), so that
 * reading the page does not wait for its code. Shown inside <Deferred>.
 */
export function lazyPart<Props extends object>(load: () => Promise<ComponentType<Props>>): LazyExoticComponent<ComponentType<Props>> {
  return lazy(async () => ({ default: await load() }));
}

/** Where a lazy part is shown: a quiet line says it is coming while its code arrives. */
export function Deferred({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <p role="status" className="muted">
          Loading…
        </p>
      }
    >
      {children}
    </Suspense>
  );
}

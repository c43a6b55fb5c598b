import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { useSession } from '../session/SessionProvider.tsx';
import { ApiError, isAbort, NETWORK_ERROR } from './client.ts';

export type ResourceState<T> = { status: 'loading' } | { status: 'ready'; data: T } | { status: 'error'; error: ApiError };

export type Resource<T> = ResourceState<T> & {
  /** Loads again, keeping the current data on screen until the answer arrives. */
  reload(): void;
  /** Replaces the data with what a mutation returned, without another request. */
  setData(data: T): void;
};

function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, NETWORK_ERROR, error instanceof Error ? error.message : String(error));
}

/**
 * Loads something from the API when the component mounts and whenever `deps` change. A 401 means
 * the session ended while the page was open, so the session is told and the page goes to sign-in.
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Resource<T> {
  const { signedOut } = useSession();
  const [state, setState] = useState<ResourceState<T>>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const previousDeps = useRef<DependencyList | null>(null);

  useEffect(() => {
    const previous = previousDeps.current;
    previousDeps.current = deps;
    // A different thing to load: do not show the old one meanwhile. A reload keeps it.
    if (previous && (previous.length !== deps.length || deps.some((dep, i) => !Object.is(dep, previous[i])))) {
      setState({ status: 'loading' });
    }
    const controller = new AbortController();
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (controller.signal.aborted || isAbort(error)) return;
        const apiError = asApiError(error);
        if (apiError.status === 401) signedOut('expired');
        setState({ status: 'error', error: apiError });
      },
    );
    return () => controller.abort();
    // The caller's deps decide when to load; `load` itself is read through a ref.
  }, [...deps, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const setData = useCallback((data: T) => setState({ status: 'ready', data }), []);
  return { ...state, reload, setData } as Resource<T>;
}

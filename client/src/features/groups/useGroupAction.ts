import { useCallback, useRef, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { formErrorMessage } from '../../forms/messages.ts';
import { useSession } from '../../session/SessionProvider.tsx';

export interface GroupAction {
  pending: boolean;
  error: string | null;
  status: string | null;
  /** Runs one change; on success shows `done` (a sentence, or built from the result) politely. */
  run<T>(change: () => Promise<T>, done: string | ((result: T) => string)): Promise<boolean>;
}

/** One-button changes (change a role, remove a member, leave) with their pending state and messages. */
export function useGroupAction(): GroupAction {
  const { signedOut } = useSession();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const busy = useRef(false);

  const run = useCallback(
    async <T>(change: () => Promise<T>, done: string | ((result: T) => string)) => {
      if (busy.current) return false;
      busy.current = true;
      setPending(true);
      setError(null);
      setStatus(null);
      try {
        const result = await change();
        setStatus(typeof done === 'string' ? done : done(result));
        return true;
      } catch (caught) {
        if (!(caught instanceof ApiError)) throw caught;
        if (caught.status === 401) signedOut('expired');
        setError(formErrorMessage(caught));
        return false;
      } finally {
        busy.current = false;
        setPending(false);
      }
    },
    [signedOut],
  );
  return { pending, error, status, run };
}

import type { QueryClient } from '@tanstack/react-query';
import type { Disposition, DispositionRegister } from '@draftroom/shared';
import { queryKeys } from '../../api/queryKeys.ts';

/**
 * An item as the server answered a change to it: shown at once in every list of the register that
 * holds it, then every list is read again (the counts, and filters it may have left or entered).
 */
export function storeDisposition(client: QueryClient, item: Disposition): void {
  client.setQueriesData<DispositionRegister>({ queryKey: queryKeys.dispositions(item.definitionId) }, (register) =>
    register ? { ...register, items: register.items.map((existing) => (existing.id === item.id ? item : existing)) } : register,
  );
  void client.invalidateQueries({ queryKey: queryKeys.dispositions(item.definitionId) });
}

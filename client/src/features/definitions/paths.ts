export const definitionPath = (groupSlug: string, definitionId: string) =>
  `/groups/${encodeURIComponent(groupSlug)}/definitions/${encodeURIComponent(definitionId)}`;

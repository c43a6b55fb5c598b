export const definitionPath = (groupSlug: string, definitionId: string) =>
  `/groups/${encodeURIComponent(groupSlug)}/definitions/${encodeURIComponent(definitionId)}`;

/** The public comment page: the latest published version, readable by anyone who can read the group. */
export const publicDefinitionPath = (groupSlug: string, definitionId: string) => `${definitionPath(groupSlug, definitionId)}/public`;

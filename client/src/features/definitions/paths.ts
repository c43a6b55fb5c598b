export const definitionPath = (groupSlug: string, definitionId: string) =>
  `/groups/${encodeURIComponent(groupSlug)}/definitions/${encodeURIComponent(definitionId)}`;

/** The public comment page: the latest published version, readable by anyone who can read the group. */
export const publicDefinitionPath = (groupSlug: string, definitionId: string) => `${definitionPath(groupSlug, definitionId)}/public`;

/** The public register of one published version: conformance reviews against it and its endorsements (anyone may read it for a public group). */
export const registerPagePath = (groupSlug: string, definitionId: string, label: string) =>
  `${definitionPath(groupSlug, definitionId)}/versions/${encodeURIComponent(label)}/register`;

/** The members' disposition register (the Dispositions tab); `?item=ID` scrolls to one item. */
export const dispositionsPath = (groupSlug: string, definitionId: string) => `${definitionPath(groupSlug, definitionId)}/dispositions`;

/** The public register of how public comments were answered: anyone who reads the published versions. */
export const publicDispositionsPath = (groupSlug: string, definitionId: string) => `${publicDefinitionPath(groupSlug, definitionId)}/dispositions`;

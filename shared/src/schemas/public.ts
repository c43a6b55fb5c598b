import { Type, type Static } from 'typebox';
import { Timestamp, Uuid } from './common.ts';
import { DefinitionStatus } from './definitions.ts';

/** A published version, as lists name it. */
export const PublishedVersionRef = Type.Object({ label: Type.String(), publishedAt: Timestamp });
export type PublishedVersionRef = Static<typeof PublishedVersionRef>;

/** A public group as the front door lists it (its charter cut to a few lines). */
export const PublicGroupSummary = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  charter: Type.String({ description: 'the first 280 characters of the charter' }),
  memberCount: Type.Integer(),
  definitionCount: Type.Integer(),
});
export type PublicGroupSummary = Static<typeof PublicGroupSummary>;

/** A definition of a public group with something published: what anyone may read of it. */
export const PublishedDefinition = Type.Object({
  definitionId: Uuid,
  title: Type.String(),
  status: DefinitionStatus,
  groupSlug: Type.String(),
  groupName: Type.String(),
  /** End of the public comment period, UTC (null: none set). */
  commentDeadline: Type.Union([Timestamp, Type.Null()]),
  /** Whether anyone signed in may comment on it now (public comment status, before the deadline). */
  commentsOpen: Type.Boolean(),
  latestVersion: PublishedVersionRef,
});
export type PublishedDefinition = Static<typeof PublishedDefinition>;

/** The front door: what Draftroom shows anyone, signed in or not. */
export const PublicOverview = Type.Object({
  groups: Type.Array(PublicGroupSummary, { description: 'public groups, most active first (at most 50)' }),
  openForComment: Type.Array(PublishedDefinition, { description: 'definitions open for public comment, the nearest deadline first (at most 20)' }),
  latestVersions: Type.Array(PublishedDefinition, { description: 'the most recently published definitions, newest first (at most 10)' }),
});
export type PublicOverview = Static<typeof PublicOverview>;

/** One group's definitions that have a published version (anyone who can read the group). */
export const PublishedDefinitionList = Type.Object({ definitions: Type.Array(PublishedDefinition) });
export type PublishedDefinitionList = Static<typeof PublishedDefinitionList>;

import type { Migration } from 'kysely';
import * as foundation from './20261127T0930_foundation.ts';
import * as definitions from './20261127T1000_definitions.ts';
import * as updateArchive from './20261127T1030_update_archive.ts';
import * as versions from './20261127T1100_versions.ts';
import * as amendments from './20261127T1130_amendments.ts';
import * as comments from './20261127T1200_comments.ts';
import * as ballots from './20261127T1230_ballots.ts';
import * as commentDeadline from './20261127T1300_comment_deadline.ts';
import * as ballotMarks from './20261127T1400_ballot_marks.ts';
import * as chainHeads from './20261127T1500_chain_heads.ts';
import * as dropLastVotedAt from './20261127T1600_drop_last_voted_at.ts';
import * as requireFunction from './20261127T1700_require.ts';
import * as secretVotesAtRest from './20261127T1800_secret_votes_at_rest.ts';
import * as threadAudience from './20261127T1900_thread_audience.ts';
import * as emailConfirmation from './20261127T2000_email_confirmation.ts';
import * as live from './20261128T1000_live.ts';
import * as notifications from './20261128T1100_notifications.ts';
import * as search from './20261128T1200_search.ts';
import * as docCommit from './20261129T1000_doc_commit.ts';
import * as docCommitUpdate from './20261129T1100_doc_commit_update.ts';
import * as conformance from './20261129T1200_conformance.ts';
import * as endorsements from './20261129T1300_endorsements.ts';
import * as endorsementRenewal from './20261129T1400_endorsement_renewal.ts';
import * as reviewNotifications from './20261129T1500_review_notifications.ts';
import * as liveConformance from './20261129T1600_live_conformance.ts';
import * as dispositions from './20261129T1700_dispositions.ts';
import * as glossary from './20261129T1800_glossary.ts';

/**
 * Every migration, keyed by its file name (without extension); Kysely applies them in key order.
 * Listed statically so they load the same under tsx, Vitest and any bundler; a test checks that
 * this list matches the folder.
 */
export const migrations: Record<string, Migration> = {
  '20261127T0930_foundation': foundation,
  '20261127T1000_definitions': definitions,
  '20261127T1030_update_archive': updateArchive,
  '20261127T1100_versions': versions,
  '20261127T1130_amendments': amendments,
  '20261127T1200_comments': comments,
  '20261127T1230_ballots': ballots,
  '20261127T1300_comment_deadline': commentDeadline,
  '20261127T1400_ballot_marks': ballotMarks,
  '20261127T1500_chain_heads': chainHeads,
  '20261127T1600_drop_last_voted_at': dropLastVotedAt,
  '20261127T1700_require': requireFunction,
  '20261127T1800_secret_votes_at_rest': secretVotesAtRest,
  '20261127T1900_thread_audience': threadAudience,
  '20261127T2000_email_confirmation': emailConfirmation,
  '20261128T1000_live': live,
  '20261128T1100_notifications': notifications,
  '20261128T1200_search': search,
  '20261129T1000_doc_commit': docCommit,
  '20261129T1100_doc_commit_update': docCommitUpdate,
  '20261129T1200_conformance': conformance,
  '20261129T1300_endorsements': endorsements,
  '20261129T1400_endorsement_renewal': endorsementRenewal,
  '20261129T1500_review_notifications': reviewNotifications,
  '20261129T1600_live_conformance': liveConformance,
  '20261129T1700_dispositions': dispositions,
  '20261129T1800_glossary': glossary,
};

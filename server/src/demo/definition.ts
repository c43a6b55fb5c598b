import type { Role } from '@draftroom/shared';
import { proposeAmendment } from '../amendments/service.ts';
import { closeBallot, createBallot, openBallot, vote } from '../ballots/service.ts';
import { decide as decideDisposition, raiseObjection, respond as respondToDisposition } from '../dispositions/service.ts';
import { addGlossaryTerm, setLanguageChecks } from '../language/service.ts';
import { VoteBatcher } from '../ballots/votes.ts';
import { insertClauseAsUser, replaceClauseAsUser } from '../definitions/clauses.ts';
import type { DocumentRegistry } from '../collab/registry.ts';
import { createThread } from '../comments/service.ts';
import type { Db } from '../db/database.ts';
import { createDefinition } from '../definitions/service.ts';
import { publishVersion } from '../versions/service.ts';
import { seedDemoConformance } from './conformance.ts';
import { DEMO_GROUP_SLUG } from './seed.ts';

const TEXT: { kind: 'heading' | 'clause'; text: string }[] = [
  { kind: 'heading', text: 'Preamble' },
  { kind: 'clause', text: 'AI systems should be available under terms that grant the freedoms the open source movement has long secured for software.' },
  { kind: 'heading', text: 'What is Open Source AI' },
  { kind: 'clause', text: 'An Open Source AI is an AI system made available under terms that grant the freedoms to use, study, modify and share the system.' },
  { kind: 'heading', text: 'Preferred form to make modifications' },
  { kind: 'clause', text: 'Data information: sufficiently detailed information about the data used to train the system.' },
  { kind: 'clause', text: 'Code: the complete source code used to train and run the system.' },
  { kind: 'clause', text: 'Parameters: the model parameters, such as weights or other configuration settings.' },
];

/**
 * A definition with some history, so a newcomer's first look shows the product at work: clauses by
 * two authors, a published version, a later edit, an open amendment, a discussion thread, a decided
 * clause ballot, an open choice between a clause and its amendment, an open component matrix, and
 * the conformance checklist of the version with three reviewed systems.
 */
export async function seedDemoDefinition(db: Db, registry: DocumentRegistry, people: Record<Role, string>, ballotSecret: string): Promise<void> {
  const chair = { userId: people.chair };
  const editor = { userId: people.editor };
  const member = { userId: people.member };
  const definition = await createDefinition(db, chair, DEMO_GROUP_SLUG, { slug: 'osaid', title: 'The Open Source AI Definition' });
  const ids: string[] = [];
  for (const [i, clause] of TEXT.entries()) {
    const author = i < 4 ? chair : editor;
    ids.push((await insertClauseAsUser({ db, registry }, author, definition.id, { kind: clause.kind, text: clause.text })).id);
  }
  await publishVersion(db, registry, chair, definition.id, { label: '0.0.9', notes: 'Draft for the first public review.' });
  await seedDemoConformance(db, people, definition.id, { data: ids[5]!, code: ids[6]!, parameters: ids[7]! });
  await replaceClauseAsUser({ db, registry }, editor, definition.id, ids[7]!, {
    text: 'Parameters: the model parameters, such as weights or other configuration settings, made available under OSI-approved terms.',
  });
  const amendment = await proposeAmendment({ db, registry }, member, definition.id, {
    clauseId: ids[5]!,
    text: 'Data information: sufficiently detailed information about the data used to train the system, so that a skilled person can build a substantially equivalent system.',
    rationale: 'Without a test of sufficiency, "detailed" means whatever each publisher wants it to mean.',
  });
  await seedDemoBallots(db, people, ballotSecret, definition.id, ids, amendment.id);
  await createThread(db, registry, member, definition.id, {
    clauseId: ids[5]!,
    body: 'Is **training data** itself a required component, or only information about it? This is the question we keep coming back to. @Ada Chair, can we put it to the group?',
    // The chair finds it in the inbox: a newcomer signing in as the chair sees a notification.
    mentions: [people.chair],
  });
  await seedDemoDispositions(db, registry, { chair, editor, member }, definition.id, ids);
  // Requirement language on, with the term the text defines without quotes kept in the glossary.
  await setLanguageChecks(db, registry, chair, definition.id, true);
  await addGlossaryTerm(db, registry, chair, definition.id, { term: 'Data information', clauseId: ids[5]! });
}

/** The disposition register at work: an objection answered (and its objector not satisfied), another waiting. */
async function seedDemoDispositions(
  db: Db,
  registry: DocumentRegistry,
  who: Record<'chair' | 'editor' | 'member', { userId: string }>,
  definitionId: string,
  clauseIds: string[],
): Promise<void> {
  const answered = await raiseObjection(db, registry, who.member, definitionId, {
    clauseId: clauseIds[5]!,
    body: 'I formally object to "data information" standing in for the training data itself: without the data nobody can study or rebuild the system.',
  });
  await decideDisposition(db, registry, who.chair, answered.id, {
    disposition: 'deferred',
    reason: 'Put to the whole group in the component-matrix ballot; this item will follow its result.',
  });
  await respondToDisposition(db, registry, who.member, answered.id, {
    satisfied: false,
    note: 'A ballot is fine, but the register should say now that the objection stands.',
  });
  await raiseObjection(db, registry, who.editor, definitionId, {
    clauseId: clauseIds[7]!,
    body: '"OSI-approved terms" is undefined for parameters: the licence list covers software, not weights.',
  });
}

const ROWS = ['Training data', 'Data information', 'Code', 'Model parameters'];
const FREEDOMS = ['Use', 'Study', 'Modify', 'Share'];

async function seedDemoBallots(
  db: Db,
  people: Record<Role, string>,
  ballotSecret: string,
  definitionId: string,
  clauseIds: string[],
  amendmentId: string,
): Promise<void> {
  const deps = { db, secret: ballotSecret, votes: new VoteBatcher(db) };
  const chair = { userId: people.chair };
  const editor = { userId: people.editor };
  const member = { userId: people.member };
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
  const rules = {
    kind: 'binding' as const,
    eligibleRoles: ['chair' as const, 'editor' as const, 'member' as const],
    quorum: 0.5,
    threshold: 2 / 3,
    blockingObjectionFails: false,
    secret: false,
    resultsVisibility: 'live' as const,
    closesAt: inDays(14),
  };

  const adopted = await createBallot(deps, chair, definitionId, {
    title: 'Adopt the definition’s opening sentence',
    subject: { kind: 'clause', clauseId: clauseIds[3]! },
    rules,
  });
  await openBallot(deps, chair, adopted.id);
  await vote(deps, chair, adopted.id, { position: 'yes' });
  await vote(deps, editor, adopted.id, { position: 'yes', rationale: 'It names the four freedoms; the rest follows from them.' });
  await vote(deps, member, adopted.id, { position: 'no_objection' });
  await closeBallot(deps, chair, adopted.id);

  const choice = await createBallot(deps, chair, definitionId, {
    title: 'Data information: keep the text or add the sufficiency test?',
    subject: { kind: 'amendments', clauseId: clauseIds[5]!, amendmentIds: [amendmentId] },
    rules: { ...rules, kind: 'advisory', threshold: 0 },
  });
  await openBallot(deps, chair, choice.id);
  await vote(deps, member, choice.id, { position: amendmentId, rationale: 'A test anyone can apply.' });

  const matrix = await createBallot(deps, chair, definitionId, {
    title: 'Which components are required for each freedom?',
    subject: { kind: 'matrix', rows: ROWS, columns: FREEDOMS },
    rules: { ...rules, kind: 'advisory', threshold: 0.6, secret: true, resultsVisibility: 'after_close', countUnsure: true },
  });
  await openBallot(deps, chair, matrix.id);
  const R = 'required' as const;
  const N = 'not_required' as const;
  const U = 'unsure' as const;
  await vote(deps, chair, matrix.id, {
    position: 'marks',
    marks: [
      [N, U, R, N],
      [R, R, R, R],
      [R, R, R, R],
      [R, R, R, R],
    ],
  });
  await vote(deps, editor, matrix.id, {
    position: 'marks',
    marks: [
      [N, R, R, U],
      [R, R, R, R],
      [R, R, R, R],
      [R, R, R, R],
    ],
  });
  await deps.votes.close();
}

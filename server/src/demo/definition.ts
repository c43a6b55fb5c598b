import type { Role } from '@draftroom/shared';
import { proposeAmendment } from '../amendments/service.ts';
import { insertClauseAsUser, replaceClauseAsUser } from '../collab/clauses.ts';
import type { DocumentRegistry } from '../collab/registry.ts';
import { createThread } from '../comments/service.ts';
import type { Db } from '../db/database.ts';
import { createDefinition } from '../definitions/service.ts';
import { publishVersion } from '../versions/service.ts';
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
 * two authors, a published version, a later edit, an open amendment and a discussion thread.
 */
export async function seedDemoDefinition(db: Db, registry: DocumentRegistry, people: Record<Role, string>): Promise<void> {
  const chair = { userId: people.chair };
  const editor = { userId: people.editor };
  const member = { userId: people.member };
  const definition = await createDefinition(db, chair, DEMO_GROUP_SLUG, { slug: 'osaid', title: 'The Open Source AI Definition' });
  const ids: string[] = [];
  for (const [i, clause] of TEXT.entries()) {
    const author = i < 4 ? chair : editor;
    ids.push((await insertClauseAsUser(db, registry, author, definition.id, { kind: clause.kind, text: clause.text })).id);
  }
  await publishVersion(db, registry, chair, definition.id, { label: '0.0.9', notes: 'Draft for the first public review.' });
  await replaceClauseAsUser(db, registry, editor, definition.id, ids[7]!, {
    text: 'Parameters: the model parameters, such as weights or other configuration settings, made available under OSI-approved terms.',
  });
  await proposeAmendment(db, registry, member, definition.id, {
    clauseId: ids[5]!,
    text: 'Data information: sufficiently detailed information about the data used to train the system, so that a skilled person can build a substantially equivalent system.',
    rationale: 'Without a test of sufficiency, "detailed" means whatever each publisher wants it to mean.',
  });
  await createThread(db, registry, member, definition.id, {
    clauseId: ids[5]!,
    body: 'Is **training data** itself a required component, or only information about it? This is the question we keep coming back to.',
  });
}

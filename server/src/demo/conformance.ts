import type { Role, SheetRow, Verdict } from '@draftroom/shared';
import * as conformance from '../conformance/service.ts';
import type { Db } from '../db/database.ts';
import { endorse } from '../endorsements/service.ts';
import { DEMO_GROUP_SLUG } from './seed.ts';

const A: Verdict = 'allows';
const R: Verdict = 'restricts';
const N: Verdict = 'not_available';

/**
 * The demo's conformance work on version 0.0.9: its checklist (three components, each quoting the
 * clause it rests on) and three systems reviewed by the editor and the member — OLMo (Conformant),
 * BLOOM (a disagreement the chair settled: Conformant if the weights are relicensed), Llama 2 (Not
 * conformant) — plus one endorsement. Public facts about public systems, in our own words.
 */
export async function seedDemoConformance(
  db: Db,
  people: Record<Role, string>,
  definitionId: string,
  clauses: { data: string; code: string; parameters: string },
): Promise<void> {
  const chair = { userId: people.chair };
  const editor = { userId: people.editor };
  const member = { userId: people.member };
  const checklist = await conformance.createChecklist(db, chair, definitionId, {
    versionLabel: '0.0.9',
    title: 'OSAID 0.0.9 conformance checklist',
    rows: [
      { component: 'Data information', category: 'Data', criteria: [{ clauseId: clauses.data, quote: 'sufficiently detailed information about the data' }] },
      {
        component: 'Training code',
        category: 'Code',
        criteria: [{ clauseId: clauses.code, quote: 'the complete source code used to train and run the system' }],
      },
      { component: 'Model parameters', category: 'Model', criteria: [{ clauseId: clauses.parameters, quote: 'the model parameters' }] },
    ],
  });
  const system = (name: string, version: string, developer: string, spdx: string | null, licence: string, url: string) =>
    conformance.createSystem(db, chair, DEMO_GROUP_SLUG, {
      name,
      version,
      developer,
      links: [{ label: 'Model card', url }],
      licences: [{ spdx, name: licence }],
    });
  const sheet = (rows: [Verdict, string][]): SheetRow[] =>
    rows.map(([verdict, evidence], i) => ({
      rowId: `r${i + 1}`,
      evidence: [{ kind: 'quote', text: evidence }],
      verdicts: [verdict, verdict, verdict, verdict],
      note: '',
    }));
  const review = async (systemId: string, editorSheet: SheetRow[], memberSheet: SheetRow[]) => {
    const opened = await conformance.openReview(db, chair, checklist.id, {
      systemId,
      reviewerIds: [people.editor, people.member],
      rule: { curable: ['restricts'] },
    });
    await conformance.saveSheet(db, editor, opened.id, { rows: editorSheet });
    await conformance.saveSheet(db, member, opened.id, { rows: memberSheet });
    await conformance.submitSheet(db, editor, opened.id);
    await conformance.submitSheet(db, member, opened.id);
    return opened.id;
  };

  const olmo = await system('OLMo', '7B', 'Allen Institute for AI', 'Apache-2.0', 'Apache-2.0', 'https://huggingface.co/allenai/OLMo-7B');
  const open = sheet([
    [A, 'Dolma data documentation and the OLMo paper'],
    [A, 'Training code published under Apache-2.0'],
    [A, 'Weights under Apache-2.0'],
  ]);
  await conformance.closeReview(db, chair, await review(olmo.id, open, open));

  const bloom = await system('BLOOM', '176B', 'BigScience', null, 'BigScience RAIL License v1.0', 'https://huggingface.co/bigscience/bloom');
  const bloomId = await review(
    bloom.id,
    sheet([
      [A, 'ROOTS corpus documentation'],
      [A, 'Megatron-DeepSpeed training code'],
      [R, 'RAIL licence: use restrictions travel with the weights'],
    ]),
    sheet([
      [A, 'ROOTS corpus documentation'],
      [A, 'Megatron-DeepSpeed training code'],
      [A, 'Weights downloadable by anyone'],
    ]),
  );
  for (const freedom of [0, 1, 2, 3])
    await conformance.resolveCell(db, chair, bloomId, {
      rowId: 'r3',
      freedom,
      verdict: R,
      reason: 'The RAIL licence forbids some uses and requires passing the restrictions on: the freedoms are not granted without conditions.',
      condition: 'The weights are released under OSI-approved terms',
    });
  await conformance.closeReview(db, chair, bloomId);

  const llama = await system('Llama 2', '70B', 'Meta', null, 'Llama 2 Community License', 'https://huggingface.co/meta-llama/Llama-2-70b');
  const closed = sheet([
    [N, 'Only a general description of the training data'],
    [N, 'No training code published'],
    [R, 'Community licence restricts use above 700 million monthly users'],
  ]);
  await conformance.closeReview(db, chair, await review(llama.id, closed, closed));

  await endorse(db, { send: null, origin: '' }, { userId: people.observer }, definitionId, '0.0.9', {
    kind: 'individual',
    name: 'Olu Observer',
    role: 'Observer of the working group',
    statement: 'A workable first draft: the component list makes the test concrete.',
  });
}

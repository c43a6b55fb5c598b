import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.ts';
import { appendUpdates, archiveUpdates, loadUpdates } from './repository.ts';

describe('update log storage', () => {
  const t = useTestApp();

  it('archives exactly the merged rows, leaving a row committed after them (even with a lower id) in the log', async () => {
    const { slug, users } = await t.groupWithRoles();
    const definitionId = (
      await t.request({ method: 'POST', url: `/api/groups/${slug}/definitions`, as: users.chair, payload: { slug: 'log', title: 'Log' } })
    ).json().id;
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 4; i++) doc.getText('t').insert(0, String(i));
    await appendUpdates(
      t.db,
      updates.map((update) => ({ definitionId, update, userId: users.chair.user.id, at: new Date() })),
    );
    const rows = await loadUpdates(t.db, definitionId);
    expect(rows).toHaveLength(4);
    // Compaction read rows 1, 2 and 4; row 3 (say, from a transaction that committed late) was not merged.
    const merged = [rows[0]!.id, rows[1]!.id, rows[3]!.id];
    await archiveUpdates(t.db, merged);
    expect((await loadUpdates(t.db, definitionId)).map((r) => r.id)).toEqual([rows[2]!.id]);
    const archived = await t.db.selectFrom('doc_update_archive').select(['id', 'user_id']).where('definition_id', '=', definitionId).orderBy('id').execute();
    expect(archived).toEqual(merged.map((id) => ({ id, user_id: users.chair.user.id })));
  });
});

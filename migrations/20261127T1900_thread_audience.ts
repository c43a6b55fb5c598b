import { sql, type Kysely } from 'kysely';

/**
 * Every thread gets an audience: `internal` (the group's own discussion, read by members only) or
 * `public` (written where the public reads during a public comment period, part of the record).
 *
 * Existing threads are internal, except those whose author was not in the group when they started
 * it — only a public comment period let such people comment, so they wrote for the public. Who was
 * in the group at that moment is read from the group's audit chain (the author's last `member.*`
 * event before the thread); with no such event, from the group's creator and the membership rows.
 * A member who left since keeps their threads internal; someone who commented from outside and
 * joined later has that comment public.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table threads add column audience text not null default 'internal'
    constraint threads_audience check (audience in ('internal', 'public'))`.execute(db);
  await sql`
    update threads t set audience = 'public'
    from definitions d, groups g
    where d.id = t.definition_id and g.id = d.group_id
      and not coalesce(
        (select e.type in ('member.added', 'member.role_changed')
           from events e
           where e.chain = 'group:' || g.id::text
             and e.type in ('member.added', 'member.role_changed', 'member.removed', 'member.left')
             and e.payload ->> 'userId' = t.author_id::text
             and e.occurred_at <= t.created_at
           order by e.occurred_at desc, e.seq desc
           limit 1),
        t.author_id = g.created_by
          or exists (select 1 from memberships m where m.group_id = g.id and m.user_id = t.author_id and m.created_at <= t.created_at)
      )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table threads drop column audience`.execute(db);
}

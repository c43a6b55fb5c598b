import { DefinitionsSection } from '../definitions/DefinitionsSection.tsx';
import { PublishedSection } from '../public/PublishedSection.tsx';
import { useGroup } from './GroupLayout.tsx';
import { LeaveGroup } from './LeaveGroup.tsx';
import { MembersSection } from './MembersSection.tsx';

export function GroupOverviewPage() {
  const { group } = useGroup();
  return (
    <div className="group-overview">
      <section aria-labelledby="charter-heading" className="card">
        <h2 id="charter-heading">Charter</h2>
        {group.charter ? <p className="charter">{group.charter}</p> : <p className="empty">No charter has been written yet.</p>}
      </section>
      <PublishedSection group={group} />
      <DefinitionsSection group={group} />
      {group.allowedActions.includes('members.read') ? (
        <MembersSection group={group} />
      ) : (
        <section aria-labelledby="members-heading" className="card">
          <h2 id="members-heading">Members</h2>
          <p className="empty">Only members of the group can see who belongs to it.</p>
        </section>
      )}
      {group.allowedActions.includes('group.leave') && <LeaveGroup group={group} />}
    </div>
  );
}

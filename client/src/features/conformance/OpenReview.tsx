import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router';
import { ROLE_LABELS, type Checklist } from '@draftroom/shared';
import { conformanceQueries, openReview } from '../../api/conformance.ts';
import { groupQueries, viewOf } from '../../api/queries.ts';
import { FormAlert, SubmitButton, TextField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';
import { useDefinition } from '../definitions/DefinitionPage.tsx';
import { type CurableVerdict, localInputToIso, reviewPagePath } from './labels.ts';
import { storeReview } from './reviewActions.ts';
import { RuleFields } from './RuleFields.tsx';
import { AddSystem, systemName } from './SystemForm.tsx';

const REVIEWER_ROLES = new Set(['chair', 'editor', 'member']);

/**
 * Opening a review (chair): a system from the group's register — added here if it is not there yet —,
 * two to five reviewers from the participating members, the rule, and an optional response period.
 */
export function OpenReviewPanel({ checklist, onDone }: { checklist: Checklist; onDone(): void }) {
  const { definition, user } = useDefinition();
  const slug = definition.groupSlug;
  const client = useQueryClient();
  const systems = viewOf(useQuery(conformanceQueries.systems(slug)));
  const members = viewOf(useQuery(groupQueries.members(slug)));
  const [systemId, setSystemId] = useState('');
  const [reviewerIds, setReviewerIds] = useState<string[]>([]);
  const [curable, setCurable] = useState<CurableVerdict[]>(['restricts']);
  const [opened, setOpened] = useState<{ id: string; name: string } | null>(null);
  const form = useApiForm({ systemId: { label: 'System' }, reviewerIds: { label: 'Reviewers' }, responseUntil: { label: 'Developer may respond until' } });
  const id = useId();
  const canAddSystems = systems.status === 'ready' && systems.data.allowed.includes('manage');
  const candidates = members.status === 'ready' ? members.data.filter((member) => REVIEWER_ROLES.has(member.role)) : [];

  // The first system, once the register has loaded (or the one just added).
  useEffect(() => {
    if (systemId === '' && systems.status === 'ready' && systems.data.systems[0]) setSystemId(systems.data.systems[0].id);
  }, [systems.status, systemId]);

  return (
    <>
      <h4 id={`${id}-heading`}>Open a review against version {checklist.version.label}</h4>
      {canAddSystems && (
        <AddSystem
          label="Add a system to the register"
          addedMessage={(system) => `${systemName(system)} added to the register and chosen below.`}
          onAdded={(system) => setSystemId(system.id)}
        />
      )}
      <form
        className="form open-review-form"
        aria-label={`Open a review against version ${checklist.version.label}`}
        noValidate
        onSubmit={form.onSubmit(
          async (values) => {
            const review = await openReview(checklist.id, {
              systemId,
              reviewerIds,
              rule: { curable },
              responseUntil: localInputToIso(values.responseUntil),
            });
            storeReview(client, review);
            setOpened({ id: review.id, name: review.system.name });
            setReviewerIds([]);
          },
          () => ({
            ...(systemId === '' && { systemId: 'Choose a system (add it to the register first)' }),
            ...((reviewerIds.length < 2 || reviewerIds.length > 5) && { reviewerIds: `Choose 2 to 5 reviewers (${reviewerIds.length} chosen)` }),
          }),
        )}
      >
        {opened && (
          <div className="alert alert-success" role="status">
            Review of {opened.name} opened. <Link to={reviewPagePath(slug, definition.id, opened.id)}>Go to the review</Link>
          </div>
        )}
        <div className={`field${form.fieldErrors.systemId ? ' field-invalid' : ''}`}>
          <label htmlFor={`${id}-system`}>System</label>
          {systems.status === 'ready' && systems.data.systems.length === 0 ? (
            <p className="muted">The group’s register has no system yet{canAddSystems ? ': add one above.' : '.'}</p>
          ) : (
            <select
              id={`${id}-system`}
              name="systemId"
              value={systemId}
              onChange={(event) => setSystemId(event.target.value)}
              aria-invalid={form.fieldErrors.systemId ? true : undefined}
              aria-describedby={form.fieldErrors.systemId ? `${id}-system-error` : undefined}
            >
              {systems.status === 'ready' &&
                systems.data.systems.map((system) => (
                  <option key={system.id} value={system.id}>
                    {system.name}
                    {system.version && ` ${system.version}`}
                    {system.developer && ` — ${system.developer}`}
                  </option>
                ))}
            </select>
          )}
          {form.fieldErrors.systemId && (
            <p id={`${id}-system-error`} className="field-error">
              {form.fieldErrors.systemId}
            </p>
          )}
        </div>

        <fieldset
          className={`field checkbox-group${form.fieldErrors.reviewerIds ? ' field-invalid' : ''}`}
          aria-describedby={`${id}-reviewers-hint${form.fieldErrors.reviewerIds ? ` ${id}-reviewers-error` : ''}`}
        >
          <legend>Reviewers</legend>
          <p id={`${id}-reviewers-hint`} className="field-hint">
            Two to five, from the chairs, editors and members. Each marks the checklist without seeing the others’ marks.
          </p>
          {members.status === 'loading' && <p role="status">Loading the members…</p>}
          {members.status === 'error' && <p className="field-error">{members.error.message}</p>}
          {candidates.map((member) => (
            <div key={member.userId} className="checkbox">
              <input
                type="checkbox"
                id={`${id}-reviewer-${member.userId}`}
                name="reviewerIds"
                value={member.userId}
                checked={reviewerIds.includes(member.userId)}
                onChange={(event) =>
                  setReviewerIds((current) => (event.target.checked ? [...current, member.userId] : current.filter((x) => x !== member.userId)))
                }
              />
              <label htmlFor={`${id}-reviewer-${member.userId}`}>
                {member.displayName}
                {member.userId === user.id && ' (you)'} <span className="muted">· {ROLE_LABELS[member.role]}</span>
              </label>
            </div>
          ))}
          {form.fieldErrors.reviewerIds && (
            <p id={`${id}-reviewers-error`} className="field-error">
              {form.fieldErrors.reviewerIds}
            </p>
          )}
        </fieldset>

        <RuleFields curable={curable} onChange={setCurable} />

        <TextField
          {...form.field('responseUntil')}
          type="datetime-local"
          label="Developer may respond until (optional)"
          hint="In your time. The system’s developer account may comment on the review until then; the review cannot close before."
        />
        <FormAlert message={form.formError} />
        <div className="form-actions">
          <SubmitButton pending={form.pending} pendingText="Opening…">
            Open the review
          </SubmitButton>
          <button type="button" className="button" onClick={onDone}>
            Done
          </button>
        </div>
      </form>
    </>
  );
}

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import type { ClauseDiff, ClauseDiffStatus, DefinitionDiff, Version } from '@draftroom/shared';
import { ApiError } from '../../api/client.ts';
import { definitionQueries, viewOf } from '../../api/queries.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { CURRENT_DRAFT, restoreClause } from '../../api/versions.ts';
import { FormAlert, StatusMessage } from '../../forms/fields.tsx';
import { ConfirmDialog } from '../../layout/ConfirmDialog.tsx';
import { formErrorMessage } from '../../forms/messages.ts';
import { useDefinition } from '../definitions/DefinitionPage.tsx';
import { blocksOf, labelsOf, movedText, sideLabels, summaryText } from './diffModel.ts';
import { WordChanges } from './WordChanges.tsx';

const STATUS_LABELS: Record<ClauseDiffStatus, string> = {
  added: 'Added',
  removed: 'Removed',
  moved: 'Moved',
  modified: 'Modified',
  unchanged: 'Unchanged',
};

const sideName = (label: string) => (label === CURRENT_DRAFT ? 'the current draft' : `version ${label}`);

/** Compares two versions, or a version and the live draft, clause by clause. */
export function DiffPage() {
  const { definition } = useDefinition();
  const versions = viewOf(useQuery(definitionQueries.versions(definition.id)));
  const [params, setParams] = useSearchParams();

  if (versions.status === 'loading') return <p role="status">Loading the versions…</p>;
  if (versions.status === 'error') {
    return (
      <div role="alert" className="alert alert-error">
        <p>{versions.error.message}</p>
        <button type="button" className="button" onClick={versions.retry}>
          Try again
        </button>
      </div>
    );
  }
  const list = versions.data;
  if (list.length === 0) {
    return (
      <section aria-labelledby="diff-heading">
        <h2 id="diff-heading">Compare</h2>
        <p className="empty">No version has been published yet, so there is nothing to compare the draft with.</p>
      </section>
    );
  }
  const labels = new Set(list.map((version) => version.label));
  const fromParam = params.get('from');
  const toParam = params.get('to');
  // By default: what changed since the latest version.
  const from = fromParam && labels.has(fromParam) ? fromParam : list[0]!.label;
  const to = toParam && (toParam === CURRENT_DRAFT || labels.has(toParam)) ? toParam : CURRENT_DRAFT;
  const choose = (next: { from?: string; to?: string }) => setParams({ from, to, ...next }, { replace: true });

  return (
    <section aria-labelledby="diff-heading" className="diff">
      <h2 id="diff-heading" tabIndex={-1}>
        Compare {sideName(from)} with {sideName(to)}
      </h2>
      <div className="diff-choice">
        <VersionSelect label="From" value={from} versions={list} onChange={(value) => choose({ from: value })} />
        <VersionSelect label="To" value={to} versions={list} withCurrent onChange={(value) => choose({ to: value })} />
      </div>
      <DiffResult key={`${from}→${to}`} from={from} to={to} />
    </section>
  );
}

function VersionSelect(props: { label: string; value: string; versions: Version[]; withCurrent?: boolean; onChange(value: string): void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        {props.withCurrent && <option value={CURRENT_DRAFT}>Current draft</option>}
        {props.versions.map((version) => (
          <option key={version.id} value={version.label}>
            Version {version.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function DiffResult({ from, to }: { from: string; to: string }) {
  const { definition } = useDefinition();
  const diff = viewOf(useQuery(definitionQueries.diff(definition.id, from, to)));
  const client = useQueryClient();
  const [announcement, setAnnouncement] = useState<string | null>(null);

  if (diff.status === 'loading') return <p role="status">Comparing…</p>;
  if (diff.status === 'error') {
    return (
      <div role="alert" className="alert alert-error">
        <p>{diff.error.message}</p>
        <button type="button" className="button" onClick={diff.retry}>
          Try again
        </button>
      </div>
    );
  }
  const canRestore = to === CURRENT_DRAFT && definition.allowedActions.includes('text.edit');
  const restored = (name: string) => {
    setAnnouncement(`${name} restored from version ${from}.`);
    // The draft changed: its comparisons, history and blame.
    void client.invalidateQueries({ queryKey: queryKeys.diffs(definition.id) });
    void client.invalidateQueries({ queryKey: queryKeys.histories(definition.id) });
    void client.invalidateQueries({ queryKey: queryKeys.blames(definition.id) });
    // The clause's controls may fold away with it: continue from the top of the comparison.
    document.getElementById('diff-heading')?.focus();
  };

  return (
    <>
      <p className="diff-summary">
        <strong>Changes:</strong> {summaryText(diff.data.summary)}.
      </p>
      <StatusMessage message={announcement} />
      <DiffList diff={diff.data} restoreFrom={canRestore ? from : null} onRestored={restored} />
    </>
  );
}

/**
 * The clauses of a comparison: changed ones with their word changes, unchanged runs folded. With
 * `restoreFrom` (a version, compared with the live draft), changed clauses offer to be restored from it.
 */
export function DiffList({
  diff,
  restoreFrom = null,
  onRestored = () => undefined,
  label = 'Clauses compared',
}: {
  diff: DefinitionDiff;
  restoreFrom?: string | null;
  onRestored?(name: string): void;
  label?: string;
}) {
  const names = labelsOf(diff);
  const { before } = sideLabels(diff);
  if (diff.clauses.length === 0) return <p className="empty">Both texts are empty.</p>;
  return (
    <ol className="diff-list" aria-label={label}>
      {blocksOf(diff.clauses).map((block) =>
        block.type === 'clause' ? (
          <DiffClause
            key={block.clause.clauseId}
            clause={block.clause}
            name={names.get(block.clause.clauseId)!}
            formerName={before.get(block.clause.clauseId) ?? null}
            restore={
              restoreFrom !== null && block.clause.status !== 'added' && (block.clause.textChanged || block.clause.status === 'removed') ? restoreFrom : null
            }
            onRestored={onRestored}
          />
        ) : (
          <UnchangedRun key={block.clauses[0]!.clauseId} clauses={block.clauses} names={names} />
        ),
      )}
    </ol>
  );
}

function DiffClause({
  clause,
  name,
  formerName,
  restore,
  onRestored,
}: {
  clause: ClauseDiff;
  name: string;
  formerName: string | null;
  restore: string | null;
  onRestored(name: string): void;
}) {
  let body: ReactNode;
  if (clause.status === 'added') {
    body = (
      <p className="word-changes">
        <span className="visually-hidden">[inserted: </span>
        <ins>{clause.toText}</ins>
        <span className="visually-hidden">]</span>
      </p>
    );
  } else if (clause.status === 'removed') {
    body = (
      <p className="word-changes">
        <span className="visually-hidden">[deleted: </span>
        <del>{clause.fromText}</del>
        <span className="visually-hidden">]</span>
      </p>
    );
  } else if (clause.textChanged) {
    body = <WordChanges changes={clause.changes} />;
  } else {
    body = <p className="word-changes">{clause.toText}</p>;
  }
  return (
    <li className={`diff-clause diff-clause-${clause.status}`} data-clause-id={clause.clauseId}>
      <h3 className="diff-clause-title">
        {name} <span className={`badge diff-badge diff-badge-${clause.status}`}>{STATUS_LABELS[clause.status]}</span>
        {clause.status === 'moved' && clause.textChanged && <span className="badge diff-badge diff-badge-modified">Modified</span>}
      </h3>
      {clause.status === 'moved' && formerName !== null && <p className="diff-moved">{movedText(formerName, name)}</p>}
      {body}
      {clause.formatting && clause.formatting.length > 0 && (
        <ul className="diff-formatting" aria-label="Formatting changed">
          {clause.formatting.map((description) => (
            <li key={description}>{description}</li>
          ))}
        </ul>
      )}
      {restore && <RestoreClauseButton clauseId={clause.clauseId} name={name.replace(/ \(removed\)$/, '')} version={restore} onRestored={onRestored} />}
    </li>
  );
}

function UnchangedRun({ clauses, names }: { clauses: ClauseDiff[]; names: Map<string, string> }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const count = clauses.length === 1 ? '1 unchanged clause' : `${clauses.length} unchanged clauses`;
  return (
    <li className="diff-unchanged">
      <button type="button" className="button button-small button-quiet" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        {open ? `Hide ${count}` : `Show ${count}`}
      </button>
      <ol id={id} className="diff-list" hidden={!open}>
        {open &&
          clauses.map((clause) => (
            <DiffClause
              key={clause.clauseId}
              clause={clause}
              name={names.get(clause.clauseId)!}
              formerName={null}
              restore={null}
              onRestored={() => undefined}
            />
          ))}
      </ol>
    </li>
  );
}

/** Puts one clause back as it was in a version: a new edit in the live draft, by whoever clicks. */
export function RestoreClauseButton({
  clauseId,
  name,
  version,
  onRestored,
}: {
  clauseId: string;
  name: string;
  version: string;
  onRestored(name: string): void;
}) {
  const { definition } = useDefinition();
  const [pending, setPending] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const busy = useRef(false);

  async function restore() {
    if (busy.current) return;
    busy.current = true;
    setPending(true);
    setError(null);
    try {
      await restoreClause(definition.id, clauseId, version);
      onRestored(name);
    } catch (caught) {
      setError(caught instanceof ApiError ? formErrorMessage(caught) : 'Could not restore the clause.');
    } finally {
      busy.current = false;
      setPending(false);
    }
  }

  return (
    <div className="restore">
      <button type="button" className="button button-small" aria-disabled={pending || undefined} onClick={() => !pending && setConfirming(true)}>
        {pending ? 'Restoring…' : `Restore ${name.toLowerCase()} from version ${version}`}
      </button>
      <FormAlert message={error} />
      {confirming && (
        <ConfirmDialog
          title={`Restore ${name.toLowerCase()} from version ${version}?`}
          confirmLabel={`Restore ${name.toLowerCase()}`}
          onConfirm={() => {
            setConfirming(false);
            void restore();
          }}
          onCancel={() => setConfirming(false)}
        >
          <p>Its text becomes the wording of version {version} again, as an edit by you. The text it replaces stays in its history.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

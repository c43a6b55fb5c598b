import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { Checklist, ImportPreview } from '@draftroom/shared';
import { ApiError } from '../../api/client.ts';
import { importReviews } from '../../api/conformance.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { StatusMessage } from '../../forms/fields.tsx';
import { useSession } from '../../session/SessionProvider.tsx';
import { useDefinition } from '../definitions/DefinitionPage.tsx';
import { type CurableVerdict, VERDICT_LABELS, VERDICT_ORDER } from './labels.ts';
import { OutcomeBadge, ProblemAlert } from './parts.tsx';
import { RuleFields } from './RuleFields.tsx';

const MAX_CHARACTERS = 2_000_000;

/**
 * Reviews made elsewhere in a spreadsheet (OSI's validation sheets), brought in as closed, imported
 * reviews (chair). Choosing the file shows what would be imported — or every line in the way —; the
 * import itself is a second, deliberate step. All or nothing: one bad line refuses the whole file.
 */
export function ImportSpreadsheet({ checklist }: { checklist: Checklist }) {
  const { definition } = useDefinition();
  const { signedOut } = useSession();
  const client = useQueryClient();
  const [file, setFile] = useState<{ name: string; csv: string } | null>(null);
  const [curable, setCurable] = useState<CurableVerdict[]>(['restricts']);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const id = useId();

  async function send(csv: string, name: string, apply: boolean, rule = curable) {
    setPending(true);
    setError(null);
    setAnnouncement(null);
    try {
      const answer = await importReviews(checklist.id, { csv, file: name, rule: { curable: rule }, apply });
      setPreview(answer);
      if (answer.applied) {
        setAnnouncement(`Imported ${answer.systems.length === 1 ? 'one review' : `${answer.systems.length} reviews`} from ${name}.`);
        void client.invalidateQueries({ queryKey: queryKeys.checklistReviews(definition.id, checklist.id) });
        void client.invalidateQueries({ queryKey: queryKeys.groupSystems(definition.groupSlug) });
        void client.invalidateQueries({ queryKey: ['definition', definition.id, 'register'] });
      }
    } catch (caught) {
      const apiError = caught instanceof ApiError ? caught : new ApiError(0, 'unexpected', 'Something went wrong in this page. Reload it and try again.');
      if (apiError.status === 401 && apiError.code === 'unauthenticated') signedOut('expired');
      setPreview(null);
      setError(apiError);
    } finally {
      setPending(false);
    }
  }

  async function choose(chosen: File | undefined) {
    setPreview(null);
    setError(null);
    setAnnouncement(null);
    if (!chosen) {
      setFile(null);
      return;
    }
    const csv = await chosen.text();
    if (csv.length === 0 || csv.length > MAX_CHARACTERS) {
      setFile(null);
      setError(
        new ApiError(400, 'invalid_input', csv.length === 0 ? `${chosen.name} is empty.` : `${chosen.name} is too large (2 million characters at most).`),
      );
      return;
    }
    setFile({ name: chosen.name, csv });
    await send(csv, chosen.name, false);
  }

  const applied = preview?.applied === true;
  return (
    <section className="import-panel" aria-labelledby={`${id}-heading`}>
      <h4 id={`${id}-heading`}>Import spreadsheet reviews against version {checklist.version.label}</h4>
      <p className="muted">
        One line per system and component, with a column per freedom (Allows, Restricts, Not available, Unknown) — the columns of this register’s CSV download.
        Each system becomes a closed, imported review; systems not in the register are added. Nothing is written until you import.
      </p>
      <div className="field">
        <label htmlFor={`${id}-file`}>Spreadsheet (CSV)</label>
        <input id={`${id}-file`} type="file" accept=".csv,text/csv" onChange={(event) => void choose(event.target.files?.[0])} />
      </div>
      <RuleFields
        curable={curable}
        onChange={(next) => {
          setCurable(next);
          // The outcomes depend on the rule: show them again under the new one.
          if (file && !applied) void send(file.csv, file.name, false, next);
        }}
      />
      {pending && <p role="status">{applied ? 'Importing…' : 'Reading the spreadsheet…'}</p>}
      <ProblemAlert error={error} checklist={null} intro={error ? `${file?.name ?? 'The spreadsheet'} cannot be imported: ${error.message}` : undefined} />
      <StatusMessage message={announcement} />
      {preview && (
        <>
          <div className="grid-scroll" role="region" aria-label="Systems in the spreadsheet (scrolls sideways)" tabIndex={0}>
            <table className="import-table">
              <caption>
                {applied ? 'Imported' : 'Would be imported'}: {preview.systems.length === 1 ? 'one system' : `${preview.systems.length} systems`}
              </caption>
              <thead>
                <tr>
                  <th scope="col">System</th>
                  <th scope="col">In the register</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Cells not allowing</th>
                  <th scope="col">Reviewers</th>
                </tr>
              </thead>
              <tbody>
                {preview.systems.map((system) => (
                  <tr key={`${system.name}/${system.version}`}>
                    <th scope="row">
                      {system.name}
                      {system.version && ` ${system.version}`}
                    </th>
                    <td>{system.known ? 'Yes' : 'New'}</td>
                    <td>
                      <OutcomeBadge outcome={system.outcome} />
                      {system.conditions.length > 0 && <span className="import-conditions">If: {system.conditions.join('; ')}</span>}
                    </td>
                    <td>
                      <FailingCells checklist={checklist} cells={system.cells} />
                    </td>
                    <td>{system.reviewers.join(', ') || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {!applied && file && (
            <div className="form-actions">
              <button
                type="button"
                className="button button-primary"
                aria-disabled={pending || undefined}
                onClick={() => !pending && void send(file.csv, file.name, true)}
              >
                Import {preview.systems.length === 1 ? 'one review' : `${preview.systems.length} reviews`}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

/** The cells a system fails, counted by verdict, each component's freedoms listed on demand. */
function FailingCells({ checklist, cells }: { checklist: Checklist; cells: ImportPreview['systems'][number]['cells'] }) {
  const failing = cells.filter((cell) => cell.verdict !== 'allows');
  if (failing.length === 0) return <>None</>;
  const counts = VERDICT_ORDER.filter((verdict) => verdict !== 'allows')
    .map((verdict) => [verdict, failing.filter((cell) => cell.verdict === verdict).length] as const)
    .filter(([, count]) => count > 0);
  // "Model parameters (Use, Modify, Share): Restricts", one line per component and verdict.
  const lines = checklist.rows.flatMap((row) =>
    counts.flatMap(([verdict]) => {
      const freedoms = failing.filter((cell) => cell.rowId === row.id && cell.verdict === verdict).map((cell) => checklist.freedoms[cell.freedom]);
      return freedoms.length > 0 ? [`${row.component} (${freedoms.join(', ')}): ${VERDICT_LABELS[verdict]}`] : [];
    }),
  );
  return (
    <details className="import-cells">
      <summary>{counts.map(([verdict, count]) => `${count} ${VERDICT_LABELS[verdict]}`).join(', ')}</summary>
      <ul>
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </details>
  );
}

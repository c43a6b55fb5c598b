import { clauseLabels, type ImportedClause } from '@draftroom/shared';
import { cleanCommentHtml } from '../discussion/commentHtml.ts';

/** The clauses an import would create, laid out as the text reads: headings, paragraphs, lists, each with its label. */
export function ImportedClauses({ clauses }: { clauses: readonly ImportedClause[] }) {
  const labels = clauseLabels(clauses.map((clause) => clause.kind));
  return (
    <ol className="import-clauses" aria-label="Clauses to import">
      {clauses.map((clause, index) => (
        <li key={index} className={`import-clause import-clause-${clause.kind}`}>
          <span className="import-clause-label">{labels[index]}</span>
          {clause.kind === 'heading' ? (
            <p className="import-clause-heading" role="heading" aria-level={4}>
              {clause.text}
            </p>
          ) : (
            <div
              className="import-clause-body"
              // Sanitized on the server (as a draft clause's HTML is), and cleaned once more in an inert document.
              // biome-ignore lint/security/noDangerouslySetInnerHtml: cleaned just above
              dangerouslySetInnerHTML={{ __html: cleanCommentHtml(clause.html) }}
            />
          )}
        </li>
      ))}
    </ol>
  );
}

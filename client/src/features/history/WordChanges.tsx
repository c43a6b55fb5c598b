import type { WordChange } from '@draftroom/shared';

/**
 * Word-level changes as running text: insertions in <ins>, deletions in <del>. Both are styled by
 * more than colour (underline, strike-through) and named for screen readers, which read neither element.
 */
export function WordChanges({ changes }: { changes: readonly WordChange[] }) {
  return (
    <p className="word-changes">
      {changes.map((change, index) =>
        change.kind === 'insert' ? (
          <span key={index}>
            <span className="visually-hidden">[inserted: </span>
            <ins>{change.text}</ins>
            <span className="visually-hidden">]</span>
          </span>
        ) : change.kind === 'delete' ? (
          <span key={index}>
            <span className="visually-hidden">[deleted: </span>
            <del>{change.text}</del>
            <span className="visually-hidden">]</span>
          </span>
        ) : (
          <span key={index}>{change.text}</span>
        ),
      )}
    </p>
  );
}

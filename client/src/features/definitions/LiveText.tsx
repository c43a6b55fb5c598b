import { lazy, Suspense } from 'react';
import type { DefinitionDetail } from '@draftroom/shared';
import type { Collaborator } from '../../collab/liveDocument.ts';
import { StaticText } from './StaticText.tsx';

// The editor (Tiptap, ProseMirror, Yjs) is most of the page's code: the text shows without it first.
const LiveEditing = lazy(async () => ({ default: (await import('./LiveEditing.tsx')).LiveEditing }));

/** The definition's text: shown as committed at once, live and editable once the editor has loaded. */
export function LiveText({ definition, self }: { definition: DefinitionDetail; self: Collaborator }) {
  return (
    <Suspense fallback={<StaticText definition={definition} />}>
      <LiveEditing definition={definition} self={self} />
    </Suspense>
  );
}

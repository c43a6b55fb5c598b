import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { SLUG_PATTERN, type DefinitionImportPreview } from '@draftroom/shared';
import { ApiError } from '../../api/client.ts';
import { importDefinition, previewDefinitionImport } from '../../api/imports.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { FormAlert, SubmitButton, TextField } from '../../forms/fields.tsx';
import { formErrorMessage } from '../../forms/messages.ts';
import { useApiForm } from '../../forms/useApiForm.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { definitionPath } from '../definitions/paths.ts';
import { DEFINITION_SLUG_HINT } from '../definitions/labels.ts';
import { useGroup } from '../groups/GroupLayout.tsx';
import { suggestSlug } from '../groups/labels.ts';
import { ImportedClauses } from './ImportedClauses.tsx';
import { ImportNotes } from './ImportNotes.tsx';
import { type ChosenSource, titleFromName } from './source.ts';
import { SourcePicker } from './SourcePicker.tsx';
import './imports.css';

/**
 * Starting a definition from a file (chairs and editors): choose it, see what it becomes — title,
 * clauses laid out as the text will read, what could not be kept — then create it.
 */
export function ImportDefinitionPage() {
  const { group } = useGroup();
  const { signedOut } = useSession();
  const [source, setSource] = useState<ChosenSource | null>(null);
  const [preview, setPreview] = useState<DefinitionImportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  /** The latest preview asked for: an older answer arriving late is dropped. */
  const asked = useRef(0);

  async function read(chosen: ChosenSource) {
    const ask = ++asked.current;
    setSource(chosen);
    setPending(true);
    setError(null);
    try {
      const answer = await previewDefinitionImport(group.slug, { format: chosen.format, source: chosen.text });
      if (ask === asked.current) setPreview(answer);
    } catch (caught) {
      if (ask !== asked.current) return;
      if (caught instanceof ApiError && caught.status === 401 && caught.code === 'unauthenticated') signedOut('expired');
      setPreview(null);
      setError(`${chosen.name ?? 'The pasted text'} cannot be imported: ${caught instanceof ApiError ? formErrorMessage(caught) : 'something went wrong.'}`);
    } finally {
      if (ask === asked.current) setPending(false);
    }
  }

  if (!group.allowedActions.includes('definition.create')) {
    return (
      <section className="card import" aria-labelledby="import-heading">
        <h2 id="import-heading">Import a definition</h2>
        <p>Only chairs and editors start definitions in this group.</p>
      </section>
    );
  }

  return (
    <section className="card import" aria-labelledby="import-heading">
      <h2 id="import-heading">Import a definition from a file</h2>
      <p className="muted">
        Headings become headings; paragraphs and lists become clauses, with their bold, italic, code and links. Draftroom’s own Markdown and HTML exports read
        back as the clauses they hold.
      </p>
      <SourcePicker onChoose={(chosen) => void read(chosen)} pending={pending} />
      {/* Always in the page, so that the preview's arrival is announced too. */}
      <p role="status" className={pending ? undefined : 'visually-hidden'}>
        {pending
          ? `Reading ${source?.name ?? 'the text'}…`
          : preview
            ? `${preview.clauses.length === 1 ? 'One clause' : `${preview.clauses.length} clauses`} read, shown below.`
            : ''}
      </p>
      <FormAlert message={error} />
      {preview && source && !pending && (
        <CreateFromPreview key={`${source.name}:${source.format}:${source.text.length}`} slug={group.slug} source={source} preview={preview} />
      )}
      <p>
        <Link to={`/groups/${encodeURIComponent(group.slug)}`}>Back to {group.name}</Link>
      </p>
    </section>
  );
}

function CreateFromPreview({ slug: groupSlug, source, preview }: { slug: string; source: ChosenSource; preview: DefinitionImportPreview }) {
  const navigate = useNavigate();
  const client = useQueryClient();
  const initialTitle = preview.title ?? titleFromName(source.name);
  const [title, setTitle] = useState(initialTitle);
  const [slug, setSlug] = useState(suggestSlug(initialTitle));
  const [slugEdited, setSlugEdited] = useState(false);
  const form = useApiForm({
    title: { label: 'Title' },
    slug: { label: 'Slug', pattern: SLUG_PATTERN, patternMessage: 'Slug can only have lower-case letters, digits and inner hyphens (3 to 40 characters)' },
  });
  const count = preview.clauses.length;

  const submit = form.onSubmit(async (values) => {
    const definition = await importDefinition(groupSlug, { format: source.format, source: source.text, title: values.title.trim(), slug: values.slug });
    void client.invalidateQueries({ queryKey: queryKeys.groupDefinitions(groupSlug) });
    navigate(definitionPath(definition.groupSlug, definition.id));
  });

  return (
    <form className="form import-preview" onSubmit={submit} noValidate aria-labelledby="import-preview-heading">
      <h3 id="import-preview-heading">
        Preview: {count === 1 ? 'one clause' : `${count} clauses`} from {source.name ?? 'the pasted text'}
      </h3>
      <FormAlert message={form.formError} />
      <div className="form-row">
        <TextField
          {...form.field('title')}
          required
          maxLength={200}
          autoComplete="off"
          value={title}
          hint={preview.title ? 'From the first heading of the file.' : 'The file has no level-1 heading to take it from.'}
          onChange={(event) => {
            setTitle(event.target.value);
            if (!slugEdited) setSlug(suggestSlug(event.target.value));
          }}
        />
        <TextField
          {...form.field('slug')}
          hint={DEFINITION_SLUG_HINT}
          required
          minLength={3}
          maxLength={40}
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          value={slug}
          onChange={(event) => {
            setSlug(event.target.value);
            setSlugEdited(event.target.value !== '');
          }}
        />
      </div>
      <ImportNotes warnings={preview.warnings} stripped={preview.stripped} />
      <ImportedClauses clauses={preview.clauses} />
      <div className="form-actions">
        <SubmitButton pending={form.pending} pendingText="Creating…">
          Create the definition
        </SubmitButton>
      </div>
    </form>
  );
}

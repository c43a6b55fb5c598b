import { useState } from 'react';
import { useNavigate } from 'react-router';
import { SLUG_PATTERN } from '@draftroom/shared';
import { createDefinition } from '../../api/definitions.ts';
import { FormAlert, SubmitButton, TextField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';
import { suggestSlug } from '../groups/labels.ts';
import { definitionPath } from './paths.ts';
import { DEFINITION_SLUG_HINT } from './labels.ts';

export function CreateDefinitionForm({ slug: groupSlug }: { slug: string }) {
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [slug, setSlug] = useState('');
  // The slug follows the title until the person edits it themselves.
  const [slugEdited, setSlugEdited] = useState(false);
  const form = useApiForm({
    title: { label: 'Title' },
    slug: {
      label: 'Slug',
      pattern: SLUG_PATTERN,
      patternMessage: 'Slug can only have lower-case letters, digits and inner hyphens (3 to 40 characters)',
    },
  });

  const submit = form.onSubmit(async (values) => {
    const definition = await createDefinition(groupSlug, { title: values.title.trim(), slug: values.slug });
    navigate(definitionPath(definition.groupSlug, definition.id));
  });

  return (
    <form className="form" onSubmit={submit} noValidate>
      <FormAlert message={form.formError} />
      <div className="form-row">
        <TextField
          {...form.field('title')}
          required
          maxLength={200}
          autoComplete="off"
          value={title}
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
      <div className="form-actions">
        <SubmitButton pending={form.pending} pendingText="Starting…">
          Start definition
        </SubmitButton>
      </div>
    </form>
  );
}

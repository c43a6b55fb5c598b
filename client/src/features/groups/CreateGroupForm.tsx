import { useState } from 'react';
import { useNavigate } from 'react-router';
import { SLUG_PATTERN, type Visibility } from '@draftroom/shared';
import { createGroup } from '../../api/groups.ts';
import { FormAlert, RadioGroupField, SubmitButton, TextAreaField, TextField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';
import { SLUG_HINT, suggestSlug, VISIBILITY_OPTIONS } from './labels.ts';

export function CreateGroupForm() {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  // The slug follows the name until the person edits it themselves.
  const [slugEdited, setSlugEdited] = useState(false);
  const form = useApiForm({
    name: { label: 'Name' },
    slug: {
      label: 'Slug',
      pattern: SLUG_PATTERN,
      patternMessage: 'Slug can only have lower-case letters, digits and inner hyphens (3 to 40 characters)',
    },
    charter: { label: 'Charter' },
    visibility: { label: 'Visibility' },
  });

  const submit = form.onSubmit(async (values) => {
    const group = await createGroup({
      name: values.name.trim(),
      slug: values.slug,
      charter: values.charter,
      visibility: values.visibility as Visibility,
    });
    navigate(`/groups/${group.slug}`);
  });

  return (
    <form className="form" onSubmit={submit} noValidate>
      <FormAlert message={form.formError} />
      <TextField
        {...form.field('name')}
        required
        maxLength={120}
        value={name}
        onChange={(event) => {
          setName(event.target.value);
          if (!slugEdited) setSlug(suggestSlug(event.target.value));
        }}
      />
      <TextField
        {...form.field('slug')}
        hint={SLUG_HINT}
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
      <TextAreaField {...form.field('charter')} hint="Optional: what the group is drafting, and how it decides." rows={4} maxLength={20000} />
      <RadioGroupField {...form.field('visibility')} options={VISIBILITY_OPTIONS} defaultValue="private" />
      <div className="form-actions">
        <SubmitButton pending={form.pending} pendingText="Creating group…">
          Create group
        </SubmitButton>
      </div>
    </form>
  );
}

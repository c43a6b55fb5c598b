import type { Visibility } from '@draftroom/shared';

export const VISIBILITY_LABELS: Record<Visibility, string> = { public: 'Public', private: 'Private' };

export const VISIBILITY_OPTIONS = [
  { value: 'private', label: 'Private', description: 'Only members can see the group and its drafts.' },
  { value: 'public', label: 'Public', description: 'Anyone can find the group and read its published versions.' },
] as const;

export const SLUG_HINT = 'Part of the group’s address: 3 to 40 lower-case letters, digits and hyphens, starting and ending with a letter or digit.';

export function memberCountText(count: number): string {
  return `${count} ${count === 1 ? 'member' : 'members'}`;
}

/** A slug suggested from the group's name: "Open Source AI — 2025" → "open-source-ai-2025". */
export function suggestSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

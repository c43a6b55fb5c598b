/** Roles inside a working group, from most to least powerful. */
export const ROLES = ['chair', 'editor', 'member', 'observer'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export const ROLE_LABELS: Record<Role, string> = {
  chair: 'Chair',
  editor: 'Editor',
  member: 'Member',
  observer: 'Observer',
};

import { Type, type Static } from 'typebox';
import { PRINTABLE_LINE } from './auth.ts';
import { RoleSchema, Timestamp, Uuid } from './common.ts';

/** Lower-case letters, digits and inner hyphens; 3–40 characters. */
export const SLUG_PATTERN = '^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$';
/** Slugs that would collide with client routes or read as official. */
export const RESERVED_SLUGS = ['new', 'api', 'admin', 'login', 'register', 'settings', 'groups', 'me'] as const;

export const Slug = Type.String({ pattern: SLUG_PATTERN, minLength: 3, maxLength: 40 });
export const Visibility = Type.Union([Type.Literal('public'), Type.Literal('private')]);
export type Visibility = Static<typeof Visibility>;
export const VISIBILITIES: readonly Visibility[] = ['public', 'private'];

const GroupName = Type.String({ minLength: 1, maxLength: 120, pattern: PRINTABLE_LINE });
const Charter = Type.String({ maxLength: 20000 });

export const GroupAction = Type.Union([
  Type.Literal('group.update'),
  Type.Literal('members.read'),
  Type.Literal('members.manage'),
  Type.Literal('events.read'),
  Type.Literal('group.leave'),
  Type.Literal('definition.create'),
]);
export type GroupAction = Static<typeof GroupAction>;

export const Group = Type.Object({
  id: Uuid,
  slug: Type.String(),
  name: Type.String(),
  charter: Type.String(),
  visibility: Visibility,
  createdAt: Timestamp,
  memberCount: Type.Integer(),
  myRole: Type.Union([RoleSchema, Type.Null()]),
  allowedActions: Type.Array(GroupAction, { description: 'What the caller may do here, so a UI shows only working buttons' }),
});
export type Group = Static<typeof Group>;

export const GroupParams = Type.Object({ slug: Type.String({ maxLength: 64 }) });
export const MemberParams = Type.Object({ slug: Type.String({ maxLength: 64 }), userId: Uuid });

export const CreateGroupBody = Type.Object(
  { slug: Slug, name: GroupName, charter: Type.Optional(Charter), visibility: Type.Optional(Visibility) },
  { additionalProperties: false },
);
export type CreateGroupBody = Static<typeof CreateGroupBody>;

export const UpdateGroupBody = Type.Object(
  { name: Type.Optional(GroupName), charter: Type.Optional(Charter), visibility: Type.Optional(Visibility) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateGroupBody = Static<typeof UpdateGroupBody>;

export const GroupList = Type.Object({ groups: Type.Array(Group) });
export type GroupList = Static<typeof GroupList>;

export const Member = Type.Object({
  userId: Uuid,
  displayName: Type.String(),
  email: Type.String(),
  role: RoleSchema,
  joinedAt: Timestamp,
});
export type Member = Static<typeof Member>;

export const MemberList = Type.Object({ members: Type.Array(Member) });
export type MemberList = Static<typeof MemberList>;

export const AddMemberBody = Type.Object({ email: Type.String({ minLength: 3, maxLength: 254 }), role: RoleSchema }, { additionalProperties: false });
export type AddMemberBody = Static<typeof AddMemberBody>;

/** A role offered to an address; it joins the member list when accepted (or its registration confirmed). */
export const Invitation = Type.Object({
  id: Uuid,
  email: Type.String(),
  role: RoleSchema,
  invitedAt: Timestamp,
  invitedBy: Type.String({ description: 'display name of the chair who invited' }),
});
export type Invitation = Static<typeof Invitation>;

export const InvitationList = Type.Object({
  invitations: Type.Array(Invitation),
  invitesByEmail: Type.Boolean({
    description: 'true: this server mails invitations (adding a member invites them); false: only existing accounts are added, at once',
  }),
});
export type InvitationList = Static<typeof InvitationList>;

/**
 * The answer to adding a member when the server sends mail: the same for an address with an account
 * and one without (each gets its own mail), so a chair cannot probe which addresses have accounts.
 */
export const InviteResponse = Type.Object({ status: Type.Literal('invited'), invitation: Invitation });
export type InviteResponse = Static<typeof InviteResponse>;

/** An invitation addressed to the signed-in user. */
export const MyInvitation = Type.Object({
  id: Uuid,
  group: Type.Object({ slug: Type.String(), name: Type.String() }),
  role: RoleSchema,
  invitedAt: Timestamp,
  invitedBy: Type.String({ description: 'display name of the chair who invited' }),
});
export type MyInvitation = Static<typeof MyInvitation>;

export const MyInvitationList = Type.Object({ invitations: Type.Array(MyInvitation) });
export type MyInvitationList = Static<typeof MyInvitationList>;

export const InvitationParams = Type.Object({ invitationId: Uuid });
export const GroupInvitationParams = Type.Object({ slug: Type.String({ maxLength: 64 }), invitationId: Uuid });

export const ChangeRoleBody = Type.Object({ role: RoleSchema }, { additionalProperties: false });
export type ChangeRoleBody = Static<typeof ChangeRoleBody>;

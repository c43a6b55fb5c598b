import { ROLE_LABELS, type Role } from '@draftroom/shared';
import type { MailMessage } from './outbox.ts';

/**
 * The mails Draftroom sends, as plain text. Links are built on `origin` (PUBLIC_URL, or the origin of
 * the request that caused the mail). Names people chose (display names, group names) are quoted, so
 * they read as names and not as our words.
 */

/** The confirmation token travels in the fragment, which browsers never send to a server (nor log). */
export function confirmationLink(origin: string, token: string): string {
  return `${origin}/confirm#token=${token}`;
}

const SIGNATURE = '\n-- \nDraftroom\n';

export function confirmationMail(options: { origin: string; to: string; displayName: string; token: string; validHours: number }): MailMessage {
  return {
    kind: 'registration.confirm',
    to: options.to,
    subject: 'Confirm your Draftroom account',
    text: [
      `Hello "${options.displayName}",`,
      '',
      `Someone, probably you, asked for a Draftroom account for ${options.to}.`,
      'To confirm this address and sign in, open this link:',
      '',
      confirmationLink(options.origin, options.token),
      '',
      `The link works once, for ${options.validHours} hours. If you did not ask for an account, ignore this mail: nothing is created without the link.`,
      SIGNATURE,
    ].join('\n'),
  };
}

export function alreadyRegisteredMail(options: { origin: string; to: string }): MailMessage {
  return {
    kind: 'registration.existing',
    to: options.to,
    subject: 'Someone tried to register with your address',
    text: [
      'Hello,',
      '',
      `Someone, probably you, tried to create a Draftroom account for ${options.to}.`,
      'This address already has an account, so nothing was changed. Sign in instead:',
      '',
      `${options.origin}/login`,
      '',
      'If it was not you, you need not do anything: your account and its password stay as they are.',
      SIGNATURE,
    ].join('\n'),
  };
}

interface InvitationMailOptions {
  origin: string;
  to: string;
  groupName: string;
  inviterName: string;
  role: Role;
}

function invitationLine(options: InvitationMailOptions): string {
  return `"${options.inviterName}" invited ${options.to} to the Draftroom working group "${options.groupName}" as ${ROLE_LABELS[options.role]}.`;
}

/** To an address that has an account: accept on the invitations page. */
export function invitationToJoinMail(options: InvitationMailOptions): MailMessage {
  return {
    kind: 'invitation.join',
    to: options.to,
    subject: 'You are invited to a Draftroom working group',
    text: ['Hello,', '', invitationLine(options), 'Sign in and accept or decline the invitation here:', '', `${options.origin}/invitations`, SIGNATURE].join(
      '\n',
    ),
  };
}

/** To an address without an account: registering (and confirming) with it joins the group. */
export function invitationToRegisterMail(options: InvitationMailOptions): MailMessage {
  return {
    kind: 'invitation.register',
    to: options.to,
    subject: 'You are invited to a Draftroom working group',
    text: [
      'Hello,',
      '',
      invitationLine(options),
      `To join, create an account with this address (${options.to}):`,
      '',
      `${options.origin}/register`,
      '',
      'Once you confirm the address, you are in the group. If you do not want to join, ignore this mail.',
      SIGNATURE,
    ].join('\n'),
  };
}

import { DISPOSITION_LABELS, isRole, ROLE_LABELS, type AuditEvent, type DispositionKind, type EventPage } from '@draftroom/shared';

const FIELD_NAMES: Record<string, string> = { name: 'name', charter: 'charter', visibility: 'visibility' };

function roleLabel(value: unknown): string {
  return isRole(value) ? ROLE_LABELS[value] : 'an unknown role';
}

function listText(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

const POSITION_WORDS: Record<string, string> = {
  yes: 'Yes',
  no_objection: 'No objection',
  object: 'Object',
  abstain: 'Abstain',
  recuse: 'Recuse',
  marks: 'on the component matrix',
};
const OUTCOME_WORDS: Record<string, string> = { passed: 'passed', failed: 'failed', no_quorum: 'no quorum', decided: 'decided' };
const STATUS_WORDS: Record<string, string> = { drafting: 'drafting', 'public-comment': 'public comment', final: 'final' };

/** A sentence as text and links: a link names what it points at by its title, never by an id. */
export type EventPart = string | { text: string; to: string; emphasis?: boolean };

/** What the sentences may link to: the group (for paths) and the titles the events page sent. */
export interface EventContext {
  slug: string;
  subjects: EventPage['subjects'];
}

/** Every event type the server records, with a sentence of its own (a test checks the server's list against this one). */
export const DESCRIBED_EVENT_TYPES = [
  'account.registered',
  'account.registration_attempted',
  'account.signed_in',
  'account.signed_out',
  'account.password_changed',
  'group.created',
  'group.updated',
  'member.added',
  'member.invited',
  'member.role_changed',
  'member.removed',
  'member.left',
  'invitation.revoked',
  'invitation.declined',
  'definition.created',
  'definition.renamed',
  'definition.status_changed',
  'definition.deadline_changed',
  'definition.restored',
  'definition.imported',
  'clause.restored',
  'version.published',
  'thread.created',
  'thread.resolved',
  'thread.reopened',
  'thread.published',
  'comment.added',
  'comment.edited',
  'comment.deleted',
  'comment.hidden',
  'comment.unhidden',
  'comment.reacted',
  'comment.unreacted',
  'amendment.proposed',
  'amendment.accepted',
  'amendment.rejected',
  'amendment.withdrawn',
  'ballot.created',
  'ballot.updated',
  'ballot.opened',
  'ballot.voted',
  'ballot.closed',
  'ballot.cancelled',
  'system.created',
  'system.updated',
  'system.deleted',
  'checklist.created',
  'review.opened',
  'review.submitted',
  'review.revealed',
  'review.cell_resolved',
  'review.commented',
  'review.closed',
  'review.imported',
  'endorsement.created',
  'endorsement.verified',
  'endorsement.withdrawn',
  'disposition.raised',
  'disposition.decided',
  'disposition.responded',
  'language.checks_changed',
  'glossary.term_added',
  'glossary.term_removed',
] as const;

const enc = encodeURIComponent;

const VERDICT_WORDS: Record<string, string> = { allows: 'Allows', restricts: 'Restricts', not_available: 'Not available', unknown: 'Unknown' };
const CONFORMANCE_OUTCOME_WORDS: Record<string, string> = { conformant: 'Conformant', conditional: 'Conformant if…', not_conformant: 'Not conformant' };

/** "Partly accepted", from a payload's disposition (null for anything else). */
function dispositionLabel(value: unknown): string | null {
  return typeof value === 'string' && Object.hasOwn(DISPOSITION_LABELS, value) ? DISPOSITION_LABELS[value as DispositionKind] : null;
}

/** "D-3", or "D-3 and D-4", from an item's number or a list of them; null when there is none. */
function itemNumbers(payload: Record<string, unknown>): string | null {
  const numbers = Array.isArray(payload.numbers) ? payload.numbers : [payload.number];
  const names = numbers.filter((n): n is number => typeof n === 'number').map((n) => `D-${n}`);
  return names.length > 0 ? listText(names) : null;
}

/** A reason as the log quotes it: the start of it, on one line. */
function quote(text: string, max = 160): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

/** "OLMo 7B" from a payload (or a payload's `system`) that names a system. */
function systemName(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const { name, version } = value as { name?: unknown; version?: unknown };
  if (typeof name !== 'string' || name === '') return null;
  return typeof version === 'string' && version !== '' ? `${name} ${version}` : name;
}

/**
 * One audit event as a sentence of text and links. Payloads name people by id; `nameOf` turns an id
 * into a name (the current member list knows most of them); `context` turns definition and ballot ids
 * into their titles. Without a title a thing is named by what it is ("a ballot"), never by its id.
 */
export function describeEventParts(event: AuditEvent, nameOf: (userId: string) => string | undefined, context?: EventContext): EventPart[] {
  const payload = (typeof event.payload === 'object' && event.payload !== null ? event.payload : {}) as Record<string, unknown>;
  const actor = event.actor?.displayName ?? 'Draftroom';
  const subjectId = typeof payload.userId === 'string' ? payload.userId : null;
  const subject = subjectId ? (nameOf(subjectId) ?? (subjectId === event.actor?.id ? event.actor.displayName : 'a former member')) : 'someone';
  const str = (key: string) => (typeof payload[key] === 'string' ? (payload[key] as string) : null);

  const definitionId = str('definitionId');
  const ballotId = str('ballotId');
  const ballot = ballotId ? context?.subjects.ballots[ballotId] : undefined;
  const definitionOf = definitionId ?? ballot?.definitionId ?? null;
  const definition = definitionOf ? context?.subjects.definitions[definitionOf] : undefined;
  const base = context && definitionOf ? `/groups/${enc(context.slug)}/definitions/${enc(definitionOf)}` : null;

  /** The definition by its title, linked (to one of its tabs). */
  const def = (tab = '', fallback = 'a definition'): EventPart[] =>
    definition && base ? [{ text: definition.title, to: `${base}${tab}`, emphasis: true }] : [fallback];
  /** " in <definition>" when the title is known. */
  const inDef = (tab = ''): EventPart[] => (definition && base ? [' in ', ...def(tab)] : []);
  const theBallot = (): EventPart[] =>
    ballot && base && ballotId ? [{ text: ballot.title, to: `${base}/decisions?ballot=${enc(ballotId)}`, emphasis: true }] : ['a ballot'];
  const amendmentTab = str('amendmentId') ? `/amendments?amendment=${enc(str('amendmentId')!)}` : '/amendments';
  const version = str('label');
  // An item of the disposition register: the members' tab, at the item when the event names it.
  const dispositionTab = str('dispositionId') ? `/dispositions?item=${enc(str('dispositionId')!)}` : '/dispositions';
  const item = itemNumbers(payload);

  switch (event.type) {
    case 'account.registered':
      return [`${actor} registered`];
    case 'account.registration_attempted':
      return ['Someone tried to register with an address that has an account'];
    case 'account.signed_in':
      return [`${actor} signed in`];
    case 'account.signed_out':
      return [`${actor} signed out`];
    case 'account.password_changed':
      return [`${actor} changed their password`];
    case 'group.created':
      return [`${actor} created the group`];
    case 'group.updated': {
      const changes = typeof payload.changes === 'object' && payload.changes !== null ? (payload.changes as Record<string, unknown>) : {};
      const parts = Object.keys(changes).map((key) =>
        key === 'visibility' && typeof changes.visibility === 'string'
          ? `made the group ${changes.visibility}`
          : `changed the ${FIELD_NAMES[key] ?? 'settings'}`,
      );
      return [parts.length > 0 ? `${actor} ${listText(parts)}` : `${actor} updated the group`];
    }
    case 'member.added':
      // Joined by accepting an invitation (or confirming a registration the invitation was mailed to).
      return [
        typeof payload.invitationId === 'string'
          ? `${subject} joined as ${roleLabel(payload.role)}, invited by ${actor}`
          : `${actor} added ${subject} as ${roleLabel(payload.role)}`,
      ];
    case 'member.invited':
      // Invitations name no address or account in the log: the same for people with and without one.
      return [`${actor} invited someone as ${roleLabel(payload.role)}`];
    case 'invitation.revoked':
      return [`${actor} revoked an invitation`];
    case 'invitation.declined':
      return [`${actor} declined an invitation`];
    case 'member.role_changed':
      return [`${actor} changed the role of ${subject} from ${roleLabel(payload.from)} to ${roleLabel(payload.to)}`];
    case 'member.removed':
      return [`${actor} removed ${subject} (${roleLabel(payload.role)})`];
    case 'member.left':
      return [`${actor} left the group`];
    case 'definition.created':
      return [`${actor} started the definition `, ...(definition && base ? def() : [str('title') ?? 'a definition'])];
    case 'definition.renamed':
      return [`${actor} renamed `, ...def()];
    case 'definition.status_changed': {
      const changes = (typeof payload.changes === 'object' && payload.changes !== null ? payload.changes : {}) as Record<string, unknown>;
      const to = typeof changes.status === 'string' ? (STATUS_WORDS[changes.status] ?? 'a new status') : 'a new status';
      // Set final with items of the disposition register still undisposed: the chair acknowledged them.
      const acknowledged = Array.isArray(payload.undisposedAcknowledged)
        ? payload.undisposedAcknowledged.filter((n): n is number => typeof n === 'number')
        : [];
      const acknowledgement =
        acknowledged.length > 0
          ? [
              `, acknowledging ${acknowledged.length} undisposed ${acknowledged.length === 1 ? 'item' : 'items'} (${listText(acknowledged.map((n) => `D-${n}`))})`,
            ]
          : [];
      return [`${actor} moved `, ...def(), ` to ${to}`, ...acknowledgement];
    }
    case 'definition.deadline_changed':
      return [`${actor} changed the public comment deadline of `, ...def()];
    case 'definition.restored':
      return [`${actor} reset `, ...def('/versions'), version ? ` to version ${version}` : ' to an earlier version'];
    case 'definition.imported': {
      const format = ({ markdown: 'a Markdown file', html: 'an HTML file', text: 'a text file' } as Record<string, string>)[str('format') ?? ''] ?? 'a file';
      const count = typeof payload.clauseCount === 'number' ? ` (${payload.clauseCount === 1 ? 'one clause' : `${payload.clauseCount} clauses`})` : '';
      // Replacing a draft names what changed; a new definition's import follows its "started".
      return payload.changes
        ? [`${actor} replaced the draft of `, ...def('/versions'), ` with the text of ${format}${count}`]
        : [`${actor} imported the text of `, ...def(), ` from ${format}${count}`];
    }
    case 'clause.restored':
      return [`${actor} restored a clause`, ...inDef('/versions'), version ? ` to version ${version}` : ' to an earlier version'];
    case 'version.published':
      return [`${actor} published version ${version ?? ''}`.trimEnd(), ...(definition && base ? [' of ', ...def('/versions')] : [])];
    case 'thread.created':
      return [`${actor} started a ${payload.audience === 'public' ? 'public ' : ''}thread`, ...inDef()];
    case 'thread.resolved':
      return [`${actor} resolved a thread`, ...inDef()];
    case 'thread.reopened':
      return [`${actor} reopened a thread`, ...inDef()];
    case 'thread.published':
      return [`${actor} made a thread public`, ...inDef()];
    case 'comment.added':
      return [`${actor} replied in a thread`, ...inDef()];
    case 'comment.edited':
      return [`${actor} edited a comment`, ...inDef()];
    case 'comment.deleted':
      return [`${actor} deleted a comment`, ...inDef()];
    case 'comment.hidden':
      return [`${actor} hid a comment`, ...inDef(), ...(str('reason') ? [`: ${str('reason')}`] : [])];
    case 'comment.unhidden':
      return [`${actor} showed a hidden comment again`, ...inDef()];
    case 'comment.reacted':
      return [`${actor} reacted ${str('emoji') ?? ''} to a comment`.replace('  ', ' '), ...inDef()];
    case 'comment.unreacted':
      return [`${actor} took back a reaction`, ...inDef()];
    case 'amendment.proposed':
      return [`${actor} proposed an amendment`, ...inDef(amendmentTab)];
    case 'amendment.accepted':
      return [`${actor} accepted an amendment`, ...inDef(amendmentTab)];
    case 'amendment.rejected':
      return [`${actor} rejected an amendment`, ...inDef(amendmentTab), ...(str('reason') ? [`: ${str('reason')}`] : [])];
    case 'amendment.withdrawn':
      return [`${actor} withdrew an amendment`, ...inDef(amendmentTab)];
    case 'ballot.created':
      return [`${actor} drafted `, ...theBallot()];
    case 'ballot.updated':
      return [`${actor} changed the draft `, ...(ballot ? theBallot() : ['ballot'])];
    case 'ballot.opened':
      return [`${actor} opened `, ...theBallot(), ' for voting', ...(typeof payload.eligible === 'number' ? [` (${payload.eligible} eligible)`] : [])];
    case 'ballot.voted':
      // How someone voted is in the log only on public ballots.
      if (!ballot) return [typeof payload.position === 'string' ? `${actor} voted ${POSITION_WORDS[payload.position] ?? 'on a ballot'}` : `${actor} voted`];
      return [
        typeof payload.position === 'string' && payload.position !== 'marks'
          ? `${actor} voted ${POSITION_WORDS[payload.position] ?? ''} on `
          : `${actor} voted on `,
        ...theBallot(),
      ];
    case 'ballot.closed': {
      const outcome = typeof payload.outcome === 'string' ? OUTCOME_WORDS[payload.outcome] : undefined;
      const who: EventPart[] = event.actor
        ? [`${actor} closed `, ...theBallot()]
        : [ballot ? '' : 'A ballot', ...(ballot ? theBallot() : []), ' closed at its closing time'];
      return [...who.filter((p) => p !== ''), ...(outcome ? [`: ${outcome}`] : [])];
    }
    case 'ballot.cancelled':
      return [`${actor} cancelled `, ...theBallot(), ...(str('reason') ? [`: ${str('reason')}`] : [])];
    case 'system.created':
      return [`${actor} added ${systemName(payload) ?? 'a system'} to the register of systems`];
    case 'system.updated':
      return [`${actor} updated ${systemName(payload) ?? 'a system'} in the register of systems`];
    case 'system.deleted':
      return [`${actor} removed ${systemName(payload) ?? 'a system'} from the register of systems`];
    case 'checklist.created':
      return [`${actor} made the conformance checklist of version ${str('versionLabel') ?? ''}`.trimEnd(), ...inDef()];
    case 'review.opened':
      return [
        `${actor} opened a conformance review of ${systemName(payload.system) ?? 'a system'}${str('versionLabel') ? ` against version ${str('versionLabel')}` : ''}`,
      ];
    case 'review.submitted':
      return [`${actor} submitted their marks in a conformance review`];
    case 'review.revealed':
      return ['Every reviewer had submitted: the marks of a conformance review were shown to all'];
    case 'review.cell_resolved':
      return [
        `${actor} settled ${str('component') ?? 'a component'}${str('freedom') ? ` — ${str('freedom')}` : ''} as ${VERDICT_WORDS[str('verdict') ?? ''] ?? 'a verdict'}${str('reason') ? `: ${str('reason')}` : ''}`,
      ];
    case 'review.commented':
      return [payload.asDeveloper === true ? `${actor} responded for the developer in a conformance review` : `${actor} commented in a conformance review`];
    case 'endorsement.created': {
      const who = str('organisation') && payload.kind === 'organisation' ? `${str('organisation')} (by ${str('name') ?? actor})` : (str('name') ?? actor);
      return [`${who} endorsed version ${str('versionLabel') ?? ''}`.trimEnd(), ...inDef()];
    }
    case 'endorsement.verified':
      return [
        payload.method === 'email_domain'
          ? `The endorsement of ${str('organisation') ?? 'an organisation'} was confirmed from its domain${str('domain') ? ` ${str('domain')}` : ''}`
          : `${actor} verified the endorsement of ${str('organisation') ?? 'an organisation'}`,
      ];
    case 'endorsement.withdrawn':
      return [`${actor} withdrew an endorsement of version ${str('versionLabel') ?? ''}`.trimEnd()];
    case 'review.imported': {
      const outcome = CONFORMANCE_OUTCOME_WORDS[str('outcome') ?? ''];
      return [`${actor} imported a spreadsheet review of ${systemName(payload.system) ?? 'a system'}${outcome ? `: ${outcome}` : ''}`];
    }
    case 'review.closed': {
      const outcome = CONFORMANCE_OUTCOME_WORDS[str('outcome') ?? ''];
      return [`${actor} closed the conformance review of ${systemName(payload.system) ?? 'a system'}${outcome ? `: ${outcome}` : ''}`];
    }
    case 'disposition.raised': {
      const entered = ` entered the disposition register${item ? ` as ${item}` : ''}`;
      if (payload.source === 'ballot_objection') {
        // Entered when a public ballot closed: each named Object position is an item.
        const many = Array.isArray(payload.numbers) && payload.numbers.length > 1;
        return [`${many ? 'Objections' : 'An objection'} in `, ...theBallot(), entered, ...inDef(dispositionTab)];
      }
      if (payload.source === 'formal_objection') {
        return [
          `${actor} raised a formal objection to ${str('clauseId') ? 'a clause' : 'the whole definition'}${item ? ` (${item})` : ''}`,
          ...inDef(dispositionTab),
        ];
      }
      return [`A public comment by ${actor}${entered}`, ...inDef(dispositionTab)];
    }
    case 'disposition.decided': {
      const label = dispositionLabel(payload.disposition);
      const previous = dispositionLabel(payload.previous);
      const reason = str('reason');
      return [
        `${actor} ${previous ? 'changed the disposition of' : 'disposed of'} ${item ?? 'an item'}`,
        ...inDef(dispositionTab),
        label ? `: ${label.toLowerCase()}` : '',
        previous ? ` (was ${previous.toLowerCase()})` : '',
        str('versionLabel') ? `, in version ${str('versionLabel')}` : '',
        str('amendmentId') ? ', by an accepted amendment' : '',
        reason ? ` — ${quote(reason)}` : '',
      ].filter((part) => part !== '');
    }
    case 'disposition.responded':
      return [
        `${actor} ${payload.satisfied === true ? 'is satisfied' : 'is not satisfied'} with the disposition of ${item ?? 'an item'}`,
        ...inDef(dispositionTab),
      ];
    case 'language.checks_changed':
      return [`${actor} turned the requirement-language marks ${payload.enabled === true ? 'on' : 'off'} for `, ...def()];
    case 'glossary.term_added':
    case 'glossary.term_removed': {
      const term = str('term');
      const what = term ? quote(term) : 'a term';
      return event.type === 'glossary.term_added'
        ? [`${actor} added ${what} to the glossary of `, ...def()]
        : [`${actor} removed ${what} from the glossary of `, ...def()];
    }
    default:
      // A type this page does not know yet: say that something happened, without the code.
      return [`${actor} made a change`];
  }
}

/** The sentence as plain text. */
export function describeEvent(event: AuditEvent, nameOf: (userId: string) => string | undefined, context?: EventContext): string {
  return describeEventParts(event, nameOf, context)
    .map((part) => (typeof part === 'string' ? part : part.text))
    .join('');
}

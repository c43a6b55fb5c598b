import { createHash, randomBytes } from 'node:crypto';
import type { EndorseBody, Endorsement, EndorsementCounts, EndorsementList } from '@draftroom/shared';
import type { Db, Executor } from '../db/database.ts';
import { loadDefinition, type DefinitionRecord } from '../definitions/service.ts';
import { conflict, forbidden, hiddenAs, invalidInput, notFound, unauthenticated } from '../errors.ts';
import { oneLine } from '../text/escape.ts';
import { recordEvent } from '../events/service.ts';
import type { MailMessage } from '../mail/outbox.ts';
import type { Actor, SignedIn } from '../policies/actor.ts';
import { authorizeConformance, canOnConformance } from '../policies/conformance.ts';
import * as versions from '../versions/repository.ts';
import * as repo from './repository.ts';

/** How long a confirmation link to an organisation's address works. */
export const CONFIRMATION_VALID_DAYS = 7;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** The definition and version an endorsement is about, readable by the actor (as the public register is). */
async function loadVersion(db: Executor, actor: Actor, definitionId: string, label: string) {
  const definition = await loadDefinition(db, actor, definitionId);
  authorizeConformance(actor, 'register.read', definition, 'definition');
  const version = await versions.findVersion(db, definitionId, label);
  if (!version) throw notFound('version');
  return { definition, version };
}

/** The endorsement with the newest version published after it (read here, so every answer says the same). */
async function presentRow(db: Executor, row: repo.EndorsementRow): Promise<Endorsement> {
  return present(row, (await repo.laterVersion(db, row.definition_id, row.version_published_at))?.label ?? null);
}

function present(row: repo.EndorsementRow, laterVersion: string | null): Endorsement {
  return {
    id: row.id,
    definitionId: row.definition_id,
    version: { id: row.version_id, label: row.version_label },
    kind: row.kind,
    name: row.name,
    organisation: row.organisation,
    role: row.role,
    statement: row.statement,
    link: row.link,
    endorsedBy: { id: row.user_id, displayName: row.endorser_name },
    createdAt: row.created_at.toISOString(),
    verification:
      row.verification === 'email_domain' && row.verified_domain && row.verified_at
        ? { method: 'email_domain', domain: row.verified_domain, at: row.verified_at.toISOString() }
        : row.verification === 'chair' && row.verified_by && row.verified_at
          ? {
              method: 'chair',
              by: { id: row.verified_by, displayName: row.verifier_name ?? '' },
              note: row.verified_note ?? '',
              at: row.verified_at.toISOString(),
            }
          : null,
    pendingDomain: row.pending_domain,
    withdrawn: row.withdrawn_at ? { at: row.withdrawn_at.toISOString(), reason: row.withdrawn_reason ?? '' } : null,
    laterVersion,
  };
}

export function countEndorsements(rows: repo.EndorsementRow[]): EndorsementCounts {
  const current = rows.filter((row) => row.withdrawn_at === null);
  return {
    individuals: current.filter((row) => row.kind === 'individual').length,
    organisations: current.filter((row) => row.kind === 'organisation').length,
    verifiedOrganisations: current.filter((row) => row.kind === 'organisation' && row.verification !== null).length,
    withdrawn: rows.length - current.length,
  };
}

export async function listEndorsements(db: Db, actor: Actor, definitionId: string, label: string): Promise<EndorsementList> {
  const { definition, version } = await loadVersion(db, actor, definitionId, label);
  const rows = await repo.listForVersion(db, version.id);
  const later = (await repo.laterVersion(db, definitionId, version.published_at))?.label ?? null;
  const previous = await repo.previousVersion(db, definitionId, version.published_at);
  const shown = rows.map((row) => present(row, later));
  const current = shown.filter((e) => e.withdrawn === null);
  // Organisations before individuals, verified ones first; oldest first within each.
  const rank = (e: Endorsement) => (e.kind === 'organisation' ? (e.verification ? 0 : 1) : 2);
  current.sort((a, b) => rank(a) - rank(b));
  return {
    version: { id: version.id, label: version.label },
    endorsements: current,
    withdrawn: shown.filter((e) => e.withdrawn !== null),
    counts: countEndorsements(rows),
    mine: current.find((e) => actor !== null && e.endorsedBy.id === actor.userId) ?? null,
    notYetRenewed: previous ? await repo.countNotRenewed(db, previous.id, version.id) : 0,
    allowed: canOnConformance(actor, 'endorsement.verify', definition) ? ['verify'] : [],
  };
}

/** The registrable part a confirmation address must share with the organisation's website. */
function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

function websiteMatches(link: string, domain: string): boolean {
  let host: string;
  try {
    host = new URL(link).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === domain || host.endsWith(`.${domain}`);
}

export interface EndorseDeps {
  /** Sends the confirmation mail; null when the server sends no mail. */
  send: ((message: MailMessage) => void) | null;
  origin: string;
}

/**
 * Endorses a published version. Anyone signed in may endorse a public group's version; a private
 * group's versions only its members. An organisation's endorsement given with an address at the
 * organisation's own domain (the domain of its website) is confirmed by a link mailed there; the
 * address itself is never stored, only its domain until the link is used.
 */
export async function endorse(db: Db, deps: EndorseDeps, actor: Actor, definitionId: string, label: string, body: EndorseBody): Promise<Endorsement> {
  return db.transaction().execute(async (tx) => {
    const { definition, version } = await loadVersion(tx, actor, definitionId, label);
    authorizeEndorse(actor, definition);
    const organisation = oneLine(body.organisation ?? '');
    const link = body.link ?? null;
    if (body.kind === 'organisation' && !organisation) throw invalidInput('Name the organisation', [{ path: '/organisation', message: 'is required' }]);
    let pendingDomain: string | null = null;
    let token: string | null = null;
    if (body.email !== undefined) {
      if (body.kind !== 'organisation')
        throw invalidInput('Only an organisation’s endorsement is confirmed by mail', [{ path: '/email', message: 'leave it out' }]);
      if (!link)
        throw invalidInput('Give the organisation’s website: the address must be at its domain', [{ path: '/link', message: 'is required with an address' }]);
      const domain = domainOf(body.email);
      if (!websiteMatches(link, domain))
        throw invalidInput('The address must be at the organisation’s own domain', [
          { path: '/email', message: `is not at the domain of ${new URL(link).hostname}` },
        ]);
      if (!deps.send) throw conflict('This server sends no mail: ask a chair to verify the organisation instead');
      pendingDomain = domain;
      token = randomBytes(32).toString('base64url');
    }
    const id = await repo.insertEndorsement(tx, {
      definitionId,
      versionId: version.id,
      userId: actor.userId,
      kind: body.kind,
      name: oneLine(body.name),
      organisation,
      role: oneLine(body.role ?? ''),
      statement: body.statement?.trim() ?? '',
      link,
      pendingDomain,
      tokenHash: token ? hashToken(token) : null,
      expiresAt: token ? new Date(Date.now() + CONFIRMATION_VALID_DAYS * 24 * 3600 * 1000) : null,
    });
    if (!id) throw conflict(`You already endorse version ${version.label}; withdraw it first to change it`);
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: 'endorsement.created',
      payload: { endorsementId: id, definitionId, versionLabel: version.label, kind: body.kind, name: oneLine(body.name), organisation, pendingDomain },
    });
    if (token && body.email)
      deps.send!(confirmationMail({ origin: deps.origin, to: body.email, organisation, title: definition.title, label: version.label, token }));
    return presentRow(tx, (await repo.findEndorsement(tx, id))!);
  });
}

function authorizeEndorse(actor: Actor, definition: DefinitionRecord): asserts actor is SignedIn {
  if (actor === null) throw unauthenticated('Sign in to endorse');
  if (definition.visibility !== 'public' && definition.role === null) throw notFound('definition');
}

function confirmationMail(options: { origin: string; to: string; organisation: string; title: string; label: string; token: string }): MailMessage {
  return {
    kind: 'endorsement.confirm',
    to: options.to,
    subject: `Confirm "${options.organisation}"'s endorsement`,
    text: [
      'Hello,',
      '',
      `Someone endorsed "${options.title}" version ${options.label} on Draftroom in the name of "${options.organisation}" and gave this address to confirm it.`,
      'If the organisation stands behind this endorsement, open this link:',
      '',
      `${options.origin}/endorsements/confirm#token=${options.token}`,
      '',
      `The link works once, for ${CONFIRMATION_VALID_DAYS} days. If you know nothing of it, ignore this mail: the endorsement stays unverified.`,
      '\n-- \nDraftroom\n',
    ].join('\n'),
  };
}

/** The link in the confirmation mail: marks the organisation verified by its domain. */
export async function confirmEndorsement(db: Db, token: string): Promise<Endorsement> {
  return db.transaction().execute(async (tx) => {
    const found = await repo.findByTokenHash(tx, hashToken(token), new Date());
    if (!found || found.withdrawn_at !== null || !found.pending_domain) throw notFound('confirmation');
    await repo.markDomainVerified(tx, found.id, found.pending_domain, new Date());
    const row = (await repo.findEndorsement(tx, found.id))!;
    const definition = await tx.selectFrom('definitions').select('group_id').where('id', '=', row.definition_id).executeTakeFirstOrThrow();
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: null,
      type: 'endorsement.verified',
      payload: {
        endorsementId: row.id,
        definitionId: row.definition_id,
        versionLabel: row.version_label,
        organisation: row.organisation,
        method: 'email_domain',
        domain: found.pending_domain,
      },
    });
    return presentRow(tx, row);
  });
}

async function loadEndorsement(db: Executor, actor: Actor, id: string) {
  const row = await repo.findEndorsement(db, id);
  if (!row) throw notFound('endorsement');
  const definition = await hiddenAs(loadDefinition(db, actor, row.definition_id), 'endorsement');
  return { row, definition };
}

/** A chair vouches for an organisation's endorsement (a call, a letter), with a note saying how. */
export async function verifyEndorsement(db: Db, actor: Actor, id: string, note: string): Promise<Endorsement> {
  return db.transaction().execute(async (tx) => {
    const { row, definition } = await loadEndorsement(tx, actor, id);
    authorizeConformance(actor, 'endorsement.verify', definition, 'endorsement');
    await repo.lockEndorsement(tx, id);
    if (row.kind !== 'organisation') throw conflict('Only an organisation’s endorsement is verified');
    if (row.withdrawn_at) throw conflict('This endorsement was withdrawn');
    await repo.markChairVerified(tx, id, actor.userId, note.trim(), new Date());
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: 'endorsement.verified',
      payload: {
        endorsementId: id,
        definitionId: row.definition_id,
        versionLabel: row.version_label,
        organisation: row.organisation,
        method: 'chair',
        note: note.trim(),
      },
    });
    return presentRow(tx, (await repo.findEndorsement(tx, id))!);
  });
}

/** Its endorser withdraws it; the record keeps it, with the date and the reason. */
export async function withdrawEndorsement(db: Db, actor: Actor, id: string, reason: string): Promise<Endorsement> {
  return db.transaction().execute(async (tx) => {
    const { row, definition } = await loadEndorsement(tx, actor, id);
    if (actor === null) throw unauthenticated();
    if (row.user_id !== actor.userId) throw forbidden('Only its endorser can withdraw an endorsement');
    await repo.lockEndorsement(tx, id);
    if ((await repo.findEndorsement(tx, id))!.withdrawn_at) throw conflict('This endorsement is already withdrawn');
    await repo.markWithdrawn(tx, id, reason.trim(), new Date());
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: 'endorsement.withdrawn',
      payload: {
        endorsementId: id,
        definitionId: row.definition_id,
        versionLabel: row.version_label,
        name: row.name,
        organisation: row.organisation,
        reason: reason.trim(),
      },
    });
    return presentRow(tx, (await repo.findEndorsement(tx, id))!);
  });
}

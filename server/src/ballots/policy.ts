import { forbidden, unauthenticated } from '../errors.ts';
import type { Actor, SignedIn } from '../policies/actor.ts';
import { authorizeOnDefinition, canOnDefinition, type DefinitionContext, refuseOnDefinition } from '../policies/definitions.ts';

/** Opening, closing and cancelling ballots is the chair's job (the definition policy's 'ballot.manage'). */
export function canManageBallots(actor: Actor, context: DefinitionContext): boolean {
  return canOnDefinition(actor, 'ballot.manage', context);
}

/** Ballots are part of the draft: whoever reads it reads them (their titles and subjects; how anyone voted is the ballot's own rule). */
export function canReadBallots(actor: Actor, context: DefinitionContext): boolean {
  return canOnDefinition(actor, 'draft.read', context);
}

/** Who votes is each ballot's own rule: the electorate frozen when it opened. */
export function canVote(actor: Actor, voter: { eligible: boolean }): boolean {
  return actor !== null && voter.eligible;
}

/** Ballots are part of the draft: whoever reads it reads them. */
export function authorizeReadBallots(actor: Actor, context: DefinitionContext): asserts actor is SignedIn {
  authorizeOnDefinition(actor, 'draft.read', context);
}

/** Reading comes first, so someone who may not read the draft is told that, not that they are not the chair. */
export function authorizeManageBallots(actor: Actor, context: DefinitionContext): asserts actor is SignedIn {
  authorizeReadBallots(actor, context);
  if (!canManageBallots(actor, context)) refuseOnDefinition(actor, context, 'Only a chair opens, closes or cancels ballots');
}

/** Whether the ballot is open is the caller's to check first (it answers 409 before this answers 403). */
export function authorizeVote(actor: Actor, voter: { eligible: boolean }): asserts actor is SignedIn {
  if (actor === null) throw unauthenticated();
  if (!canVote(actor, voter)) throw forbidden('You are not eligible to vote on this ballot');
}

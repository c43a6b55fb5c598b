import type { Actor, SignedIn } from '../policies/actor.ts';
import { authorizeOnDefinition, canOnDefinition, type DefinitionContext, refuseOnDefinition } from '../policies/definitions.ts';

/** Amendments are part of the draft: whoever reads it reads them (search asks this too). */
export function canReadAmendments(actor: Actor, context: DefinitionContext): boolean {
  return canOnDefinition(actor, 'draft.read', context);
}

/** Chairs and editors take proposals in or turn them down (the definition policy's 'amendment.decide'). */
export function canDecideAmendment(actor: Actor, context: DefinitionContext): boolean {
  return canOnDefinition(actor, 'amendment.decide', context);
}

/** Only whoever proposed an amendment takes it back. */
export function canWithdrawAmendment(actor: Actor, authorId: string): boolean {
  return actor !== null && actor.userId === authorId;
}

// Each decision is refused in its own words; reading the draft comes first, as for every amendment.

export function authorizeAcceptAmendment(actor: Actor, context: DefinitionContext): asserts actor is SignedIn {
  authorizeOnDefinition(actor, 'draft.read', context);
  if (!canDecideAmendment(actor, context)) refuseOnDefinition(actor, context, 'Only chairs and editors accept amendments');
}

export function authorizeRejectAmendment(actor: Actor, context: DefinitionContext): asserts actor is SignedIn {
  authorizeOnDefinition(actor, 'draft.read', context);
  if (!canDecideAmendment(actor, context)) refuseOnDefinition(actor, context, 'Only chairs and editors reject amendments');
}

export function authorizeWithdrawAmendment(actor: Actor, context: DefinitionContext, authorId: string): asserts actor is SignedIn {
  authorizeOnDefinition(actor, 'draft.read', context);
  if (!canWithdrawAmendment(actor, authorId)) refuseOnDefinition(actor, context, 'Only the author withdraws an amendment');
}

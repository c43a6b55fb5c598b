import type { Actor, SignedIn } from '../policies/actor.ts';
import { authorizeOnDefinition, canOnDefinition, type DefinitionContext, refuseOnDefinition } from '../policies/definitions.ts';

/*
 * The disposition register. Members read every item; whoever reads the group's published versions (anyone,
 * for a public group) reads the items that came from public comments — what the public said and how the
 * group answered it. A chair disposes of items; the person who raised an item answers whether the
 * disposition satisfies them; members who may propose raise formal objections.
 */

/** 'all' for members, 'public' for readers of published versions, null for whoever may not see the definition. */
export function registerScope(actor: Actor, context: DefinitionContext): 'all' | 'public' | null {
  if (canOnDefinition(actor, 'draft.read', context)) return 'all';
  if (canOnDefinition(actor, 'version.read', context)) return 'public';
  return null;
}

export function canReadItem(actor: Actor, context: DefinitionContext, item: { public: boolean }): boolean {
  const scope = registerScope(actor, context);
  return scope === 'all' || (scope === 'public' && item.public);
}

/** Disposing of comments and objections is the chair's, as running ballots is. */
export function canDecide(actor: Actor, context: DefinitionContext): boolean {
  return canOnDefinition(actor, 'ballot.manage', context);
}

/** Only the person who raised an item answers its disposition, once there is one, while they may still read it. */
export function canRespond(actor: Actor, context: DefinitionContext, item: { public: boolean; author_id: string; disposition: string | null }): boolean {
  return actor !== null && actor.userId === item.author_id && item.disposition !== null && canReadItem(actor, context, item);
}

/** Members who may propose wordings may also object formally (observers watch; the public comments). */
export function canObject(actor: Actor, context: DefinitionContext): boolean {
  return canOnDefinition(actor, 'amendment.propose', context);
}

export function authorizeDecide(actor: Actor, context: DefinitionContext): asserts actor is SignedIn {
  authorizeOnDefinition(actor, 'draft.read', context);
  if (!canDecide(actor, context)) refuseOnDefinition(actor, context, 'Only a chair disposes of comments and objections');
}

export function authorizeObject(actor: Actor, context: DefinitionContext): asserts actor is SignedIn {
  authorizeOnDefinition(actor, 'draft.read', context);
  if (!canObject(actor, context)) refuseOnDefinition(actor, context, 'Observers cannot raise formal objections');
}

/** The caller has read the item already (else it would not exist for them); whether it is disposed yet is the service's 409. */
export function authorizeRespond(actor: Actor, context: DefinitionContext, item: { author_id: string }): asserts actor is SignedIn {
  if (actor === null || actor.userId !== item.author_id) refuseOnDefinition(actor, context, 'Only whoever raised an item answers its disposition');
}

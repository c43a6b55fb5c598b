import * as Y from 'yjs';

export interface EncodedAnchor {
  /** base64 of Y.encodeRelativePosition */
  start: string;
  end: string;
}

export class InvalidAnchor extends Error {
  override name = 'InvalidAnchor';
}

export function decodeRelativePosition(encoded: string): Y.RelativePosition {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length > 512) throw new InvalidAnchor('not base64');
  try {
    return Y.decodeRelativePosition(new Uint8Array(Buffer.from(encoded, 'base64')));
  } catch {
    throw new InvalidAnchor('not a relative position');
  }
}

function isInside(type: Y.AbstractType<unknown>, container: Y.XmlFragment): boolean {
  const target = container as unknown;
  for (let current: Y.AbstractType<unknown> | null = type; current; current = (current._item?.parent as Y.AbstractType<unknown> | undefined) ?? null) {
    if ((current as unknown) === target) return true;
  }
  return false;
}

export type AnchorState = 'ok' | 'removed';

/**
 * Where an anchor is now. When the anchored words were deleted, Yjs collapses the range to zero
 * width; when the clause itself is gone the positions no longer resolve. Both read as "removed".
 */
export function resolveAnchor(doc: Y.Doc, body: Y.XmlFragment | null, anchor: EncodedAnchor, quote: string): AnchorState {
  if (!body) return 'removed';
  const start = Y.createAbsolutePositionFromRelativePosition(decodeRelativePosition(anchor.start), doc);
  const end = Y.createAbsolutePositionFromRelativePosition(decodeRelativePosition(anchor.end), doc);
  if (!start || !end || !isInside(start.type, body) || !isInside(end.type, body)) return 'removed';
  const collapsed = start.type === end.type && start.index === end.index;
  return collapsed && quote.length > 0 ? 'removed' : 'ok';
}

/** Checks that an anchor sent by a client points into this clause's body. */
export function validateAnchor(doc: Y.Doc, body: Y.XmlFragment, anchor: EncodedAnchor): void {
  const start = Y.createAbsolutePositionFromRelativePosition(decodeRelativePosition(anchor.start), doc);
  const end = Y.createAbsolutePositionFromRelativePosition(decodeRelativePosition(anchor.end), doc);
  if (!start || !end || !isInside(start.type, body) || !isInside(end.type, body)) {
    throw new InvalidAnchor('the anchor does not point into this clause');
  }
}

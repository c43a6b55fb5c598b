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

/**
 * Where an encoded position is in this document, or null when what it pointed at is gone. A position
 * built by hand (naming a root type the document lacks, or an item that cannot hold a position) is
 * InvalidAnchor: Yjs would throw on it, or create the root type as a side effect.
 */
function absolutePosition(doc: Y.Doc, encoded: string): Y.AbsolutePosition | null {
  const relative = decodeRelativePosition(encoded);
  if (relative.tname !== null && !doc.share.has(relative.tname)) throw new InvalidAnchor('not a position in this document');
  try {
    return Y.createAbsolutePositionFromRelativePosition(relative, doc);
  } catch {
    throw new InvalidAnchor('not a position in this document');
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
  let start: Y.AbsolutePosition | null;
  let end: Y.AbsolutePosition | null;
  try {
    start = absolutePosition(doc, anchor.start);
    end = absolutePosition(doc, anchor.end);
  } catch (error) {
    if (error instanceof InvalidAnchor) return 'removed';
    throw error;
  }
  if (!start || !end || !isInside(start.type, body) || !isInside(end.type, body)) return 'removed';
  const collapsed = start.type === end.type && start.index === end.index;
  return collapsed && quote.length > 0 ? 'removed' : 'ok';
}

/** Checks that an anchor sent by a client points into this clause's body. */
export function validateAnchor(doc: Y.Doc, body: Y.XmlFragment, anchor: EncodedAnchor): void {
  const start = absolutePosition(doc, anchor.start);
  const end = absolutePosition(doc, anchor.end);
  if (!start || !end || !isInside(start.type, body) || !isInside(end.type, body)) {
    throw new InvalidAnchor('the anchor does not point into this clause');
  }
}

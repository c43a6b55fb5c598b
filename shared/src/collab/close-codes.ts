/** WebSocket close codes of the live-editing socket, shared by server and client. */
export const CLOSE_CODES = {
  /** Not signed in. y-websocket stops reconnecting on 4400–4499. */
  unauthenticated: 4401,
  /** Signed in but not allowed (not a member, removed, or writing under someone else's client id). */
  forbidden: 4403,
  /** No such definition (or not visible to you). */
  notFound: 4404,
  /** The document is over its size cap. */
  documentTooLarge: 4413,
  /**
   * An update whose content the Y.Doc layout or the clause schema does not allow (an unknown element,
   * mark or attribute, a value where a clause belongs…). Nothing of it was stored or sent to anyone.
   */
  invalidContent: 4422,
  /**
   * The client sent more data that builds on updates the server does not have than the server keeps
   * (COLLAB_MAX_HELD_BYTES); it was dropped. The client reconnects and syncs in full.
   */
  tooMuchHeld: 1008,
  /** A single message over the size limit (standard code). */
  messageTooBig: 1009,
  /** A frame that is not a valid y-websocket message. */
  invalidMessage: 1007,
  /** The server could not load the document; the client reconnects and tries again. */
  loadFailed: 1011,
  /**
   * Storage (PostgreSQL) is out of reach: the document could not be loaded or stored. The client keeps
   * its edits and reconnects; they are stored once the database is back ("Try Again Later").
   */
  storageUnavailable: 1013,
  /** The server is shutting down; the client reconnects elsewhere or later. */
  goingAway: 1001,
} as const;

import * as Y from 'yjs';

export class ForeignClientId extends Error {
  override name = 'ForeignClientId';
}

/**
 * Which user owns each Yjs client id of a document. An id belongs to the first user whose *applied*
 * structs used it (recorded in PostgreSQL in the same transaction as those structs); new content under
 * an id someone else owns is refused. Content the server already has may be relayed by anyone.
 */
export class ClientOwners {
  private readonly owners = new Map<number, string>();

  constructor(rows: Iterable<{ client_id: number | string; user_id: string }> = []) {
    for (const row of rows) this.owners.set(Number(row.client_id), row.user_id);
  }

  ownerOf(clientId: number): string | undefined {
    return this.owners.get(clientId);
  }

  /** Throws ForeignClientId when `structs` carry new content under an id another user owns. */
  check(doc: Y.Doc, userId: string, structs: readonly Y.AbstractStruct[]): void {
    for (const struct of structs) {
      if (struct instanceof Y.Skip) continue;
      const { client, clock } = struct.id;
      if (clock + struct.length <= Y.getState(doc.store, client)) continue;
      const owner = this.owners.get(client);
      if (owner !== undefined && owner !== userId) throw new ForeignClientId(`client id ${client} belongs to another user`);
    }
  }

  /**
   * The ids that an applied update advanced and nobody owned yet: they are now `userId`'s. Only what was
   * actually applied counts — structs still waiting for missing updates claim nothing.
   */
  claim(userId: string, advanced: Iterable<number>): number[] {
    const claims: number[] = [];
    for (const clientId of advanced) {
      if (this.owners.has(clientId)) continue;
      this.owners.set(clientId, userId);
      claims.push(clientId);
    }
    return claims;
  }

  /** A client id nobody has used in this document (for edits made on the server). */
  freshId(doc: Y.Doc): number {
    for (;;) {
      const id = Math.floor(Math.random() * 0xffffffff) + 1;
      if (!this.owners.has(id) && Y.getState(doc.store, id) === 0) return id;
    }
  }

  set(clientId: number, userId: string): void {
    this.owners.set(clientId, userId);
  }
}

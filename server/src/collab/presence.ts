import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { awarenessClients, awarenessMessage } from './protocol.ts';

/** The owner of presence received from another instance. */
const ELSEWHERE = Symbol('another instance');

/** What presence needs to know of a connection. */
export interface PresenceMember {
  readonly userId: string;
  readonly displayName: string;
  readonly awarenessClients: Set<number>;
  send(message: Uint8Array): void;
}

export interface PresenceLimits {
  /** Awareness client ids one connection may speak for. */
  maxAwarenessClients: number;
  maxAwarenessStateBytes: number;
}

/**
 * Who is here and where their cursor is (the y-protocols awareness of one document). A connection may
 * only speak for awareness client ids it introduced, a bounded number of them with bounded states, and
 * the name shown for it comes from its session, never from what the client claims.
 */
export class Presence {
  readonly awareness: awarenessProtocol.Awareness;
  /** Who speaks for each awareness client id: a member here, or a connection on another instance. */
  private readonly owners = new Map<number, PresenceMember | typeof ELSEWHERE>();

  constructor(
    doc: Y.Doc,
    private readonly members: () => Iterable<PresenceMember>,
    private readonly limits: PresenceLimits,
    /** Local changes go out to other instances through the document channel. */
    private readonly publish: (update: Uint8Array) => void,
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null);
    this.awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      const changed = [...added!, ...updated!, ...removed!];
      const message = awarenessMessage(this.awareness, changed);
      for (const member of this.members()) if (member !== origin) member.send(message);
      if (origin !== 'channel') this.publish(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    });
  }

  /** Everyone's presence, for a newcomer (nothing when nobody is present). */
  greet(member: PresenceMember): void {
    const present = [...this.awareness.getStates().keys()];
    if (present.length > 0) member.send(awarenessMessage(this.awareness, present));
  }

  answerQuery(member: PresenceMember): void {
    member.send(awarenessMessage(this.awareness, [...this.awareness.getStates().keys()]));
  }

  /** Applies a member's awareness update, or ignores it whole when it breaks a rule. */
  accept(member: PresenceMember, update: Uint8Array): void {
    const entries = awarenessClients(update);
    for (const entry of entries) {
      const owner = this.owners.get(entry.clientId);
      if (owner !== undefined && owner !== member) return; // someone else's presence: ignore
      if (entry.stateBytes > this.limits.maxAwarenessStateBytes) return;
      if (!member.awarenessClients.has(entry.clientId) && member.awarenessClients.size >= this.limits.maxAwarenessClients) return;
    }
    for (const entry of entries) {
      member.awarenessClients.add(entry.clientId);
      this.owners.set(entry.clientId, member);
    }
    // Names in presence come from the session, not the client: nobody can appear as someone else.
    const stamped = awarenessProtocol.modifyAwarenessUpdate(update, (state: unknown) => {
      if (state === null || typeof state !== 'object') return state;
      const user = (state as { user?: unknown }).user;
      const color = user && typeof user === 'object' ? (user as { color?: unknown }).color : undefined;
      return {
        ...state,
        user: { id: member.userId, name: member.displayName, ...(typeof color === 'string' && color.length <= 32 && { color }) },
      };
    });
    awarenessProtocol.applyAwarenessUpdate(this.awareness, stamped, member);
  }

  /**
   * From another instance, where it was checked. Its client ids are spoken for from then on: nobody here
   * may take over a presence held on another instance (an update naming one of ours is ignored whole).
   */
  applyRemote(update: Uint8Array): void {
    let entries: ReturnType<typeof awarenessClients>;
    try {
      entries = awarenessClients(update);
    } catch {
      return;
    }
    if (entries.some((entry) => (this.owners.get(entry.clientId) ?? ELSEWHERE) !== ELSEWHERE)) return;
    for (const entry of entries) {
      if (entry.isNull) this.owners.delete(entry.clientId);
      else this.owners.set(entry.clientId, ELSEWHERE);
    }
    try {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, update, 'channel');
    } catch {
      // Malformed after all: nothing of it is shown.
    }
  }

  /** A member left: its presence goes with it. */
  remove(member: PresenceMember): void {
    const clients = [...member.awarenessClients].filter((id) => this.owners.get(id) === member);
    for (const id of clients) this.owners.delete(id);
    if (clients.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, clients, null);
  }

  destroy(): void {
    this.awareness.destroy();
  }
}

import type { FastifyBaseLogger } from 'fastify';
import { LIVE_CLOSE_CODES, LIVE_MAX_TOPICS, type LiveTopic } from '@draftroom/shared';
import type { SessionCache } from '../auth/session-cache.ts';
import type { Db } from '../db/database.ts';
import type { Bus, DomainEvent } from '../events/bus.ts';
import { countUnread } from '../notifications/repository.ts';
import type { GroupContext } from '../policies/groups.ts';
import type { LiveConnection, LiveFollowing } from './connection.ts';
import type { LiveNotice } from './notice.ts';
import {
  accessChangeOf,
  deliveriesFor,
  factsNeeded,
  mayFollow,
  mayReceive,
  parseTopic,
  type AccessChange,
  type Delivery,
  type Facts,
  type Topic,
  FRONT_DOOR_EVENTS,
} from './policy.ts';
import * as repo from './repository.ts';
import type { LiveSource } from './source.ts';

type Work = { kind: 'notice'; notice: LiveNotice } | { kind: 'access'; change: AccessChange } | { kind: 'resync' };

export interface LiveHubOptions {
  db: Db;
  source: LiveSource;
  bus: Bus;
  /** Forgets sessions another instance ended (this one hears of it through the source). */
  sessions: SessionCache | null;
  log: FastifyBaseLogger;
}

/** Definitions never move between groups, so where each lives can be remembered (within reason). */
const DEFINITION_CACHE_SIZE = 10_000;

/**
 * The live channel of this instance: who follows which topic, and what each of them hears.
 *
 * Everything that can change who may read what — a notice of an audit event, an in-process bus event,
 * a resync — goes through one queue with the notices, in order: a change of access is applied (the
 * readers' places re-read from the database, topics they lost revoked) before anything after it is
 * delivered, so a removed member hears nothing more. Notices between two such changes are delivered
 * as a batch: the facts they need are read once, and identical hints are sent once.
 */
export class LiveHub implements LiveFollowing {
  private readonly connections = new Set<LiveConnection>();
  private readonly byTopic = new Map<LiveTopic, Set<LiveConnection>>();
  private readonly byUser = new Map<string, Set<LiveConnection>>();
  private readonly byGroup = new Map<string, Set<LiveConnection>>();
  private readonly definitionGroups = new Map<string, string>();
  private definitionFollows = 0;
  private queue: Work[] = [];
  private draining: Promise<void> | null = null;
  /** Moves whenever readers' places may have changed; a subscription read before a move is read again. */
  private epoch = 0;
  private readonly stop: (() => void)[] = [];

  constructor(private readonly options: LiveHubOptions) {
    this.stop.push(
      options.source.subscribe({
        notice: (notice) => this.enqueue({ kind: 'notice', notice }),
        resync: () => this.enqueue({ kind: 'resync' }),
      }),
      options.bus.subscribe((event) => this.onDomainEvent(event)),
    );
  }

  get size(): number {
    return this.connections.size;
  }

  /** The signed-in sessions this instance's live sockets hold (for the session expiry sweep). */
  *openSessions(): Iterable<{ userId: string; sessionId: string }> {
    for (const connection of this.connections) {
      if (connection.userId !== null && connection.sessionId !== null) yield { userId: connection.userId, sessionId: connection.sessionId };
    }
  }

  attach(connection: LiveConnection): void {
    this.connections.add(connection);
    const userId = connection.userId;
    if (userId) addTo(this.byUser, userId, connection);
    connection.send({ type: 'hello', userId });
  }

  detach(connection: LiveConnection): void {
    if (!this.connections.delete(connection)) return;
    for (const topic of [...connection.topics.keys()]) this.drop(connection, topic);
    const userId = connection.userId;
    if (userId) removeFrom(this.byUser, userId, connection);
  }

  async follow(connection: LiveConnection, requested: LiveTopic[]): Promise<void> {
    const unique = [...new Set(requested)];
    // Asked again for what it follows: said again (a client that lost track of an answer gets it), nothing read.
    for (const topic of unique) if (connection.topics.has(topic)) connection.send({ type: 'subscribed', topic });
    const topics = unique.filter((topic) => !connection.topics.has(topic));
    if (connection.topics.size + topics.length > LIVE_MAX_TOPICS) {
      connection.close(LIVE_CLOSE_CODES.tooMany, `at most ${LIVE_MAX_TOPICS} topics`);
      return;
    }
    const parsed: { topic: LiveTopic; parts: Topic }[] = [];
    for (const topic of topics) {
      const parts = parseTopic(topic);
      if (parts) parsed.push({ topic, parts });
      else connection.send({ type: 'refused', topic, code: 'invalid' });
    }
    if (parsed.length === 0) return;
    let contexts = new Map<string, GroupContext>();
    for (let attempt = 0; ; attempt++) {
      const epoch = this.epoch;
      await this.learnDefinitionGroups(parsed.flatMap(({ parts }) => (parts.kind === 'definition' ? [parts.definitionId] : [])));
      const groupIds = new Set(parsed.map(({ parts }) => this.groupOf(parts)).filter((id): id is string => typeof id === 'string'));
      contexts = await this.readContexts(connection.userId, [...groupIds]);
      // Nobody's access moved while we read (or we tried enough: the next change re-checks us anyway).
      if (epoch === this.epoch || attempt >= 3) break;
    }
    if (connection.closed) return;
    for (const { topic, parts } of parsed) {
      if (connection.topics.has(topic)) continue;
      const groupId = this.groupOf(parts);
      const context = groupId ? (contexts.get(groupId) ?? null) : null;
      const decision = mayFollow(parts, connection.actor, context);
      if (decision !== 'ok') {
        connection.send({ type: 'refused', topic, code: decision });
        continue;
      }
      connection.topics.set(topic, groupId ?? null);
      addTo(this.byTopic, topic, connection);
      if (groupId && context) {
        connection.contexts.set(groupId, context);
        addTo(this.byGroup, groupId, connection);
      }
      if (parts.kind === 'definition') this.definitionFollows += 1;
      connection.send({ type: 'subscribed', topic });
    }
  }

  unfollow(connection: LiveConnection, topics: LiveTopic[]): void {
    for (const topic of topics) this.drop(connection, topic);
  }

  async close(): Promise<void> {
    for (const stop of this.stop) stop();
    await this.draining;
    for (const connection of [...this.connections]) connection.close(1001, 'server shutting down');
  }

  /** Waits until everything heard so far is delivered (tests). */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private onDomainEvent(event: DomainEvent): void {
    if (event.type === 'session.ended') {
      // At once, before anything else is delivered: the session is over.
      for (const connection of [...(this.byUser.get(event.userId) ?? [])]) {
        if (event.sessionId === null || connection.sessionId === event.sessionId) connection.close(LIVE_CLOSE_CODES.sessionEnded, 'signed out');
      }
      return;
    }
    this.enqueue({ kind: 'access', change: { kind: 'membership', groupId: event.groupId, userId: event.userId } });
  }

  private enqueue(work: Work): void {
    this.queue.push(work);
    if (!this.draining) {
      this.draining = this.drain().finally(() => {
        this.draining = null;
      });
    }
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      let run: LiveNotice[] = [];
      for (const work of batch) {
        if (work.kind === 'notice') {
          const change = accessChangeOf(work.notice);
          if (!change) {
            if (this.interested(work.notice)) run.push(work.notice);
            continue;
          }
          await this.deliverRun(run);
          run = [];
          await this.applyAccess(change);
          await this.deliverRun([work.notice]);
        } else {
          await this.deliverRun(run);
          run = [];
          if (work.kind === 'access') await this.applyAccess(work.change);
          else await this.resyncAll();
        }
      }
      await this.deliverRun(run);
    }
  }

  /** Whether anyone here could hear of a notice (so nothing is read for notices nobody follows). */
  private interested(notice: LiveNotice): boolean {
    switch (notice.source) {
      case 'inbox':
      case 'invitations':
        return this.followsMe(notice.userId);
      case 'vote':
        return this.definitionFollows > 0;
      case 'text':
        return this.byTopic.has(`definition:${notice.definitionId}`);
      case 'event':
        return (
          (notice.groupId !== null && this.byGroup.has(notice.groupId)) ||
          (FRONT_DOOR_EVENTS.has(notice.type) && this.byTopic.has('public')) ||
          (notice.ids.userId !== undefined && this.followsMe(notice.ids.userId)) ||
          (notice.actorId !== null && notice.type === 'group.created' && this.followsMe(notice.actorId)) ||
          // A review's developer may follow it from outside the group (on `me`): who that is, the review's row says.
          (notice.type.startsWith('review.') && this.byTopic.has('me'))
        );
    }
  }

  private followsMe(userId: string): boolean {
    for (const connection of this.byUser.get(userId) ?? []) if (connection.topics.has('me')) return true;
    return false;
  }

  private async deliverRun(notices: LiveNotice[]): Promise<void> {
    if (notices.length === 0) return;
    let facts: Facts;
    try {
      facts = await this.readFacts(notices);
    } catch (error) {
      // The hints are lost, not the changes: every page reads again what it shows.
      this.options.log.warn({ err: error }, 'live channel: could not read what changed; asking every page to read again');
      for (const connection of this.connections) connection.send({ type: 'resync' });
      return;
    }
    this.deliver(notices.flatMap((notice) => deliveriesFor(notice, facts)));
  }

  private deliver(deliveries: Delivery[]): void {
    const seen = new Set<string>();
    for (const delivery of deliveries) {
      const key = JSON.stringify([delivery.topic, delivery.event, delivery.audience]);
      if (seen.has(key)) continue;
      seen.add(key);
      const message = { type: 'event' as const, topic: delivery.topic, event: delivery.event };
      if (delivery.topic === 'me') {
        if (delivery.audience.kind !== 'user') continue;
        for (const connection of this.byUser.get(delivery.audience.userId) ?? []) {
          if (connection.topics.has('me') && mayReceive(delivery.audience, connection.actor, null)) connection.send(message);
        }
        continue;
      }
      for (const connection of this.byTopic.get(delivery.topic) ?? []) {
        const groupId = connection.topics.get(delivery.topic);
        const context = groupId ? (connection.contexts.get(groupId) ?? null) : null;
        if (mayReceive(delivery.audience, connection.actor, context)) connection.send(message);
      }
    }
  }

  private async readFacts(notices: LiveNotice[]): Promise<Facts> {
    const needed = factsNeeded(notices);
    const { db } = this.options;
    const commentRows = needed.commentIds.size > 0 ? await repo.commentThreads(db, [...needed.commentIds]) : [];
    for (const row of commentRows) needed.threadIds.add(row.thread_id);
    const [reviewRows, threadRows, ballotRows, unread, groupRows] = await Promise.all([
      needed.reviewIds.size > 0 ? repo.reviews(db, [...needed.reviewIds]) : [],
      needed.threadIds.size > 0 ? repo.threads(db, [...needed.threadIds]) : [],
      needed.ballotIds.size > 0 ? repo.ballots(db, [...needed.ballotIds]) : [],
      Promise.all([...needed.unreadOf].filter((userId) => this.followsMe(userId)).map(async (userId) => [userId, await countUnread(db, userId)] as const)),
      needed.groupIds.size > 0 && this.byTopic.has('public') ? repo.groupVisibilities(db, [...needed.groupIds]) : [],
    ]);
    return {
      reviews: new Map(reviewRows.map((row) => [row.id, { definitionId: row.definition_id, developerId: row.developer_user_id }])),
      threads: new Map(threadRows.map((row) => [row.id, { definitionId: row.definition_id, clauseId: row.clause_id, audience: row.audience }])),
      commentThreads: new Map(commentRows.map((row) => [row.id, row.thread_id])),
      ballots: new Map(ballotRows.map((row) => [row.id, { definitionId: row.definition_id, groupId: row.group_id, turnout: Number(row.turnout) }])),
      unread: new Map(unread),
      publicGroups: new Set(groupRows.filter((row) => row.visibility === 'public').map((row) => row.id)),
    };
  }

  private async applyAccess(change: AccessChange): Promise<void> {
    this.epoch += 1;
    try {
      switch (change.kind) {
        case 'membership':
          return await this.refreshMember(change.groupId, change.userId);
        case 'group':
          return await this.refreshGroup(change.groupId);
        case 'sessions':
          return await this.checkSessions(change.userId);
      }
    } catch (error) {
      // Who may read what could not be read again: nobody affected keeps listening on an old answer.
      this.options.log.warn({ err: error }, 'live channel: could not re-check access; closing the sockets it concerns');
      const affected = change.kind === 'group' ? this.byGroup.get(change.groupId) : this.byUser.get(change.userId);
      for (const connection of [...(affected ?? [])]) connection.close(LIVE_CLOSE_CODES.tryAgainLater, 'try again later');
    }
  }

  private async refreshMember(groupId: string, userId: string): Promise<void> {
    if (![...(this.byUser.get(userId) ?? [])].some((connection) => connection.contexts.has(groupId))) return;
    const [row] = await repo.groupContexts(this.options.db, userId, [groupId]);
    for (const connection of this.byUser.get(userId) ?? []) {
      if (!connection.contexts.has(groupId)) continue;
      if (row) connection.contexts.set(groupId, { visibility: row.visibility, role: row.role });
      else connection.contexts.delete(groupId);
      this.recheck(connection, groupId);
    }
  }

  private async refreshGroup(groupId: string): Promise<void> {
    if (!this.byGroup.has(groupId)) return;
    const [row] = await repo.groupVisibilities(this.options.db, [groupId]);
    for (const connection of [...(this.byGroup.get(groupId) ?? [])]) {
      const context = connection.contexts.get(groupId);
      if (row && context) connection.contexts.set(groupId, { ...context, visibility: row.visibility });
      else connection.contexts.delete(groupId);
      this.recheck(connection, groupId);
    }
  }

  private async checkSessions(userId: string): Promise<void> {
    this.options.sessions?.forgetUser(userId);
    const connections = [...(this.byUser.get(userId) ?? [])];
    const sessionIds = connections.map((connection) => connection.sessionId).filter((id): id is string => id !== null);
    if (sessionIds.length === 0) return;
    const existing = await repo.existingSessions(this.options.db, sessionIds);
    for (const connection of connections) {
      if (connection.sessionId !== null && !existing.has(connection.sessionId)) connection.close(LIVE_CLOSE_CODES.sessionEnded, 'signed out');
    }
  }

  /** After an outage of the source: every reader's places and session read again, then every page told to read again. */
  private async resyncAll(): Promise<void> {
    this.epoch += 1;
    try {
      const readers = new Map<string, LiveConnection[]>();
      for (const connection of this.connections) {
        const key = connection.userId ?? '';
        readers.set(key, [...(readers.get(key) ?? []), connection]);
      }
      for (const [key, connections] of readers) {
        const groupIds = [...new Set(connections.flatMap((connection) => [...connection.contexts.keys()]))];
        const contexts = await this.readContexts(key === '' ? null : key, groupIds);
        for (const connection of connections) {
          for (const groupId of [...connection.contexts.keys()]) {
            const context = contexts.get(groupId);
            if (context) connection.contexts.set(groupId, context);
            else connection.contexts.delete(groupId);
            this.recheck(connection, groupId);
          }
        }
      }
      const sessionIds = [...this.connections].map((connection) => connection.sessionId).filter((id): id is string => id !== null);
      const existing = await repo.existingSessions(this.options.db, sessionIds);
      for (const connection of [...this.connections]) {
        if (connection.sessionId !== null && !existing.has(connection.sessionId)) connection.close(LIVE_CLOSE_CODES.sessionEnded, 'signed out');
      }
    } catch (error) {
      this.options.log.warn({ err: error }, 'live channel: could not re-check access after an outage; closing every socket');
      for (const connection of [...this.connections]) connection.close(LIVE_CLOSE_CODES.tryAgainLater, 'try again later');
      return;
    }
    for (const connection of this.connections) connection.send({ type: 'resync' });
  }

  /** Revokes the topics of a group the reader may no longer follow. */
  private recheck(connection: LiveConnection, groupId: string): void {
    for (const [topic, topicGroup] of [...connection.topics]) {
      if (topicGroup !== groupId) continue;
      const parts = parseTopic(topic)!;
      if (mayFollow(parts, connection.actor, connection.contexts.get(groupId) ?? null) === 'ok') continue;
      this.drop(connection, topic);
      connection.send({ type: 'revoked', topic });
    }
  }

  private drop(connection: LiveConnection, topic: LiveTopic): void {
    if (!connection.topics.has(topic)) return;
    const groupId = connection.topics.get(topic);
    connection.topics.delete(topic);
    removeFrom(this.byTopic, topic, connection);
    if (topic.startsWith('definition:')) this.definitionFollows -= 1;
    if (groupId && ![...connection.topics.values()].includes(groupId)) {
      connection.contexts.delete(groupId);
      removeFrom(this.byGroup, groupId, connection);
    }
  }

  private groupOf(parts: Topic): string | null | undefined {
    if (parts.kind === 'me' || parts.kind === 'public') return null;
    if (parts.kind === 'group') return parts.groupId;
    return this.definitionGroups.get(parts.definitionId);
  }

  private async learnDefinitionGroups(definitionIds: string[]): Promise<void> {
    const unknown = definitionIds.filter((id) => !this.definitionGroups.has(id));
    if (unknown.length === 0) return;
    for (const row of await repo.definitionGroups(this.options.db, unknown)) {
      this.definitionGroups.set(row.id, row.group_id);
      if (this.definitionGroups.size > DEFINITION_CACHE_SIZE) this.definitionGroups.delete(this.definitionGroups.keys().next().value!);
    }
  }

  private async readContexts(userId: string | null, groupIds: string[]): Promise<Map<string, GroupContext>> {
    const rows = await repo.groupContexts(this.options.db, userId, groupIds);
    return new Map(rows.map((row) => [row.group_id, { visibility: row.visibility, role: row.role }]));
  }
}

function addTo<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key);
  if (set) set.add(value);
  else index.set(key, new Set([value]));
}

function removeFrom<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) index.delete(key);
}

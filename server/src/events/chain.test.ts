import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, eventHash, GENESIS_HASH, type ChainedFields } from './chain.ts';

describe('event hashes', () => {
  const events: ChainedFields[] = [
    {
      chain: 'group:1',
      seq: 1,
      type: 'ballot.voted',
      actorId: 'a',
      groupId: 'g',
      payload: { position: 'yes', ballotId: 'b' },
      occurredAt: new Date('2026-11-27T19:00:00.123Z'),
      prevHash: GENESIS_HASH,
    },
    {
      chain: 'accounts',
      seq: 9007199254740991,
      type: 'quote " back\\slash ✓ \u2028',
      actorId: null,
      groupId: null,
      payload: { z: [1, { y: null, x: 'é' }], a: 1.5, '': -0 },
      occurredAt: new Date(0),
      prevHash: 'f'.repeat(64),
    },
    { chain: 'group:2', seq: 2, type: 't', actorId: 'a', groupId: 'g', payload: {}, occurredAt: new Date('2026-01-01T00:00:00Z'), prevHash: GENESIS_HASH },
  ];

  it.each(events.map((event) => [event.type, event] as const))('are SHA-256 of the canonical JSON of the whole event (%s)', (_type, event) => {
    const material = canonicalJson({ ...event, occurredAt: event.occurredAt.toISOString() });
    expect(eventHash(event)).toBe(createHash('sha256').update(material).digest('hex'));
  });

  it('do not depend on the order of the payload keys', () => {
    const [event] = events;
    expect(eventHash({ ...event!, payload: { ballotId: 'b', position: 'yes' } })).toBe(eventHash(event!));
    expect(eventHash({ ...event!, payload: { ballotId: 'b', position: 'no' } })).not.toBe(eventHash(event!));
  });
});

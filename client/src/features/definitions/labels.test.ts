import { describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '@draftroom/shared';
import { connectionMessage, readOnlyReason } from './labels.ts';

describe('connection messages', () => {
  it('says Saving… while changes wait and Saved after', () => {
    expect(connectionMessage({ kind: 'connecting' }, false, true).text).toBe('Connecting…');
    expect(connectionMessage({ kind: 'online' }, true, true).text).toBe('Saving…');
    expect(connectionMessage({ kind: 'online' }, false, true).text).toBe('Saved');
    expect(connectionMessage({ kind: 'offline', everSynced: true }, true, true).text).toBe('Offline — your changes are kept and will sync');
  });

  it('explains every refusal in plain words, and says when changes were lost', () => {
    for (const code of [CLOSE_CODES.unauthenticated, CLOSE_CODES.forbidden, CLOSE_CODES.notFound, CLOSE_CODES.documentTooLarge, 4499]) {
      const message = connectionMessage({ kind: 'closed', code }, false, true);
      expect(message.tone).toBe('error');
      expect(message.text).not.toMatch(/undefined/);
    }
    expect(connectionMessage({ kind: 'closed', code: CLOSE_CODES.unauthenticated }, true, true).text).toContain('could not be saved');
    expect(connectionMessage({ kind: 'closed', code: CLOSE_CODES.documentTooLarge }, true, true).text).toContain('size limit');
    expect(connectionMessage({ kind: 'storage-unavailable' }, true, true)).toMatchObject({
      text: expect.stringMatching(/^Not saved — server storage is unavailable/),
      tone: 'warning',
    });
    expect(connectionMessage({ kind: 'closed', code: CLOSE_CODES.invalidContent }, true, true)).toMatchObject({
      text: expect.stringContaining('refused your latest change'),
      tone: 'error',
    });
  });

  it('names read-only roles', () => {
    expect(readOnlyReason('member')).toBe('You are a member: propose amendments instead of editing.');
    expect(readOnlyReason('observer')).toMatch(/^You are an observer/);
  });
});

import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isRole, ROLES } from '../index.ts';
import { EMAIL_PATTERN, PRINTABLE_LINE } from './auth.ts';
import { SLUG_PATTERN } from './groups.ts';

describe('shared validation patterns', () => {
  const slug = new RegExp(SLUG_PATTERN, 'u');
  it.each(['osaid', 'open-source-ai', 'a1b', 'x'.repeat(40)])('accepts the slug %s', (value) => {
    expect(slug.test(value)).toBe(true);
  });
  it.each(['ab', 'Open', '-abc', 'abc-', 'a b', 'x'.repeat(41), 'über'])('refuses the slug %s', (value) => {
    expect(slug.test(value)).toBe(false);
  });

  const email = new RegExp(EMAIL_PATTERN, 'u');
  it.each(['a@b.org', '  padded@example.org ', 'first.last+tag@sub.example.co'])('accepts the email %j', (value) => {
    expect(email.test(value)).toBe(true);
  });
  it.each(['plain', 'a@b', '@example.org', 'a b@example.org', 'a@@b.org'])('refuses the email %j', (value) => {
    expect(email.test(value)).toBe(false);
  });

  const printable = new RegExp(PRINTABLE_LINE, 'u');
  it('accepts ordinary names and refuses blank or control characters', () => {
    expect(printable.test('Ada Lovelace')).toBe(true);
    expect(printable.test('Zoë Ñúñez 李')).toBe(true);
    expect(printable.test('   ')).toBe(false);
    expect(printable.test('nul\u0000byte')).toBe(false);
    expect(printable.test('line\nbreak')).toBe(false);
  });
});

describe('roles and error codes', () => {
  it('knows the four roles, most powerful first', () => {
    expect(ROLES).toEqual(['chair', 'editor', 'member', 'observer']);
    expect(isRole('editor')).toBe(true);
    expect(isRole('admin')).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });

  it('has a code for every status the API uses', () => {
    expect(ERROR_CODES).toEqual(
      expect.arrayContaining([
        'invalid_input',
        'unauthenticated',
        'forbidden',
        'not_found',
        'conflict',
        'payload_too_large',
        'unsupported_media_type',
        'rate_limited',
      ]),
    );
  });
});

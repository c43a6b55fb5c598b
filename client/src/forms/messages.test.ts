import { describe, expect, it } from 'vitest';
import { SLUG_PATTERN } from '@draftroom/shared';
import { ApiError } from '../api/client.ts';
import { checkControl, describeDetail, formatWait, mapApiError, type CheckableControl } from './messages.ts';

const fields = {
  email: { label: 'Email' },
  password: { label: 'Password' },
  slug: { label: 'Slug', pattern: SLUG_PATTERN, patternMessage: 'Use lower-case letters, digits and hyphens' },
};

describe('mapApiError', () => {
  it('puts each validation detail on its field, in words', () => {
    const error = new ApiError(400, 'invalid_input', 'Invalid input: /email, /password', [
      { path: '/email', message: 'must match format "email"' },
      { path: '/password', message: 'must NOT have fewer than 10 characters' },
    ]);
    expect(mapApiError(error, fields)).toEqual({
      fieldErrors: {
        email: 'Enter an email address like name@example.org',
        password: 'Password must be at least 10 characters',
      },
      formError: null,
    });
  });

  it('uses the server’s sentence for a single conflict on a field', () => {
    const error = new ApiError(409, 'conflict', 'A group with this slug already exists', [{ path: '/slug', message: 'is taken' }]);
    expect(mapApiError(error, fields)).toEqual({ fieldErrors: { slug: 'A group with this slug already exists' }, formError: null });
  });

  it('puts details for fields the form does not have into the form alert', () => {
    const error = new ApiError(400, 'invalid_input', 'Invalid input', [
      { path: '/email', message: 'is already registered' },
      { path: '/extra', message: 'must NOT have additional properties' },
    ]);
    expect(mapApiError(error, fields)).toEqual({
      fieldErrors: { email: 'Email is already registered' },
      formError: 'extra must NOT have additional properties',
    });
  });

  it('shows errors without details in the form alert; a 429 with its waiting time', () => {
    expect(mapApiError(new ApiError(401, 'invalid_credentials', 'Email or password is wrong'), fields)).toEqual({
      fieldErrors: {},
      formError: 'Email or password is wrong',
    });
    const limited = new ApiError(429, 'rate_limited', 'Too many requests; try again in 125 s', { retryAfterSeconds: 125 }, 125);
    expect(mapApiError(limited, fields).formError).toBe('Too many attempts. Try again in 3 minutes.');
  });

  it('ignores inherited property names as field names', () => {
    const error = new ApiError(400, 'invalid_input', 'Invalid input', [{ path: '/constructor', message: 'is odd' }]);
    expect(mapApiError(error, fields).fieldErrors).toEqual({});
  });
});

describe('describeDetail', () => {
  it('words the usual validation phrases', () => {
    expect(describeDetail("must have required property 'email'", fields.email)).toBe('Email is required');
    expect(describeDetail('must NOT have more than 40 characters', fields.slug)).toBe('Slug must be at most 40 characters');
    expect(describeDetail('must match pattern "^[a-z]$"', fields.slug)).toBe('Use lower-case letters, digits and hyphens');
    expect(describeDetail('must match pattern "\\S"', fields.email)).toBe('Email is not in the expected form');
    expect(describeDetail('looks odd', fields.email)).toBe('Email: looks odd');
  });
});

describe('formatWait', () => {
  it('rounds up to a unit people read', () => {
    expect(formatWait(0)).toBe('1 second');
    expect(formatWait(45)).toBe('45 seconds');
    expect(formatWait(60)).toBe('1 minute');
    expect(formatWait(61)).toBe('2 minutes');
    expect(formatWait(7200)).toBe('2 hours');
  });
});

describe('checkControl', () => {
  const control = (over: Partial<CheckableControl>): CheckableControl => ({
    value: '',
    required: false,
    minLength: -1,
    maxLength: -1,
    type: 'text',
    validity: { typeMismatch: false },
    ...over,
  });

  it('checks required, lengths, email and pattern before anything is sent', () => {
    expect(checkControl(control({ required: true, value: '  ' }), fields.email)).toBe('Email is required');
    expect(checkControl(control({ value: '' }), fields.slug)).toBeNull();
    expect(checkControl(control({ value: 'short', minLength: 10 }), fields.password)).toBe('Password must be at least 10 characters');
    expect(checkControl(control({ value: 'x', type: 'email', validity: { typeMismatch: true } }), fields.email)).toBe(
      'Enter an email address like name@example.org',
    );
    expect(checkControl(control({ value: 'Bad Slug' }), fields.slug)).toBe('Use lower-case letters, digits and hyphens');
    expect(checkControl(control({ value: 'good-slug-1' }), fields.slug)).toBeNull();
    expect(checkControl(control({ value: '-bad' }), fields.slug)).not.toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { loginPath, safeNext } from './next.ts';

describe('where sign-in leads back to', () => {
  it.each([
    ['/groups/osi/definitions/abc/public', '/groups/osi/definitions/abc/public'],
    ['/search?q=training%20data&kind=comment', '/search?q=training%20data&kind=comment'],
    ['/groups/osi#members', '/groups/osi#members'],
    ['/', '/'],
  ])('keeps the same-site path %s', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });

  it.each([
    null,
    '',
    '//evil.example',
    '//evil.example/groups',
    '/\\evil.example',
    '/\\/evil.example',
    '\\\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r\n/evil.example',
    '/%0a',
    'https://evil.example/',
    'http:/evil.example',
    'http:evil.example',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(document.cookie)',
    ' javascript:alert(1)',
    ' /groups',
    'data:text/html,<script>alert(1)</script>',
    'groups/osi',
    '/login',
    '/login?next=//evil.example',
    '/register?next=/x',
    `/${'a'.repeat(2001)}`,
    '/\u0000',
  ])('sends %j home instead', (next) => {
    const safe = safeNext(next);
    // Either home, or (for %0a, which is text in a path) a path that stays on the site.
    if (next === '/%0a') expect(safe).toBe('/%0a');
    else expect(safe).toBe('/');
    expect(new URL(safe, 'https://draftroom.example').origin).toBe('https://draftroom.example');
  });

  it('builds the sign-in address with the way back, or without one', () => {
    expect(loginPath('/groups/osi')).toBe('/login?next=%2Fgroups%2Fosi');
    expect(loginPath('/')).toBe('/login');
    expect(loginPath('//evil.example')).toBe('/login');
    expect(loginPath('/login')).toBe('/login');
  });
});

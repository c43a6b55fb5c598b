import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.ts';

/** Request bodies built to make validation slow must not stop the server from answering others. */
describe('inputs built to be slow', () => {
  const t = useTestApp();

  it('refuses an email of "a@" + dots + "@" with a 400 and keeps answering health meanwhile', async () => {
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    // Near the 1 MB body limit: with the old email pattern this blocked the event loop for hours.
    const email = `a@${'.'.repeat(900_000)}@`;
    const register = () =>
      fetch(`${base}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base },
        body: JSON.stringify({ email, displayName: 'Slow', password: 'correct horse battery' }),
      });
    const hostile = Array.from({ length: 4 }, register);
    // Health while they are being validated. A frozen event loop answers after seconds or never; the
    // bound is that gap, generous for a busy CI machine.
    const started = performance.now();
    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
    for (const response of await Promise.all(hostile)) {
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; details: { path: string; message: string }[] } };
      expect(body.error.code).toBe('invalid_input');
      expect(body.error.details).toContainEqual(expect.objectContaining({ path: '/email' }));
    }
  });

  it('still reports a pattern failure, at its field, for strings within their length', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: 'a@b..c', displayName: 'Name', password: 'correct horse battery' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([{ path: '/email', message: expect.stringMatching(/^must match pattern/) }]);
  });
});

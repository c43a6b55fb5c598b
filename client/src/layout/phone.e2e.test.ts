import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from '../e2e-support.ts';

/** Every page at phone widths: nothing wider than the screen, and controls big enough for a finger. */
describe('pages on phones', () => {
  const app = useBrowserApp();

  /** How much wider than the window the page is (0 when it fits), and the controls smaller than 40 px. */
  const measure = (page: Page) =>
    page.evaluate(() => {
      const root = document.documentElement;
      const small = [
        ...document.querySelectorAll<HTMLElement>(
          'main button, main .button, main [role="menuitem"], main input:not([type="checkbox"], [type="radio"]), main select',
        ),
      ]
        .filter((element) => element.getClientRects().length > 0 && !element.closest('.visually-hidden, .clause-text, .thread-body'))
        .filter((element) => element.getBoundingClientRect().height < 40)
        .map((element) => `${element.tagName.toLowerCase()} “${(element.textContent ?? element.getAttribute('aria-label') ?? '').trim().slice(0, 40)}”`);
      return { overflow: root.scrollWidth - root.clientWidth, small };
    });

  it('fits every route at 360 and 390 px, with touch targets of at least 40 px', async () => {
    const { slug, users } = await app.t.groupWithRoles('public');
    const { id, clauseIds } = await app.definitionIn(slug, users.chair, [
      'An Open Source AI is an AI system made available under terms that grant the freedoms to use, study, modify and share it.',
      'Data information: sufficiently detailed information about the data used to train the system, so that a skilled person can build a substantially equivalent system.',
    ]);
    const thread = await app.t.request({
      method: 'POST',
      url: `/api/definitions/${id}/threads`,
      as: users.member,
      payload: { clauseId: clauseIds[0], body: 'Should “study” include the training code?' },
    });
    expect(thread.statusCode).toBe(201);
    expect(
      (await app.t.request({ method: 'POST', url: `/api/definitions/${id}/versions`, as: users.chair, payload: { label: '0.1', notes: '' } })).statusCode,
    ).toBe(201);
    const patched = await app.t.request({
      method: 'PATCH',
      url: `/api/definitions/${id}`,
      as: users.chair,
      payload: { status: 'public-comment', commentDeadline: '2099-03-01T12:00:00.000Z' },
    });
    expect(patched.statusCode).toBe(200);
    // A public comment: an item of the disposition register, for the chair to dispose of.
    const comment = await app.t.request({
      method: 'POST',
      url: `/api/definitions/${id}/threads`,
      as: users.outsider,
      payload: { clauseId: clauseIds[1], body: 'Say what “substantially equivalent” means.' },
    });
    expect(comment.statusCode).toBe(201);

    const base = `/groups/${slug}/definitions/${id}`;
    const routes: { path: string; ready: string; signedIn: boolean }[] = [
      { path: '/', ready: 'h1', signedIn: false },
      { path: '/login', ready: 'h1', signedIn: false },
      { path: '/register', ready: 'h1', signedIn: false },
      { path: `${base}/public`, ready: '.public-clause, .clause, h1', signedIn: false },
      { path: '/', ready: 'h1', signedIn: true },
      { path: `/groups/${slug}`, ready: 'h1', signedIn: true },
      { path: base, ready: '.clause-text', signedIn: true },
      { path: `${base}/history`, ready: 'h2', signedIn: true },
      { path: `${base}/diff`, ready: 'h2', signedIn: true },
      { path: `${base}/versions`, ready: 'h2', signedIn: true },
      { path: `${base}/amendments`, ready: 'h2', signedIn: true },
      { path: `${base}/decisions`, ready: 'h2', signedIn: true },
      { path: `${base}/dispositions`, ready: '.disposition', signedIn: true },
      { path: `${base}/public/dispositions`, ready: '.disposition', signedIn: false },
      { path: `${base}/conformance`, ready: '.conformance-version', signedIn: true },
      { path: `${base}/versions/0.1/register`, ready: 'h1', signedIn: false },
      { path: `/groups/${slug}/activity`, ready: 'h1', signedIn: true },
      { path: '/inbox', ready: 'h1', signedIn: true },
      { path: '/settings/notifications', ready: 'h1', signedIn: true },
      { path: '/search?q=data', ready: 'h1', signedIn: true },
    ];

    const problems: string[] = [];
    for (const width of [360, 390]) {
      const viewport = { width, height: 800 };
      const visitor = await app.newPage({ viewport });
      const chair = await app.signedInPage(users.chair, { viewport });
      for (const route of routes) {
        const page = route.signedIn ? chair : visitor;
        await page.goto(route.path);
        await page.locator(route.ready).first().waitFor();
        // Lazily loaded sections and live data settle before measuring.
        await page.waitForLoadState('networkidle');
        const { overflow, small } = await measure(page);
        if (overflow > 0) problems.push(`${route.path} at ${width} px: ${overflow} px too wide`);
        if (small.length > 0) problems.push(`${route.path} at ${width} px: small targets ${small.join(', ')}`);
      }
    }
    expect(problems).toEqual([]);
    expect(app.problems).toEqual([]);
  });
});

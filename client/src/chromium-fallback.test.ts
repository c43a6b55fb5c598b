import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, chromiumExecutable } from '../../test/browser-server.ts';

// `npm test` on a machine with nothing but Node: the browser tests find a Chromium in the npm registry.
describe('which Chromium the browser tests drive', () => {
  it('without a system Chromium and without CHROMIUM_PATH, the one from @sparticuz/chromium, and it renders a page', async () => {
    const found = await chromiumExecutable({}, []);
    expect(found.source).toBe('@sparticuz/chromium (npm)');
    const browser = await chromium.launch({ executablePath: found.path, headless: true, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.setContent('<main><h1>Draftroom</h1><p id="n"></p><script>document.getElementById("n").textContent = String(6 * 7)</script></main>');
      expect(await page.locator('h1').textContent()).toBe('Draftroom');
      expect(await page.locator('#n').textContent()).toBe('42');
    } finally {
      await browser.close();
    }
  });

  it('CHROMIUM_PATH wins when set, and a wrong one is an error, never a skip', async () => {
    await expect(chromiumExecutable({ CHROMIUM_PATH: '/nonexistent/chromium' }, [])).rejects.toThrow(/CHROMIUM_PATH=\/nonexistent\/chromium does not exist/);
    const packaged = await chromiumExecutable({}, []);
    expect(await chromiumExecutable({ CHROMIUM_PATH: packaged.path }, ['/usr/bin/chromium'])).toEqual({ path: packaged.path, source: 'CHROMIUM_PATH' });
  });
});

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
// Brings in the ProvidedContext declaration that types inject('browserEndpoint').
import type {} from '../../test/global-setup.ts';
import { useTestApp, type TestApp, type TestUser } from '../../server/test/support/app.ts';
import { freePort } from '../../server/test/support/net.ts';

export { PASSWORD } from '../../server/test/support/app.ts';

/** Pass as PUBLIC_URL to useBrowserApp to make it the app's own address (needed with SMTP_URL). */
export const SELF = 'self';

/** The production build the browser tests run against (`npm run build -w client` makes it; E2E_CLIENT_DIST names another). */
export const CLIENT_DIST = process.env.E2E_CLIENT_DIST || fileURLToPath(new URL('../dist', import.meta.url));

export interface BrowserApp {
  t: TestApp;
  /** http://127.0.0.1:<port> of the listening app. */
  readonly baseUrl: string;
  /** A page in a fresh browser context (no cookies), closed after the file's tests. */
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<Page>;
  /** A fresh page already signed in as `user` (its session cookie set). */
  signedInPage(user: TestUser, options?: { viewport?: { width: number; height: number } }): Promise<Page>;
  /** A new definition in the group, created by `author` with one clause per text. */
  definitionIn(slug: string, author: TestUser, texts: string[]): Promise<{ id: string; clauseIds: string[] }>;
  /** Uncaught page errors and Content-Security-Policy violations seen so far; tests expect none. */
  problems: string[];
}

/**
 * The real server (API + built client, production CSP included) on a port of its own, and the run's
 * shared Chromium. Each test gets its own browser context.
 */
export function useBrowserApp(env: Record<string, string> = {}): BrowserApp {
  if (!existsSync(path.join(CLIENT_DIST, 'index.html'))) {
    throw new Error(`${CLIENT_DIST}/index.html is missing: build the client first (npm run build -w client)`);
  }
  const ownEnv: Record<string, string> = { CLIENT_DIR: CLIENT_DIST, ...env };
  let port = 0;
  if (env.PUBLIC_URL === SELF) {
    // PUBLIC_URL is the app's own address, so a port is chosen before the app is built (this hook runs first).
    beforeAll(async () => {
      port = await freePort();
      ownEnv.PUBLIC_URL = `http://127.0.0.1:${port}`;
    });
  }
  const t = useTestApp(ownEnv);
  let browser: Browser | undefined;
  let baseUrl = '';
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    await t.app.listen({ port, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await chromium.connect(inject('browserEndpoint'));
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    // For a connected browser this only disconnects; the global setup owns Chromium itself.
    await browser?.close();
  });

  async function newPage(options: { viewport?: { width: number; height: number } } = {}): Promise<Page> {
    if (!browser) throw new Error('the browser is not connected yet: call newPage() inside a test');
    const context = await browser.newContext({ baseURL: baseUrl, ...(options.viewport && { viewport: options.viewport }) });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
    });
    return page;
  }

  async function signedInPage(user: TestUser, options = {}): Promise<Page> {
    const page = await newPage(options);
    const separator = user.cookie.indexOf('=');
    await page
      .context()
      .addCookies([{ name: user.cookie.slice(0, separator), value: user.cookie.slice(separator + 1), url: baseUrl, httpOnly: true, sameSite: 'Lax' }]);
    return page;
  }

  async function definitionIn(slug: string, author: TestUser, texts: string[]) {
    const created = await t.request({
      method: 'POST',
      url: `/api/groups/${slug}/definitions`,
      as: author,
      payload: { slug: `osaid-${randomBytes(3).toString('hex')}`, title: 'Open Source AI Definition' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const clauseIds: string[] = [];
    for (const text of texts) {
      const inserted = await t.request({ method: 'POST', url: `/api/definitions/${id}/clauses`, as: author, payload: { text } });
      expect(inserted.statusCode).toBe(201);
      clauseIds.push(inserted.json().id as string);
    }
    return { id, clauseIds };
  }

  return {
    t,
    definitionIn,
    get baseUrl() {
      return baseUrl;
    },
    newPage,
    signedInPage,
    problems,
  };
}

/** The text of the elements a control's aria-describedby points at (its hint and its error). */
export function descriptionOf(control: Locator): Promise<string> {
  return control.evaluate((element) =>
    (element.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === document.activeElement);
}

/** Presses Tab until `target` has the focus, as a keyboard user would; fails after `limit` presses. */
export async function tabTo(page: Page, target: Locator, limit = 15): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press('Tab');
    if (await isFocused(target)) return;
  }
  throw new Error(`Tab did not reach ${target} within ${limit} presses`);
}

/**
 * expect.poll with room for a busy machine: the UI state is polled until it matches (never a fixed
 * sleep), for up to 10 s instead of Vitest's default 1 s.
 */
export function eventually<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 10_000, interval: 50 });
}

/** The text of every alert on the page (form alerts are always present, empty when all is well). */
export async function alertText(page: Page): Promise<string> {
  return (await page.getByRole('alert').allTextContents()).join(' ').trim();
}

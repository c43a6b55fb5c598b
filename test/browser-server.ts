import { existsSync } from 'node:fs';
import { chromium, type BrowserServer } from 'playwright-core';

/** Flags headless Chromium needs on these machines: root, no GPU, and no outbound network at all. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * Which Chromium the browser tests drive: `CHROMIUM_PATH` if set (it must exist), else the system's
 * (Debian's in CI), else the one the `@sparticuz/chromium` dev dependency carries in the npm registry —
 * so `npm test` runs on a machine that has nothing but Node. Never "none": the browser tests are not skipped.
 */
export async function chromiumExecutable(
  env: NodeJS.ProcessEnv = process.env,
  systemPaths: readonly string[] = SYSTEM_CHROMIUM,
): Promise<{ path: string; source: string }> {
  if (env.CHROMIUM_PATH) {
    if (!existsSync(env.CHROMIUM_PATH))
      throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist: the browser tests need a Chromium there. They are never skipped.`);
    return { path: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' };
  }
  const system = systemPaths.find((path) => existsSync(path));
  if (system) return { path: system, source: 'system' };
  try {
    const packaged = (await import('@sparticuz/chromium')).default;
    return { path: await packaged.executablePath(), source: '@sparticuz/chromium (npm)' };
  } catch (error) {
    throw new Error(
      `No Chromium for the browser tests: none at ${systemPaths.join(' or ') || '(no system paths)'}, CHROMIUM_PATH unset, and @sparticuz/chromium could not be unpacked (${String(error)}). They are never skipped.`,
    );
  }
}

/** One Chromium for the whole run; each test file connects and opens its own contexts. */
export async function launchBrowserServer(): Promise<BrowserServer> {
  const { path, source } = await chromiumExecutable();
  console.log(`Browser tests drive Chromium from ${source}: ${path}`);
  return chromium.launchServer({ executablePath: path, headless: true, args: CHROMIUM_ARGS });
}

/**
 * `npx tsx scripts/screenshots.ts`: screenshots of the main pages at 1440 and 390 px, in docs/screenshots/.
 *
 * Builds the client into a temporary directory, starts the server as `npm start` does on a fresh
 * embedded PostgreSQL (a temporary DATA_DIR, so the demo group and its accounts are seeded), signs in
 * as the demo chair and photographs the front door, the group page, the definition page (a clause being
 * edited, a proposed wording opened at its clause and shown in its text, a suggestion being typed, the
 * requirement-language panel) and its Amendments, Decisions (and a new ballot's dialog), Dispositions and
 * History sections, the activity log, the inbox and the public page with
 * headless Chromium (CHROMIUM_PATH, default /usr/bin/chromium). Everything temporary is removed after.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = path.join(root, 'docs', 'screenshots');
const work = mkdtempSync(path.join(tmpdir(), 'draftroom-screenshots-'));
const clientDir = path.join(work, 'dist');
const port = 3000 + Math.floor(Math.random() * 2000) + 2000;
const base = `http://localhost:${port}`;

function build() {
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--outDir', clientDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: path.join(root, 'client'),
      stdio: 'inherit',
    },
  );
}

/** Starts the server; resolves with the demo chair's e-mail and password once it answers. */
function start(): Promise<{ server: ChildProcess; email: string; password: string }> {
  const server = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), DATA_DIR: path.join(work, 'data'), CLIENT_DIR: clientDir, SEED_DEMO: 'true', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    server.on('exit', (code) => reject(new Error(`the server stopped (${code}):\n${output}`)));
    server.stdout!.on('data', async (chunk: Buffer) => {
      output += chunk.toString();
      const chair = /chair\s+(\S+@\S+)\s+(\S+)/.exec(output);
      if (!chair) return;
      server.stdout!.removeAllListeners('data');
      server.stdout!.resume();
      for (let attempt = 0; attempt < 120; attempt++) {
        const answer = await fetch(`${base}/api/me`).catch(() => null);
        if (answer) return resolve({ server, email: chair[1]!, password: chair[2]! });
        await new Promise((done) => setTimeout(done, 500));
      }
      reject(new Error('the server did not answer'));
    });
  });
}

async function shoot(page: Page, name: string, width: number) {
  const file = path.join(out, `${name}-${width}.png`);
  await page.screenshot({ path: file });
  console.log(`${path.relative(root, file)}  ${Math.round(statSync(file).size / 1024)} kB`);
}

build();
const { server, email, password } = await start();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--no-first-run', '--disable-dev-shm-usage'],
});
try {
  mkdirSync(out, { recursive: true });
  for (const [width, height] of [
    [1440, 1000],
    [390, 844],
  ] as const) {
    const visitor = await browser.newContext({ baseURL: base, viewport: { width, height }, deviceScaleFactor: 1 });
    const front = await visitor.newPage();
    await front.goto('/');
    await front.getByRole('heading', { level: 1 }).first().waitFor();
    await front.waitForLoadState('networkidle');
    await shoot(front, 'front-door', width);
    await visitor.close();

    const context = await browser.newContext({ baseURL: base, viewport: { width, height }, deviceScaleFactor: 1 });
    const login = await context.request.post('/api/auth/login', { data: { email, password }, headers: { origin: base } });
    if (!login.ok()) throw new Error(`sign-in failed: ${login.status()} ${await login.text()}`);
    const page = await context.newPage();
    await page.goto('/groups/open-source-ai');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForLoadState('networkidle');
    await shoot(page, 'group', width);

    await page.getByRole('region', { name: 'Definitions' }).getByRole('link').first().click();
    // The live text, not the text shown while the editor loads.
    await page.getByRole('textbox', { name: 'Clause 1', exact: true }).waitFor();
    await page.locator('.discussion-head').waitFor();
    await page.getByText('Loading the discussion…').waitFor({ state: 'detached' });
    await page.waitForLoadState('networkidle');
    await shoot(page, 'definition', width);
    const definitionPath = new URL(page.url()).pathname;

    // Writing in a clause: its formatting toolbar shows while it has the focus.
    await page.getByRole('textbox', { name: 'Clause 1', exact: true }).click();
    await page.getByRole('toolbar').first().waitFor();
    await shoot(page, 'editing', width);
    await page.keyboard.press('Escape');

    // A proposed wording, opened at its clause.
    const proposals = page.getByRole('button', { name: /proposed wordings? for/ }).first();
    await proposals.click();
    await page
      .getByRole('region', { name: /^Proposed wordings for/ })
      .getByRole('article')
      .first()
      .waitFor();
    await proposals.evaluate((element) => element.closest('li')!.scrollIntoView({ block: 'start' }));
    await page.waitForLoadState('networkidle');
    await shoot(page, 'suggestions', width);
    await proposals.click();

    // Suggesting: a click in a clause makes it the chair's own copy, the changes marked as they are typed.
    await page.getByRole('group', { name: 'Mode' }).getByRole('button', { name: 'Suggesting' }).click();
    await page.getByRole('textbox', { name: 'Clause 1', exact: true }).click();
    const suggestion = page.getByRole('textbox', { name: 'Your suggestion for clause 1' });
    await suggestion.waitFor();
    await page.keyboard.press('End');
    await page.keyboard.press('Control+Shift+ArrowLeft');
    await page.keyboard.press('Control+Shift+ArrowLeft');
    await page.keyboard.type('freedoms, stated below.');
    await suggestion.locator('ins').first().waitFor();
    await suggestion.evaluate((element) => element.closest('li')!.scrollIntoView({ block: 'start' }));
    await shoot(page, 'suggesting', width);
    await page.getByRole('button', { name: 'Discard your suggestion for clause 1' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Discard the suggestion' }).click();
    await suggestion.waitFor({ state: 'detached' });
    await page.getByRole('group', { name: 'Mode' }).getByRole('button', { name: 'Editing' }).click();

    // The requirement-language panel: the checks, the terms and the warnings by clause.
    await page.getByRole('button', { name: /^Language/ }).click();
    const language = page.getByRole('dialog', { name: 'Requirement language' });
    await language.waitFor();
    await page.waitForLoadState('networkidle');
    await shoot(page, 'language', width);
    await page.keyboard.press('Escape');
    await language.waitFor({ state: 'detached' });

    // The definition's other sections, each as a member of the group first sees it.
    const sections = page.getByRole('navigation', { name: 'Definition sections' });
    for (const [name, file, heading] of [
      ['Amendments', 'amendments', 'Amendments'],
      ['Decisions', 'decisions', 'Decisions'],
      ['Dispositions', 'dispositions', 'Disposition of comments'],
      ['History', 'history', 'History'],
    ] as const) {
      const started = Date.now();
      await sections.getByRole('link', { name, exact: true }).click();
      await page.getByRole('heading', { level: 2, name: heading }).first().waitFor();
      await page.waitForFunction(() => !/Loading the [a-z]+…/.test(document.body.textContent ?? ''), undefined, { timeout: 60_000 });
      await page.waitForLoadState('networkidle');
      console.log(`${name}: shown after ${Date.now() - started} ms`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await shoot(page, file, width);
      if (file === 'decisions') {
        // The rules of a new ballot, fixed before anyone votes.
        await page.getByRole('button', { name: 'New ballot' }).click();
        const dialog = page.getByRole('dialog').first();
        await dialog.waitFor();
        await shoot(page, 'ballot-dialog', width);
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'detached' });
      }
    }

    await page.goto('/groups/open-source-ai/activity');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForLoadState('networkidle');
    await shoot(page, 'activity', width);

    await page.goto('/inbox');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForLoadState('networkidle');
    await shoot(page, 'inbox', width);
    await context.close();

    // What the public reads during a comment period: the published version, without signing in.
    const reader = await browser.newContext({ baseURL: base, viewport: { width, height }, deviceScaleFactor: 1 });
    const publicPage = await reader.newPage();
    await publicPage.goto(`${definitionPath}/public`);
    await publicPage.getByRole('heading', { level: 1 }).first().waitFor();
    await publicPage.waitForLoadState('networkidle');
    await shoot(publicPage, 'public', width);
    await reader.close();
  }
} finally {
  await browser.close();
  server.kill('SIGTERM');
  await new Promise((done) => server.once('exit', done));
  rmSync(work, { recursive: true, force: true });
}

import { describe, expect, it } from 'vitest';
import { alertText, descriptionOf, eventually, isFocused, PASSWORD, tabTo, useBrowserApp } from '../../e2e-support.ts';

describe('accounts in the browser', () => {
  // A low per-account sign-in limit, so the 429 message can be reached in a few attempts.
  const app = useBrowserApp({ RATE_LIMIT_LOGIN_PER_EMAIL: '3' });

  it('signs in with the keyboard alone', async () => {
    const user = await app.t.register('Key Board');
    const page = await app.newPage();
    await page.goto('/login');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();

    // The first Tab reaches the skip link, which moves the focus to the main content.
    await page.keyboard.press('Tab');
    await eventually(() => isFocused(page.getByRole('link', { name: 'Skip to main content' }))).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

    const email = page.getByLabel('Email');
    await tabTo(page, email);
    // The focus is visible.
    expect(await email.evaluate((element) => getComputedStyle(element).outlineStyle)).toBe('solid');
    await page.keyboard.type(user.email);
    await page.keyboard.press('Tab');
    await eventually(() => isFocused(page.getByLabel('Password'))).toBe(true);
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');

    // After the navigation the focus is on the new page's heading.
    const heading = page.getByRole('heading', { level: 1, name: 'Working groups' });
    await heading.waitFor();
    await eventually(() => isFocused(heading)).toBe(true);
    expect(await page.title()).toBe('Working groups · Draftroom');

    // The account menu opens from the keyboard and Escape closes it, returning the focus.
    const toggle = page.getByRole('button', { name: 'Account: Key Board' });
    await tabTo(page, toggle);
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Tab');
    await eventually(() => isFocused(page.getByRole('link', { name: 'Change password' }))).toBe(true);
    await page.keyboard.press('Escape');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await eventually(() => isFocused(toggle)).toBe(true);
    expect(await page.getByRole('link', { name: 'Change password' }).isVisible()).toBe(false);

    expect(app.problems).toEqual([]);
  });

  it('shows registration errors next to their fields, from the page and from the server', async () => {
    const existing = await app.t.register('Already Here');
    const page = await app.newPage();
    await page.goto('/register');
    const password = page.getByLabel('Password');
    const email = page.getByLabel('Email');

    await page.getByLabel('Name').fill('Second Try');
    await email.fill(existing.email);
    await password.fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await eventually(() => password.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(password)).toContain('Password must be at least 10 characters');
    await eventually(() => isFocused(password)).toBe(true);

    await password.fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await eventually(() => descriptionOf(email)).toContain('An account with this email already exists');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await password.getAttribute('aria-invalid')).toBeNull();
    await eventually(() => isFocused(email)).toBe(true);

    expect(app.problems).toEqual([]);
  });

  it('sends a signed-out visitor to sign in and back to the page they asked for', async () => {
    const chair = await app.t.register('Return Trip');
    const slug = await app.t.createGroup(chair);
    const page = await app.newPage();
    await page.goto(`/groups/${slug}/activity`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/groups/${slug}/activity`);

    await page.getByLabel('Email').fill(chair.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: `Group ${slug}` }).waitFor();
    await page.getByText('Audit log intact.').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/groups/${slug}/activity`);

    // A link elsewhere is not followed after signing in.
    const other = await app.newPage();
    await other.goto('/login?next=//evil.example/');
    await other.getByLabel('Email').fill(chair.email);
    await other.getByLabel('Password').fill(PASSWORD);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.getByRole('heading', { level: 1, name: 'Working groups' }).waitFor();
    expect(new URL(other.url()).origin).toBe(app.baseUrl);

    expect(app.problems).toEqual([]);
  });

  it('changes the password', async () => {
    const user = await app.t.register('Pass Changer');
    const page = await app.signedInPage(user);
    await page.goto('/');
    await page.getByRole('button', { name: 'Account: Pass Changer' }).click();
    await page.getByRole('link', { name: 'Change password' }).click();
    await page.getByRole('heading', { level: 1, name: 'Change password' }).waitFor();

    const current = page.getByLabel('Current password');
    await current.fill('not my password');
    await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
    await page.getByLabel('Confirm new password').fill('a brand new passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await eventually(() => descriptionOf(current)).toContain('Current password is wrong');

    await current.fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Your password has been changed.' }).waitFor();
    const login = await app.t.request({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: 'a brand new passphrase' },
    });
    expect(login.statusCode).toBe(200);
    // This browser got a fresh session; the old cookie was revoked with every other session.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Change password' }).waitFor();

    expect(app.problems).toEqual([]);
  });

  it('tells how long to wait when sign-in attempts are rate limited', async () => {
    const user = await app.t.register('Too Many');
    const page = await app.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill('wrong password');
    const attempt = async () => {
      const answered = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/auth/login');
      await page.getByRole('button', { name: 'Sign in' }).click();
      return (await answered).status();
    };
    for (let i = 1; i <= 3; i++) {
      expect(await attempt()).toBe(401);
      await eventually(() => alertText(page)).toBe('Email or password is wrong');
    }
    expect(await attempt()).toBe(429);
    await eventually(() => alertText(page)).toMatch(/^Too many attempts\. Try again in \d+ (seconds?|minutes?)\.$/);

    expect(app.problems).toEqual([]);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { confirmationToken, registerConfirmed, startTestMailServer, uniqueEmail } from '../../../../server/test/support/mail.ts';
import { alertText, eventually, PASSWORD, SELF, useBrowserApp } from '../../e2e-support.ts';

// A real SMTP server on loopback; the app sends its mail there.
const mail = await startTestMailServer();
afterAll(() => mail.close());

describe('accounts confirmed by email, in the browser', () => {
  const app = useBrowserApp({ SMTP_URL: mail.url, PUBLIC_URL: SELF });

  it('registering says "check your email", and the emailed link confirms and signs in once', async () => {
    const email = uniqueEmail('Mary');
    const page = await app.newPage();
    await page.goto('/register');
    await page.getByLabel('Name').fill('Mary Shelley');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/register/check-email');
    await page.getByText(`We have sent a message to ${email}.`).waitFor();

    // The link points at this server (PUBLIC_URL) and carries the token in its fragment.
    const message = await mail.waitFor((m) => m.to.includes(email) && m.subject === 'Confirm your Draftroom account');
    const link = `${app.baseUrl}/confirm#token=${confirmationToken(message)}`;
    expect(message.text).toContain(link);

    // Not confirmed yet: signing in fails like a wrong password, and says why it might.
    await page.goto('/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await eventually(() => alertText(page)).toContain('or the address is not confirmed yet');

    const confirmPage = await app.newPage();
    await confirmPage.goto(link);
    await confirmPage.getByRole('heading', { level: 1, name: 'Confirm your address' }).waitFor();
    await confirmPage.getByRole('button', { name: 'Confirm and sign in' }).click();
    await confirmPage.getByRole('heading', { level: 1, name: 'Working groups' }).waitFor();
    await confirmPage.getByRole('status').filter({ hasText: 'Your address is confirmed. Welcome to Draftroom, Mary Shelley!' }).waitFor();
    await confirmPage.getByRole('button', { name: 'Account: Mary Shelley' }).waitFor();
    expect(new URL(confirmPage.url()).hash).toBe('');

    // The link worked once.
    const again = await app.newPage();
    await again.goto(link);
    await again.getByRole('button', { name: 'Confirm and sign in' }).click();
    await eventually(() => alertText(again)).toContain('This confirmation link does not work');
    expect(await again.getByRole('main').getByRole('link', { name: 'Sign in' }).count()).toBe(1);

    expect(app.problems).toEqual([]);
  });

  it('registering an address that has an account looks exactly the same', async () => {
    const existing = await registerConfirmed(app.t, mail, 'Percy');
    const page = await app.newPage();
    await page.goto('/register');
    await page.getByLabel('Name').fill('Someone Else');
    await page.getByLabel('Email').fill(existing.email);
    await page.getByLabel('Password').fill('another long password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
    await page.getByText(`We have sent a message to ${existing.email}.`).waitFor();
    await mail.waitFor((m) => m.to.includes(existing.email) && m.subject === 'Someone tried to register with your address');
    expect(app.problems).toEqual([]);
  });

  it('a chair invites by email; the invitee accepts on the invitations page and joins', async () => {
    const chair = await registerConfirmed(app.t, mail, 'Claire');
    const guest = await registerConfirmed(app.t, mail, 'Godwin');
    const slug = await app.t.createGroup(chair);
    const page = await app.signedInPage(chair);
    await page.goto(`/groups/${slug}`);

    const members = page.getByRole('region', { name: 'Members' });
    await members.getByText('We email them an invitation').waitFor();
    const stranger = uniqueEmail('Stranger');
    for (const email of [guest.email, stranger]) {
      await members.getByLabel('Email', { exact: true }).fill(email);
      await members.getByLabel('Role', { exact: true }).selectOption('editor');
      await members.getByRole('button', { name: 'Send invitation' }).click();
      await members
        .getByRole('status')
        .filter({ hasText: `Invitation sent to ${email} as Editor.` })
        .waitFor();
    }
    const pending = members.getByRole('region', { name: 'Pending invitations' });
    await pending.getByRole('listitem').filter({ hasText: guest.email }).waitFor();
    await pending.getByRole('listitem').filter({ hasText: stranger }).waitFor();
    // Nobody joined yet: the chair is the only member.
    expect(await members.locator('.member-list').first().getByRole('listitem').count()).toBe(1);

    await pending.getByRole('button', { name: `Revoke the invitation to ${stranger}` }).click();
    await pending
      .getByRole('status')
      .filter({ hasText: `The invitation to ${stranger} was revoked.` })
      .waitFor();
    await eventually(() => pending.getByRole('listitem').filter({ hasText: stranger }).count()).toBe(0);

    const message = await mail.waitFor((m) => m.to.includes(guest.email) && m.subject === 'You are invited to a Draftroom working group');
    expect(message.text).toContain(`${app.baseUrl}/invitations`);
    const guestPage = await app.signedInPage(guest);
    await guestPage.goto('/invitations');
    await guestPage.getByRole('heading', { level: 1, name: 'Invitations' }).waitFor();
    await guestPage.getByText('as Editor, invited by Claire').waitFor();
    await guestPage.getByRole('button', { name: `Join Group ${slug}` }).click();
    await guestPage.getByRole('heading', { level: 1, name: `Group ${slug}` }).waitFor();
    await guestPage.getByText(/Your role:\s*Editor/).waitFor();

    expect(app.problems).toEqual([]);
  });
});

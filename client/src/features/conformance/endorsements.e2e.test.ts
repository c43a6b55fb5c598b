import type { Locator } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { TestUser } from '../../../../server/test/support/app.ts';
import { registerConfirmed, startTestMailServer } from '../../../../server/test/support/mail.ts';
import { eventually, PASSWORD, SELF, useBrowserApp } from '../../e2e-support.ts';

// A real SMTP server on loopback, for the mail that confirms an organisation's endorsement.
const mail = await startTestMailServer();
afterAll(() => mail.close());

/**
 * Endorsements on the register of a published version: a signed-in reader endorses and withdraws, a
 * visitor reads who endorses and is offered to sign in.
 */
describe('endorsements in the browser', () => {
  const app = useBrowserApp();

  /** What a reader sees, laid out, in one line. */
  // biome-ignore lint/performance/useDomNodeTextContent: the laid-out text is the point (list items apart).
  const text = async (locator: Locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

  /** A public group's definition published as 1.0, endorsed by an organisation a chair verified (through the API). */
  async function setup() {
    const { slug, users } = await app.t.groupWithRoles('public');
    const { id } = await app.definitionIn(slug, users.chair, ['An Open Source AI grants the freedoms to use, study, modify and share it.']);
    const call = async (url: string, as: TestUser, payload: object) => {
      const response = await app.t.request({ method: 'POST', url, as, payload });
      expect(response.statusCode, `POST ${url}: ${response.body}`).toBeLessThan(300);
      return response.json();
    };
    await call(`/api/definitions/${id}/versions`, users.chair, { label: '1.0', notes: '' });
    const organisation = await call(`/api/definitions/${id}/versions/1.0/endorsements`, users.member, {
      kind: 'organisation',
      name: 'Mia Member',
      organisation: 'Open Lab',
      role: 'Director',
      statement: 'We release our models under these terms.',
      link: 'https://lab.example.org',
    });
    await call(`/api/endorsements/${organisation.id}/verify`, users.chair, { note: 'Confirmed by phone with their director' });
    const registerPath = `/groups/${slug}/definitions/${id}/versions/1.0/register`;
    return { slug, users, id, registerPath };
  }

  it('a signed-in non-member endorses as an individual, sees it listed and counted, and withdraws it with a reason', async () => {
    const s = await setup();
    const page = await app.signedInPage(s.users.outsider);
    await page.goto(s.registerPath);
    const section = page.getByRole('region', { name: 'Endorsements' });
    await section.getByRole('heading', { level: 2, name: 'Endorsements' }).waitFor();
    const counts = section.getByRole('list', { name: 'Number of endorsements' });
    expect(await text(counts)).toBe('0 individuals 1 organisation 1 verified organisation 0 withdrawn');
    const current = section.getByRole('list', { name: 'Endorsements of version 1.0' });
    expect(await text(current)).toContain('Open Lab Organisation by Mia Member, Director');
    expect(await text(current)).toContain('Verified by Chair: Confirmed by phone with their director');

    // The server's refusal lands on the field it names: an address to confirm from needs the website.
    const form = section.getByRole('form', { name: 'Endorse version 1.0' });
    await form.getByLabel('An organisation').check();
    await form.getByLabel('Your name').fill('Ana Ruiz');
    await form.getByLabel('Organisation', { exact: true }).fill('Somewhere University');
    await form.getByLabel('Address to confirm from (optional)').fill('ana@somewhere.example.edu');
    await form.getByRole('button', { name: 'Endorse version 1.0' }).click();
    const website = form.getByLabel('Website (optional)');
    await eventually(() => website.getAttribute('aria-invalid')).toBe('true');
    expect(await text(form.locator('.field-invalid'))).toContain('Website is required with an address');

    // As an individual, the organisation becomes an affiliation.
    await form.getByLabel('An individual').check();
    expect(await form.getByLabel('Website (optional)').count()).toBe(0);
    await form.getByLabel('Affiliation (optional)').fill('University of Somewhere');
    await form.getByLabel('Role (optional)').fill('Researcher');
    await form.getByLabel('Statement (optional)').fill('It is workable.');
    await form.getByRole('button', { name: 'Endorse version 1.0' }).click();
    await section.getByText('You endorse this version').waitFor();
    await eventually(() => text(counts)).toBe('1 individual 1 organisation 1 verified organisation 0 withdrawn');
    const mine = current.getByRole('listitem').filter({ hasText: 'Ana Ruiz' });
    expect(await text(mine)).toMatch(/^Ana Ruiz Individual Researcher, University of Somewhere It is workable\. Endorsed \w+/);
    expect(await form.count()).toBe(0);
    // The register's summary counts it too.
    await eventually(() => text(page.locator('.register-endorsement-summary'))).toBe('Endorsements: 1 individual, 1 organisation (1 verified)');

    // Withdrawing asks for an optional reason and a confirmation; the withdrawal stays on the record.
    await section.getByRole('button', { name: 'Withdraw' }).click();
    const withdraw = section.getByRole('form', { name: 'Withdraw your endorsement' });
    await withdraw.getByLabel('Why you withdraw it (optional)').fill('The data clause changed my mind.');
    await withdraw.getByRole('button', { name: 'Confirm withdrawal' }).click();
    await section.getByRole('form', { name: 'Endorse version 1.0' }).waitFor();
    await eventually(() => text(counts)).toBe('0 individuals 1 organisation 1 verified organisation 1 withdrawn');
    expect(await current.getByRole('listitem').filter({ hasText: 'Ana Ruiz' }).count()).toBe(0);
    const withdrawn = section.getByRole('list', { name: 'Withdrawn endorsements of version 1.0' });
    expect(await withdrawn.isVisible()).toBe(false);
    await section.getByText('Withdrawn endorsements (1)').click();
    expect(await text(withdrawn)).toMatch(/^Ana Ruiz Individual .* Withdrawn \d+ \w+ \d{4}: The data clause changed my mind\.$/);
    expect(app.problems).toEqual([]);
  });

  it('a signed-out visitor reads the endorsements and is offered to sign in, and comes back to them', async () => {
    const s = await setup();
    const visitor = await app.newPage();
    await visitor.goto(s.registerPath);
    const section = visitor.getByRole('region', { name: 'Endorsements' });
    const current = section.getByRole('list', { name: 'Endorsements of version 1.0' });
    await current.waitFor();
    expect(await text(current)).toContain('Open Lab');
    expect(await section.getByRole('form').count()).toBe(0);
    const signIn = section.getByRole('link', { name: 'Sign in to endorse' });
    expect(await signIn.getAttribute('href')).toBe(`/login?next=${encodeURIComponent(`${s.registerPath}#endorsements`)}`);

    await signIn.click();
    await visitor.getByLabel('Email').fill(s.users.outsider.email);
    await visitor.getByLabel('Password').fill(PASSWORD);
    await visitor.getByRole('button', { name: 'Sign in' }).click();
    await section.getByRole('form', { name: 'Endorse version 1.0' }).waitFor();
    expect(new URL(visitor.url()).pathname).toBe(s.registerPath);
    expect(app.problems).toEqual([]);
  });

  it('a chair verifies an unverified organisation with a note', async () => {
    const s = await setup();
    await app.t.request({
      method: 'POST',
      url: `/api/definitions/${s.id}/versions/1.0/endorsements`,
      as: s.users.editor,
      payload: { kind: 'organisation', name: 'Ed Editor', organisation: 'Foundation for Open Models' },
    });
    const chair = await app.signedInPage(s.users.chair);
    await chair.goto(s.registerPath);
    const section = chair.getByRole('region', { name: 'Endorsements' });
    const item = section.getByRole('list', { name: 'Endorsements of version 1.0' }).getByRole('listitem').filter({ hasText: 'Foundation for Open Models' });
    expect(await text(item)).toContain('Not verified');
    // Only unverified organisations have the action (once the page knows the reader is a chair).
    await item.getByRole('button', { name: 'Verify Foundation for Open Models' }).waitFor();
    expect(await section.getByRole('button', { name: /^Verify/ }).count()).toBe(1);
    await item.getByRole('button', { name: 'Verify Foundation for Open Models' }).click();
    await item.getByLabel('How you verified it').fill('Letter on their letterhead');
    await item.getByRole('button', { name: 'Verify Foundation for Open Models' }).click();
    await eventually(() => text(item)).toContain('Verified by Chair: Letter on their letterhead');
    await eventually(() => text(section.getByRole('list', { name: 'Number of endorsements' }))).toBe(
      '0 individuals 2 organisations 2 verified organisations 0 withdrawn',
    );
    // A reader who is not a chair has no such action.
    const visitor = await app.newPage();
    await visitor.goto(s.registerPath);
    await visitor.getByRole('list', { name: 'Endorsements of version 1.0' }).waitFor();
    expect(await visitor.getByRole('button', { name: /^Verify/ }).count()).toBe(0);
    expect(app.problems).toEqual([]);
  });
});

describe('endorsements confirmed by mail, in the browser', () => {
  const app = useBrowserApp({ SMTP_URL: mail.url, PUBLIC_URL: SELF });

  // biome-ignore lint/performance/useDomNodeTextContent: the laid-out text is the point.
  const text = async (locator: Locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

  it('an organisation endorses with an address at its domain; the mailed link verifies it once', async () => {
    const chair = await registerConfirmed(app.t, mail, 'Chair');
    const outsider = await registerConfirmed(app.t, mail, 'Olivia Outsider');
    const slug = await app.t.createGroup(chair, { visibility: 'public' });
    const { id } = await app.definitionIn(slug, chair, ['An Open Source AI grants the freedoms to use, study, modify and share it.']);
    const published = await app.t.request({ method: 'POST', url: `/api/definitions/${id}/versions`, as: chair, payload: { label: '1.0', notes: '' } });
    expect(published.statusCode).toBe(201);
    const page = await app.signedInPage(outsider);
    await page.goto(`/groups/${slug}/definitions/${id}/versions/1.0/register`);
    const section = page.getByRole('region', { name: 'Endorsements' });
    const form = section.getByRole('form', { name: 'Endorse version 1.0' });
    await form.getByLabel('An organisation').check();
    await form.getByLabel('Your name').fill('Olivia Outsider');
    await form.getByLabel('Organisation', { exact: true }).fill('Models Institute');
    await form.getByLabel('Website (optional)').fill('https://www.models.example.org');
    await form.getByLabel('Address to confirm from (optional)').fill('olivia@models.example.org');
    await form.getByRole('button', { name: 'Endorse version 1.0' }).click();
    await section.getByText('You endorse this version').waitFor();
    const item = section.getByRole('list', { name: 'Endorsements of version 1.0' }).getByRole('listitem').filter({ hasText: 'Models Institute' });
    expect(await text(item)).toContain('Confirmation mail sent to an address at models.example.org');

    const message = await mail.waitFor((m) => m.to.includes('olivia@models.example.org'));
    const link = /https?:\/\/\S+\/endorsements\/confirm#token=[A-Za-z0-9_-]+/.exec(message.text)?.[0];
    expect(link?.startsWith(`${app.baseUrl}/endorsements/confirm#token=`)).toBe(true);
    const confirm = await app.newPage();
    await confirm.goto(link!);
    // Opening the link does nothing by itself (a mail scanner opening links must not confirm).
    await confirm.getByRole('button', { name: 'Confirm the endorsement' }).waitFor();
    expect(await confirm.getByRole('status').count()).toBe(0);
    await confirm.getByRole('button', { name: 'Confirm the endorsement' }).click();
    await eventually(() => text(confirm.getByRole('status'))).toBe(
      'Confirmed: Models Institute’s endorsement of Open Source AI Definition version 1.0 is verified from models.example.org.',
    );
    await confirm.getByRole('link', { name: 'See the endorsements of version 1.0' }).click();
    const confirmed = confirm.getByRole('list', { name: 'Endorsements of version 1.0' }).getByRole('listitem').filter({ hasText: 'Models Institute' });
    await eventually(() => text(confirmed)).toContain('Verified: confirmed from models.example.org');

    // The link works once.
    const again = await app.newPage();
    await again.goto(link!);
    await again.getByRole('button', { name: 'Confirm the endorsement' }).click();
    await eventually(() => text(again.locator('main'))).toContain('This confirmation link is invalid, already used or expired');
    expect(app.problems).toEqual([]);
  });
});

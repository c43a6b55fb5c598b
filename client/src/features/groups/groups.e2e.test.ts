import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { descriptionOf, eventually, isFocused, PASSWORD, useBrowserApp } from '../../e2e-support.ts';

describe('groups in the browser', () => {
  const app = useBrowserApp();

  it('a chair registers, creates a group, adds a member, changes their role, signs out and back in', async () => {
    const { t } = app;
    const page = await app.newPage();
    const email = `ada.${randomBytes(4).toString('hex')}@example.org`;
    const slug = `osaid-${randomBytes(3).toString('hex')}`;
    const groupName = 'Open Source AI Definition';

    // Signed out: the home page is the front door, which leads to sign in, and from there to registration.
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Draftroom' }).waitFor();
    await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Create an account' }).waitFor();
    await page.getByLabel('Name').fill('Ada Lovelace');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.getByRole('heading', { level: 1, name: 'Working groups' }).waitFor();
    await page.getByText('You are not in any group yet.').waitFor();

    // Create a public group.
    const create = page.getByRole('region', { name: 'Create a working group' });
    await create.getByLabel('Name').fill(groupName);
    expect(await create.getByLabel('Slug').inputValue()).toBe('open-source-ai-definition');
    await create.getByLabel('Slug').fill(slug);
    await create.getByLabel('Charter').fill('Which components must be open, under which freedoms.');
    await create.getByRole('radio', { name: 'Public' }).check();
    await create.getByRole('button', { name: 'Create group' }).click();

    await page.getByRole('heading', { level: 1, name: groupName }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/groups/${slug}`);
    await page.getByText(/Your role:\s*Chair/).waitFor();
    await page.getByText('Which components must be open, under which freedoms.').waitFor();

    // Add a member who registered through the API.
    const grace = await t.register('Grace Hopper');
    await page.getByLabel('Email', { exact: true }).fill(grace.email);
    await page.getByLabel('Role', { exact: true }).selectOption('member');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('status').filter({ hasText: 'Grace Hopper was added as Member.' }).waitFor();
    const graceRow = page.getByRole('listitem').filter({ hasText: grace.email });
    await graceRow.waitFor();
    expect(await page.getByLabel('Email', { exact: true }).inputValue()).toBe('');

    // Change the member's role.
    await page.getByLabel('Role of Grace Hopper').selectOption('editor');
    await page.getByRole('button', { name: 'Change role of Grace Hopper' }).click();
    await page.getByRole('status').filter({ hasText: 'Grace Hopper is now Editor.' }).waitFor();
    const members = await t.request({ method: 'GET', url: `/api/groups/${slug}/members`, as: grace });
    expect(members.json().members).toContainEqual(expect.objectContaining({ userId: grace.user.id, role: 'editor' }));
    await page.getByText('2 members').waitFor();

    // The activity log shows the change, and its hash chain verifies.
    await page.getByRole('navigation', { name: 'Group sections' }).getByRole('link', { name: 'Activity' }).click();
    await page.getByText('Audit log intact.').waitFor();
    await page.getByText('Ada Lovelace changed the role of Grace Hopper from Member to Editor').waitFor();
    await page.getByText('Ada Lovelace added Grace Hopper as Member').waitFor();
    await page.getByText('Ada Lovelace created the group').waitFor();

    // Sign out from the account menu.
    await page.getByRole('button', { name: /Ada Lovelace/ }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'You have signed out.' }).waitFor();
    expect((await t.request({ method: 'GET', url: `/api/groups/${slug}/members` })).statusCode).toBe(401);

    // Sign back in and find the group, with my role, among my groups.
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const mine = page.getByRole('region', { name: 'My groups' });
    const card = mine.getByRole('listitem').filter({ has: page.getByRole('link', { name: groupName }) });
    await card.waitFor();
    expect(await card.textContent()).toContain('Your role: Chair');
    await card.getByRole('link', { name: groupName }).click();
    await page.getByRole('heading', { level: 1, name: groupName }).waitFor();
    await page.getByRole('listitem').filter({ hasText: grace.email }).waitFor();
    expect(await page.getByLabel('Role of Grace Hopper').inputValue()).toBe('editor');

    expect(app.problems).toEqual([]);
  });

  it('shows a taken or malformed slug next to the slug field', async () => {
    const { t } = app;
    const owner = await t.register('Slug Owner');
    const taken = await t.createGroup(owner);
    const page = await app.signedInPage(await t.register('Slug Seeker'));
    await page.goto('/');
    const create = page.getByRole('region', { name: 'Create a working group' });
    const slugField = create.getByLabel('Slug');

    // Checked in the page before sending.
    await create.getByLabel('Name').fill('Another group');
    await slugField.fill('Not A Slug');
    await create.getByRole('button', { name: 'Create group' }).click();
    await eventually(() => slugField.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(slugField)).toContain('lower-case letters, digits and inner hyphens');
    await eventually(() => isFocused(slugField)).toBe(true);

    // Only the server knows the slug is taken (by a private group we cannot even see).
    await slugField.fill(taken);
    await create.getByRole('button', { name: 'Create group' }).click();
    await eventually(() => descriptionOf(slugField)).toContain('A group with this slug already exists');
    expect(await slugField.getAttribute('aria-invalid')).toBe('true');
    await eventually(() => isFocused(slugField)).toBe(true);
    expect(await create.getByLabel('Name').getAttribute('aria-invalid')).toBeNull();

    // An unknown email in "Add a member" is reported on the email field too.
    await slugField.fill(`fresh-${randomBytes(3).toString('hex')}`);
    await create.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('heading', { level: 1, name: 'Another group' }).waitFor();
    const memberEmail = page.getByLabel('Email', { exact: true });
    await memberEmail.fill('nobody@example.org');
    await page.getByRole('button', { name: 'Add member' }).click();
    await eventually(() => descriptionOf(memberEmail)).toContain('No account uses this email');

    expect(app.problems).toEqual([]);
  });

  it('lets a chair manage members and settings, and a member leave, at phone width', async () => {
    const { t } = app;
    const { slug, users } = await t.groupWithRoles('private');
    const phone = { width: 360, height: 740 };
    const chairPage = await app.signedInPage(users.chair, { viewport: phone });
    await chairPage.goto(`/groups/${slug}`);
    await chairPage.getByRole('heading', { level: 1, name: `Group ${slug}` }).waitFor();
    await chairPage.getByRole('listitem').filter({ hasText: users.observer.email }).waitFor();
    const overflow = () => chairPage.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);

    // Removing asks first; cancelling returns the focus to the button.
    await chairPage.getByRole('button', { name: 'Remove Observer' }).click();
    await chairPage.getByRole('button', { name: 'Cancel' }).click();
    await eventually(() => isFocused(chairPage.getByRole('button', { name: 'Remove Observer' }))).toBe(true);
    await chairPage.getByRole('button', { name: 'Remove Observer' }).click();
    await chairPage.getByRole('button', { name: 'Yes, remove Observer' }).click();
    await chairPage.getByRole('status').filter({ hasText: 'Observer was removed from the group.' }).waitFor();
    await chairPage.getByText('3 members').waitFor();

    // The last chair may not leave: the server says why.
    await chairPage.getByRole('button', { name: 'Leave group' }).click();
    await chairPage.getByRole('button', { name: 'Yes, leave the group' }).click();
    await chairPage.getByRole('alert').filter({ hasText: 'at least one chair' }).waitFor();

    // Settings, for chairs only.
    await chairPage.getByRole('link', { name: 'Settings' }).click();
    await chairPage.getByRole('heading', { level: 2, name: 'Settings' }).waitFor();
    await chairPage.getByLabel('Name').fill('Renamed group');
    await chairPage.getByRole('radio', { name: 'Public' }).check();
    await chairPage.getByRole('button', { name: 'Save settings' }).click();
    await chairPage.getByRole('status').filter({ hasText: 'The settings have been saved.' }).waitFor();
    await chairPage.getByRole('heading', { level: 1, name: 'Renamed group' }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);

    // A member sees no management controls and can leave.
    const memberPage = await app.signedInPage(users.member, { viewport: phone });
    await memberPage.goto(`/groups/${slug}`);
    await memberPage.getByRole('heading', { level: 1, name: 'Renamed group' }).waitFor();
    await memberPage.getByText(/Your role:\s*Member/).waitFor();
    expect(await memberPage.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
    expect(await memberPage.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    expect(await memberPage.getByRole('button', { name: 'Add member' }).count()).toBe(0);
    await memberPage.getByRole('button', { name: 'Leave group' }).click();
    await memberPage.getByRole('button', { name: 'Yes, leave the group' }).click();
    await memberPage.getByRole('status').filter({ hasText: 'You have left Renamed group.' }).waitFor();
    // The notice shows at once; the list of groups arrives with its own request.
    await eventually(() => memberPage.getByRole('region', { name: 'Public groups' }).getByRole('link', { name: 'Renamed group' }).count()).toBe(1);

    expect(app.problems).toEqual([]);
  });
});

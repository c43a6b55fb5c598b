import type { Role } from '@draftroom/shared';
import type { PasswordHasher } from '../auth/passwords.ts';
import { randomString } from '../auth/tokens.ts';
import type { Db } from '../db/database.ts';
import { recordEvent } from '../events/service.ts';
import * as repo from './repository.ts';

export const DEMO_GROUP_SLUG = 'open-source-ai';

const DEMO_PEOPLE: { role: Role; email: string; displayName: string }[] = [
  { role: 'chair', email: 'chair@demo.draftroom.test', displayName: 'Ada Chair' },
  { role: 'editor', email: 'editor@demo.draftroom.test', displayName: 'Eli Editor' },
  { role: 'member', email: 'member@demo.draftroom.test', displayName: 'Mina Member' },
  { role: 'observer', email: 'observer@demo.draftroom.test', displayName: 'Oskar Observer' },
];

/** Demo data goes only into the embedded database a newcomer just started, never into a real server. */
export function shouldSeedDemo(seedDemo: boolean, databaseKind: 'embedded' | 'external'): boolean {
  return seedDemo && databaseKind === 'embedded';
}

export interface DemoAccount {
  role: Role;
  email: string;
  password: string;
  userId: string;
}

/**
 * Fills an empty database with a demo working group and one account per role. Returns the accounts
 * (with their one-time passwords) or null when the database already has users.
 */
export async function seedDemo(db: Db, passwords: PasswordHasher): Promise<DemoAccount[] | null> {
  const anyone = await repo.findAnyUser(db);
  if (anyone) return null;
  const accounts = DEMO_PEOPLE.map((person) => ({ ...person, password: randomString(16) }));
  const hashes = await Promise.all(accounts.map((a) => passwords.hash(a.password)));
  const ids: string[] = [];
  await db.transaction().execute(async (tx) => {
    for (const [i, account] of accounts.entries()) {
      const user = await repo.insertUser(tx, { email: account.email, displayName: account.displayName, passwordHash: hashes[i]! });
      ids.push(user.id);
      await recordEvent(tx, { groupId: null, actorId: user.id, type: 'account.registered', payload: { userId: user.id, demo: true } });
    }
    const chairId = ids[0]!;
    const group = await repo.insertGroup(tx, {
      slug: DEMO_GROUP_SLUG,
      name: 'Open Source AI Definition (demo)',
      charter:
        'Draft a definition of Open Source AI: which components (training data, code, model parameters) ' +
        'must be available, and under which freedoms (use, study, modify, share).',
      visibility: 'public',
      createdBy: chairId,
    });
    await recordEvent(tx, { groupId: group.id, actorId: chairId, type: 'group.created', payload: { slug: DEMO_GROUP_SLUG, demo: true } });
    for (const [i, account] of accounts.entries()) {
      await repo.insertMembership(tx, group.id, ids[i]!, account.role);
      if (i > 0) {
        await recordEvent(tx, { groupId: group.id, actorId: chairId, type: 'member.added', payload: { userId: ids[i]!, role: account.role } });
      }
    }
  });
  return accounts.map(({ role, email, password }, i) => ({ role, email, password, userId: ids[i]! }));
}

export function formatDemoAccounts(accounts: DemoAccount[], baseUrl: string): string {
  const lines = accounts.map((a) => `  ${a.role.padEnd(9)} ${a.email.padEnd(30)} ${a.password}`);
  return [
    '',
    `Demo working group: ${baseUrl}/groups/${DEMO_GROUP_SLUG}`,
    'Demo accounts (shown this once; change them under your account):',
    ...lines,
    '',
  ].join('\n');
}

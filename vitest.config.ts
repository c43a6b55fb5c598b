import { defineConfig } from 'vitest/config';

const externalUrl = process.env.TEST_DATABASE_URL;
if (!externalUrl) {
  if (process.env.CI) {
    throw new Error('CI must run the external-PostgreSQL leg: set TEST_DATABASE_URL (see .ci/run)');
  }
  console.warn(
    '\n\x1b[33m*** SKIPPING the external-PostgreSQL leg: TEST_DATABASE_URL is not set. ' +
      'The server suite runs on the embedded PostgreSQL only. CI always runs both. ***\x1b[0m\n',
  );
}

const serverProject = (name: string) => ({
  test: {
    name,
    include: ['server/src/**/*.test.ts', 'migrations/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'shared', include: ['shared/src/**/*.test.ts'] } },
      serverProject('server'),
      ...(externalUrl ? [serverProject('server-external')] : []),
      {
        test: {
          name: 'client',
          include: ['client/src/**/*.test.ts', 'client/src/**/*.test.tsx'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});

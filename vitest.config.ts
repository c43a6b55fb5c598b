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

const serverProject = (name: string, exclude: string[] = []) => ({
  test: {
    name,
    include: ['server/src/**/*.test.ts', 'migrations/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...exclude],
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
      // The external leg runs everything that talks to a database; main.test.ts is about the embedded
      // server's process lifecycle, which has no external counterpart.
      ...(externalUrl ? [serverProject('server-external', ['server/src/main.test.ts'])] : []),
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

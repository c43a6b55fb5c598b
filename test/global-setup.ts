import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { TestProject } from 'vitest/node';
import { createDb } from '../server/src/db/database.ts';
import { EmbeddedDatabase } from '../server/src/db/embedded.ts';
import { migrateToLatest } from '../server/src/db/migrator.ts';
import { ensureDatabase } from '../server/src/db/open.ts';
import { launchBrowserServer } from './browser-server.ts';
import { freePort } from '../server/test/support/net.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the PostgreSQL server's maintenance database, for CREATE DATABASE … TEMPLATE. */
    databaseServerUrl: string;
    templateDatabase: string;
    databaseKind: 'embedded' | 'external';
    /** Playwright wsEndpoint of the one Chromium shared by the run (browser projects only). */
    browserEndpoint: string;
  }
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = createDb(serverUrl, { max: 1 });
  try {
    await sql.raw(`drop database if exists "${name}" with (force)`).execute(admin);
  } finally {
    await admin.destroy();
  }
}

/** Migrates a fresh template database once; every test file clones it (CREATE DATABASE … TEMPLATE). */
async function prepareTemplate(serverUrl: string, name: string): Promise<void> {
  await dropDatabase(serverUrl, name);
  const url = await ensureDatabase(serverUrl, name);
  const db = createDb(url, { max: 1 });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
}

export default async function setup(project: TestProject) {
  const cleanups: (() => Promise<void>)[] = [];
  const teardown = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error(error));
  };
  try {
    const external = project.name === 'server-external';
    const templateName = `draftroom_template_${process.pid}`;
    let serverUrl: string;
    if (external) {
      const url = process.env.TEST_DATABASE_URL;
      if (!url) throw new Error('the server-external project needs TEST_DATABASE_URL');
      serverUrl = url;
    } else {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'draftroom-test-pg-'));
      const embedded = new EmbeddedDatabase({ dataDir, port: await freePort() });
      cleanups.push(async () => {
        await embedded.stop();
        await rm(dataDir, { recursive: true, force: true });
      });
      serverUrl = (await embedded.start()).url;
    }
    await prepareTemplate(serverUrl, templateName);
    if (external) {
      cleanups.push(async () => {
        await dropDatabase(serverUrl, templateName);
      });
    }
    project.provide('databaseServerUrl', serverUrl);
    project.provide('templateDatabase', templateName);
    project.provide('databaseKind', external ? 'external' : 'embedded');

    if (project.name === 'client') {
      const browser = await launchBrowserServer();
      cleanups.push(() => browser.close());
      project.provide('browserEndpoint', browser.wsEndpoint());
    }
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

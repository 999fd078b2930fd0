import { startTestDatabase, type TestDatabaseServer } from './test-database';

declare global {
  var __PRISM_TEST_DB__: TestDatabaseServer | undefined;
}

/** Starts one database server for the whole e2e run; workers inherit MONGODB_URI from here. */
export default async function globalSetup(): Promise<void> {
  const db = await startTestDatabase();
  globalThis.__PRISM_TEST_DB__ = db;
  process.env.PRISM_TEST_BASE_MONGODB_URI = db.uri;
  process.env.PRISM_TEST_DB_KIND = db.kind;
}

import { databaseUriFor } from './test-database';

// Runs in each test file's environment before its tests: every file gets its own database on the
// shared server, so files can run in parallel and never see each other's data.
const base = process.env.PRISM_TEST_BASE_MONGODB_URI;
const testPath = expect.getState().testPath;
if (base && testPath) process.env.MONGODB_URI = databaseUriFor(base, testPath);
process.env.NODE_ENV ??= 'test';
process.env.LOG_LEVEL ??= 'warn';

/**
 * Browser end-to-end tests of the admin console: the real server (in-process, NODE_ROLE=full,
 * serving the built console), the real test database, Debian's Chromium driven by playwright-core.
 * Needs `npm --prefix admin-ui run build` first. Run: `npx jest --config test/browser/jest.config.js`.
 */
module.exports = {
  rootDir: '../..',
  roots: ['<rootDir>/test/browser'],
  testRegex: '\\.browser-spec\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.jest.json' }] },
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/setup-env.ts'],
  testTimeout: 60000,
  // One browser at a time: the machine has 2 cores and Chromium is heavy.
  maxWorkers: 1,
};

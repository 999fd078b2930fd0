/** The Schemathesis run against the admin API (npm run test:fuzz): one file, real server, real database. */
const e2e = require('./jest.e2e.config.js');

module.exports = {
  ...e2e,
  testRegex: '\\.fuzz-spec\\.ts$',
  testTimeout: 15 * 60 * 1000,
  maxWorkers: 1,
};

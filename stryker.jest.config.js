/**
 * The jest configuration Stryker runs (`npm run mutation`): the node project of jest.config.js made flat, since
 * Stryker's per-test coverage wraps the test environment of a flat configuration only, and narrowed to the suites
 * that exercise the mutated code, so each mutant costs seconds rather than the whole node run.
 */
const { projects, ...shared } = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...shared,
  ...projects.find((project) => project.displayName === 'node'),
  // Jest finds the suites related to a mutated file (Stryker's findRelatedTests) only among files under its roots.
  roots: ['<rootDir>/test', '<rootDir>/server', '<rootDir>/shared'],
  testMatch: [
    '<rootDir>/test/shared/**/*.test.ts',
    '<rootDir>/test/embedded-db/journal.test.ts',
    ...['auth', 'roles', 'isolation', 'media', 'redaction', 'moderation', 'reports', 'report-figures'].map(
      (name) => `<rootDir>/test/server/${name}.test.ts`,
    ),
  ],
};

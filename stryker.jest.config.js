/**
 * The jest configuration Stryker runs (`npm run mutation`): the node project of jest.config.js made flat, since
 * Stryker's per-test coverage wraps the test environment of a flat configuration only, and narrowed to the suites
 * that exercise the mutated code. Every server suite logs in and checks access, so without narrowing each auth or
 * access mutant would rerun most of the node suites. `STRYKER_SUITES` (comma-separated names from `suites`) narrows
 * further for a run over one folder.
 */
const { projects, ...shared } = require('./jest.config.js');

const suites = {
  // The pure rules' own suites: the server suites that also reach them take seconds per mutant.
  shared: ['<rootDir>/test/shared/**/*.test.ts'],
  roles: ['<rootDir>/test/shared/roles.test.ts', '<rootDir>/test/server/{access,roles}.test.ts'],
  auth: ['<rootDir>/test/server/auth.test.ts'],
  media: ['<rootDir>/test/server/{media,redaction}.test.ts'],
  figures: ['<rootDir>/test/server/report-figures.test.ts'],
  // crash.test.ts is left out: its engine runs in child processes Stryker cannot see.
  journal: ['<rootDir>/test/embedded-db/{journal,internals}.test.ts'],
};
const chosen = process.env.STRYKER_SUITES ? process.env.STRYKER_SUITES.split(',') : Object.keys(suites);

/** @type {import('jest').Config} */
module.exports = {
  ...shared,
  ...projects.find((project) => project.displayName === 'node'),
  // Jest finds the suites related to a mutated file (Stryker's findRelatedTests) only among files under its roots.
  roots: ['<rootDir>/test', '<rootDir>/server', '<rootDir>/shared'],
  testMatch: chosen.flatMap((name) => suites[name]),
};

/**
 * `npm run mutation`: StrykerJS over the rules where a careless change does the most harm. Not part of
 * `npm test` — it runs the covering tests once per mutant and takes long. Reports land in reports/mutation/.
 * One folder at a time, with only its suites (stryker.jest.config.js):
 * `STRYKER_SUITES=auth npm run mutation -- --mutate 'server/modules/auth/*.ts'`.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'stryker.jest.config.js' },
  // Each mutant runs only the tests that executed its code in the initial run.
  coverageAnalysis: 'perTest',
  // Mutants in code run at module load (TypeBox schemas, constant tables) would each need every test; the
  // schemas are exercised by the route tests anyway.
  ignoreStatic: true,
  // The machine has 2 cores shared with other builds.
  concurrency: 1,
  // Added to 1.5 × the time the covering tests took in the initial run; a mutant that loops forever costs this.
  timeoutMS: 10_000,
  // shared/schemas/ is left out: TypeBox definitions evaluated once at load, exercised by the route suites.
  mutate: [
    'shared/*.ts',
    'server/modules/roles/access.ts',
    'server/modules/auth/*.ts',
    'server/modules/media/*.ts',
    'server/modules/reports/figures.ts',
    'server/embedded-db/journal.ts',
  ],
  // Not needed by the suites in stryker.jest.config.js; keeps the sandbox copy small. Anchored with '/':
  // gitignore-style patterns would otherwise also drop server/data and server/modules/reports.
  ignorePatterns: [
    '/dist',
    '/data',
    '/coverage',
    '/reports',
    '/miniprogram',
    '/test/e2e',
    '/test/weapp',
    '/test/miniprogram',
  ],
  tempDirName: '.stryker-tmp',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
};

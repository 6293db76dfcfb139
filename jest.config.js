/** Jest runs every suite under test/ through @swc/jest (type-checking is `tsc`'s job, run as its own step). */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const esmOnly = ['content-disposition'];
const transform = { '^.+\\.(t|j)sx?$': swc };

/** @type {import('jest').Config} */
module.exports = {
  // Server suites build an app on a fresh database and seed the demo community in their hooks: on two busy cores
  // that can pass jest's 5 s default without anything being wrong.
  testTimeout: 20_000,
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/miniprogram/', '<rootDir>/test/e2e/'],
      // The compiled weapp output is loaded as WeChat would load it, untransformed. ESM-only dependencies
      // (Node ≥ 20.19 requires them natively, jest does not) are compiled like our own code.
      transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`, '<rootDir>/dist/'],
      transform,
    },
    {
      displayName: 'miniprogram',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/test/miniprogram'],
      testMatch: ['**/*.test.ts?(x)'],
      setupFiles: ['<rootDir>/test/miniprogram/setup.ts'],
      moduleNameMapper: {
        '^@tarojs/taro$': '<rootDir>/test/miniprogram/doubles/taro.ts',
        '^@tarojs/components$': '<rootDir>/test/miniprogram/doubles/components.tsx',
        '\\.(s?css)$': '<rootDir>/test/miniprogram/doubles/style.ts',
      },
      // taro-ui ships ES modules; compile it like our own code.
      transformIgnorePatterns: ['/node_modules/(?!taro-ui/)'],
      transform,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/e2e'],
      testMatch: ['**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/e2e/setup.ts'],
      transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
      transform,
    },
  ],
};

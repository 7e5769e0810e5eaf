/** Jest: unit specs next to the code (`*.spec.ts`), end-to-end specs on the whole app (`*.e2e-spec.ts`). */
const paths = {
  '^@cdp/channel-testing$': '<rootDir>/libs/channels/testing',
  '^@cdp/([a-z-]+)$': '<rootDir>/libs/$1/src',
};

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs,bench}/**/*.{spec,e2e-spec}.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true, sourceMap: true } }],
  },
  moduleNameMapper: paths,
  globalSetup: '<rootDir>/apps/api/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/apps/api/test/support/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
  workerIdleMemoryLimit: '1.5GB',
};

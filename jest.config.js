/** Jest 27, as in Segment's monorepo. The destination folder runs in the monorepo's plain node environment. */
const shared = {
  preset: 'ts-jest',
  testMatch: ['**/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '__tests__/__helpers__/'],
  setupFilesAfterEnv: ['<rootDir>/test/setup-after-env.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  globals: { 'ts-jest': { isolatedModules: true } }
}

/** @type {import('@jest/types').Config.InitialOptions} */
module.exports = {
  projects: [
    { ...shared, displayName: 'destination', testEnvironment: 'node', roots: ['<rootDir>/src'] },
    {
      ...shared,
      displayName: 'package',
      testEnvironment: '<rootDir>/test/node-globals-environment.js',
      setupFilesAfterEnv: ['<rootDir>/test/setup-package.ts'],
      roots: ['<rootDir>/__tests__']
    }
  ]
}

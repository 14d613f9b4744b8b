module.exports = {
  root: true,
  parser: '@typescript-eslint/parser',
  parserOptions: {
    project: ['./tsconfig.json'],
    tsconfigRootDir: __dirname
  },
  plugins: ['@typescript-eslint'],
  extends: [
    'eslint:recommended',
    'plugin:@typescript-eslint/recommended',
    'plugin:@typescript-eslint/recommended-requiring-type-checking'
  ],
  env: { node: true, es2020: true, jest: true },
  rules: {
    '@typescript-eslint/no-floating-promises': 'error',
    '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    '@typescript-eslint/ban-ts-comment': ['error', { 'ts-expect-error': 'allow-with-description' }]
  },
  overrides: [
    {
      // As in the monorepo's packages/destination-actions: destinations hash through actions-core's helper.
      files: ['src/destinations/**/*.ts', 'src/lib/**/*.ts'],
      rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'crypto', importNames: ['createHash'] }] }] }
    },
    {
      // An audience destination's actions that read no audience settings keep actions-core's default (any) for
      // them, as the monorepo's audience destinations do; the monorepo's lint has this rule off.
      files: ['src/destinations/appcues/index.ts'],
      rules: { '@typescript-eslint/no-unsafe-assignment': 'off' }
    },
    {
      files: ['**/__tests__/**/*.ts', 'test/**/*.ts'],
      rules: {
        '@typescript-eslint/no-unsafe-assignment': 'off',
        '@typescript-eslint/no-unsafe-member-access': 'off',
        '@typescript-eslint/no-unsafe-argument': 'off',
        '@typescript-eslint/no-unsafe-return': 'off',
        '@typescript-eslint/no-unsafe-call': 'off'
      }
    }
  ],
  ignorePatterns: ['dist/', 'node_modules/', '*.js']
}

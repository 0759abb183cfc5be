import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const platformPackages = ['telegraf', 'telegraf/*', 'wechaty', 'wechaty/*', 'wechaty-puppet*', 'express', 'pg', 'pg/*',
  'drizzle-orm', 'drizzle-orm/*', 'node-cron', '@electric-sql/pglite', '@electric-sql/pglite/*'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'dist/**', 'coverage/**', 'adapters/http/console/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The formatting rule: lines stay readable side by side in a review; sentences in strings,
      // SQL in templates and URLs may run on rather than be cut mid-word.
      'max-len': ['error', { code: 200, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true, ignoreComments: false }],
    },
  },
  {
    // DESIGN.md: the core is pure TypeScript and never touches a platform SDK, a transport or storage.
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: platformPackages, message: 'core/ must not import platform, transport or storage packages: define a port in core/ports and implement it in adapters/ or models/.' }],
      }],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);

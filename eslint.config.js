import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Plugins see core only through its public API (core/index.ts, imported as '@agora/core'): a plugin
 * unpacked from a zip into DATA_DIR/plugins has no relative path to core's files, and core's inner
 * layout may change without breaking plugins.
 */
const publicApiOnly = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          regex: '^(\\.\\./)+core(/|$)',
          message: "Plugins import core only from its public API: import { ... } from '@agora/core' (add what is missing to core/index.ts).",
        },
        {
          regex: '^@agora/core/',
          message: "Import '@agora/core' itself, not a path inside it.",
        },
      ],
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'test-data/', 'public/', 'themes/*/public/', 'plugins/*/public/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    files: ['plugins/**/*.ts', 'test/fixtures/plugins/**/*.ts'],
    rules: publicApiOnly,
  },
  {
    // Module hooks are plain JavaScript run by Node.
    files: ['**/*.mjs'],
    languageOptions: { globals: { URL: 'readonly', process: 'readonly', console: 'readonly' } },
  },
);

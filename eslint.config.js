import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import vueParser from 'vue-eslint-parser';

// Only the data service opens the database (Signal's "one owner"); everyone else calls it.
const SQLITE_OWNER = 'src-backend/services/data/**';
const sqliteMessage =
  'only the data service (src-backend/services/data) opens SQLite; call it through the ServiceClient.';
const sqlitePath = { name: 'better-sqlite3', message: sqliteMessage };
const sqlitePattern = { group: ['better-sqlite3/*'], message: sqliteMessage };
// no-restricted-imports sees static imports only; these catch import() and require() as well.
const sqliteDynamic = [
  { selector: 'ImportExpression[source.value=/^better-sqlite3(\\/|$)/]', message: sqliteMessage },
  {
    selector: "CallExpression[callee.name='require'][arguments.0.value=/^better-sqlite3(\\/|$)/]",
    message: sqliteMessage,
  },
];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'out-*/**',
      'dist/**',
      'node_modules/**',
      'bench/results/**',
      'e2e/artifacts/**',
      'test-results/**',
      'playwright-report/**',
      '.tmp/**',
    ],
  },
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: {
      parser: vueParser,
      parserOptions: { parser: tseslint.parser, sourceType: 'module', extraFileExtensions: ['.vue'] },
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    // Everything outside the data service, whatever its folder (src-main, scripts, e2e, bench).
    files: ['**/*.{ts,mts,cts,js,mjs,cjs,vue}'],
    ignores: [SQLITE_OWNER],
    rules: {
      'no-restricted-imports': ['error', { paths: [sqlitePath], patterns: [sqlitePattern] }],
      'no-restricted-syntax': ['error', ...sqliteDynamic],
    },
  },
  {
    // Folders by process: only src-main may import electron (VS Code's layering rule).
    files: ['src-backend/**/*.ts'],
    ignores: [SQLITE_OWNER],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'src-backend runs under plain Node: only src-main imports electron.' },
            sqlitePath,
          ],
          patterns: [sqlitePattern],
        },
      ],
    },
  },
  {
    files: [SQLITE_OWNER],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'src-backend runs under plain Node: only src-main imports electron.' }],
        },
      ],
    },
  },
  {
    files: ['src-backend/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', sqlitePath],
          patterns: [
            {
              group: ['node:*', '../shared/*', '../services/*', '../supervisor/*'],
              message: 'contracts are imported by the renderer: typebox only.',
            },
            sqlitePattern,
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,vue}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', sqlitePath],
          patterns: [
            {
              group: ['node:*', '**/src-backend/shared/*', '**/src-backend/services/*'],
              message: 'the renderer talks to the backend through the API client only.',
            },
            sqlitePattern,
          ],
        },
      ],
    },
  },
);

// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Node built-ins, written both ways, for the platform-neutral boundary. */
const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'worker_threads',
  'child_process',
  'zlib',
  'crypto',
  'url',
  'util',
  'stream',
  'buffer',
];
const restrict = (patterns, message) => ['error', { patterns: [{ group: patterns, message }] }];

export default tseslint.config(
  {
    ignores: ['dist/', 'node_modules/', 'test/fixtures/', 'bench/data/', 'bench/out/', '.cache/', 'test/e2e/.run/', '**/*.mjs', '**/*.js'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-exports': [
        'error',
        { restrictDefaultExports: { direct: true, named: true, defaultFrom: true, namedFrom: true, namespaceFrom: true } },
      ],
    },
  },
  // The core runs in the extension host, the worker, the CLI and (later) a browser: no vscode, no Node.
  {
    files: ['src/core/**/*.ts', 'src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        ['vscode', ...nodeBuiltins],
        'src/core and src/protocol are platform-neutral: use a ByteSource/FileAccess adapter from src/node',
      ),
    },
  },
  // Only src/extension may import vscode.
  {
    files: ['src/node/**/*.ts', 'src/worker/**/*.ts', 'src/cli/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(['vscode', '**/extension/*'], 'only src/extension imports vscode') },
  },
  // The webview is a browser: no Node, no vscode module, no host code.
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        ['vscode', ...nodeBuiltins, '**/src/node/*', '**/src/extension/*', '**/src/worker/*'],
        'the webview runs in a browser sandbox',
      ),
    },
  },
);

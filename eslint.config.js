// Layer rules (see README, "Architecture"): who may import whom is enforced here and by the
// per-layer tsconfig files. A forbidden import fails `npm run lint`.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import { builtinModules } from 'node:module'

const nodeBuiltins = [...builtinModules.filter((m) => !m.startsWith('_')), 'node:*']

const electronBan = { name: 'electron', message: 'Only main/electron and preload may import electron.' }
const ban = (group, message) => ({ group, message })

const layerRules = {
  shared: [
    {
      regex: '^(?!zod(/|$)|\\./)',
      message: 'shared/ imports only its schema library (zod) and shared/ itself.',
    },
  ],
  core: [
    ban(nodeBuiltins, 'main/core is pure: no Node built-ins, no I/O.'),
    ban(['electron', 'better-sqlite3', 'xmlrpc', 'node-schedule'], 'main/core is pure: no I/O libraries.'),
    ban(
      ['**/node/**', '**/electron/**', '**/sandbox/**', '**/renderer/**', '**/preload/**', '**/cli'],
      'main/core imports only main/core and shared.',
    ),
  ],
  node: [
    ban(['electron', 'electron/*'], electronBan.message),
    ban(
      ['**/electron/**', '**/renderer/**', '**/preload/**'],
      'main/node never imports the Electron layer or the UI.',
    ),
  ],
  sandbox: [
    ban(['electron', 'electron/*'], electronBan.message),
    ban(
      ['**/electron/**', '**/renderer/**', '**/preload/**'],
      'main/sandbox never imports the Electron layer or the UI.',
    ),
  ],
  preload: [
    {
      regex: '^(?!electron$|\\.\\./shared/ipc-channels$|\\./build-api$)',
      message: 'preload imports only electron and the contract names (shared/ipc-channels).',
    },
  ],
  renderer: [
    ban(['electron', 'electron/*', ...nodeBuiltins], 'The renderer has no access to Electron or Node.'),
    ban(['**/main/**', '**/preload/**'], 'The renderer imports shared and UI libraries only.'),
  ],
}

const restrict = (patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
})

const noDefaultExport = { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }

// SQL lives in main/node/db only: repositories (main/node/db/repos, functions taking the database first)
// prepare every statement, the migrations create every table. Elsewhere in main, a call to prepare() or
// pragma(), or exec() on something named db, is refused. (No type information here: RegExp#exec is
// told apart by the name of what it is called on.)
const sqlOnlyInDb = [
  {
    selector: "CallExpression[callee.property.name='prepare']",
    message: 'SQL lives in main/node/db: add a function to a repository in main/node/db/repos and call it.',
  },
  {
    selector: "CallExpression[callee.property.name='pragma']",
    message: 'Pragmas live in main/node/db (database.ts, migrations.ts, inspect.ts).',
  },
  ...['name', 'property.name'].map((key) => ({
    selector: `CallExpression[callee.property.name='exec'][callee.object.${key}=/^(db|database)$/]`,
    message: 'SQL lives in main/node/db: tables come from a migration (main/node/db/migrations.ts).',
  })),
]

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.native/**',
      'test/fixtures/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  { files: ['shared/**/*.ts'], rules: restrict(layerRules.shared) },
  { files: ['main/core/**/*.ts'], rules: restrict(layerRules.core) },
  { files: ['main/node/**/*.ts', 'main/cli.ts', 'main/preview.ts'], rules: restrict(layerRules.node) },
  { files: ['main/sandbox/**/*.ts'], rules: restrict(layerRules.sandbox) },
  { files: ['preload/**/*.ts'], rules: restrict(layerRules.preload) },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules, ...restrict(layerRules.renderer) },
  },
  {
    // No default exports in application code (config files for tools are the exception).
    files: ['main/**/*.ts', 'shared/**/*.ts', 'preload/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    rules: { 'no-restricted-syntax': ['error', noDefaultExport] },
  },
  {
    // The same rule's list for main outside main/node/db, with SQL refused (a later entry replaces it).
    files: ['main/**/*.ts'],
    ignores: ['main/node/db/**'],
    rules: { 'no-restricted-syntax': ['error', noDefaultExport, ...sqlOnlyInDb] },
  },
)

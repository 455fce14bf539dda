// Layer rules (see README, "Architecture"): each layer's allow-list says what it may import, and everything
// else is refused (eslint/layer-imports.js, after VS Code's code-layering rule). The per-layer tsconfig files
// enforce the same boundaries for types. test/unit/layers lints fixtures that break each rule.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import { layersPlugin } from './eslint/layer-imports.js'

// What main/node and main/electron share of the repository; sandbox and the hosts add to it.
const product = ['main/node/', 'main/core/', 'shared/']
// The demo's entry point: the composition roots (the hosts' entry files) hand it to the runtime.
const demo = 'main/sandbox/demo-env'

/** One allow-list per layer: folders (trailing slash) or modules of this repository, packages, built-ins. */
const layers = [
  {
    layer: 'shared',
    files: ['shared/**/*.ts'],
    paths: ['shared/'],
    packages: ['zod'],
    message: 'shared/ imports only its schema library (zod) and shared/ itself.',
  },
  {
    layer: 'core',
    files: ['main/core/**/*.ts'],
    paths: ['main/core/', 'shared/'],
    message:
      'main/core is pure: it imports only main/core and shared (no Node built-ins, no packages, no I/O).',
  },
  {
    layer: 'node',
    files: ['main/node/**/*.ts'],
    paths: product,
    nodeBuiltins: true,
    packages: ['better-sqlite3', 'node-schedule', 'commander', 'csv-parse', '@aws-sdk/client-sqs'],
    message:
      'main/node imports main/node, main/core, shared, Node built-ins and its I/O libraries; never main/sandbox (the host hands the demo to the runtime), main/electron, preload or the renderer.',
  },
  {
    layer: 'sandbox',
    files: ['main/sandbox/**/*.ts'],
    paths: ['main/sandbox/', ...product],
    nodeBuiltins: true,
    packages: ['better-sqlite3', 'ajv', 'ajv-formats', 'yaml'],
    message:
      'main/sandbox (simulators, the demo, the market simulation, stand-ins) imports main/sandbox, main/node, main/core and shared; never main/electron, preload or the renderer.',
  },
  {
    layer: 'the CLI and preview hosts',
    files: ['main/cli.ts', 'main/cli/**/*.ts', 'main/preview.ts'],
    paths: ['main/cli/', ...product, demo],
    nodeBuiltins: true,
    packages: ['commander'],
    message: `the hosts import main/node, main/core, shared and, to hand the demo to the runtime, ${demo} (nothing else of main/sandbox); never main/electron.`,
  },
  {
    layer: 'electron',
    files: ['main/electron/**/*.ts'],
    paths: ['main/electron/', ...product],
    nodeBuiltins: true,
    packages: ['electron', 'electron-updater', 'better-sqlite3'],
    message: `main/electron imports main/electron, main/node, main/core and shared; never main/sandbox (the Electron host's entry point, main/electron.ts, hands ${demo} to the runtime).`,
  },
  {
    layer: 'the Electron host',
    files: ['main/electron.ts'],
    paths: ['main/electron/', ...product, demo],
    nodeBuiltins: true,
    packages: ['electron', 'electron-updater'],
    message: `main/electron.ts imports main/electron, main/node, main/core, shared and ${demo} (nothing else of main/sandbox).`,
  },
  {
    layer: 'preload',
    files: ['preload/**/*.ts'],
    paths: ['preload/', 'shared/ipc-channels'],
    packages: ['electron'],
    importNames: { electron: ['contextBridge', 'ipcRenderer', 'IpcRendererEvent'] },
    message:
      "preload imports only electron's contextBridge and ipcRenderer, and the IPC method names (shared/ipc-channels).",
  },
  {
    layer: 'renderer',
    files: ['renderer/**/*.{ts,tsx}'],
    paths: ['renderer/', 'shared/'],
    packages: ['react', 'react-dom', 'zustand', '@tanstack/react-virtual', '@tanstack/react-table'],
    message:
      'the renderer imports renderer/, shared/ and its UI libraries (React, zustand, TanStack); never Node, Electron, main/ or preload.',
  },
]

const layerConfigs = layers.map(({ files, ignores, ...options }) => ({
  files,
  ...(ignores ? { ignores } : {}),
  rules: { 'layers/allowed-imports': ['error', options] },
}))

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
  { plugins: { layers: layersPlugin } },
  ...layerConfigs,
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
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

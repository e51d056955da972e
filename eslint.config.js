// ESLint flat config: typescript-eslint on every runtime, plus the layering rule that keeps the
// architecture honest (see docs/architecture.md): shared/ depends on nothing, the renderer and the
// service never import each other, main/ only talks to the service over HTTP; inside the service
// only service/src/http/ imports fastify.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import globals from 'globals';

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'stream', 'url', 'util', 'worker_threads'];

/** The shared folder has one name everywhere outside it: the path alias (path-alias.ts). */
const SHARED_BY_ALIAS = { group: ['../shared/*', '../**/shared/*', '../**/shared/**/*'], message: "Import the shared folder by its alias, '@shared/...' (path-alias.ts)." };

const SERVICE_LAYER = [
  SHARED_BY_ALIAS,
  { group: ['**/renderer/**', '**/main/**'], message: 'The service runs without the desktop app: import from shared/ only.' },
  { group: ['react', 'react-dom', '@mui/*', 'electron'], message: 'The service is headless.' },
];

const layer = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist/**', 'clients/typescript/dist/**', 'node_modules/**', 'release/**', '.scratch/**', 'sdk/python/**', 'bench/results/**', '**/*.d.ts',
    // Run inside a checkout of an earlier release to regenerate a fixture (see its header).
    'service/test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: layer([
      { group: ['**/service/**', '**/renderer/**', '**/main/**'], message: 'shared/ depends on nothing but itself.' },
      { group: NODE_BUILTINS, message: 'shared/ must run in browsers too: no Node built-ins.' },
      { group: ['react', 'react-dom', '@mui/*'], message: 'shared/ holds no UI code.' },
    ]),
    languageOptions: { globals: {} },
  },
  {
    files: ['service/**/*.ts'],
    rules: layer(SERVICE_LAYER),
    languageOptions: { globals: globals.node },
  },
  {
    // The HTTP layer in one folder: routes, hooks, the servers. The rest of the service (and the CLI
    // and cluster/ that start it) names the server through http/server-types.ts.
    files: ['service/src/**/*.ts'],
    ignores: ['service/src/http/**'],
    rules: layer([
      ...SERVICE_LAYER,
      {
        group: ['fastify', 'fastify/*', '@fastify/*', 'fastify-*'],
        message: 'Only service/src/http/ speaks HTTP: put routes and hooks there, and name the server by the types in http/server-types.ts elsewhere.',
      },
    ]),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...layer([
        SHARED_BY_ALIAS,
        { group: ['**/service/**', '**/main/**'], message: 'The renderer talks to the service over HTTP (shared/api/client.ts) and to main through window.fstore.' },
        { group: [...NODE_BUILTINS, 'electron'], message: 'The renderer runs sandboxed and in plain browsers: no Node or Electron imports.' },
      ]),
    },
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['main/**/*.{ts,cts,mts}'],
    rules: layer([
      SHARED_BY_ALIAS,
      { group: ['**/service/**', '**/renderer/**'], message: 'main/ starts the service as a process and loads the renderer as files; it imports neither.' },
    ]),
    languageOptions: { globals: globals.node },
  },
  {
    // Electron stays at the edge: everything else in main/ is plain Node, testable without it.
    files: ['main/**/*.{ts,cts,mts}'],
    ignores: ['main/main.ts', 'main/preload.cts'],
    rules: layer([
      SHARED_BY_ALIAS,
      { group: ['**/service/**', '**/renderer/**'], message: 'main/ starts the service as a process and loads the renderer as files; it imports neither.' },
      { group: ['electron'], message: 'Only main.ts and preload.cts import electron; keep logic in plain modules.' },
    ]),
  },
  {
    // No import cycles among the modules of the service, shared/ and main/ (import-x follows only
    // imports that bring values; type-only cycles are checked by scripts/check-import-cycles.mjs).
    files: ['service/src/**/*.ts', 'shared/**/*.ts', 'main/**/*.{ts,cts,mts}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': importX.flatConfigs.typescript.settings['import-x/extensions'],
      'import-x/parsers': importX.flatConfigs.typescript.settings['import-x/parsers'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['service/tsconfig.json', 'shared/tsconfig.json', 'main/tsconfig.json'], noWarnOnMultipleProjects: true })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
);

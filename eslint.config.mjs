import nx from '@nx/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';

// Layer rules (docs/architecture.md): the domain imports no framework and no store; stores know
// nothing of the domain; the application layer wires both; only apps see everything. The web UI
// (type:web) runs in the browser: a client of the HTTP API only, it imports nothing of the server
// side. The one lib it may import is the vocabulary (type:vocabulary): plain constants that import
// nothing, shared so that the forms check the limits the domain decides with.
export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  // The web UI's API types are generated from docs/openapi.json (npm run api:types), not written.
  { ignores: ['**/dist', '**/node_modules', '**/data', '**/tmp', '**/coverage', '.nx', 'apps/web/src/api/schema.d.ts'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          banTransitiveDependencies: true,
          depConstraints: [
            { sourceTag: 'type:vocabulary', onlyDependOnLibsWithTags: [], bannedExternalImports: ['*'] },
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain', 'type:vocabulary'],
              bannedExternalImports: [
                '@nestjs/*', 'better-sqlite3', '@eventstore/*', 'mongodb', 'express', 'pino*',
                'class-validator', 'class-transformer', 'node:*', 'fs', 'crypto', 'http',
              ],
            },
            {
              sourceTag: 'type:store',
              onlyDependOnLibsWithTags: ['type:store'],
              bannedExternalImports: ['@nestjs/*', 'express'],
            },
            {
              sourceTag: 'type:projection',
              onlyDependOnLibsWithTags: ['type:domain', 'type:vocabulary'],
              bannedExternalImports: [
                '@nestjs/*', 'better-sqlite3', '@eventstore/*', 'mongodb', 'express', 'pino*', 'node:*', 'fs', 'crypto', 'http',
              ],
            },
            {
              sourceTag: 'type:application',
              onlyDependOnLibsWithTags: ['type:vocabulary', 'type:domain', 'type:store', 'type:projection'],
              bannedExternalImports: ['@nestjs/*', 'express', 'better-sqlite3', '@eventstore/*', 'mongodb'],
            },
            {
              sourceTag: 'type:runtime',
              onlyDependOnLibsWithTags: ['type:vocabulary', 'type:domain', 'type:store', 'type:projection', 'type:application'],
              bannedExternalImports: ['@nestjs/*', 'express'],
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:vocabulary', 'type:domain', 'type:store', 'type:projection', 'type:application', 'type:runtime'],
            },
            {
              sourceTag: 'type:web',
              onlyDependOnLibsWithTags: ['type:vocabulary'],
              bannedExternalImports: [
                '@nestjs/*', 'express', 'better-sqlite3', '@eventstore/*', 'mongodb', 'pino*', 'nestjs-pino', 'class-validator',
                'class-transformer', 'jose', 'prom-client', '@wih/*', 'node:*', 'fs', 'crypto', 'http', 'path', 'child_process',
              ],
            },
            { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['apps/web/**/*.tsx', 'apps/web/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // The module boundaries rule does not see Node's built-in modules: the browser has none.
      'no-restricted-imports': ['error', { patterns: [{ regex: '^node:', message: 'the web UI runs in the browser' }], paths: ['fs', 'path', 'crypto', 'http', 'child_process', 'os'] }],
    },
  },
];

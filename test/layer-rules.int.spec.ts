import { createProjectGraphAsync } from '@nx/devkit';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/**
 * The layer rules are real: the lint step (part of `npm test`) refuses a domain file that imports
 * a framework or a store, and a store that imports the domain.
 */
const root = resolve(__dirname, '..');

/** Lints `code` as if it were `file`, with the project's own ESLint CLI and config. */
async function boundaryErrors(file: string, code: string, rule = '@nx/enforce-module-boundaries'): Promise<string[]> {
  const eslint = join(root, 'node_modules/eslint/bin/eslint.js');
  const run = spawnSync(process.execPath, [eslint, '--stdin', '--stdin-filename', file, '--format', 'json'], { cwd: root, input: code });
  const [result] = JSON.parse(run.stdout.toString()) as { messages: { ruleId: string | null; message: string }[] }[];
  return result.messages.filter((m) => m.ruleId === rule).map((m) => m.message);
}

beforeAll(async () => {
  process.env.NX_DAEMON = 'false';
  await createProjectGraphAsync({ exitOnError: false }); // the rule reads the cached project graph
}, 60_000);

it('refuses Nest, stores and node APIs in the domain', async () => {
  const errors = await boundaryErrors(
    'libs/domain/src/lib/planted.ts',
    [
      "import { Injectable } from '@nestjs/common';",
      "import { streamName } from '@wih/event-store';",
      "import Database from 'better-sqlite3';",
      'export const planted = [Injectable, streamName, Database];',
    ].join('\n'),
  );
  expect(errors).toEqual([
    expect.stringContaining('not allowed to import "@nestjs/common"'),
    expect.stringContaining('can only depend on libs tagged with "type:domain"'),
    expect.stringContaining('not allowed to import "better-sqlite3"'),
  ]);
}, 60_000);

it('refuses the domain in a store, and the application layer in the domain (a cycle)', async () => {
  expect(
    await boundaryErrors(
      'libs/event-store/src/lib/planted.ts',
      "import { decideCase } from '@wih/domain';\nexport const p = decideCase;\n",
    ),
  ).toEqual([expect.stringContaining('"type:store" can only depend on libs tagged with "type:store"')]);
  expect(
    await boundaryErrors(
      'libs/domain/src/lib/planted.ts',
      "import { receiveReferral } from '@wih/application';\nexport const p = receiveReferral;\n",
    ),
  ).toEqual([expect.stringContaining('Circular dependency between "domain" and "application"')]);
}, 60_000);

it('accepts what the layers allow', async () => {
  expect(
    await boundaryErrors(
      'libs/application/src/lib/planted.ts',
      "import { decideCase } from '@wih/domain';\nimport { streamName } from '@wih/event-store';\nexport const p = [decideCase, streamName];\n",
    ),
  ).toEqual([]);
}, 60_000);

it('keeps the web UI a client of the API: no lib but the vocabulary, no server package, no node API', async () => {
  const errors = await boundaryErrors(
    'apps/web/src/planted.tsx',
    [
      "import { decideCase } from '@wih/domain';",
      "import { Injectable } from '@nestjs/common';",
      "import { readFileSync } from 'node:fs';",
      'export const planted = [decideCase, Injectable, readFileSync];',
    ].join('\n'),
  );
  expect(errors).toEqual([
    expect.stringContaining('A project tagged with "type:web" can only depend on libs tagged with "type:vocabulary"'),
    expect.stringContaining('not allowed to import "@nestjs/common"'),
  ]);
  expect(
    await boundaryErrors(
      'apps/web/src/planted.tsx',
      "import { readFileSync } from 'node:fs';\nexport const p = readFileSync;\n",
      'no-restricted-imports',
    ),
  ).toEqual([expect.stringContaining('the web UI runs in the browser')]);
  expect(await boundaryErrors('apps/web/src/planted.tsx', "import { useState } from 'react';\nexport const p = useState;\n")).toEqual([]);
  expect(
    await boundaryErrors('apps/web/src/planted.tsx', "import { USER_ID } from '@wih/vocabulary';\nexport const p = USER_ID;\n"),
  ).toEqual([]);
}, 60_000);

it('keeps the vocabulary plain constants: it imports no lib and no package', async () => {
  expect(
    await boundaryErrors(
      'libs/vocabulary/src/planted.ts',
      "import { ROLES } from '@wih/domain';\nimport { useState } from 'react';\nexport const p = [ROLES, useState];\n",
    ),
  ).toEqual([
    expect.stringContaining('Circular dependency between "vocabulary" and "domain"'),
    expect.stringContaining('not allowed to import "react"'),
  ]);
}, 60_000);

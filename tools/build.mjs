// Compiles apps/, libs/ and tools/ to dist/ with swc: fast, keeps decorator metadata (Nest's DI
// needs it) and rewrites the tsconfig path aliases (@wih/*) into relative requires.
import { transformFile } from '@swc/core';
import { mkdir, readdir, rename, writeFile, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const { compilerOptions } = JSON.parse(await readFile(join(root, 'tsconfig.base.json'), 'utf8'));
const skip = /(\.spec\.ts|\.d\.ts)$/;

async function* sources(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith('.ts') && !skip.test(entry.name)) yield path;
  }
}

const options = (file) => ({
  filename: file,
  sourceMaps: true,
  module: { type: 'commonjs' },
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    keepClassNames: true,
    baseUrl: root,
    paths: compilerOptions.paths,
  },
});

/** Write-then-rename: a process starting from dist/ while another build runs never reads half a file. */
async function writeAtomically(file, text) {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, file);
}

let count = 0;
for (const top of ['apps', 'libs', 'tools']) {
  for await (const file of sources(join(root, top))) {
    const out = join(root, 'dist', relative(root, file)).replace(/\.ts$/, '.js');
    const { code, map } = await transformFile(file, options(file));
    await mkdir(dirname(out), { recursive: true });
    await writeAtomically(out, `${code}\n//# sourceMappingURL=${out.split('/').pop()}.map\n`);
    if (map) await writeAtomically(`${out}.map`, map);
    count++;
  }
}
if (process.env.npm_config_loglevel !== 'silent') console.error(`built ${count} files into dist/`);

// Compiles apps/, libs/ and tools/ to dist/ with swc: fast, keeps decorator metadata (Nest's DI
// needs it) and rewrites the tsconfig path aliases (@wih/*) into relative requires. Then builds
// the web UI with Vite into dist/apps/web, only when its sources changed (keeps `npm start` quick).
import { transformFile } from '@swc/core';
import { mkdir, readdir, rename, rm, stat, writeFile, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const { compilerOptions } = JSON.parse(await readFile(join(root, 'tsconfig.base.json'), 'utf8'));
const skip = /(\.spec\.ts|\.d\.ts)$/;
/** Built by Vite (the browser app) or never run from dist (its browser tests). */
const skipDirs = new Set([join(root, 'apps/web'), join(root, 'apps/web-e2e')]);

async function* sources(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) { if (!skipDirs.has(path)) yield* sources(path); }
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
const quiet = process.env.npm_config_loglevel === 'silent';
if (!quiet) console.error(`built ${count} files into dist/`);
if (await buildWebIfStale() && !quiet) console.error('built the web UI into dist/apps/web/');

async function newestChange(path) {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) if (!entry.endsWith('.spec.tsx') && !entry.endsWith('.spec.ts')) newest = Math.max(newest, await newestChange(join(path, entry)));
  return newest;
}

/**
 * Vite builds into a fresh folder that then replaces dist/apps/web in one rename, so a running API
 * (or a second build at the same time) never serves a half-written UI.
 */
async function buildWebIfStale() {
  const web = join(root, 'apps/web');
  const out = join(root, 'dist/apps/web');
  const built = await stat(join(out, '.vite/manifest.json')).then((s) => s.mtimeMs, () => 0);
  // The vocabulary is the one lib the web imports (its bundle holds it).
  const inputs = ['src', 'index.html', 'vite.config.mts'].map((p) => join(web, p))
    .concat(join(root, 'libs/vocabulary/src'), join(root, 'package-lock.json'));
  const changed = Math.max(...await Promise.all(inputs.map(newestChange)));
  if (built > changed) return false;
  // A production bundle whatever NODE_ENV the caller has (jest sets "test": Vite would build React's development bundle).
  process.env.NODE_ENV = 'production';
  const { build } = await import('vite');
  const temp = `${out}.${process.pid}.tmp`;
  await build({ configFile: join(web, 'vite.config.mts'), mode: 'production', logLevel: quiet ? 'error' : 'warn', build: { outDir: temp } });
  const old = `${out}.${process.pid}.old`;
  await rename(out, old).catch(() => undefined);
  await rename(temp, out).catch(() => rm(temp, { recursive: true, force: true })); // another build won the race
  await rm(old, { recursive: true, force: true });
  return true;
}

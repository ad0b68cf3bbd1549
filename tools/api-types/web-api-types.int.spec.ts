import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The web UI compiles against types generated from the committed contract (decision 0034). When
 * docs/openapi.json changes and the generated file does not follow, the UI would compile against
 * the old API: this test fails instead, until `npm run api:types` is run and the UI compiles again.
 */
it('has committed the types the generator makes from the committed OpenAPI document (run `npm run api:types`)', () => {
  const generated = execFileSync(process.execPath, [join(__dirname, 'generate.mjs')], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  // Compared as text: any difference (a field, a status, a description) means the UI lags behind the contract.
  expect(readFileSync(join(__dirname, '../../apps/web/src/api/schema.d.ts'), 'utf8')).toBe(generated);
});

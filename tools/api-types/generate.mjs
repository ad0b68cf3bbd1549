// The web UI's API types, made by openapi-typescript's Node API from docs/openapi.json (decision
// 0034). `npm run api:types` writes them (--write); without it they are printed, which is how
// their test compares them: the generator is an ES module that jest's CommonJS runtime cannot load.
import { readFileSync, writeFileSync } from 'node:fs';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

// Objects without declared properties (timeline entry data) are `unknown`s, not `never`s; a
// request field with a default (the caseload's `limit`) stays optional for the client.
const OPTIONS = { emptyObjectsUnknown: true, defaultNonNullable: false, silent: true };
const SCHEMA = new URL('../../apps/web/src/api/schema.d.ts', import.meta.url);

const document = readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8');
const types = COMMENT_HEADER + astToString(await openapiTS(document, OPTIONS));
if (process.argv.includes('--write')) writeFileSync(SCHEMA, types);
else process.stdout.write(types);

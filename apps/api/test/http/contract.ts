import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Answer, TestApi } from './harness';

// The committed OpenAPI document as the contract the answers are checked against (decision 0031):
// openapi.e2e.spec.ts keeps it equal to the running app's, this checks every answer of a suite
// that opts in (status, media type and body), so an answer that drifts from it fails a test.

export const DOCUMENT_PATH = join(__dirname, '..', '..', '..', '..', 'docs', 'openapi.json');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an OpenAPI document, walked path by path
type Doc = any;
let loaded: Doc | undefined;
export const contractDocument = (): Doc => (loaded ??= JSON.parse(readFileSync(DOCUMENT_PATH, 'utf8')));

/** Routes outside the contract: the viewer and the document, metrics, the development sign-in, the web UI. */
const OUTSIDE = /^\/(?:api\/docs|api\/openapi\.(?:json|yaml)|metrics|api\/dev\/)|^\/(?!api\/|health$)/;

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('binary', true);
const validators = new Map<string, ValidateFunction>();
const validatorOf = (key: string, schema: object): ValidateFunction => {
  let validate = validators.get(key);
  if (!validate) {
    // The document's components beside the schema, so that `#/components/schemas/…` resolves.
    validate = ajv.compile({ ...schema, components: contractDocument().components });
    validators.set(key, validate);
  }
  return validate;
};

const templates = (): { path: string; pattern: RegExp }[] =>
  Object.keys(contractDocument().paths)
    // Fixed segments before parameters: /api/caseload/search is not /api/cases/{id}.
    .sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0))
    .map((path) => ({ path, pattern: new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`) }));

/** Problems of one answer against the document; empty when it is one the document declares. */
export function contractProblems(method: string, url: string, answer: Answer): string[] {
  const path = url.split('?')[0];
  const template = templates().find(({ pattern }) => pattern.test(path))?.path;
  const operation = template ? contractDocument().paths[template][method.toLowerCase()] : undefined;
  if (!operation) {
    // An unknown route or method answers 404/405 `not-found`: nothing to declare.
    if (OUTSIDE.test(path) || answer.status === 404 || answer.status === 405) return [];
    return [`${method} ${path} is not in the document`];
  }
  const response = operation.responses[String(answer.status)] ?? operation.responses.default;
  if (!response) return [`${method} ${template}: status ${answer.status} is not declared`];
  const media = (answer.headers.get('content-type') ?? '').split(';')[0].trim();
  if (!response.content) return answer.text === '' ? [] : [`${method} ${template} ${answer.status}: declares no body, got ${media}`];
  const declared = response.content[media];
  if (!declared) return [`${method} ${template} ${answer.status}: media type ${media || 'none'} is not declared`];
  if (!/json$/.test(media) || !declared.schema) return [];
  const validate = validatorOf(`${method} ${template} ${answer.status} ${media}`, declared.schema);
  if (validate(answer.body)) return [];
  return (validate.errors ?? []).map((e) => `${method} ${template} ${answer.status}: ${e.instancePath || '/'} ${e.message}`);
}

/** Every answer this TestApi receives from now on is checked against the document; a mismatch fails the request. */
export function checkAnswersAgainstDocument(api: TestApi): TestApi {
  api.onAnswer = (method, url, answer) => {
    const problems = contractProblems(method, url, answer);
    if (problems.length) throw new Error(`the answer does not match docs/openapi.json:\n${problems.join('\n')}`);
  };
  return api;
}

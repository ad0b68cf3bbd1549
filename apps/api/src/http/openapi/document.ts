import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ANSWER_SCHEMAS } from './answers';

/**
 * The OpenAPI document (decision 0031): Nest's scan of the routes, completed with the answer
 * schemas and made as strict as the server. Committed as docs/openapi.json; a test keeps the two
 * equal and lints it.
 */
export function buildDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Wohnintegrationshilfe API')
      .setDescription('Case management for the Wohnintegrationshilfe Köln (see API.md). Errors are RFC 9457 problem details.')
      .setVersion('1')
      .addServer('/', 'this server')
      .addBearerAuth()
      // Every operation needs a token unless it says `security: []` (the public routes).
      .addSecurityRequirements('bearer')
      .build(),
  );
  const schemas = { ...document.components?.schemas, ...ANSWER_SCHEMAS };
  refuseUnknownFields(document, schemas);
  return { ...document, components: { ...document.components, schemas } };
}

/**
 * The validation pipe refuses unknown fields (forbidNonWhitelisted): every schema a request body
 * reaches says so with `additionalProperties: false`.
 */
function refuseUnknownFields(document: OpenAPIObject, schemas: Record<string, unknown>): void {
  const seen = new Set<string>();
  const visit = (schema: unknown): void => {
    if (!schema || typeof schema !== 'object') return;
    const { $ref } = schema as { $ref?: string };
    if ($ref) {
      const name = $ref.replace('#/components/schemas/', '');
      if (seen.has(name)) return;
      seen.add(name);
      const target = schemas[name] as Record<string, unknown> | undefined;
      if (target?.type === 'object' || target?.properties) target.additionalProperties = false;
      visit(target);
      return;
    }
    for (const value of Object.values(schema)) visit(value);
  };
  for (const methods of Object.values(document.paths)) {
    for (const operation of Object.values(methods) as { requestBody?: unknown }[]) visit(operation?.requestBody);
  }
}

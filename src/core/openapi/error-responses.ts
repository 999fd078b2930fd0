import type { OpenAPIObject } from '@nestjs/swagger';

type Schema = Record<string, unknown>;
interface Operation {
  parameters?: { in: string }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const ERROR_SCHEMA_NAME = 'ErrorResponseDto';

/** The admin API's one error body (`AllExceptionsFilter`). */
const ERROR_SCHEMA: Schema = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    message: { type: 'string' },
    details: { description: 'Field errors (`[{field, messages}]`) or a machine-readable `code` and its data' },
    requestId: { type: 'string' },
  },
};

/**
 * Adds the answers every admin operation can give but no controller repeats: 400 when it takes any
 * input (unknown or invalid fields), 404 when its path names a resource, 429 from the per-address
 * limit, all with the shared error body. Bodies whose schema requires nothing are marked optional
 * (the validation pipe treats a missing body as `{}`). Found by the Schemathesis run (issue 15).
 * `null` is accepted only where a property says `nullable` (core/http/null-fields.ts).
 */
export function documentErrorResponses(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas[ERROR_SCHEMA_NAME] = ERROR_SCHEMA;
  nullInNullableEnums(document);
  const schemas = document.components.schemas as Record<string, Schema>;
  for (const pathItem of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = (pathItem as Record<string, Operation | undefined>)[method];
      if (operation) documentOperation(operation, schemas);
    }
  }
  return document;
}

function documentOperation(operation: Operation, schemas: Record<string, Schema>): void {
  const { responses } = operation;
  const hasInput = (operation.parameters?.length ?? 0) > 0 || operation.requestBody !== undefined;
  if (hasInput) responses['400'] ??= { description: 'Invalid input: `details` names each field and what is wrong' };
  if (operation.parameters?.some((p) => p.in === 'path')) responses['404'] ??= { description: 'Not found' };
  responses['429'] ??= { description: 'Too many requests from this address; retry after `Retry-After` seconds' };
  for (const [status, response] of Object.entries(responses)) {
    if (Number(status) >= 400 && !response.content) {
      response.content = { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA_NAME}` } } };
    }
  }
  const body = operation.requestBody;
  const bodySchema = body?.content?.['application/json']?.schema;
  if (body && bodySchema && !requiresAnything(bodySchema, schemas)) body.required = false;
}

function requiresAnything(schema: Schema, schemas: Record<string, Schema>): boolean {
  const ref = schema.$ref;
  const resolved = typeof ref === 'string' ? schemas[ref.replace('#/components/schemas/', '')] : schema;
  if (!resolved) return true;
  if (resolved.type === 'array') return true;
  return Array.isArray(resolved.required) && resolved.required.length > 0;
}

/**
 * OpenAPI 3.0: `nullable: true` does not admit `null` into an `enum` unless the list has it, so a
 * nullable enum (`defaultRole`, the runtime settings) listed without `null` refuses its own null.
 */
function nullInNullableEnums(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) nullInNullableEnums(item);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const schema = value as Schema;
  if (schema.nullable === true && Array.isArray(schema.enum) && !schema.enum.includes(null)) {
    schema.enum = [...(schema.enum as unknown[]), null];
  }
  for (const child of Object.values(schema)) nullInNullableEnums(child);
}

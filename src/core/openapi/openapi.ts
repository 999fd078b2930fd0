import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

import { documentErrorResponses } from './error-responses';

/** Builds the admin API document (gateway controllers are excluded from it). */
export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Model Prism admin API')
    .setDescription(
      'Administration API of Model Prism: providers, models, tenants and keys, routing, analytics, users and ' +
        'system settings. Every route requires a JWT (Bearer or session cookie) with the permission named on it.',
    )
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'jwt')
    .addCookieAuth('prism_session', { type: 'apiKey', in: 'cookie', name: 'prism_session' }, 'cookie')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey: string, methodKey: string) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  return sortDocument(documentErrorResponses(document));
}

/** Sorts object keys recursively so the checked-in spec is byte-stable; arrays keep their order. */
export function sortDocument<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => sortDocument(v)) as T;
  if (value && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortDocument((value as Record<string, unknown>)[key]);
    return sorted as T;
  }
  return value;
}

export function serializeDocument(document: OpenAPIObject): string {
  return JSON.stringify(document, null, 2) + '\n';
}

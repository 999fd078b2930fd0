import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createApp } from '../../src/app.factory';
import { type AppConfig, loadConfig } from '../../src/core/config';
import { registeredRoutes, type RegisteredRoute } from '../../src/core/http/route-registry';

export const TEST_JWT_SECRET = 'test-jwt-secret-that-is-long-enough-0123456789';
export const TEST_ENCRYPTION_KEY = '0'.repeat(63) + '1';

/** Config for a test app: the per-file test database, quiet logs, fixed secrets. */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    NODE_ROLE: 'full',
    JWT_SECRET: TEST_JWT_SECRET,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    // The mock upstream listens on 127.0.0.1 (the SSRF guard refuses loopback unless allowed).
    PROVIDER_URL_ALLOW: 'loopback',
    ...overrides,
  });
}

/** Boots a ready (not listening) app; use `app.inject()` or `listenOnRandomPort(app)`. */
export async function startTestApp(overrides: Record<string, string> = {}): Promise<NestFastifyApplication> {
  const app = await createApp(testConfig(overrides));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** Listens on 127.0.0.1 with a free port; returns the base URL (for SDK clients). */
export async function listenOnRandomPort(app: NestFastifyApplication): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('app is not listening on TCP');
  return `http://127.0.0.1:${address.port}`;
}

export function routesOf(app: NestFastifyApplication): readonly RegisteredRoute[] {
  return registeredRoutes(app.getHttpAdapter().getInstance());
}

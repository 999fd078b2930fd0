import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';

import { AppModule } from './app.module';
import { type AppConfig } from './core/config/app-config';
import { AllExceptionsFilter } from './core/http/all-exceptions.filter';
import { ClientIpResolver } from './core/http/client-ip';
import { lingerAfterAnswer } from './core/http/lingering-close';
import { OutboundGuard, setOutboundGuard } from './core/http/outbound-guard';
import { trackRoutes } from './core/http/route-registry';
import { registerSecurityHeaders } from './core/http/security-headers';
import { defaultUiDistDir, serveAdminUi } from './core/http/spa';
import { createValidationPipe } from './core/http/validation';
import { createRootLogger, PinoLoggerService } from './core/logging/pino-logger';
import { buildOpenApiDocument } from './core/openapi/openapi';
import { registerHttpMetrics } from './modules/system/http-metrics';
import { APP_VERSION } from './modules/system/pod-identity';
import { requestIdOf } from './modules/system/request-id';
import { RuntimeSettingsService } from './modules/system/settings/runtime-settings.service';

export { APP_VERSION } from './modules/system/pod-identity';

/** Requests larger than this are refused with 413 (chat requests with images fit comfortably). */
const BODY_LIMIT_BYTES = 20 * 1024 * 1024;

export interface CreateAppOptions {
  logger?: Logger;
  /** Build the module graph without instantiating providers or connecting (OpenAPI generator). */
  bare?: boolean;
}

/** Builds (but does not listen) the Fastify-based Nest app for config.role; used by main and tests. */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  // Loopback stays reachable outside production (a local Ollama, the tests' mock upstream).
  setOutboundGuard(new OutboundGuard(config.providerUrlAllow, !config.isProduction));
  const rootLogger = options.logger ?? createRootLogger(config.logLevel, false);
  const logger = new PinoLoggerService(rootLogger);
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // X-Forwarded-For only from the peers TRUST_PROXY names; the lean gateway path and the audit
    // log use the same trust function through ClientIpResolver.
    trustProxy: config.trustProxy.mode === 'off' ? false : new ClientIpResolver(config.trustProxy).trust,
    genReqId: requestIdOf,
    // Slow clients may stream for minutes; idle sockets are still closed by keepAliveTimeout.
    requestTimeout: 0,
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRole(config), adapter, {
    logger,
    bufferLogs: false,
    abortOnError: false,
    preview: options.bare === true,
  });
  const fastify = app.getHttpAdapter().getInstance();
  trackRoutes(fastify);
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    // Refused before its body was read: close without resetting a client that is still sending.
    if (reply.statusCode === 413) lingerAfterAnswer(request.raw);
    done(null, payload);
  });
  registerHttpMetrics(fastify);
  registerSecurityHeaders(fastify, { hstsMaxAgeSeconds: config.hstsMaxAgeSeconds });

  if (config.corsOrigins.length > 0) {
    const wildcard = config.corsOrigins.includes('*');
    // A reflected `*` with credentials would let any site act as a logged-in admin.
    app.enableCors({ origin: wildcard ? '*' : config.corsOrigins, credentials: !wildcard });
  }

  app.useGlobalPipes(createValidationPipe());
  const servesAdmin = config.role !== 'worker';
  const spaFallback =
    servesAdmin && !options.bare
      ? await serveAdminUi(app, config.uiDistDir ?? defaultUiDistDir())
      : undefined;
  app.useGlobalFilters(new AllExceptionsFilter(logger, spaFallback));
  app.enableShutdownHooks();

  if (servesAdmin && !options.bare) {
    SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app, APP_VERSION), {
      jsonDocumentUrl: 'api/docs/openapi.json',
      customSiteTitle: 'Model Prism admin API',
    });
  }
  if (!options.bare) {
    // The log level is a cluster-wide runtime setting: follow it when an admin changes it.
    app.get(RuntimeSettingsService).onChange((settings) => {
      rootLogger.level = settings.logLevel;
    });
  }
  for (const warning of config.warnings) rootLogger.warn(warning);
  return app;
}

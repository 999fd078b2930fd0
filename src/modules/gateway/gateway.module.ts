import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

import { AppConfig } from '../../core/config/app-config';
import { ClientIpResolver } from '../../core/http/client-ip';
import { AnalyticsModule } from '../analytics/analytics.module';
import { AnalyticsRepository } from '../analytics/analytics.repository';
import { LimitsModule } from '../limits/limits.module';
import { UsageLedger } from '../limits/usage-ledger';
import { ProviderAdaptersModule } from '../providers/adapters/provider-adapters.module';
import { ProvidersModule } from '../providers/providers.module';
import { RoutingCatalog } from '../routing/catalog/routing-catalog';
import { RoutingModule } from '../routing/routing.module';
import { RoutingTraceModule } from '../routing/trace/routing-trace.module';
import { RoutingTraceWriter } from '../routing/trace/routing-trace.writer';
import { TenantsModule } from '../tenants/tenants.module';
import { ProviderAdapterRegistry } from '../providers/adapters/provider-adapter';
import {
  ControlPlaneConfigSource,
  GATEWAY_CONFIG_SOURCE,
  type GatewayConfigSource,
} from './config/gateway-config.source';
import { installLeanDataPlane } from './gateway.lean-http';
import { registerAnthropicMessagesRoutes } from './ingress/anthropic-messages.routes';
import { registerOpenAIRoutes } from './ingress/openai.routes';
import { GatewayService } from './gateway.service';
import { GatewaySettings } from './gateway.settings';
import { EngineRouter } from './routing/engine-router';
import { GATEWAY_ROUTER, type GatewayRouter } from './routing/gateway-router';

/**
 * The OpenAI-compatible gateway (worker role): `/api/:tenant/v1/*`, `/api/v1/*`, `/v1/*`. Routes
 * are registered straight on Fastify (see ingress/openai.routes.ts), so there is no Nest controller and
 * nothing of it appears in the admin OpenAPI document.
 */
@Module({
  imports: [
    TenantsModule,
    ProvidersModule,
    ProviderAdaptersModule,
    AnalyticsModule,
    LimitsModule,
    RoutingModule,
    RoutingTraceModule,
  ],
  providers: [
    GatewaySettings,
    { provide: GATEWAY_CONFIG_SOURCE, useClass: ControlPlaneConfigSource },
    {
      provide: GATEWAY_ROUTER,
      inject: [GATEWAY_CONFIG_SOURCE, ProviderAdapterRegistry, RoutingCatalog, RoutingTraceWriter],
      useFactory: (
        source: GatewayConfigSource,
        adapters: ProviderAdapterRegistry,
        catalog: RoutingCatalog,
        traces: RoutingTraceWriter,
      ): GatewayRouter => new EngineRouter(catalog, source, adapters, catalog.engine, traces),
    },
    {
      provide: UsageLedger,
      inject: [AnalyticsRepository, GatewaySettings],
      useFactory: (repository: AnalyticsRepository, settings: GatewaySettings) =>
        new UsageLedger(repository, settings.usageRefreshMs),
    },
    GatewayService,
  ],
  exports: [GatewayService, GatewaySettings],
})
export class GatewayModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(GatewayService) private readonly gateway: GatewayService,
    private readonly config: AppConfig,
    private readonly clientIp: ClientIpResolver,
  ) {}

  onModuleInit(): void {
    const httpAdapter = this.adapterHost.httpAdapter as { getInstance?: () => unknown } | undefined;
    const fastify = httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    // Absent when the module graph is built without an HTTP server (OpenAPI generation).
    if (!fastify || typeof fastify.route !== 'function') return;
    registerOpenAIRoutes(fastify, this.gateway);
    registerAnthropicMessagesRoutes(fastify, this.gateway);
    // The POST data-plane routes are served from the server's request event (gateway.lean-http.ts).
    installLeanDataPlane(fastify, this.gateway, {
      cors: this.config.corsOrigins.length > 0,
      clientIp: this.clientIp,
    });
  }
}

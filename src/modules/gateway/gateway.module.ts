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
import { EngineRouter } from '../routing/router/engine-router';
import { RoutingModule } from '../routing/routing.module';
import { TenantsModule } from '../tenants/tenants.module';
import { TenantModelIndexModule } from './config/tenant-model-index.module';
import { installLeanDataPlane } from './gateway.lean-http';
import { GatewayService } from './gateway.service';
import { GatewaySettings } from './gateway.settings';
import { registerAnthropicMessagesRoutes } from './ingress/anthropic-messages.routes';
import { registerOpenAIRoutes } from './ingress/openai.routes';
import { GATEWAY_ROUTER } from './pipeline/stages/routing.stage';
import { GatewayTracing } from './telemetry/gateway-tracing';

/**
 * The gateway pipeline without any route: the worker's data plane (GatewayModule) and the control
 * plane's playground (PlaygroundAdminModule) share this one GatewayService per pod.
 */
@Module({
  imports: [
    TenantsModule,
    ProvidersModule,
    ProviderAdaptersModule,
    AnalyticsModule,
    LimitsModule,
    RoutingModule,
    // The config source and tenant model indexes, shared with the routing admin tools.
    TenantModelIndexModule,
  ],
  providers: [
    GatewaySettings,
    // The routing module's one router (shared with the dry run, suites and replay).
    { provide: GATEWAY_ROUTER, useExisting: EngineRouter },
    {
      provide: UsageLedger,
      inject: [AnalyticsRepository, GatewaySettings],
      useFactory: (repository: AnalyticsRepository, settings: GatewaySettings) =>
        new UsageLedger(repository, settings.usageRefreshMs),
    },
    GatewayTracing,
    GatewayService,
  ],
  exports: [GatewayService, GatewaySettings],
})
export class GatewayCoreModule {}

/**
 * The OpenAI-compatible gateway (worker role): `/api/:tenant/v1/*`, `/api/v1/*`, `/v1/*`. Routes
 * are registered straight on Fastify (see ingress/openai.routes.ts), so there is no Nest controller and
 * nothing of it appears in the admin OpenAPI document.
 */
@Module({
  imports: [GatewayCoreModule],
  exports: [GatewayCoreModule],
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
    // On shutdown, stop accepting connections before draining: a load balancer (nginx, a Service
    // whose endpoint is not yet removed) then gets "connection refused" and uses another pod
    // instead of receiving 503 shutting_down; requests already on open connections still finish.
    this.gateway.onDrain(() => {
      if (fastify.server.listening) fastify.server.close();
    });
    installLeanDataPlane(fastify, this.gateway, {
      cors: this.config.corsOrigins.length > 0,
      clientIp: this.clientIp,
    });
  }
}

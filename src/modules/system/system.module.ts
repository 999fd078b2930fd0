import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';

import { DatabaseHealthIndicator } from './database.health';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';

/** Health probes and `/metrics`; loaded in every role. */
@Module({
  imports: [
    TerminusModule.forRoot({ errorLogStyle: 'json', logger: false }),
    PrometheusModule.register({
      path: '/metrics',
      controller: MetricsController,
      defaultMetrics: { enabled: true },
    }),
  ],
  controllers: [HealthController],
  providers: [DatabaseHealthIndicator],
})
export class SystemModule {}

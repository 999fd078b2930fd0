import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';

import { PodActivity } from './activity/pod-activity.service';
import { DatabaseHealthIndicator } from './database.health';
import { HealthController } from './health.controller';
import { JobLeaseStore } from './jobs/job-lease.store';
import { LeasedJobsService } from './jobs/leased-jobs.service';
import { MetricsController } from './metrics.controller';
import { PodIdentity } from './pod-identity';
import { HeartbeatWriter } from './pods/heartbeat.writer';
import { PodHeartbeatRepository } from './pods/pod-heartbeat.repository';
import { PodsService } from './pods/pods.service';
import { RuntimeSettingsRepository } from './settings/runtime-settings.repository';
import { RuntimeSettingsService } from './settings/runtime-settings.service';

/**
 * Health probes, `/metrics`, the pod's identity and heartbeat, cluster-wide runtime settings and
 * leased jobs;
 * loaded in every role and global, so any module can inject RuntimeSettingsService and
 * LeasedJobsService. Admin routes are in SystemAdminModule.
 */
@Global()
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
  providers: [
    DatabaseHealthIndicator,
    PodIdentity,
    JobLeaseStore,
    LeasedJobsService,
    RuntimeSettingsRepository,
    RuntimeSettingsService,
    PodActivity,
    PodHeartbeatRepository,
    HeartbeatWriter,
    PodsService,
  ],
  exports: [PodIdentity, LeasedJobsService, RuntimeSettingsService, PodActivity, PodsService],
})
export class SystemModule {}

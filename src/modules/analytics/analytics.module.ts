import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { CryptoModule } from '../../common/crypto/crypto.module';
import { AppConfig } from '../../core/config/app-config';
import { AnalyticsRetention } from './analytics-retention.service';
import { AnalyticsWriter } from './analytics-writer.service';
import { AnalyticsRepository } from './analytics.repository';
import { RequestLogCompaction } from './request-log.compaction.service';
import { RequestLogMigration } from './request-log.migration.service';
import { RequestLogRepository } from './request-log.repository';
import { RequestLog, RequestLogSchema } from './request-log.schema';
import { RequestLogStore } from './request-log.store';
import { RequestPrompt, RequestPromptSchema } from './request-prompt.schema';
import { RollupDayCache } from './rollup-day-cache';
import { RollupEpochs } from './rollup-epochs';
import { RollupRebuildService } from './rollup-rebuild.service';
import { UsageQueryService } from './usage-query.service';
import { UsageRollupRepository } from './usage-rollup.repository';

/** Provided and exported: the other modules read and write analytics through these. */
const ANALYTICS_SERVICES = [
  AnalyticsRepository,
  AnalyticsWriter,
  UsageRollupRepository,
  UsageQueryService,
  RequestLogRepository,
  RequestLogStore,
  RollupRebuildService,
  AnalyticsRetention,
];

/** Request logs, usage rollups and logged prompts: the batched writer, the repositories and the rollup queries. */
@Module({
  imports: [
    CryptoModule,
    MongooseModule.forFeature([
      { name: RequestLog.name, schema: RequestLogSchema },
      { name: RequestPrompt.name, schema: RequestPromptSchema },
    ]),
  ],
  providers: [
    RollupEpochs,
    {
      provide: RollupDayCache,
      useFactory: (config: AppConfig) => new RollupDayCache(config.analyticsCacheMb * 1024 * 1024),
      inject: [AppConfig],
    },
    ...ANALYTICS_SERVICES,
    RequestLogCompaction,
    RequestLogMigration,
  ],
  exports: ANALYTICS_SERVICES,
})
export class AnalyticsModule {}

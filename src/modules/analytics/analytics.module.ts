import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { CryptoModule } from '../../common/crypto/crypto.module';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsWriter } from './analytics-writer.service';
import { DailyRollup, DailyRollupSchema } from './daily-rollup.schema';
import { RequestLog, RequestLogSchema } from './request-log.schema';
import { RequestPrompt, RequestPromptSchema } from './request-prompt.schema';

/** Request logs, daily rollups and logged prompts: the batched writer and the repository. */
@Module({
  imports: [
    CryptoModule,
    MongooseModule.forFeature([
      { name: RequestLog.name, schema: RequestLogSchema },
      { name: DailyRollup.name, schema: DailyRollupSchema },
      { name: RequestPrompt.name, schema: RequestPromptSchema },
    ]),
  ],
  providers: [AnalyticsRepository, AnalyticsWriter],
  exports: [AnalyticsRepository, AnalyticsWriter],
})
export class AnalyticsModule {}

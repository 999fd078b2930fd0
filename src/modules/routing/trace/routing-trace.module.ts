import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { RoutingTraceRepository } from './routing-trace.repository';
import { RoutingTrace, RoutingTraceSchema } from './routing-trace.schema';
import { RoutingTraceWriter } from './routing-trace.writer';

/** Routing traces of auto-routed requests: the batched writer (gateway) and the repository. */
@Module({
  imports: [MongooseModule.forFeature([{ name: RoutingTrace.name, schema: RoutingTraceSchema }])],
  providers: [RoutingTraceRepository, RoutingTraceWriter],
  exports: [RoutingTraceRepository, RoutingTraceWriter],
})
export class RoutingTraceModule {}

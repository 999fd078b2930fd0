import { Global, Module } from '@nestjs/common';

import { ConfigChangeBus } from './config-change.bus';
import { ConfigStateStore, MongoConfigStateStore } from './config-state.store';

/** The cross-pod `ConfigChanged` signal; global so every cache can subscribe. */
@Global()
@Module({
  providers: [{ provide: ConfigStateStore, useClass: MongoConfigStateStore }, ConfigChangeBus],
  exports: [ConfigChangeBus],
})
export class ConfigSyncModule {}

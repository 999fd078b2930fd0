import { Module } from '@nestjs/common';

import { PodsController } from './pods/pods.controller';
import { ProviderHealthController } from './provider-health/provider-health.controller';
import { RuntimeSettingsController } from './settings/runtime-settings.controller';

/** `admin/system/*` routes (control role only); the services live in the global SystemModule. */
@Module({
  controllers: [PodsController, ProviderHealthController, RuntimeSettingsController],
})
export class SystemAdminModule {}

import { Module } from '@nestjs/common';

import { RuntimeSettingsController } from './settings/runtime-settings.controller';

/** `admin/system/*` routes (control role only); the services live in the global SystemModule. */
@Module({
  controllers: [RuntimeSettingsController],
})
export class SystemAdminModule {}

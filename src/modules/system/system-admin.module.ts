import { Module } from '@nestjs/common';

import { CryptoModule } from '../../common/crypto/crypto.module';
import { PodsController } from './pods/pods.controller';
import { ProviderHealthController } from './provider-health/provider-health.controller';
import { RuntimeSettingsController } from './settings/runtime-settings.controller';
import { SettingsTransferController } from './transfer/settings-transfer.controller';
import { SettingsTransferRepository } from './transfer/settings-transfer.repository';
import { SettingsTransferService } from './transfer/settings-transfer.service';

/** `admin/system/*` routes (control role only); the services live in the global SystemModule. */
@Module({
  imports: [CryptoModule],
  controllers: [
    PodsController,
    ProviderHealthController,
    RuntimeSettingsController,
    SettingsTransferController,
  ],
  providers: [SettingsTransferRepository, SettingsTransferService],
})
export class SystemAdminModule {}

import { Module } from '@nestjs/common';

import { TenantsModule } from '../tenants/tenants.module';
import { GatewayCoreModule } from './gateway.module';
import { PlaygroundController } from './playground/playground.controller';
import { PlaygroundService } from './playground/playground.service';

/** `admin/playground/*` (control role): the gateway pipeline behind the console's session. */
@Module({
  imports: [GatewayCoreModule, TenantsModule],
  controllers: [PlaygroundController],
  providers: [PlaygroundService],
})
export class PlaygroundAdminModule {}

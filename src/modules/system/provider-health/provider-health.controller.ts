import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { AdminRoute, Permission } from '../../auth/rbac';
import { UPSTREAM_WINDOW_MINUTES } from '../activity/pod-activity.service';
import { PodsService } from '../pods/pods.service';
import { ProviderHealthResponseDto } from './dto/provider-health.dto';
import { summarizeProviderHealth } from './provider-health';

/** Provider and model health across the cluster, from the live pods' heartbeats. */
@ApiTags('system')
@Controller('api/prism/admin/system/providers/health')
export class ProviderHealthController {
  constructor(private readonly pods: PodsService) {}

  @Get()
  @AdminRoute(Permission.SystemRead, { ok: ProviderHealthResponseDto })
  async get(): Promise<ProviderHealthResponseDto> {
    const live = (await this.pods.list()).filter((p) => p.status === 'live');
    return {
      items: summarizeProviderHealth(live),
      windowMinutes: UPSTREAM_WINDOW_MINUTES,
      livePods: live.length,
      generatedAt: new Date(),
    };
  }
}

import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { SkipAudit } from '../../audit/audited.decorator';
import { AdminRoute, Permission } from '../../auth/rbac';
import { RoutingReplayDto, RoutingReplayResponseDto } from './dto/replay.dto';
import { RoutingReplayService } from './routing-replay.service';

@ApiTags('routing')
@Controller('api/prism/admin/routing')
export class RoutingReplayController {
  constructor(private readonly replay: RoutingReplayService) {}

  /**
   * Re-routes the newest N auto-routed requests (from their stored signals and evidence) through a
   * proposed rule set: tier shifts, category changes and the estimated cost change. Changes nothing.
   */
  @Post('replay')
  @HttpCode(200)
  @SkipAudit()
  @AdminRoute(Permission.RoutingWrite, { ok: RoutingReplayResponseDto, notFound: 'No such tenant' })
  run(@Body() body: RoutingReplayDto): Promise<RoutingReplayResponseDto> {
    return this.replay.replay(body);
  }
}

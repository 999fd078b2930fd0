import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { RollupRebuildService } from '../analytics/rollup-rebuild.service';
import { alignRange } from '../analytics/usage-range';
import { Audited } from '../audit/audited.decorator';
import { Permission, RequirePermission } from '../auth/rbac';
import { RuntimeSettingsService } from '../system/settings/runtime-settings.service';
import { RebuildRollupsDto, RebuildRollupsResponseDto } from './dto/rollups.dto';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

@ApiTags('analytics')
@Controller('api/prism/admin/analytics/rollups')
export class RollupsController {
  constructor(
    private readonly rebuilder: RollupRebuildService,
    private readonly settings: RuntimeSettingsService,
  ) {}

  /**
   * Repairs the usage rollups of whole UTC days by recomputing them from the request log. Only
   * closed days (ended at least an hour ago, so no live writes land in them) whose logs are still
   * within retention.
   */
  @Post('rebuild')
  @HttpCode(200)
  @RequirePermission(Permission.SystemWrite)
  @Audited('analytics.rollups_rebuild', { targetType: 'analytics' })
  @ApiOkResponse({ type: RebuildRollupsResponseDto })
  async rebuild(@Body() body: RebuildRollupsDto): Promise<RebuildRollupsResponseDto> {
    if (body.from >= body.to) throw invalid('from must be before to');
    const range = alignRange(body, 'day');
    const now = Date.now();
    if (range.to.getTime() > now - HOUR_MS)
      throw invalid('the range must end (at a whole UTC day) at least an hour ago');
    const oldest = now - this.settings.get('requestLogRetentionDays') * DAY_MS;
    if (range.from.getTime() < oldest) throw invalid('the range starts before the request-log retention');
    const result = await this.rebuilder.rebuild(range);
    return { ...result, from: result.from.toISOString(), to: result.to.toISOString() };
  }
}

function invalid(message: string): BadRequestException {
  return new BadRequestException({
    message: `Validation failed: ${message}`,
    details: [{ field: 'from', messages: [message] }],
  });
}

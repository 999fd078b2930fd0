import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { SkipAudit } from '../../audit/audited.decorator';
import {
  AdminRoute,
  type AuthenticatedUser,
  CurrentUser,
  Permission,
  tenantFilterFor,
} from '../../auth/rbac';
import { RoutingDryRunService } from './dry-run.service';
import { RoutingDryRunDto, RoutingDryRunResponseDto, RoutingTraceResponseDto } from './dto/dry-run.dto';

@ApiTags('routing')
@Controller('api/prism/admin/routing')
export class RoutingDryRunController {
  constructor(private readonly service: RoutingDryRunService) {}

  /**
   * Dry run: what the gateway would decide for this request with `model: auto`, every step with
   * its input, output, confidence and time. Same code as production; changes nothing.
   */
  @Post('test')
  @HttpCode(200)
  @SkipAudit()
  @AdminRoute(Permission.RoutingWrite, { ok: RoutingDryRunResponseDto, notFound: 'No such tenant' })
  test(@Body() body: RoutingDryRunDto): Promise<RoutingDryRunResponseDto> {
    return this.service.dryRun(body);
  }

  /**
   * The stored routing trace of an auto-routed request: by trace id, request-log id or request id.
   * Tenant roles see only their own tenants' traces (another tenant's answers 404, like a missing one).
   */
  @Get('traces/:id')
  @AdminRoute(Permission.RequestsRead, {
    ok: RoutingTraceResponseDto,
    notFound: 'No trace for this id (or not in your tenants)',
  })
  trace(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<RoutingTraceResponseDto> {
    return this.service.trace(id, tenantFilterFor(user));
  }
}

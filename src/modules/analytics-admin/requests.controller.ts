import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { type AuthenticatedUser, CurrentUser, Permission, RequirePermission } from '../auth/rbac';
import {
  ListRequestsQueryDto,
  RequestDetailDto,
  RequestDetailQueryDto,
  RequestLogPageDto,
} from './dto/requests.dto';
import { RequestLogService } from './request-log.service';

/** The request log: every gateway request, newest first, and one request in full. */
@ApiTags('analytics')
@Controller('api/prism/admin/requests')
export class RequestsController {
  constructor(private readonly requests: RequestLogService) {}

  /** Filtered, newest first; follow `nextCursor` for older rows (stable while new rows arrive). */
  @Get()
  @RequirePermission(Permission.RequestsRead)
  @ApiOkResponse({ type: RequestLogPageDto })
  @ApiNotFoundResponse({ description: 'No such tenant' })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListRequestsQueryDto,
  ): Promise<RequestLogPageDto> {
    return this.requests.list(user, query);
  }

  /**
   * One request by the `x-request-id` its client saw: every logged field, attempts, timings, the
   * routing decision and its trace. `includePrompt=true` adds the logged prompt and answer: it
   * needs `prompts.read` as well, and every such view is audited.
   */
  @Get(':requestId')
  @RequirePermission(Permission.RequestsRead)
  @ApiOkResponse({ type: RequestDetailDto })
  @ApiNotFoundResponse({ description: 'No such request (or not in your tenants)' })
  detail(
    @CurrentUser() user: AuthenticatedUser,
    @Param('requestId') requestId: string,
    @Query() query: RequestDetailQueryDto,
  ): Promise<RequestDetailDto> {
    return this.requests.detail(user, requestId, query.includePrompt === true);
  }
}

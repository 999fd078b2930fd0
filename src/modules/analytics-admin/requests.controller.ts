import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { type AuthenticatedUser, CurrentUser, Permission, RequirePermission } from '../auth/rbac';
import {
  ListRequestSessionsQueryDto,
  ListRequestsQueryDto,
  RequestDetailDto,
  RequestDetailQueryDto,
  RequestLogPageDto,
  RequestSessionPageDto,
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
   * The same filters, grouped by conversation (`x-session-id`, per tenant): the most recently
   * active session first, with its request and error counts, cost, tokens and models. Requests
   * without a session are left out; sessions are looked for among the newest 50 000 matching
   * requests (narrow the range or filters for older ones). Open one with the list's `session` filter.
   */
  @Get('sessions')
  @RequirePermission(Permission.RequestsRead)
  @ApiOkResponse({ type: RequestSessionPageDto })
  @ApiNotFoundResponse({ description: 'No such tenant' })
  sessions(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListRequestSessionsQueryDto,
  ): Promise<RequestSessionPageDto> {
    return this.requests.sessions(user, query);
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

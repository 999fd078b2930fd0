import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import {
  AdminRoute,
  type AuthenticatedUser,
  CurrentUser,
  Permission,
  RequirePermission,
} from '../../auth/rbac';
import { PlaygroundChatDto, PlaygroundSummaryDto, PlaygroundTenantsResponseDto } from './dto/playground.dto';
import { PlaygroundService } from './playground.service';

/** Chat through the gateway from the console, authenticated by the admin session (no API key). */
@ApiTags('playground')
@ApiExtraModels(PlaygroundSummaryDto)
@Controller('api/prism/admin/playground')
export class PlaygroundController {
  constructor(private readonly playground: PlaygroundService) {}

  /** Tenants the caller may chat as (tenant roles: their own), with each tenant's models. */
  @Get('tenants')
  @AdminRoute(Permission.PlaygroundUse, { ok: PlaygroundTenantsResponseDto })
  tenants(@CurrentUser() user: AuthenticatedUser): PlaygroundTenantsResponseDto {
    return { items: this.playground.tenantsFor(user) };
  }

  /**
   * One chat turn through the gateway pipeline (limits, budgets, routing, fallbacks), recorded in
   * the request log with endpoint `playground` and the user's name. Streams OpenAI chat chunks as
   * server-sent events, then `event: prism` (PlaygroundSummary: served model, routing decision,
   * attempts) and `data: [DONE]`; the usage chunk carries `cost_info`. With `stream: false` the
   * answer is the chat completion with `cost_info` and `auto_routing`. Gateway refusals (rate
   * limit, budget, model not allowed) come as `{statusCode, error, code, message}`.
   */
  @Post('chat')
  @HttpCode(200)
  @RequirePermission(Permission.PlaygroundUse)
  @ApiProduces('text/event-stream', 'application/json')
  @ApiOkResponse({
    description: 'Server-sent events; the `prism` event carries a PlaygroundSummaryDto',
    content: {
      'text/event-stream': {
        schema: {
          type: 'string',
          description: `Ends with event: prism (${getSchemaPath(PlaygroundSummaryDto)})`,
        },
      },
    },
  })
  @ApiBadRequestResponse({ description: 'Invalid body' })
  @ApiNotFoundResponse({ description: 'No such tenant' })
  async chat(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: PlaygroundChatDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.playground.chat(user, body, request, reply);
  }
}

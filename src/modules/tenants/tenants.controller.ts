import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import { type AuthenticatedUser, CurrentUser, Permission, RequirePermission } from '../auth/rbac';
import { buildClientConfig, CLIENT_TOOLS } from './client-config';
import type { ClientTool } from './client-config';
import { ClientToolPipe } from './client-tool.pipe';
import { ClientConfigQueryDto, ClientConfigResponseDto } from './dto/client-config.dto';
import { TenantListResponseDto, TenantResponseDto } from './dto/tenant-response.dto';
import { CreateTenantDto, ListTenantsQueryDto, UpdateTenantDto } from './dto/tenant.dto';
import { requestOrigin } from './request-origin';
import { toTenantView } from './tenant-views';
import { TenantsService } from './tenants.service';

/** `:id` accepts the tenant's id or slug. */
@ApiTags('tenants')
@Controller('api/prism/admin/tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Get()
  @RequirePermission(Permission.TenantsRead)
  @ApiOkResponse({ type: TenantListResponseDto })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListTenantsQueryDto,
  ): Promise<TenantListResponseDto> {
    return this.tenants.list(user, query);
  }

  @Get(':id')
  @RequirePermission(Permission.TenantsRead)
  @ApiOkResponse({ type: TenantResponseDto })
  @ApiNotFoundResponse({ description: 'No such tenant' })
  get(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<TenantResponseDto> {
    return this.tenants.get(user, id);
  }

  /** Creates a tenant without any key: issue keys with POST :id/keys. */
  @Post()
  @RequirePermission(Permission.TenantsWrite)
  @ApiCreatedResponse({ type: TenantResponseDto })
  @ApiConflictResponse({ description: 'Slug taken' })
  create(@Body() body: CreateTenantDto): Promise<TenantResponseDto> {
    return this.tenants.create(body);
  }

  @Patch(':id')
  @RequirePermission(Permission.TenantsWrite)
  @ApiOkResponse({ type: TenantResponseDto })
  @ApiNotFoundResponse({ description: 'No such tenant' })
  update(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Body() body: UpdateTenantDto,
  ): Promise<TenantResponseDto> {
    return this.tenants.update(user, id, body);
  }

  /** Deletes the tenant and its keys (the default tenant cannot be deleted). */
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission(Permission.TenantsWrite)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'No such tenant' })
  @ApiConflictResponse({ description: 'The default tenant cannot be deleted' })
  async delete(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<void> {
    await this.tenants.delete(user, id);
  }

  /** Configuration for a developer tool, with a key placeholder. */
  @Get(':id/client-config/:tool')
  @RequirePermission(Permission.TenantsRead)
  @ApiParam({ name: 'tool', enum: CLIENT_TOOLS })
  @ApiOkResponse({ type: ClientConfigResponseDto })
  async clientConfig(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Param('tool', ClientToolPipe) tool: ClientTool,
    @Query() query: ClientConfigQueryDto,
    @Req() request: FastifyRequest,
  ): Promise<ClientConfigResponseDto> {
    const tenant = await this.tenants.requireTenant(user, id);
    return buildClientConfig(tool, query.baseUrl ?? requestOrigin(request), toTenantView(tenant));
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import { AdminRoute, type AuthenticatedUser, CurrentUser, Permission } from '../auth/rbac';
import { CLIENT_TOOLS, type ClientTool } from './client-config';
import { ClientToolPipe } from './client-tool.pipe';
import { ClientConfigQueryDto, ClientConfigResponseDto } from './dto/client-config.dto';
import { TenantListResponseDto, TenantResponseDto } from './dto/tenant-response.dto';
import { CreateTenantDto, ListTenantsQueryDto, UpdateTenantDto } from './dto/tenant.dto';
import { requestOrigin } from './request-origin';
import { TenantsService } from './tenants.service';

/** `:id` accepts the tenant's id or slug. */
@ApiTags('tenants')
@Controller('api/prism/admin/tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Get()
  @AdminRoute(Permission.TenantsRead, { ok: TenantListResponseDto })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListTenantsQueryDto,
  ): Promise<TenantListResponseDto> {
    return this.tenants.list(user, query);
  }

  @Get(':id')
  @AdminRoute(Permission.TenantsRead, { ok: TenantResponseDto, notFound: 'No such tenant' })
  get(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<TenantResponseDto> {
    return this.tenants.get(user, id);
  }

  /** Creates a tenant without any key: issue keys with POST :id/keys. */
  @Post()
  @AdminRoute(Permission.TenantsWrite, { created: TenantResponseDto, conflict: 'Slug taken' })
  create(@Body() body: CreateTenantDto): Promise<TenantResponseDto> {
    return this.tenants.create(body);
  }

  @Patch(':id')
  @AdminRoute(Permission.TenantsWrite, { ok: TenantResponseDto, notFound: 'No such tenant' })
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
  @AdminRoute(Permission.TenantsWrite, {
    noContent: 'Deleted',
    notFound: 'No such tenant',
    conflict: 'The default tenant cannot be deleted',
  })
  async delete(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<void> {
    await this.tenants.delete(user, id);
  }

  /** Configuration for a developer tool, with a key placeholder. */
  @Get(':id/client-config/:tool')
  @AdminRoute(Permission.TenantsRead, { ok: ClientConfigResponseDto })
  @ApiParam({ name: 'tool', enum: CLIENT_TOOLS })
  clientConfig(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Param('tool', ClientToolPipe) tool: ClientTool,
    @Query() query: ClientConfigQueryDto,
    @Req() request: FastifyRequest,
  ): Promise<ClientConfigResponseDto> {
    return this.tenants.clientConfig(user, id, tool, query.baseUrl ?? requestOrigin(request));
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import { AdminRoute, type AuthenticatedUser, CurrentUser, Permission, RequirePermission } from '../auth/rbac';
import { ApiKeysService } from './api-keys.service';
import { CLIENT_TOOLS, type ClientTool } from './client-config';
import { ClientToolPipe } from './client-tool.pipe';
import { ApiKeyResponseDto, CreateApiKeyDto, CreatedApiKeyResponseDto } from './dto/api-key.dto';
import { ClientConfigQueryDto, ClientConfigResponseDto } from './dto/client-config.dto';
import { PortalModelResponseDto, PortalTenantResponseDto } from './dto/portal.dto';
import { TenantResponseDto } from './dto/tenant-response.dto';
import { UpdateModelAccessDto } from './dto/tenant.dto';
import { PortalService } from './portal.service';
import { requestOrigin } from './request-origin';
import { TenantsService } from './tenants.service';

/**
 * Self-service for tenant teams: tenant-scoped roles see and manage only their own tenants
 * (global roles with the portal permissions see all).
 */
@ApiTags('portal')
@Controller('api/prism/portal/tenants')
export class PortalController {
  constructor(
    private readonly portal: PortalService,
    private readonly tenants: TenantsService,
    private readonly keys: ApiKeysService,
  ) {}

  @Get()
  @AdminRoute(Permission.PortalRead, { ok: [PortalTenantResponseDto] })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: FastifyRequest,
  ): Promise<PortalTenantResponseDto[]> {
    return this.portal.list(user, requestOrigin(request));
  }

  @Get(':id')
  @AdminRoute(Permission.PortalRead, { ok: PortalTenantResponseDto })
  get(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Req() request: FastifyRequest,
  ): Promise<PortalTenantResponseDto> {
    return this.portal.get(user, id, requestOrigin(request));
  }

  @Get(':id/models')
  @AdminRoute(Permission.PortalRead, { ok: [PortalModelResponseDto] })
  models(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<PortalModelResponseDto[]> {
    return this.portal.models(user, id);
  }

  @Put(':id/model-access')
  @AdminRoute(Permission.PortalWrite, { ok: TenantResponseDto })
  updateModelAccess(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Body() body: UpdateModelAccessDto,
  ): Promise<TenantResponseDto> {
    return this.tenants.updateModelAccess(user, id, body);
  }

  @Get(':id/keys')
  @AdminRoute(Permission.PortalRead, { ok: [ApiKeyResponseDto] })
  listKeys(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<ApiKeyResponseDto[]> {
    return this.keys.list(user, id);
  }

  @Post(':id/keys')
  @RequirePermission(Permission.PortalWrite)
  @ApiCreatedResponse({
    type: CreatedApiKeyResponseDto,
    description: 'Store apiKey now: it is never shown again',
  })
  createKey(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Body() body: CreateApiKeyDto,
  ): Promise<CreatedApiKeyResponseDto> {
    return this.keys.create(user, id, body);
  }

  @Post(':id/keys/:keyId/disable')
  @HttpCode(200)
  @AdminRoute(Permission.PortalWrite, { ok: ApiKeyResponseDto })
  disableKey(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Param('keyId') keyId: string,
  ): Promise<ApiKeyResponseDto> {
    return this.keys.setEnabled(user, id, keyId, false);
  }

  @Post(':id/keys/:keyId/enable')
  @HttpCode(200)
  @AdminRoute(Permission.PortalWrite, { ok: ApiKeyResponseDto })
  enableKey(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Param('keyId') keyId: string,
  ): Promise<ApiKeyResponseDto> {
    return this.keys.setEnabled(user, id, keyId, true);
  }

  @Post(':id/keys/:keyId/rotate')
  @HttpCode(200)
  @AdminRoute(Permission.PortalWrite, { ok: CreatedApiKeyResponseDto })
  rotateKey(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Param('keyId') keyId: string,
  ): Promise<CreatedApiKeyResponseDto> {
    return this.keys.rotate(user, id, keyId);
  }

  @Delete(':id/keys/:keyId')
  @HttpCode(204)
  @AdminRoute(Permission.PortalWrite, { noContent: 'Revoked' })
  async revokeKey(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Param('keyId') keyId: string,
  ): Promise<void> {
    await this.keys.revoke(user, id, keyId);
  }

  @Get(':id/client-config/:tool')
  @AdminRoute(Permission.PortalRead, { ok: ClientConfigResponseDto })
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

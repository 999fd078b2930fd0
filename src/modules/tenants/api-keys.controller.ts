import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { AdminRoute, type AuthenticatedUser, CurrentUser, Permission, RequirePermission } from '../auth/rbac';
import { ApiKeysService } from './api-keys.service';
import {
  ApiKeyResponseDto,
  CreateApiKeyDto,
  CreatedApiKeyResponseDto,
  KeyPolicyDto,
  UpdateApiKeyDto,
} from './dto/api-key.dto';

/** Tenant API keys. The full key is returned once, by create and rotate, and never again. */
@ApiTags('tenant keys')
@Controller('api/prism/admin/tenants/:id/keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @AdminRoute(Permission.KeysRead, { ok: [ApiKeyResponseDto], notFound: 'No such tenant' })
  list(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<ApiKeyResponseDto[]> {
    return this.keys.list(user, id);
  }

  @Post()
  @RequirePermission(Permission.KeysWrite)
  @ApiCreatedResponse({
    type: CreatedApiKeyResponseDto,
    description: 'Store apiKey now: it is never shown again',
  })
  create(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Body() body: CreateApiKeyDto,
  ): Promise<CreatedApiKeyResponseDto> {
    return this.keys.create(user, id, body);
  }

  @Patch(':keyId')
  @AdminRoute(Permission.KeysWrite, { ok: ApiKeyResponseDto, notFound: 'No such tenant or key' })
  update(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Param('keyId') keyId: string,
    @Body() body: UpdateApiKeyDto,
  ): Promise<ApiKeyResponseDto> {
    return this.keys.update(user, id, keyId, body);
  }

  @Post(':keyId/disable')
  @HttpCode(200)
  @AdminRoute(Permission.KeysWrite, { ok: ApiKeyResponseDto })
  disable(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Param('keyId') keyId: string,
  ): Promise<ApiKeyResponseDto> {
    return this.keys.setEnabled(user, id, keyId, false);
  }

  @Post(':keyId/enable')
  @HttpCode(200)
  @AdminRoute(Permission.KeysWrite, { ok: ApiKeyResponseDto })
  enable(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Param('keyId') keyId: string,
  ): Promise<ApiKeyResponseDto> {
    return this.keys.setEnabled(user, id, keyId, true);
  }

  /** New secret for the same key; the old one stops working immediately. */
  @Post(':keyId/rotate')
  @HttpCode(200)
  @RequirePermission(Permission.KeysWrite)
  @ApiOkResponse({ type: CreatedApiKeyResponseDto, description: 'Store apiKey now: it is never shown again' })
  rotate(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Param('keyId') keyId: string,
  ): Promise<CreatedApiKeyResponseDto> {
    return this.keys.rotate(user, id, keyId);
  }

  /** Revokes (deletes) the key. */
  @Delete(':keyId')
  @HttpCode(204)
  @AdminRoute(Permission.KeysWrite, { noContent: 'Revoked', notFound: 'No such tenant or key' })
  async revoke(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Param('keyId') keyId: string,
  ): Promise<void> {
    await this.keys.revoke(user, id, keyId);
  }
}

/** The global key policy (maximum lifetime of any key). */
@ApiTags('tenant keys')
@Controller('api/prism/admin/key-policy')
export class KeyPolicyController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @AdminRoute(Permission.KeysRead, { ok: KeyPolicyDto })
  get(): Promise<KeyPolicyDto> {
    return this.keys.getPolicy();
  }

  @Put()
  @AdminRoute(Permission.KeysWrite, { ok: KeyPolicyDto })
  set(@Body() body: KeyPolicyDto): Promise<KeyPolicyDto> {
    return this.keys.setPolicy({ maxLifetimeDays: body.maxLifetimeDays });
  }
}

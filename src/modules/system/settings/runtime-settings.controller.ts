import { BadRequestException, Body, Controller, Get, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { AuditService } from '../../audit/audit.service';
import { AdminRoute, type AuthenticatedUser, CurrentUser, Permission } from '../../auth/rbac';
import { RuntimeSettingsResponseDto, UpdateRuntimeSettingsDto } from './dto/runtime-settings.dto';
import {
  InvalidRuntimeSettings,
  RuntimeSettingsService,
  type RuntimeSettingsSnapshot,
} from './runtime-settings.service';

/** Cluster-wide runtime settings: the environment gives defaults, a saved value wins. */
@ApiTags('system')
@Controller('api/prism/admin/system/settings')
export class RuntimeSettingsController {
  constructor(
    private readonly settings: RuntimeSettingsService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @AdminRoute(Permission.SystemRead, { ok: RuntimeSettingsResponseDto })
  get(): RuntimeSettingsResponseDto {
    return toResponse(this.settings.snapshot());
  }

  /** Saves the given keys on every pod (null = back to the environment value); audited. */
  @Put()
  @AdminRoute(Permission.SystemWrite, {
    ok: RuntimeSettingsResponseDto,
    badRequest: 'A value is out of range or unknown',
  })
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: UpdateRuntimeSettingsDto,
  ): Promise<RuntimeSettingsResponseDto> {
    const before = this.settings.snapshot().values;
    let after: RuntimeSettingsSnapshot;
    try {
      after = await this.settings.update(body, user.username);
    } catch (error) {
      if (error instanceof InvalidRuntimeSettings) {
        throw new BadRequestException({ message: error.message, details: error.problems });
      }
      throw error;
    }
    await this.audit.record({
      action: 'settings.update',
      target: { type: 'system-settings', id: 'runtime', label: 'Runtime settings' },
      before,
      after: after.values,
    });
    return toResponse(after);
  }
}

function toResponse(snapshot: RuntimeSettingsSnapshot): RuntimeSettingsResponseDto {
  return {
    values: snapshot.values,
    settings: snapshot.settings.map(({ key, value, source, envValue, definition }) => ({
      key,
      value,
      source,
      envVar: definition.env,
      envValue,
      kind: definition.kind,
      ...(definition.kind === 'integer' ? { min: definition.min, max: definition.max } : {}),
      ...(definition.kind === 'enum' ? { allowed: [...definition.values] } : {}),
      description: definition.description,
    })),
    updatedAt: snapshot.updatedAt,
    updatedBy: snapshot.updatedBy,
  };
}

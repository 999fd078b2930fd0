import { BadRequestException, Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import type { SettingsMeta } from '../../../core/database/settings-document';
import { SkipAudit } from '../../audit/audited.decorator';
import { AdminRoute, Permission } from '../rbac';
import {
  LdapSettingsResponseDto,
  LdapTestReportDto,
  TestLdapSettingsDto,
  UpdateLdapSettingsDto,
} from './dto/ldap-settings.dto';
import { runLdapConnectionTest } from './ldap-connection-test';
import { type LdapSettingsUpdate, LdapSettingsService } from './ldap-settings.service';
import type { LdapSettings } from './ldap-settings.types';

function toResponse(settings: LdapSettings & SettingsMeta): LdapSettingsResponseDto {
  const { updatedAt, groupMappings, ...rest } = settings;
  return {
    ...rest,
    groupMappings: groupMappings.map((m) => ({ group: m.group, role: m.role, tenantIds: [...m.tenantIds] })),
    ...(updatedAt ? { updatedAt: new Date(updatedAt).toISOString() } : {}),
  };
}

/** DTO instances carry every declared field (undefined when absent); only sent fields are changes. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function toUpdate(dto: UpdateLdapSettingsDto): LdapSettingsUpdate {
  const { groupMappings, ...rest } = definedOnly(dto);
  return {
    ...rest,
    ...(groupMappings
      ? {
          groupMappings: groupMappings.map((m) => ({
            group: m.group.trim(),
            role: m.role,
            tenantIds: m.tenantIds ?? [],
          })),
        }
      : {}),
  };
}

/** Directory login settings. Reading needs users.read (password masked); changes are admin-only. */
@ApiTags('settings')
@Controller('api/prism/admin/settings/ldap')
export class LdapSettingsController {
  constructor(private readonly settings: LdapSettingsService) {}

  @Get()
  @AdminRoute(Permission.UsersRead, { ok: LdapSettingsResponseDto })
  async get(): Promise<LdapSettingsResponseDto> {
    return toResponse(await this.settings.getMasked());
  }

  /** Merges the given fields; enabling requires url and searchBase. */
  @Put()
  @AdminRoute(Permission.UsersWrite, { ok: LdapSettingsResponseDto })
  async update(@Body() body: UpdateLdapSettingsDto): Promise<LdapSettingsResponseDto> {
    const current = await this.settings.getStored();
    const next = { ...current, ...definedOnly(body) };
    if (next.enabled) {
      const missing = (['url', 'searchBase'] as const).filter((f) => !next[f]);
      if (missing.length > 0) {
        throw new BadRequestException({
          message: `Validation failed: ${missing.join(', ')} required to enable LDAP`,
          details: missing.map((field) => ({ field, messages: [`${field} is required to enable LDAP`] })),
        });
      }
    }
    return toResponse(await this.settings.update(toUpdate(body)));
  }

  /** Tries the stored (or submitted, unsaved) settings step by step; never saves anything. */
  @Post('test')
  @HttpCode(200)
  @AdminRoute(Permission.UsersWrite, { ok: LdapTestReportDto })
  @SkipAudit()
  async test(@Body() body: TestLdapSettingsDto): Promise<LdapTestReportDto> {
    const resolved = await this.settings.resolveDraft(body.settings ? toUpdate(body.settings) : {});
    if (!resolved.url) {
      throw new BadRequestException({
        message: 'Validation failed: no LDAP url configured',
        details: [{ field: 'settings.url', messages: ['url is required'] }],
      });
    }
    return runLdapConnectionTest(resolved, body.username, body.password);
  }
}

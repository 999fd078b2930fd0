import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Post, Query } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiTags } from '@nestjs/swagger';

import { AuditService } from '../../audit/audit.service';
import { AdminRoute, Permission } from '../../auth/rbac';
import {
  ImportResultDto,
  ImportSettingsDto,
  ImportSettingsQueryDto,
  SectionDiffDto,
  SettingsExportDto,
} from './dto/settings-transfer.dto';
import { InvalidImport, SettingsTransferService } from './settings-transfer.service';

const PASSPHRASE_HEADER = 'x-prism-passphrase';

/** Moves the configuration between environments (admins only; audited). */
@ApiTags('system')
@ApiExtraModels(SectionDiffDto)
@Controller('api/prism/admin/system')
export class SettingsTransferController {
  constructor(
    private readonly transfer: SettingsTransferService,
    private readonly audit: AuditService,
  ) {}

  /**
   * The configuration as one JSON document. Secrets are encrypted under the passphrase given in
   * the `x-prism-passphrase` header (12+ characters), or left out without one.
   */
  @Get('export')
  @AdminRoute(Permission.SystemWrite, { ok: SettingsExportDto, badRequest: 'Passphrase too short' })
  @ApiHeader({ name: PASSPHRASE_HEADER, required: false, description: 'Encrypts secrets under it' })
  async export(@Headers(PASSPHRASE_HEADER) passphrase?: string): Promise<SettingsExportDto> {
    if (passphrase !== undefined && (passphrase.length < 12 || passphrase.length > 1024)) {
      throw new BadRequestException('The passphrase must have 12 to 1024 characters');
    }
    const document = await this.transfer.export(passphrase);
    await this.audit.record({
      action: 'settings.export',
      target: { type: 'system-settings', id: 'export', label: 'Settings export' },
      details: { secrets: document.secrets },
    });
    return document as SettingsExportDto;
  }

  /** Validates the whole document first; `?dryRun=true` returns the diff only. A bad entry changes nothing. */
  @Post('import')
  @HttpCode(200)
  @AdminRoute(Permission.SystemWrite, {
    ok: ImportResultDto,
    badRequest: 'Invalid document, entry or passphrase; nothing was changed',
  })
  async import(
    @Query() query: ImportSettingsQueryDto,
    @Body() body: ImportSettingsDto,
  ): Promise<ImportResultDto> {
    const dryRun = query.dryRun === true;
    try {
      const result = await this.transfer.import(body.document, body.passphrase, dryRun);
      if (!dryRun) {
        await this.audit.record({
          action: 'settings.import',
          target: { type: 'system-settings', id: 'import', label: 'Settings import' },
          details: { diff: result.diff },
        });
      }
      return result;
    } catch (error) {
      if (error instanceof InvalidImport) {
        throw new BadRequestException({ message: error.message, details: error.problems });
      }
      throw error;
    }
  }
}

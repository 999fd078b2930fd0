import { BadRequestException, Injectable } from '@nestjs/common';

import { SecretBox } from '../../../common/crypto/secret-box';
import type { SettingsMeta } from '../../../core/database/settings-document';
import { outboundGuard } from '../../../core/http/outbound-guard';
import { AuditService } from '../../audit/audit.service';
import { LDAP_SETTINGS_ID, LdapSettingsRepository } from './ldap-settings.repository';
import type { LdapGroupMapping, LdapSettings } from './ldap-settings.types';

/** Shown instead of the bind password; sending it back keeps the stored one. */
export const LDAP_SECRET_MASK = '********';

export type LdapSettingsUpdate = Partial<Omit<LdapSettings, 'groupMappings'>> & {
  groupMappings?: LdapGroupMapping[];
};

/** LDAP settings as the rest of the module uses them: bind password decrypted, in memory only. */
export interface ResolvedLdapSettings extends Omit<LdapSettings, 'bindPassword'> {
  bindPassword: string;
}

/** Reads and writes the LDAP settings document; the bind password is encrypted with ENCRYPTION_KEY. */
@Injectable()
export class LdapSettingsService {
  constructor(
    private readonly repository: LdapSettingsRepository,
    private readonly box: SecretBox,
    private readonly audit: AuditService,
  ) {}

  getStored(): Promise<LdapSettings & SettingsMeta> {
    return this.repository.read();
  }

  /** For responses: the password replaced by the mask (or empty when none is set). */
  async getMasked(): Promise<LdapSettings & SettingsMeta> {
    const stored = await this.getStored();
    return { ...stored, bindPassword: stored.bindPassword ? LDAP_SECRET_MASK : '' };
  }

  async getResolved(): Promise<ResolvedLdapSettings> {
    const stored = await this.getStored();
    return { ...stored, bindPassword: stored.bindPassword ? this.box.decrypt(stored.bindPassword) : '' };
  }

  async isEnabled(): Promise<boolean> {
    return (await this.repository.readField('enabled')) === true;
  }

  /** Merges an update; the mask (or an absent field) keeps the password, '' removes it. */
  async update(update: LdapSettingsUpdate): Promise<LdapSettings & SettingsMeta> {
    const refusal = update.url ? await outboundGuard().checkUrl(update.url) : undefined;
    if (refusal) {
      throw new BadRequestException({
        message: `Validation failed: url refused: ${refusal}`,
        details: [{ field: 'url', messages: [refusal] }],
      });
    }
    const before = strip(await this.getStored());
    const next: LdapSettings = { ...before, ...definedOnly(update) };
    if (update.bindPassword === undefined || update.bindPassword === LDAP_SECRET_MASK) {
      next.bindPassword = before.bindPassword;
    } else if (update.bindPassword !== '') {
      next.bindPassword = this.box.encrypt(update.bindPassword);
    }
    await this.repository.write(next);
    await this.audit.record({
      action: 'settings.ldap.update',
      target: { type: 'settings', id: LDAP_SETTINGS_ID, label: 'LDAP' },
      before,
      after: next,
    });
    return this.getMasked();
  }

  /** Resolves a submitted draft (for `test` before saving) against the stored password. */
  async resolveDraft(update: LdapSettingsUpdate): Promise<ResolvedLdapSettings> {
    const stored = await this.getResolved();
    const password =
      update.bindPassword === undefined || update.bindPassword === LDAP_SECRET_MASK
        ? stored.bindPassword
        : update.bindPassword;
    return { ...stored, ...definedOnly(update), bindPassword: password };
  }
}

/** Fields where `null` means something (`defaultRole: null` refuses unmapped users). */
const NULLABLE_FIELDS: ReadonlySet<string> = new Set(['defaultRole']);

/** The fields sent: absent ones and `null` ones (as "not sent", except where null has a meaning). */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([key, v]) => v !== undefined && (v !== null || NULLABLE_FIELDS.has(key))),
  ) as Partial<T>;
}

function strip(settings: LdapSettings & SettingsMeta): LdapSettings {
  const { updatedAt: _updatedAt, ...rest } = settings;
  return rest;
}

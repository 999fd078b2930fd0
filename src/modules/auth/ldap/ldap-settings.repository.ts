import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

import { SettingsDocument } from '../../../core/database/settings-document';
import { defaultLdapSettings, type LdapSettings } from './ldap-settings.types';

export const LDAP_SETTINGS_ID = 'ldap';

/** The LDAP settings document (`auth_settings`, `_id: 'ldap'`). */
@Injectable()
export class LdapSettingsRepository extends SettingsDocument<LdapSettings> {
  constructor(@InjectConnection() connection: Connection) {
    super(connection, { collection: 'auth_settings', id: LDAP_SETTINGS_ID, defaults: defaultLdapSettings });
  }
}

import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

import type { Role } from '../rbac/permissions';

export const LDAP_SETTINGS_ID = 'ldap';

/** One directory group → role (and tenants, for tenant-scoped roles). */
export interface LdapGroupMapping {
  /** Group DN (`cn=ops,ou=groups,dc=example,dc=org`) or just its CN (`ops`); case-insensitive. */
  group: string;
  role: Role;
  tenantIds: string[];
}

/** The LDAP configuration (a single document); the bind password is stored encrypted (`enc:`). */
@Schema({ collection: 'auth_settings', versionKey: false, timestamps: true, minimize: false })
export class LdapSettings {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Boolean, default: false })
  enabled!: boolean;

  @Prop({ type: String, default: '' })
  url!: string;

  @Prop({ type: String, default: '' })
  bindDn!: string;

  /** `enc:<iv>:<tag>:<ct>` or empty. */
  @Prop({ type: String, default: '' })
  bindPassword!: string;

  @Prop({ type: String, default: '' })
  searchBase!: string;

  @Prop({ type: String, default: '(uid={{username}})' })
  searchFilter!: string;

  /** Where groups are searched; empty = searchBase. */
  @Prop({ type: String, default: '' })
  groupSearchBase!: string;

  /** `{{dn}}` is the user's DN, `{{username}}` the login name (both escaped). */
  @Prop({ type: String, default: '(|(member={{dn}})(uniqueMember={{dn}}))' })
  groupSearchFilter!: string;

  @Prop({ type: [Object], default: [] })
  groupMappings!: LdapGroupMapping[];

  /** Role of users in no mapped group; null refuses them. */
  @Prop({ type: String, default: 'tenant-viewer' })
  defaultRole!: Role | null;

  @Prop({ type: Boolean, default: false })
  startTls!: boolean;

  /** PEM bundle trusted for ldaps:// and StartTLS, in addition to the system CAs. */
  @Prop({ type: String, default: '' })
  tlsCaCert!: string;

  /** Accept any server certificate (testing only; shown as a warning in the console). */
  @Prop({ type: Boolean, default: false })
  tlsSkipVerify!: boolean;

  @Prop({ type: Number, default: 5000 })
  timeoutMs!: number;

  updatedAt?: Date;
}

export const LdapSettingsSchema = SchemaFactory.createForClass(LdapSettings);

export function defaultLdapSettings(): LdapSettings {
  return {
    _id: LDAP_SETTINGS_ID,
    enabled: false,
    url: '',
    bindDn: '',
    bindPassword: '',
    searchBase: '',
    searchFilter: '(uid={{username}})',
    groupSearchBase: '',
    groupSearchFilter: '(|(member={{dn}})(uniqueMember={{dn}}))',
    groupMappings: [],
    defaultRole: 'tenant-viewer',
    startTls: false,
    tlsCaCert: '',
    tlsSkipVerify: false,
    timeoutMs: 5000,
  };
}

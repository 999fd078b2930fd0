import { Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';

import { AuditService } from '../../audit/audit.service';
import { UsernameTakenError } from '../auth.errors';
import { UserCache } from '../users/user-cache';
import type { UserRecord } from '../users/user.schema';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { authenticateWithLdap, LdapUnavailableError } from './ldap-directory';
import { type MappedAccess, mapGroupsToAccess } from './ldap-role-mapping';
import { LdapSettingsService } from './ldap-settings.service';

/**
 * LDAP login: the first successful login creates the user (source `ldap`); later logins refresh
 * the group-derived role and tenants unless an admin pinned the role.
 */
@Injectable()
export class LdapLoginService {
  private readonly logger = new Logger(LdapLoginService.name);

  constructor(
    private readonly settings: LdapSettingsService,
    private readonly users: UsersRepository,
    private readonly usersService: UsersService,
    private readonly cache: UserCache,
    private readonly audit: AuditService,
  ) {}

  /** The user after a successful directory login; null when LDAP is off or refuses the credentials. */
  async login(username: string, password: string, existing: UserRecord | null): Promise<UserRecord | null> {
    if (!(await this.settings.isEnabled())) return null;
    const settings = await this.settings.getResolved();
    let identity;
    try {
      identity = await authenticateWithLdap(settings, username, password);
    } catch (error) {
      if (!(error instanceof LdapUnavailableError)) throw error;
      this.logger.warn(`LDAP login failed: ${error.message}`);
      throw new ServiceUnavailableException({
        message:
          'The directory (LDAP) cannot be reached; try again or ask an admin to check the LDAP settings',
        details: { code: 'ldap_unavailable' },
      });
    }
    if (!identity) return null;
    const access = mapGroupsToAccess(identity.groups, settings.groupMappings, settings.defaultRole);
    if (!access) return null;

    // A concurrent first login of the same user may have created the record meanwhile.
    let user = existing ?? (await this.users.findByUsername(username));
    if (!user) {
      const created = await this.provision(username, identity.dn, access);
      if (created) return created;
      user = await this.users.findByUsername(username);
      if (!user) return null;
    }
    if (user.source !== 'ldap') return null;
    return this.refresh(user, identity.dn, access);
  }

  private async provision(username: string, dn: string, access: MappedAccess): Promise<UserRecord | null> {
    let created: UserRecord;
    try {
      created = await this.usersService.insert({
        username,
        passwordHash: null,
        source: 'ldap',
        role: access.role,
        rolePinned: false,
        tenantIds: access.tenantIds,
        active: true,
        mustChangePassword: false,
        ldapDn: dn,
      });
    } catch (error) {
      if (error instanceof UsernameTakenError) return null;
      throw error;
    }
    await this.audit.record({
      action: 'user.create',
      actor: { id: created._id.toString(), username: created.username, role: created.role },
      target: { type: 'user', id: created._id.toString(), label: created.username },
      after: { username: created.username, source: 'ldap', role: created.role, tenantIds: created.tenantIds },
      details: { via: 'ldap_login', groups: access.matchedGroups },
    });
    return created;
  }

  /** Later logins: group-derived role and tenants, unless an admin pinned the role. */
  private async refresh(existing: UserRecord, dn: string, access: MappedAccess): Promise<UserRecord | null> {
    const id = existing._id.toString();
    const changes = existing.rolePinned
      ? { ldapDn: dn }
      : { ldapDn: dn, role: access.role, tenantIds: access.tenantIds };
    const updated = await this.users.update(id, changes);
    this.cache.invalidate(id);
    if (
      updated &&
      (updated.role !== existing.role || updated.tenantIds.join() !== existing.tenantIds.join())
    ) {
      await this.audit.record({
        action: 'user.ldap_sync',
        actor: { id, username: existing.username, role: updated.role },
        target: { type: 'user', id, label: existing.username },
        before: { role: existing.role, tenantIds: existing.tenantIds },
        after: { role: updated.role, tenantIds: updated.tenantIds },
        details: { groups: access.matchedGroups },
      });
    }
    return updated;
  }
}

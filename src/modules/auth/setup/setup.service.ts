import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';

import { AppConfig } from '../../../core/config/app-config';
import { AuditService } from '../../audit/audit.service';
import { SetupClosedError } from '../auth.errors';
import { LdapSettingsService } from '../ldap/ldap-settings.service';
import { PasswordHasher } from '../users/password-hasher';
import type { UserRecord } from '../users/user.schema';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { SETUP_COMPLETE_MARKER, SetupStateRepository } from './setup-state.repository';

export interface SetupStatus {
  needsSetup: boolean;
  setupComplete: boolean;
  ldapEnabled: boolean;
}

/**
 * First-run setup. The first admin can be created exactly once, by `setup/admin` or by the
 * BOOTSTRAP_ADMIN_* variables at boot, whichever inserts the `first-admin` marker first. No
 * multi-document transaction: the unique marker `_id` is the lock.
 */
@Injectable()
export class SetupService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SetupService.name);

  constructor(
    private readonly markers: SetupStateRepository,
    private readonly users: UsersRepository,
    private readonly usersService: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly ldapSettings: LdapSettingsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async status(): Promise<SetupStatus> {
    const [marker, complete, adminExists, ldap] = await Promise.all([
      this.markers.firstAdminClaimed(),
      this.markers.isComplete(),
      this.users.anyAdminExists(),
      this.ldapSettings.isEnabled(),
    ]);
    return {
      needsSetup: !marker && !adminExists,
      setupComplete: complete,
      ldapEnabled: ldap,
    };
  }

  /** Creates the first admin; 409 once any admin exists or another attempt won the race. */
  async createFirstAdmin(username: string, password: string): Promise<UserRecord> {
    const admin = await this.claimAndCreate(username, password, false, 'setup');
    if (!admin) throw new SetupClosedError();
    await this.audit.record({
      action: 'setup.admin_created',
      actor: { id: admin._id.toString(), username: admin.username, role: admin.role },
      target: { type: 'user', id: admin._id.toString(), label: admin.username },
      after: { username: admin.username, role: admin.role },
    });
    return admin;
  }

  async complete(): Promise<SetupStatus> {
    await this.markers.markComplete('setup');
    await this.audit.record({
      action: 'setup.complete',
      target: { type: 'setup', id: SETUP_COMPLETE_MARKER },
    });
    return this.status();
  }

  /** BOOTSTRAP_ADMIN_USERNAME/PASSWORD: create that admin at boot when none exists (must change password). */
  async onApplicationBootstrap(): Promise<void> {
    const bootstrap = this.config.bootstrapAdmin;
    if (!bootstrap) return;
    const admin = await this.claimAndCreate(bootstrap.username, bootstrap.password, true, 'bootstrap');
    if (!admin) return;
    this.logger.warn(
      `Created bootstrap admin "${admin.username}"; its password must be changed at first login`,
    );
    await this.audit.record({
      action: 'setup.bootstrap_admin_created',
      target: { type: 'user', id: admin._id.toString(), label: admin.username },
      after: { username: admin.username, role: admin.role },
    });
  }

  private async claimAndCreate(
    username: string,
    password: string,
    mustChangePassword: boolean,
    via: string,
  ): Promise<UserRecord | null> {
    if (await this.users.anyAdminExists()) return null;
    const passwordHash = await this.hasher.hash(password);
    if (!(await this.markers.claimFirstAdmin(via))) return null;
    try {
      const admin = await this.usersService.insert({
        username,
        passwordHash,
        source: 'local',
        role: 'admin',
        rolePinned: false,
        tenantIds: [],
        active: true,
        mustChangePassword,
        ldapDn: null,
      });
      await this.markers.recordFirstAdmin(admin._id.toString());
      return admin;
    } catch (error) {
      // Release the claim so setup can be retried (e.g. the username belonged to an LDAP user).
      await this.markers.releaseFirstAdmin();
      throw error;
    }
  }
}

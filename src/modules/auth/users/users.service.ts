import { Injectable } from '@nestjs/common';

import { AuditService } from '../../audit/audit.service';
import { ConfigChangeBus } from '../../config-sync/config-change.bus';
import {
  LastAdminError,
  LocalOnlyError,
  SelfModificationError,
  UsernameTakenError,
  UserNotFoundError,
} from '../auth.errors';
import type { AuthenticatedUser } from '../rbac/authenticated-user';
import type { Role } from '../rbac/permissions';
import { LoginProtection } from '../throttling/login-protection';
import { PasswordHasher } from './password-hasher';
import { USERS_SCOPE, UserCache } from './user-cache';
import type { UserRecord } from './user.schema';
import {
  DuplicateUsernameError,
  type NewUser,
  type UserChanges,
  type UserQuery,
  UsersRepository,
} from './users.repository';

export interface CreateLocalUser {
  username: string;
  password: string;
  role: Role;
  tenantIds?: string[];
  mustChangePassword?: boolean;
  active?: boolean;
}

export interface UserUpdate {
  role?: Role;
  tenantIds?: string[];
  active?: boolean;
  rolePinned?: boolean;
  mustChangePassword?: boolean;
}

/** What the audit log keeps of a user (never the hash). */
function snapshot(user: UserRecord): Record<string, unknown> {
  return {
    username: user.username,
    source: user.source,
    role: user.role,
    rolePinned: user.rolePinned,
    tenantIds: user.tenantIds,
    active: user.active,
    mustChangePassword: user.mustChangePassword,
  };
}

/**
 * User management rules: only admins reach these methods (users.write), nobody disables, demotes
 * or deletes themselves, and the last active admin cannot be removed, demoted or disabled.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly cache: UserCache,
    private readonly audit: AuditService,
    private readonly loginProtection: LoginProtection,
    private readonly bus: ConfigChangeBus,
  ) {}

  list(query: UserQuery): Promise<{ items: UserRecord[]; total: number }> {
    return this.users.find(query);
  }

  async get(id: string): Promise<UserRecord> {
    const user = await this.users.findById(id);
    if (!user) throw new UserNotFoundError(id);
    return user;
  }

  async createLocal(input: CreateLocalUser): Promise<UserRecord> {
    const created = await this.insert({
      username: input.username,
      passwordHash: await this.hasher.hash(input.password),
      source: 'local',
      role: input.role,
      rolePinned: false,
      tenantIds: dedupe(input.tenantIds ?? []),
      active: input.active ?? true,
      mustChangePassword: input.mustChangePassword ?? true,
      ldapDn: null,
    });
    await this.audit.record({
      action: 'user.create',
      target: { type: 'user', id: created._id.toString(), label: created.username },
      after: snapshot(created),
    });
    return created;
  }

  /** Creates without auditing (setup, bootstrap and LDAP provisioning record their own events). */
  async insert(user: NewUser): Promise<UserRecord> {
    try {
      return await this.users.create(user);
    } catch (error) {
      if (error instanceof DuplicateUsernameError) throw new UsernameTakenError(user.username.toLowerCase());
      throw error;
    }
  }

  async update(actor: AuthenticatedUser, id: string, update: UserUpdate): Promise<UserRecord> {
    const before = await this.get(id);
    const self = before._id.toString() === actor.id;
    const changes: UserChanges = {};
    if (update.role !== undefined && update.role !== before.role) {
      if (self) throw new SelfModificationError('change the role of');
      if (before.role === 'admin') await this.assertNotLastAdmin(before, 'demote');
      changes.role = update.role;
      // An admin's explicit choice beats the directory's groups from now on.
      if (before.source === 'ldap' && update.rolePinned === undefined) changes.rolePinned = true;
    }
    if (update.rolePinned !== undefined) changes.rolePinned = update.rolePinned;
    if (update.tenantIds !== undefined) changes.tenantIds = dedupe(update.tenantIds);
    if (update.mustChangePassword !== undefined) {
      // Your own password is changed with auth/password (current password required), never here.
      if (update.mustChangePassword && self) throw new SelfModificationError('require a password change of');
      if (update.mustChangePassword && before.source === 'ldap')
        throw new LocalOnlyError('Requiring a password change');
      changes.mustChangePassword = update.mustChangePassword;
    }
    let revoke = false;
    if (update.active !== undefined && update.active !== before.active) {
      if (!update.active) {
        if (self) throw new SelfModificationError('disable');
        if (before.role === 'admin') await this.assertNotLastAdmin(before, 'disable');
        revoke = true;
      }
      changes.active = update.active;
    }
    const action =
      update.active === false && before.active
        ? 'user.disable'
        : update.active === true && !before.active
          ? 'user.enable'
          : 'user.update';
    return this.apply(before, changes, revoke, action);
  }

  async setActive(actor: AuthenticatedUser, id: string, active: boolean): Promise<UserRecord> {
    return this.update(actor, id, { active });
  }

  async resetPassword(
    actor: AuthenticatedUser,
    id: string,
    password: string,
    mustChangePassword = true,
  ): Promise<UserRecord> {
    const before = await this.get(id);
    // Resetting your own password would end your session without the current password being
    // checked; auth/password is the way for your own account.
    if (before._id.toString() === actor.id) throw new SelfModificationError('reset the password of');
    if (before.source !== 'local') throw new LocalOnlyError('Resetting a password');
    const passwordHash = await this.hasher.hash(password);
    return this.apply(before, { passwordHash, mustChangePassword }, true, 'user.reset_password');
  }

  async delete(actor: AuthenticatedUser, id: string): Promise<void> {
    const before = await this.get(id);
    if (before._id.toString() === actor.id) throw new SelfModificationError('delete');
    if (before.role === 'admin') await this.assertNotLastAdmin(before, 'delete');
    await this.users.delete(id);
    await this.forget(id);
    await this.audit.record({
      action: 'user.delete',
      target: { type: 'user', id, label: before.username },
      before: snapshot(before),
    });
  }

  /** Admin action: lifts the login lock of the account (audited even when nothing was locked). */
  async unlock(id: string): Promise<UserRecord> {
    const user = await this.get(id);
    const wasLocked = await this.loginProtection.unlockAccount(user.username);
    await this.audit.record({
      action: 'user.unlock',
      target: { type: 'user', id, label: user.username },
      details: { hadFailedLogins: wasLocked },
    });
    return user;
  }

  /** The user's own password change (auth/password): also ends every other session. */
  async changeOwnPassword(user: UserRecord, newPassword: string): Promise<UserRecord> {
    const passwordHash = await this.hasher.hash(newPassword);
    return this.apply(user, { passwordHash, mustChangePassword: false }, true, 'auth.password_change');
  }

  /** Logout: bumps the token version, so every token of this user stops working. */
  async revokeSessions(user: UserRecord): Promise<void> {
    await this.apply(user, {}, true, 'auth.logout');
  }

  private async apply(
    before: UserRecord,
    changes: UserChanges,
    revokeTokens: boolean,
    action: string,
  ): Promise<UserRecord> {
    const id = before._id.toString();
    const after = await this.users.update(id, changes, revokeTokens);
    await this.forget(id);
    if (!after) throw new UserNotFoundError(id);
    await this.audit.record({
      action,
      target: { type: 'user', id, label: before.username },
      before: snapshot(before),
      after: snapshot(after),
      details: changes.passwordHash
        ? { passwordChanged: true }
        : revokeTokens
          ? { sessionsRevoked: true }
          : undefined,
    });
    return after;
  }

  /** Drops the cached account here at once and tells the other pods through the config bus. */
  private async forget(id: string): Promise<void> {
    this.cache.invalidate(id);
    await this.bus.publish(USERS_SCOPE);
  }

  private async assertNotLastAdmin(user: UserRecord, action: string): Promise<void> {
    if (user.active && (await this.users.countActiveAdmins()) <= 1) throw new LastAdminError(action);
  }
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}

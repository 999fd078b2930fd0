import { Injectable } from '@nestjs/common';

import { AuditService } from '../../audit/audit.service';
import {
  AccountDisabledError,
  InvalidCredentialsError,
  LocalOnlyError,
  PasswordPolicyError,
  WrongCurrentPasswordError,
} from '../auth.errors';
import { LdapLoginService } from '../ldap/ldap-login.service';
import { LoginProtection } from '../throttling/login-protection';
import { PasswordHasher } from '../users/password-hasher';
import type { UserRecord } from '../users/user.schema';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { type IssuedToken, TokenService } from './token.service';

export interface Session extends IssuedToken {
  user: UserRecord;
}

/** Login (local users first, then LDAP when enabled), logout and the user's own password change. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly usersService: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly ldap: LdapLoginService,
    private readonly audit: AuditService,
    private readonly protection: LoginProtection,
  ) {}

  /** `clientIp` keys the per-address count of LoginProtection (the account is counted too). */
  async login(rawUsername: string, password: string, clientIp: string): Promise<Session> {
    const username = rawUsername.trim().toLowerCase();
    // Locked accounts and addresses are refused before any password check (local or LDAP).
    await this.protection.assertAllowed(username, clientIp);
    const existing = await this.users.findByUsername(username);
    let user: UserRecord | null = null;
    if (existing?.source === 'local') {
      if (await this.hasher.verify(password, existing.passwordHash)) user = existing;
    } else {
      // Unknown names still cost one bcrypt comparison, so timing does not reveal which exist.
      if (!existing) await this.hasher.verify(password, null);
      user = await this.ldap.login(username, password, existing);
    }
    if (!user) {
      await this.recordLogin(username, existing, 'failure', 'invalid_credentials');
      await this.protection.recordFailure(username, clientIp);
      throw new InvalidCredentialsError();
    }
    await this.protection.recordSuccess(username);
    if (!user.active) {
      await this.recordLogin(username, user, 'failure', 'account_disabled');
      throw new AccountDisabledError();
    }
    const loggedIn = (await this.users.update(user._id.toString(), { lastLoginAt: new Date() })) ?? user;
    await this.recordLogin(username, loggedIn, 'success');
    return { ...this.tokens.issue(loggedIn._id.toString(), loggedIn.tokenVersion), user: loggedIn };
  }

  /** A fresh token for an already-authenticated user (test helpers, setup). */
  issueFor(user: UserRecord): Session {
    return { ...this.tokens.issue(user._id.toString(), user.tokenVersion), user };
  }

  async logout(userId: string): Promise<void> {
    const user = await this.users.findById(userId);
    if (user) await this.usersService.revokeSessions(user);
  }

  /** Checks the current password, stores the new one and revokes every existing token. */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<Session> {
    const user = await this.users.findById(userId);
    if (!user) throw new InvalidCredentialsError();
    if (user.source !== 'local') throw new LocalOnlyError('Changing the password');
    if (!(await this.hasher.verify(currentPassword, user.passwordHash)))
      throw new WrongCurrentPasswordError();
    if (currentPassword === newPassword) {
      throw new PasswordPolicyError('newPassword', 'new password must differ from the current one');
    }
    const updated = await this.usersService.changeOwnPassword(user, newPassword);
    return this.issueFor(updated);
  }

  private async recordLogin(
    username: string,
    user: UserRecord | null,
    outcome: 'success' | 'failure',
    reason?: string,
  ): Promise<void> {
    await this.audit.record({
      action: outcome === 'success' ? 'auth.login' : 'auth.login_failed',
      actor: { id: user?._id.toString() ?? null, username, role: user?.role ?? null },
      target: { type: 'user', id: user?._id.toString() ?? null, label: username },
      outcome,
      details: { source: user?.source ?? null, ...(reason ? { reason } : {}) },
    });
  }
}

import { HttpException, HttpStatus, Injectable } from '@nestjs/common';

import { AppConfig } from '../../../core/config/app-config';
import { AuditService } from '../../audit/audit.service';
import type { LoginAttemptRecord } from './login-attempt.schema';
import { LoginAttemptsRepository } from './login-attempts.repository';

/** The knobs of login protection (LOGIN_* variables, see docs/security.md). */
export interface LoginPolicy {
  /** Failed logins of one account (any address) that lock it; 0 = never lock accounts. */
  accountMaxFailures: number;
  /** Failed logins from one client address (any account) that lock the address; 0 = never. */
  ipMaxFailures: number;
  /** How long a lock lasts; also the window in which failures are counted. */
  lockMs: number;
  /** Growing delay: the 3rd failure in a row is answered after this, each further one twice as late. */
  delayBaseMs: number;
}

const MAX_DELAY_MS = 8_000;
/** Failures answered without delay (a typo or two costs nothing). */
const FREE_FAILURES = 2;

/**
 * The same 429 for a locked account, a locked address, an unknown name or a right password:
 * nothing tells an attacker whether the account exists or whether the guess was correct.
 */
export class LoginLockedError extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      {
        message: 'Too many failed login attempts; try again later',
        details: { code: 'login_locked', retryAfterSeconds },
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

export function loginPolicyOf(config: AppConfig): LoginPolicy {
  return {
    accountMaxFailures: config.loginMaxFailures,
    ipMaxFailures: config.loginIpMaxFailures,
    lockMs: config.loginLockMinutes * 60_000,
    delayBaseMs: config.loginDelayMs,
  };
}

/** How long the answer to the n-th consecutive failure waits (0, 0, base, 2·base, … ≤ 8 s). */
export function failureDelayMs(failures: number, baseMs: number): number {
  if (baseMs <= 0 || failures <= FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_MS, baseMs * 2 ** (failures - FREE_FAILURES - 1));
}

const accountKey = (username: string): string => `user:${username.trim().toLowerCase()}`;
const ipKey = (ip: string): string => `ip:${ip}`;

/**
 * Per-account and per-address brute-force protection for every login (local and LDAP), stored in
 * MongoDB so all pods count together: a growing delay after repeated failures, then a temporary
 * lock (audited as `auth.lockout`), lifted by time, by a successful login of the account
 * (before the lock) or by an admin (`POST admin/users/:id/unlock`).
 */
@Injectable()
export class LoginProtection {
  private readonly policy: LoginPolicy;

  constructor(
    private readonly attempts: LoginAttemptsRepository,
    private readonly audit: AuditService,
    config: AppConfig,
  ) {
    this.policy = loginPolicyOf(config);
  }

  /** Throws LoginLockedError when the account or the address is locked; checked before any password. */
  async assertAllowed(username: string, ip: string): Promise<void> {
    const now = Date.now();
    const rows = await this.attempts.find([accountKey(username), ipKey(ip)]);
    let lockedUntil = 0;
    for (const row of rows) {
      const until = row.lockedUntil?.getTime() ?? 0;
      if (until > now) lockedUntil = Math.max(lockedUntil, until);
      // An expired lock starts the count again.
      else if (until > 0) await this.attempts.delete(row._id);
    }
    if (lockedUntil > now) throw new LoginLockedError(Math.ceil((lockedUntil - now) / 1000));
  }

  /** Counts the failure for the account and the address, locks what crossed its limit, then waits. */
  async recordFailure(username: string, ip: string): Promise<void> {
    const now = new Date();
    const windowStart = new Date(now.getTime() - this.policy.lockMs);
    const [account, address] = await Promise.all([
      this.attempts.addFailure(accountKey(username), now, windowStart),
      this.attempts.addFailure(ipKey(ip), now, windowStart),
    ]);
    await this.lockIfNeeded(account, this.policy.accountMaxFailures, 'account', username, ip);
    await this.lockIfNeeded(address, this.policy.ipMaxFailures, 'ip', username, ip);
    const delay = failureDelayMs(Math.max(account.failures, address.failures), this.policy.delayBaseMs);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  }

  /** A successful login clears the account's count (not the address's: one good password must not
   * reset a spray of guesses against other accounts from the same place). */
  async recordSuccess(username: string): Promise<void> {
    await this.attempts.delete(accountKey(username));
  }

  /** Lifts a lock (and the count) of the account; true when there was something to lift. */
  unlockAccount(username: string): Promise<boolean> {
    return this.attempts.delete(accountKey(username));
  }

  private async lockIfNeeded(
    row: LoginAttemptRecord,
    limit: number,
    scope: 'account' | 'ip',
    username: string,
    ip: string,
  ): Promise<void> {
    // Exactly at the limit: only the failure that crosses it locks (and is audited) once.
    if (limit <= 0 || row.failures !== limit) return;
    const until = new Date(Date.now() + this.policy.lockMs);
    await this.attempts.lock(row._id, until);
    await this.audit.record({
      action: 'auth.lockout',
      actor: { id: null, username: username.trim().toLowerCase(), role: null },
      target:
        scope === 'account'
          ? { type: 'user', id: null, label: username.trim().toLowerCase() }
          : { type: 'client_ip', id: ip, label: ip },
      outcome: 'failure',
      details: { scope, failures: row.failures, lockedUntil: until.toISOString() },
    });
  }
}

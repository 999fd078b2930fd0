import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Router } from '@angular/router';

import { type LoginResponseDto } from '../../api/models/login-response-dto';
import { type SessionUserDto } from '../../api/models/session-user-dto';
import { type ApiProblem, toApiProblem } from '../http/api-problem';
import { AuthClient } from './auth.client';
import { isTenantScopedRole, type Permission } from './permissions';
import { SessionEvents } from './session-events';

export type SessionUser = SessionUserDto;

export type SessionStatus = 'unknown' | 'authenticated' | 'anonymous';

/** Why the user was sent to the login page; shown there as a notice. */
export type LogoutReason = 'expired' | 'signed-out' | 'renew';

/** Longest delay setTimeout accepts; later expiries are re-armed when this fires. */
const MAX_TIMER_MS = 2_147_483_647;
/** How long before the session ends the console warns that it will. */
export const SESSION_WARNING_MS = 5 * 60_000;

/**
 * The session of the console: who is signed in, what they may see, and when the session ends.
 * The session itself is an httpOnly cookie the page cannot read; this store only mirrors
 * `auth/me`. Every decision here is cosmetic: the server enforces permissions on each call.
 */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly client = inject(AuthClient);
  private readonly router = inject(Router);

  private readonly userState = signal<SessionUser | null>(null);
  private readonly statusState = signal<SessionStatus>('unknown');
  private readonly expiresAtState = signal<Date | null>(null);
  private readonly busyState = signal(false);
  private readonly errorState = signal<ApiProblem | null>(null);
  private readonly logoutReasonState = signal<LogoutReason | null>(null);
  private readonly expiryWarningState = signal(false);

  readonly user = this.userState.asReadonly();
  readonly status = this.statusState.asReadonly();
  readonly expiresAt = this.expiresAtState.asReadonly();
  readonly busy = this.busyState.asReadonly();
  readonly error = this.errorState.asReadonly();
  readonly logoutReason = this.logoutReasonState.asReadonly();
  /** True from SESSION_WARNING_MS before the session ends until it ends or the user dismisses it. */
  readonly expiryWarning = this.expiryWarningState.asReadonly();

  readonly isAuthenticated = computed(() => this.statusState() === 'authenticated');
  readonly mustChangePassword = computed(() => this.userState()?.mustChangePassword === true);
  readonly isTenantScoped = computed(() => {
    const user = this.userState();
    return user !== null && isTenantScopedRole(user.role);
  });
  readonly permissions = computed<ReadonlySet<Permission>>(() => {
    const user = this.userState();
    if (!user) return new Set();
    return new Set(user.permissions);
  });

  private restoring: Promise<SessionStatus> | null = null;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private warningDismissed = false;

  constructor() {
    inject(SessionEvents)
      .unauthorized$.pipe(takeUntilDestroyed(inject(DestroyRef)))
      .subscribe(() => {
        if (this.isAuthenticated()) void this.endSession('expired');
      });
  }

  can(permission: Permission): boolean {
    return this.permissions().has(permission);
  }

  /** Resolves the session once (asks `auth/me`); later calls return the known status. */
  restore(): Promise<SessionStatus> {
    if (this.statusState() !== 'unknown') return Promise.resolve(this.statusState());
    this.restoring ??= this.client
      .me()
      .then((user) => {
        // Older servers do not send expiresAt; a later 401 ends the session then.
        this.startSession(user, user.expiresAt ?? null);
        return 'authenticated' as const;
      })
      .catch(() => {
        this.statusState.set('anonymous');
        return 'anonymous' as const;
      })
      .finally(() => {
        this.restoring = null;
      });
    return this.restoring;
  }

  /** Signs in; returns true on success, otherwise the reason is in `error()`. */
  async login(username: string, password: string): Promise<boolean> {
    this.busyState.set(true);
    this.errorState.set(null);
    try {
      const session = await this.client.login(username, password);
      this.logoutReasonState.set(null);
      this.startSession(session.user, session.expiresAt);
      return true;
    } catch (error: unknown) {
      const problem = toApiProblem(error);
      this.errorState.set(
        problem.status === 401 ? { ...problem, message: 'Wrong username or password.' } : problem,
      );
      return false;
    } finally {
      this.busyState.set(false);
    }
  }

  async logout(): Promise<void> {
    try {
      await this.client.logout();
    } catch {
      // The cookie is cleared by the server; an already-expired session is still a logout.
    }
    await this.endSession('signed-out');
  }

  /**
   * Changes the password. The server revokes every other session of the user and answers with a
   * fresh cookie session, so this browser stays signed in.
   */
  async changePassword(currentPassword: string, newPassword: string): Promise<ApiProblem | null> {
    this.busyState.set(true);
    try {
      const session: LoginResponseDto = await this.client.changePassword(currentPassword, newPassword);
      this.startSession(session.user, session.expiresAt);
      return null;
    } catch (error: unknown) {
      return toApiProblem(error);
    } finally {
      this.busyState.set(false);
    }
  }

  /** Where a freshly signed-in user lands: tenant roles in their portal, staff on the overview. */
  homeUrl(): string {
    if (this.mustChangePassword()) return '/change-password';
    if (this.isTenantScoped()) return '/portal';
    if (this.can('analytics.read')) return '/dashboard';
    if (this.can('providers.read')) return '/providers';
    return '/portal';
  }

  /** Hides the expiry warning until the next session (the session still ends on time). */
  dismissExpiryWarning(): void {
    this.expiryWarningState.set(false);
    this.warningDismissed = true;
  }

  /**
   * Sessions cannot be extended: signing in again starts a fresh one. Signs out and opens the
   * login page with the current page as the return address.
   */
  async signInAgain(): Promise<void> {
    try {
      await this.client.logout();
    } catch {
      // Already ended on the server: nothing to undo.
    }
    await this.endSession('renew');
  }

  clearError(): void {
    this.errorState.set(null);
  }

  private startSession(user: SessionUser, expiresAt: string | null): void {
    this.userState.set(user);
    this.statusState.set('authenticated');
    const expiry = expiresAt ? new Date(expiresAt) : null;
    this.expiresAtState.set(expiry && !Number.isNaN(expiry.getTime()) ? expiry : null);
    this.expiryWarningState.set(false);
    this.warningDismissed = false;
    this.armExpiryTimer();
  }

  /** One timer at a time: first the warning point, then the expiry itself. */
  private armExpiryTimer(): void {
    clearTimeout(this.expiryTimer);
    const expiry = this.expiresAtState();
    if (!expiry) return;
    const remaining = expiry.getTime() - Date.now();
    if (remaining <= 0) {
      void this.endSession('expired');
      return;
    }
    const untilWarning = remaining - SESSION_WARNING_MS;
    if (untilWarning <= 0 && !this.warningDismissed) this.expiryWarningState.set(true);
    this.expiryTimer = setTimeout(
      () => {
        this.armExpiryTimer();
      },
      Math.min(untilWarning > 0 ? untilWarning : remaining, MAX_TIMER_MS),
    );
  }

  private async endSession(reason: LogoutReason): Promise<void> {
    clearTimeout(this.expiryTimer);
    const returnUrl = this.router.url;
    this.userState.set(null);
    this.expiresAtState.set(null);
    this.expiryWarningState.set(false);
    this.statusState.set('anonymous');
    this.logoutReasonState.set(reason);
    const keepReturnUrl = reason !== 'signed-out' && returnUrl !== '/' && !returnUrl.startsWith('/login');
    await this.router.navigate(['/login'], keepReturnUrl ? { queryParams: { returnUrl } } : {});
  }
}

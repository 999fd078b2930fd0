import { inject, Injectable } from '@angular/core';

import { Api } from '../../api/api';
import { authChangePassword } from '../../api/fn/auth/auth-change-password';
import { authLogin } from '../../api/fn/auth/auth-login';
import { authLogout } from '../../api/fn/auth/auth-logout';
import { authMe } from '../../api/fn/auth/auth-me';
import { setupComplete } from '../../api/fn/setup/setup-complete';
import { setupCreateAdmin } from '../../api/fn/setup/setup-create-admin';
import { setupStatus } from '../../api/fn/setup/setup-status';
import { type LoginResponseDto } from '../../api/models/login-response-dto';
import { type SessionUserDto } from '../../api/models/session-user-dto';
import { type SetupStatusDto } from '../../api/models/setup-status-dto';

/**
 * The auth and setup calls of the generated admin client. The console always asks for a cookie
 * session: the token never reaches JavaScript (httpOnly, SameSite=Strict, path /api/prism).
 */
@Injectable({ providedIn: 'root' })
export class AuthClient {
  private readonly api = inject(Api);

  login(username: string, password: string): Promise<LoginResponseDto> {
    return this.api.invoke(authLogin, { body: { username, password, session: 'cookie' } });
  }

  me(): Promise<SessionUserDto> {
    return this.api.invoke(authMe);
  }

  logout(): Promise<void> {
    return this.api.invoke(authLogout);
  }

  /** The server revokes every old token and answers with a fresh session (cookie again). */
  changePassword(currentPassword: string, newPassword: string): Promise<LoginResponseDto> {
    return this.api.invoke(authChangePassword, { body: { currentPassword, newPassword } });
  }

  setupStatus(): Promise<SetupStatusDto> {
    return this.api.invoke(setupStatus);
  }

  /** Only works while no admin exists (409 afterwards); sign in with `login` next. */
  async createFirstAdmin(username: string, password: string): Promise<void> {
    await this.api.invoke(setupCreateAdmin, { body: { username, password } });
  }

  completeSetup(): Promise<SetupStatusDto> {
    return this.api.invoke(setupComplete);
  }
}

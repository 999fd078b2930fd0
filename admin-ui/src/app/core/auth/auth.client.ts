import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import { parseSessionUser, type SessionUser } from './session-user';

export interface LoginResult {
  user: SessionUser;
  /** ISO time the session ends; null when the server did not say. */
  expiresAt: string | null;
}

const BASE = '/api/prism';

/**
 * The auth and setup calls of the admin API. The only place that knows their URLs and shapes, so
 * the store and pages stay unchanged when these move onto the generated client.
 */
@Injectable({ providedIn: 'root' })
export class AuthClient {
  private readonly http = inject(HttpClient);

  async login(username: string, password: string): Promise<LoginResult> {
    const body = await firstValueFrom(this.http.post<unknown>(`${BASE}/auth/login`, { username, password }));
    return this.toLoginResult(body);
  }

  async me(): Promise<LoginResult> {
    const body = await firstValueFrom(this.http.get<unknown>(`${BASE}/auth/me`));
    return this.toLoginResult(body);
  }

  async logout(): Promise<void> {
    await firstValueFrom(this.http.post(`${BASE}/auth/logout`, {}));
  }

  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await firstValueFrom(this.http.post(`${BASE}/auth/password`, { currentPassword, newPassword }));
  }

  async setupStatus(): Promise<{ needsSetup: boolean }> {
    const body = await firstValueFrom(this.http.get<{ needsSetup?: unknown }>(`${BASE}/setup/status`));
    return { needsSetup: body.needsSetup === true };
  }

  async createFirstAdmin(username: string, password: string): Promise<void> {
    await firstValueFrom(this.http.post(`${BASE}/setup/admin`, { username, password }));
  }

  private toLoginResult(body: unknown): LoginResult {
    const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const user = parseSessionUser(record['user'] ?? record);
    if (!user) throw new Error('The server sent an unexpected session response');
    const expiresAt = typeof record['expiresAt'] === 'string' ? record['expiresAt'] : null;
    return { user, expiresAt };
  }
}
